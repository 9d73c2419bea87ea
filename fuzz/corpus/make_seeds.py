#!/usr/bin/env python3
"""Writes the hand-made seed inputs of every fuzz target into fuzz/corpus/<target>/inputs/seed-*.

Each seed is one readable scenario (a row of an error table, an exact fit, an aligned request
with padding...), encoded the way the harness decodes it (fuzz/support/fuzz_input.h and the
opcode lists at the top of each *_fuzzer.c). Fuzzing adds inputs next to them (tools/fuzz.sh);
run this again after changing an encoding. Usage: python3 fuzz/corpus/make_seeds.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


# fuzz/support/fuzz_input.h: sizes and alignments are a class selector byte plus the value.
def tiny(value):
    return bytes([0, value])


def small(value):
    return bytes([1, value])


def medium(value):
    return bytes([2]) + struct.pack("<H", value)


def near_free(delta):
    return bytes([3, delta + 128])


def near_size_max(below):
    return bytes([4, below])


def any_size(value):
    return bytes([5]) + struct.pack("<Q", value)


def power_of_two(exponent):
    return bytes([0, exponent])


def any_power_of_two(exponent):
    return bytes([1, exponent])


def alignment_byte(value):
    return bytes([2, value])


# fuzz/arena_fuzzer.c
class Arena:
    INIT, ALLOC, ALLOC_ALIGNED, SEAL, NULL_ARENA, FAST_FORWARD = range(6)

    @staticmethod
    def init(size, offset=0, variant=0):  # variant: 0/1 normal, 2 NULL buffer, 3 NULL arena
        return bytes([Arena.INIT, variant, offset]) + struct.pack("<H", size)

    @staticmethod
    def alloc(size):
        return bytes([Arena.ALLOC]) + size

    @staticmethod
    def alloc_aligned(size, alignment):
        return bytes([Arena.ALLOC_ALIGNED]) + size + alignment

    @staticmethod
    def seal():
        return bytes([Arena.SEAL])

    @staticmethod
    def null_arena(which, size=tiny(8)):  # 0 alloc, 1 alloc_aligned, 2 seal, 3 queries
        return bytes([Arena.NULL_ARENA, which]) + size

    @staticmethod
    def fast_forward(below_size_max):  # failed-request counter := SIZE_MAX - below_size_max
        return bytes([Arena.FAST_FORWARD, below_size_max])


ARENA_SEEDS = {
    "zero-initialised-arena": Arena.alloc(small(1)) + Arena.alloc_aligned(small(1), power_of_two(6)) + Arena.seal(),
    "small-blocks": Arena.init(4096) + b"".join(Arena.alloc(tiny(n)) for n in (1, 15, 16, 17, 31, 32, 33, 63)),
    "exact-fit-then-full": Arena.init(1024) + Arena.alloc(medium(1000)) + Arena.alloc(near_free(0)) + Arena.alloc(tiny(1)),
    "one-byte-too-many": Arena.init(1024) + Arena.alloc(near_free(1)) + Arena.alloc(near_free(0)),
    "size-not-multiple-of-alignment": Arena.init(1000) + Arena.alloc(near_free(0)) + Arena.alloc(near_free(1)),
    "aligned-with-padding": Arena.init(8192) + Arena.alloc(tiny(1))
    + b"".join(Arena.alloc_aligned(small(24), power_of_two(e)) for e in (0, 3, 4, 5, 6, 8, 12)),
    "aligned-padding-does-not-fit": Arena.init(4096) + Arena.alloc(tiny(1)) + Arena.alloc_aligned(near_free(-64), power_of_two(12)),
    "invalid-alignments": Arena.init(4096)
    + b"".join(Arena.alloc_aligned(tiny(8), alignment_byte(a)) for a in (0, 3, 6, 24, 255))
    + Arena.alloc_aligned(tiny(8), any_power_of_two(63)) + Arena.alloc_aligned(tiny(8), any_size(2**64 - 1)),
    "sizes-near-size-max": Arena.init(4096) + b"".join(Arena.alloc(near_size_max(k)) for k in (0, 1, 14, 15, 16, 255))
    + Arena.alloc_aligned(near_size_max(15), power_of_two(6)) + Arena.alloc(any_size(2**63)),
    "size-zero": Arena.init(4096) + Arena.alloc(tiny(0)) + Arena.alloc_aligned(tiny(0), power_of_two(4)),
    "seal": Arena.init(4096) + Arena.alloc(small(100)) + Arena.seal() + Arena.alloc(tiny(1)) + Arena.seal(),
    "init-rejects": Arena.init(4096, variant=2) + Arena.init(4096, variant=3) + Arena.init(15) + Arena.init(0)
    + b"".join(Arena.init(4096, offset=o) for o in (1, 4, 8, 12)) + Arena.alloc(tiny(1)),
    "reinit-after-use": Arena.init(512) + Arena.alloc(small(200)) + Arena.seal() + Arena.init(512, offset=16)
    + Arena.alloc(small(200)) + Arena.init(256, offset=8) + Arena.alloc(tiny(1)),
    "failed-init-keeps-arena": Arena.init(2048) + Arena.alloc(small(64)) + Arena.init(2048, offset=3)
    + Arena.init(8) + Arena.alloc(small(64)),
    "null-arena": b"".join(Arena.null_arena(w) for w in range(4)) + Arena.init(64) + b"".join(Arena.null_arena(w) for w in range(4)),
    "failed-counter-saturates": Arena.init(64) + Arena.fast_forward(2) + b"".join(Arena.alloc(tiny(0)) for _ in range(3))
    + Arena.alloc_aligned(tiny(8), alignment_byte(3)),
    "large-buffer": Arena.init(65535) + Arena.alloc(medium(40000)) + Arena.alloc_aligned(medium(20000), power_of_two(12))
    + Arena.alloc(near_free(0)),
}


# fuzz/mira_mem_fuzzer.c
class Mira:
    SET_BUFFER, SET_CALLBACK, ALLOC, SEAL, SET_OOM_HOOK, GET_STATS_NULL, FAST_FORWARD = range(7)
    NULL_ANSWER, MISALIGNED, FRESH, REUSED = range(4)

    @staticmethod
    def set_buffer(size, offset=0, null=False):
        return bytes([Mira.SET_BUFFER, 3 if null else 0, offset]) + struct.pack("<H", size)

    @staticmethod
    def set_callback(which=1, storage=1):  # 0 NULL, 1 A, 2 B
        return bytes([Mira.SET_CALLBACK, which, storage])

    @staticmethod
    def alloc(size, answer=2, misalignment=0):  # answer: what the callback returns, if asked
        tail = bytes([answer]) + (bytes([misalignment]) if answer == Mira.MISALIGNED else b"")
        return bytes([Mira.ALLOC]) + size + tail

    @staticmethod
    def seal():
        return bytes([Mira.SEAL])

    @staticmethod
    def hook(which=1):
        return bytes([Mira.SET_OOM_HOOK, which])

    @staticmethod
    def stats_null():
        return bytes([Mira.GET_STATS_NULL])

    @staticmethod
    def fast_forward(below_size_max):  # failed-request counter := SIZE_MAX - below_size_max
        return bytes([Mira.FAST_FORWARD, below_size_max])


MIRA_SEEDS = {
    "alloc-before-set": Mira.hook() + Mira.alloc(small(8)) + Mira.alloc(tiny(0)) + Mira.stats_null(),
    "buffer-mode": Mira.hook() + Mira.set_buffer(7592) + b"".join(Mira.alloc(small(n)) for n in (1, 16, 17, 100, 255))
    + Mira.alloc(tiny(0)) + Mira.alloc(near_free(0)) + Mira.alloc(tiny(1)) + Mira.seal(),
    "buffer-exact-fit": Mira.set_buffer(1000) + Mira.alloc(near_free(0)) + Mira.hook(2) + Mira.alloc(tiny(1)),
    "buffer-too-big-request": Mira.hook() + Mira.set_buffer(1024) + Mira.alloc(near_free(1)) + Mira.alloc(near_size_max(0))
    + Mira.alloc(near_size_max(15)) + Mira.alloc(any_size(2**63)),
    "set-buffer-rejects": Mira.set_buffer(1024, null=True) + Mira.set_buffer(0) + Mira.set_buffer(15)
    + b"".join(Mira.set_buffer(1024, offset=o) for o in (1, 4, 8)) + Mira.alloc(small(8)) + Mira.set_buffer(16)
    + Mira.alloc(small(16)) + Mira.alloc(tiny(1)),
    "set-twice": Mira.set_buffer(1024) + Mira.set_buffer(2048) + Mira.set_callback() + Mira.set_callback(0)
    + Mira.alloc(small(8)),
    "set-after-seal": Mira.seal() + Mira.set_buffer(1024) + Mira.set_callback() + Mira.set_callback(0)
    + Mira.hook() + Mira.alloc(small(8)) + Mira.seal(),
    "callback-mode": Mira.hook() + Mira.set_callback(1, 1) + Mira.alloc(small(24)) + Mira.alloc(small(40), Mira.NULL_ANSWER)
    + Mira.alloc(small(8), Mira.MISALIGNED, 7) + Mira.alloc(small(8), Mira.MISALIGNED, 0)
    + Mira.alloc(small(64), Mira.REUSED) + Mira.alloc(tiny(0)) + Mira.alloc(medium(20000)) + Mira.seal() + Mira.alloc(small(8)),
    "callback-null-rejected": Mira.set_callback(0, 1) + Mira.alloc(small(8)) + Mira.set_callback(2, 0)
    + Mira.alloc(small(8)) + Mira.set_callback(1, 2) + Mira.alloc(small(8)),
    "callback-usage-saturates": Mira.set_callback(2, 2) + Mira.alloc(near_size_max(0), Mira.REUSED)
    + Mira.alloc(near_size_max(3), Mira.REUSED) + Mira.alloc(small(1)),
    "callback-pool-exhausted": Mira.set_callback() + b"".join(Mira.alloc(medium(6000)) for _ in range(4)),
    "failed-counter-saturates": Mira.fast_forward(1) + Mira.alloc(small(8)) + Mira.set_buffer(64)
    + Mira.alloc(small(100)) + Mira.alloc(tiny(0)),
    "hooks-switched": Mira.set_buffer(64) + Mira.hook(1) + Mira.alloc(small(100)) + Mira.hook(2)
    + Mira.alloc(small(100)) + Mira.hook(0) + Mira.alloc(small(100)) + Mira.stats_null(),
}


# fuzz/pool_fuzzer.c
class Pool:
    INIT, ALLOC, ALLOC_ZEROED, FREE, FREE_LIVE, OWNS, NULL_POOL, FAST_FORWARD = range(8)
    # pointer kinds (take_pointer)
    LIVE, BLOCK_START, INTERIOR, PAST_THE_END, BEFORE_BUFFER, REGION_BYTE, OTHER, NULL = range(8)

    @staticmethod
    def init(size, count=None, buffer=None, metadata=None, offset=0, metadata_offset=0, variant=0,
             alignment=None):
        """variant 0..4 normal, 5 NULL pool, 6 NULL buffer, 7 NULL metadata. `size` is a size
        class (tiny(...)...); count, buffer and metadata default to "exactly what is needed".
        alignment None: vera_pool_init; otherwise vera_pool_init_aligned with Pool.align(...)."""
        count = Pool.count_fit(0) if count is None else count
        buffer = Pool.buffer_exact(0) if buffer is None else buffer
        metadata = Pool.metadata_exact(0) if metadata is None else metadata
        alignment = 0 if alignment is None else alignment
        return (bytes([Pool.INIT, alignment + variant, offset]) + size + count + buffer + bytes([metadata_offset])
                + metadata)

    # alignments of vera_pool_init_aligned (alignment_of): added to the variant byte
    @staticmethod
    def align(log2):  # 2^0 .. 2^13
        return 128 + 8 * log2

    ALIGN_ZERO = 128 + 8 * 14
    ALIGN_NOT_POWER_OF_TWO = 128 + 8 * 15  # 3 * VERA_ALIGNMENT

    # block count classes
    @staticmethod
    def count_byte(value):
        return bytes([0, value])

    @staticmethod
    def count_u16(value):
        return bytes([1]) + struct.pack("<H", value)

    @staticmethod
    def count_fit(delta):  # as many blocks as the rest of the region holds, -4..+3
        return bytes([2, delta + 4])

    @staticmethod
    def count_near_max(delta):  # VERA_POOL_MAX_BLOCKS + delta, -128..+127
        return bytes([3, delta + 128])

    @staticmethod
    def count_any(value):
        return bytes([4]) + struct.pack("<Q", value)

    # buffer size classes
    @staticmethod
    def buffer_exact(delta):  # rounded size * count + delta, -128..+127
        return bytes([0, delta + 128])

    @staticmethod
    def buffer_all():
        return bytes([1])

    # metadata length classes
    @staticmethod
    def metadata_exact(delta):  # 2 * count + delta, -1..+6
        return bytes([0, delta + 1])

    @staticmethod
    def metadata_all():
        return bytes([1])

    @staticmethod
    def alloc(count=1):
        return bytes([Pool.ALLOC]) * count

    @staticmethod
    def alloc_zeroed(count=1):
        return bytes([Pool.ALLOC_ZEROED]) * count

    @staticmethod
    def free(pointer):
        return bytes([Pool.FREE]) + pointer

    @staticmethod
    def free_live(which=0):
        return bytes([Pool.FREE_LIVE]) + struct.pack("<H", which)

    @staticmethod
    def owns(pointer):
        return bytes([Pool.OWNS]) + pointer

    @staticmethod
    def null_pool(which, pointer=b""):  # 0 alloc, 1 alloc_zeroed, 2 free, 3 owns, 4 queries
        return bytes([Pool.NULL_POOL, which]) + pointer

    @staticmethod
    def fast_forward(below_size_max):  # failed-allocation counter := SIZE_MAX - below_size_max
        return bytes([Pool.FAST_FORWARD, below_size_max])

    # pointers
    @staticmethod
    def live(which=0):
        return bytes([Pool.LIVE]) + struct.pack("<H", which)

    @staticmethod
    def block(index):
        return bytes([Pool.BLOCK_START]) + struct.pack("<H", index)

    @staticmethod
    def interior(index, offset_minus_one):
        return bytes([Pool.INTERIOR]) + struct.pack("<HH", index, offset_minus_one)

    @staticmethod
    def past_the_end(delta=0):
        return bytes([Pool.PAST_THE_END, delta])

    @staticmethod
    def before_buffer(distance_minus_one=0):
        return bytes([Pool.BEFORE_BUFFER, distance_minus_one])

    @staticmethod
    def region_byte(offset):
        return bytes([Pool.REGION_BYTE]) + struct.pack("<H", offset)

    @staticmethod
    def other(which):  # 0 another object, 1 the pool itself, 2 the metadata
        return bytes([Pool.OTHER, which])

    @staticmethod
    def null():
        return bytes([Pool.NULL])


EVERY_POINTER = [Pool.live(0), Pool.block(0), Pool.block(3), Pool.interior(1, 0), Pool.interior(0, 14),
                 Pool.past_the_end(0), Pool.past_the_end(16), Pool.before_buffer(0), Pool.before_buffer(15),
                 Pool.region_byte(0), Pool.region_byte(65535), Pool.other(0), Pool.other(1), Pool.other(2),
                 Pool.null()]

POOL_SEEDS = {
    "zero-initialised-pool": Pool.alloc() + Pool.alloc_zeroed() + b"".join(Pool.free(p) for p in EVERY_POINTER)
    + b"".join(Pool.owns(p) for p in EVERY_POINTER),
    "address-order-then-exhausted": Pool.init(tiny(24), Pool.count_byte(8)) + Pool.alloc(8) + Pool.alloc()
    + Pool.alloc_zeroed(),
    "lifo-reuse": Pool.init(small(100), Pool.count_byte(6)) + Pool.alloc(4) + Pool.free(Pool.block(1))
    + Pool.free(Pool.block(3)) + Pool.free(Pool.block(0)) + Pool.alloc(5) + Pool.free_live(2) + Pool.alloc_zeroed(),
    "zeroed-after-use": Pool.init(small(200), Pool.count_byte(3)) + Pool.alloc(3) + Pool.free_live(0)
    + Pool.free_live(0) + Pool.alloc_zeroed(2) + Pool.alloc_zeroed(),
    "double-free-and-never-allocated": Pool.init(tiny(16), Pool.count_byte(6)) + Pool.alloc(2)
    + Pool.free(Pool.block(0)) + Pool.free(Pool.block(0)) + Pool.free(Pool.block(5)) + Pool.free(Pool.block(1))
    + Pool.free(Pool.block(1)) + Pool.alloc(2),
    "foreign-and-interior-pointers": Pool.init(tiny(40), Pool.count_byte(4), Pool.buffer_exact(100)) + Pool.alloc(4)
    + b"".join(Pool.free(p) for p in EVERY_POINTER[1:]) + Pool.alloc(),
    "owns-everything": Pool.init(tiny(32), Pool.count_byte(4), offset=16) + Pool.alloc(2)
    + b"".join(Pool.owns(p) for p in EVERY_POINTER),
    "init-rejects": Pool.init(tiny(24), Pool.count_byte(4), variant=5) + Pool.init(tiny(24), Pool.count_byte(4), variant=6)
    + Pool.init(tiny(24), Pool.count_byte(4), variant=7) + Pool.init(tiny(0), Pool.count_byte(4))
    + Pool.init(near_size_max(0), Pool.count_byte(1), Pool.buffer_all())
    + Pool.init(near_size_max(14), Pool.count_byte(1), Pool.buffer_all())
    + Pool.init(near_size_max(15), Pool.count_byte(1), Pool.buffer_all())
    + Pool.init(tiny(24), Pool.count_byte(0)) + Pool.init(tiny(1), Pool.count_near_max(1), Pool.buffer_all(), Pool.metadata_all())
    + Pool.init(tiny(24), Pool.count_byte(4), Pool.buffer_exact(-1))
    + Pool.init(tiny(24), Pool.count_byte(4), metadata=Pool.metadata_exact(-1))
    + Pool.init(any_size(2**63), Pool.count_byte(3), Pool.buffer_all())
    + b"".join(Pool.init(tiny(24), Pool.count_byte(4), offset=o) for o in (1, 4, 8, 12))
    + Pool.init(tiny(0), Pool.count_byte(4), offset=1) + Pool.alloc(),
    "failed-init-keeps-pool": Pool.init(tiny(48), Pool.count_byte(5), metadata_offset=3) + Pool.alloc(2)
    + Pool.init(tiny(48), Pool.count_byte(5), offset=8) + Pool.init(tiny(48), Pool.count_byte(5), Pool.buffer_exact(-16))
    + Pool.alloc(4) + Pool.free_live(1),
    "reinit-forgets-blocks": Pool.init(tiny(32), Pool.count_byte(8)) + Pool.alloc(5)
    + Pool.init(tiny(16), Pool.count_byte(4), offset=64, metadata_offset=7, metadata=Pool.metadata_exact(6))
    + Pool.free(Pool.region_byte(0)) + Pool.free(Pool.region_byte(32)) + Pool.alloc(5) + Pool.free(Pool.region_byte(64)),
    "one-block-fills-the-region": Pool.init(near_free(0), Pool.count_byte(1), Pool.buffer_all(), offset=0)
    + Pool.alloc_zeroed() + Pool.alloc() + Pool.free_live() + Pool.alloc(),
    "many-small-blocks": Pool.init(tiny(1), Pool.count_fit(0), Pool.buffer_all(), Pool.metadata_all(), offset=240)
    + Pool.alloc(300) + b"".join(Pool.free_live(k) for k in range(0, 300, 7)) + Pool.alloc_zeroed(20),
    "null-pool": b"".join(Pool.null_pool(w, Pool.block(0) if w in (2, 3) else b"") for w in range(5))
    + Pool.init(tiny(8), Pool.count_byte(2)) + b"".join(Pool.null_pool(w, Pool.live(0) if w in (2, 3) else b"") for w in range(5)),
    "failed-counter-saturates": Pool.fast_forward(1) + Pool.alloc(3) + Pool.init(tiny(8), Pool.count_byte(1))
    + Pool.alloc() + Pool.fast_forward(0) + Pool.alloc_zeroed(2),
    "aligned-every-alignment": b"".join(
        Pool.init(tiny(24), Pool.count_byte(3), alignment=Pool.align(k)) + Pool.alloc(2) + Pool.alloc_zeroed()
        + Pool.alloc() + Pool.free(Pool.block(1)) + Pool.alloc() + b"".join(Pool.free(Pool.block(b)) for b in range(3))
        for k in range(14)),
    "aligned-rejects": Pool.init(tiny(24), Pool.count_byte(3), alignment=Pool.ALIGN_ZERO)
    + Pool.init(tiny(24), Pool.count_byte(3), alignment=Pool.ALIGN_NOT_POWER_OF_TWO)
    + Pool.init(tiny(24), Pool.count_byte(3), alignment=Pool.align(13))
    + Pool.init(tiny(24), Pool.count_byte(3), alignment=Pool.align(2), variant=6)
    + b"".join(Pool.init(tiny(24), Pool.count_byte(3), offset=o, alignment=Pool.align(k))
               for k in (5, 6, 8, 12) for o in (8, 16, 32, 128))
    + Pool.init(tiny(24), Pool.count_byte(3), Pool.buffer_exact(-1), alignment=Pool.align(6))
    + Pool.init(tiny(100), Pool.count_byte(4), offset=32, alignment=Pool.align(5)) + Pool.alloc(5)
    + Pool.free(Pool.interior(1, 30)) + Pool.free(Pool.block(3)) + Pool.free_live(0),
    "peak-follows-use": Pool.init(tiny(8), Pool.count_byte(5)) + Pool.alloc(3) + Pool.free_live(0) + Pool.free_live(0)
    + Pool.alloc(4) + Pool.free_live(0) + Pool.alloc(2),
}


# fuzz/heap_fuzzer.c
class Heap:
    INIT, ALLOC, FREE, FREE_LIVE, USABLE_SIZE, NULL_HEAP, FAST_FORWARD, ALLOC_ALIGNED, REALLOC, REALLOC_LIVE = range(10)
    # pointer kinds (take_pointer)
    LIVE, GRANULE, INTERIOR, FREED, PAST_THE_END, BEFORE_BUFFER, REGION_BYTE, OTHER, NULL = range(9)

    @staticmethod
    def init(buffer, map_entries=None, offset=0, map_offset=0, variant=0, extra=b""):
        """variant 0..4 normal, 5 NULL heap, 6 NULL buffer, 7 NULL map, 8 map inside the buffer
        (`extra`: its granule, a u16), 9 map off its alignment. `buffer` is a buffer size class,
        map_entries a map length class (default: one word per granule)."""
        map_entries = Heap.map_exact(0) if map_entries is None else map_entries
        return bytes([Heap.INIT, variant, offset]) + buffer + bytes([map_offset]) + map_entries + extra

    # buffer size classes
    @staticmethod
    def granules(count, remainder=0):
        return bytes([0]) + struct.pack("<H", count) + bytes([remainder])

    @staticmethod
    def buffer_all():
        return bytes([1])

    @staticmethod
    def few_granules(count):  # 0..15
        return bytes([2, count])

    @staticmethod
    def buffer_bytes(value):
        return bytes([3]) + struct.pack("<H", value)

    # map length classes
    @staticmethod
    def map_exact(delta):  # granules + delta, -1..+6
        return bytes([0, delta + 1])

    @staticmethod
    def map_all():
        return bytes([1])

    @staticmethod
    def alloc(size, count=1):
        return (bytes([Heap.ALLOC]) + size) * count

    @staticmethod
    def free(pointer):
        return bytes([Heap.FREE]) + pointer

    @staticmethod
    def free_live(which=0):
        return bytes([Heap.FREE_LIVE]) + struct.pack("<H", which)

    @staticmethod
    def usable_size(pointer):
        return bytes([Heap.USABLE_SIZE]) + pointer

    @staticmethod
    def null_heap(which, pointer, size=b""):
        """which: 0 alloc, 1 free, 2 usable_size, 3 stats, 4 check, 5 last_error, 6 alloc_aligned
        (`size`: a size and an alignment), 7 realloc (`size`: a size)."""
        return bytes([Heap.NULL_HEAP, which]) + pointer + size

    @staticmethod
    def alloc_aligned(size, alignment):
        return bytes([Heap.ALLOC_ALIGNED]) + size + alignment

    @staticmethod
    def realloc(pointer, size):
        return bytes([Heap.REALLOC]) + pointer + size

    @staticmethod
    def realloc_live(which, size):
        return bytes([Heap.REALLOC_LIVE]) + struct.pack("<H", which) + size

    # realloc size classes (take_realloc_size)
    @staticmethod
    def divided(by):  # usable / by, by 1..8
        return bytes([0, by - 1])

    @staticmethod
    def grown(granules, extra_byte=0):  # usable + granules * granule + extra_byte (0 or 1)
        return bytes([1, granules, extra_byte])

    @staticmethod
    def around_usable(size):  # a size class with the block's usable size as pivot
        return bytes([2]) + size

    @staticmethod
    def as_alloc(size):  # a size class with the free bytes as pivot
        return bytes([3]) + size

    @staticmethod
    def fast_forward(below_size_max):  # failed-request counter := SIZE_MAX - below_size_max
        return bytes([Heap.FAST_FORWARD, below_size_max])

    @staticmethod
    def corrupt_map(index, value):
        return bytes([Heap.FAST_FORWARD, 4, 0]) + struct.pack("<HHH", index, value & 0xFFFF, value >> 16)

    @staticmethod
    def corrupt_bin(index, value):
        return bytes([Heap.FAST_FORWARD, 4, 1]) + struct.pack("<HHH", index, value & 0xFFFF, value >> 16)

    @staticmethod
    def corrupt_bitmap(bit):
        return bytes([Heap.FAST_FORWARD, 4, 2]) + struct.pack("<HHH", bit, 0, 0)

    # pointers
    @staticmethod
    def live(which=0):
        return bytes([Heap.LIVE]) + struct.pack("<H", which)

    @staticmethod
    def granule(index):
        return bytes([Heap.GRANULE]) + struct.pack("<H", index)

    @staticmethod
    def interior(index, offset_minus_one):
        return bytes([Heap.INTERIOR]) + struct.pack("<H", index) + bytes([offset_minus_one])

    @staticmethod
    def freed(slot=0):
        return bytes([Heap.FREED, slot])

    @staticmethod
    def past_the_end(delta=0):
        return bytes([Heap.PAST_THE_END, delta])

    @staticmethod
    def before_buffer(distance_minus_one=0):
        return bytes([Heap.BEFORE_BUFFER, distance_minus_one])

    @staticmethod
    def region_byte(offset):
        return bytes([Heap.REGION_BYTE]) + struct.pack("<H", offset)

    @staticmethod
    def other(which):  # 0 another object, 1 the heap itself, 2 the map
        return bytes([Heap.OTHER, which])

    @staticmethod
    def null():
        return bytes([Heap.NULL])


EVERY_HEAP_POINTER = [Heap.live(0), Heap.granule(0), Heap.granule(5), Heap.interior(1, 0), Heap.interior(0, 6),
                      Heap.freed(0), Heap.past_the_end(0), Heap.past_the_end(16), Heap.before_buffer(0),
                      Heap.before_buffer(15), Heap.region_byte(0), Heap.region_byte(65535), Heap.other(0),
                      Heap.other(1), Heap.other(2), Heap.null()]

# Sizes in granules of 16 bytes (64-bit hosts; on 8-byte granules they are twice as many granules).
HEAP_64 = Heap.init(Heap.granules(64))
QUARTERS = HEAP_64 + Heap.alloc(medium(16 * 16), 4)

HEAP_SEEDS = {
    "zero-initialised-heap": Heap.alloc(tiny(1)) + Heap.alloc(tiny(0))
    + b"".join(Heap.free(p) for p in EVERY_HEAP_POINTER) + b"".join(Heap.usable_size(p) for p in EVERY_HEAP_POINTER),
    "every-pointer": HEAP_64 + Heap.alloc(tiny(1), 3) + Heap.free_live(1)
    + b"".join(Heap.free(p) for p in EVERY_HEAP_POINTER) + b"".join(Heap.usable_size(p) for p in EVERY_HEAP_POINTER),
    "coalesce-middle": QUARTERS + Heap.free(Heap.granule(0)) + Heap.free(Heap.granule(32)) + Heap.free(Heap.granule(16))
    + Heap.free(Heap.granule(32)) + Heap.free(Heap.granule(0)) + Heap.free_live(0) + Heap.alloc(medium(64 * 16)),
    "coalesce-one-side": QUARTERS + Heap.free(Heap.granule(32)) + Heap.free(Heap.granule(16)) + Heap.free(Heap.freed(0))
    + Heap.free(Heap.granule(48)) + Heap.free(Heap.granule(48)) + Heap.alloc(medium(48 * 16)),
    "split-and-exhaust": HEAP_64 + Heap.alloc(tiny(1)) + Heap.alloc(medium(32 * 16)) + Heap.alloc(medium(17 * 16))
    + Heap.alloc(medium(16 * 16)) + Heap.alloc(tiny(1), 8) + Heap.alloc(tiny(0)) + Heap.alloc(near_size_max(0)),
    "small-remainder": Heap.init(Heap.granules(67)) + Heap.alloc(medium(64 * 16)) + Heap.alloc(tiny(1))
    + Heap.free_live(0) + Heap.init(Heap.granules(68)) + Heap.alloc(medium(64 * 16)) + Heap.alloc(tiny(1)),
    "init-errors": Heap.init(Heap.granules(64), variant=5) + Heap.init(Heap.granules(64), variant=6)
    + Heap.init(Heap.granules(64), variant=7) + Heap.init(Heap.granules(64), variant=8, extra=struct.pack("<H", 3))
    + Heap.init(Heap.granules(64), variant=9) + Heap.init(Heap.few_granules(3)) + Heap.init(Heap.granules(64), offset=4)
    + Heap.init(Heap.granules(64), Heap.map_exact(-1)) + HEAP_64 + Heap.alloc(tiny(1)) + HEAP_64 + Heap.free_live(0)
    + Heap.init(Heap.buffer_all(), Heap.map_all()) + Heap.alloc(near_free(0)),
    "failed-counter-saturates": Heap.fast_forward(1) + Heap.alloc(tiny(0), 3) + HEAP_64 + Heap.alloc(tiny(0))
    + Heap.fast_forward(0) + Heap.alloc(any_size(1 << 40), 2),
    "null-heap": b"".join(Heap.null_heap(w, Heap.granule(0), tiny(8) if w == 0 else b"") for w in range(6)) + HEAP_64
    + Heap.alloc(tiny(1)) + b"".join(Heap.null_heap(w, Heap.live(0), tiny(8) if w == 0 else b"") for w in range(6)),
    "corrupt-map-head": QUARTERS + Heap.free(Heap.granule(16)) + Heap.corrupt_map(16, (1 << 30) | 16)
    + Heap.alloc(tiny(1), 3) + Heap.free_live(0) + Heap.free_live(1) + Heap.free(Heap.granule(16)),
    "corrupt-map-link": HEAP_64 + Heap.alloc(tiny(1)) + Heap.corrupt_map(5, (3 << 30) | 1000) + Heap.alloc(tiny(1))
    + Heap.free_live(0) + Heap.alloc(medium(32 * 16)),
    "corrupt-bins": QUARTERS + Heap.free_live(1) + Heap.corrupt_bin(4, 3) + Heap.alloc(tiny(1), 2)
    + Heap.corrupt_bitmap(30) + Heap.alloc(tiny(1)) + Heap.free_live(0) + Heap.free_live(0),
    # alloc_aligned: every power of two up to 4096 from a fresh heap and after a 4-granule block,
    # then the invalid ones (0, 3, 24, 2^40, size 0, size near SIZE_MAX).
    "aligned-every-power": Heap.init(Heap.buffer_all(), Heap.map_all())
    + b"".join(Heap.alloc_aligned(tiny(1), power_of_two(e)) + Heap.free_live(0) for e in range(13))
    + Heap.alloc(tiny(1))
    + b"".join(Heap.alloc_aligned(medium(3 * 16 + 1), power_of_two(e)) + Heap.free_live(1) for e in range(13))
    + Heap.alloc_aligned(tiny(1), any_power_of_two(20)),
    "aligned-invalid": HEAP_64 + Heap.alloc(tiny(1)) + Heap.alloc_aligned(tiny(8), alignment_byte(0))
    + Heap.alloc_aligned(tiny(8), alignment_byte(3)) + Heap.alloc_aligned(tiny(8), alignment_byte(24))
    + Heap.alloc_aligned(tiny(8), any_power_of_two(40)) + Heap.alloc_aligned(tiny(0), power_of_two(5))
    + Heap.alloc_aligned(near_size_max(0), power_of_two(5)) + Heap.alloc_aligned(tiny(8), power_of_two(10))
    + Heap.alloc_aligned(tiny(8), power_of_two(9)) + Heap.alloc_aligned(medium(32 * 16), power_of_two(8)),
    # realloc, the rows of its table: shrink (tail merged, tail alone, too small to split), grow in
    # place (all of the neighbour, with a rest), move, no memory, invalid sizes, NULL block.
    "realloc-in-place": HEAP_64 + Heap.alloc(medium(32 * 16)) + Heap.realloc_live(0, Heap.divided(4))
    + Heap.realloc_live(0, Heap.grown(4)) + Heap.realloc_live(0, Heap.grown(0, 1))
    + Heap.realloc_live(0, Heap.around_usable(near_free(0))) + Heap.alloc(tiny(1))
    + Heap.realloc_live(0, Heap.divided(8)) + Heap.realloc_live(0, Heap.grown(40))
    + Heap.init(Heap.granules(67)) + Heap.alloc(tiny(1)) + Heap.realloc_live(0, Heap.as_alloc(medium(33 * 16)))
    + Heap.realloc_live(0, Heap.divided(2)) + Heap.realloc_live(0, Heap.as_alloc(medium(64 * 16))),
    "realloc-moves": HEAP_64 + Heap.alloc(medium(16 * 16), 2) + Heap.realloc_live(0, Heap.grown(0, 1))
    + Heap.realloc(Heap.freed(0), Heap.as_alloc(tiny(8))) + Heap.realloc(Heap.granule(0), Heap.as_alloc(tiny(8)))
    + Heap.realloc_live(0, Heap.grown(64)) + Heap.realloc_live(1, Heap.as_alloc(tiny(0)))
    + Heap.realloc_live(1, Heap.as_alloc(near_size_max(0))) + Heap.realloc(Heap.null(), Heap.as_alloc(tiny(9)))
    + Heap.realloc(Heap.null(), Heap.as_alloc(tiny(0))) + Heap.free_live(0) + Heap.free_live(0) + Heap.free_live(0),
    "realloc-aligned-moves": Heap.init(Heap.buffer_all(), Heap.map_all())
    + Heap.alloc_aligned(medium(40 * 16), power_of_two(8)) + Heap.alloc(tiny(1))
    + Heap.realloc_live(0, Heap.divided(8)) + Heap.realloc_live(0, Heap.grown(60))
    + Heap.realloc_live(0, Heap.grown(200)) + Heap.realloc_live(1, Heap.grown(100)),
    "realloc-every-pointer": QUARTERS + Heap.free_live(1)
    + b"".join(Heap.realloc(p, Heap.as_alloc(tiny(8))) for p in EVERY_HEAP_POINTER)
    + Heap.free(Heap.granule(32)) + Heap.realloc(Heap.granule(32), Heap.as_alloc(tiny(8))),
    "realloc-corrupted": QUARTERS + Heap.free_live(1) + Heap.corrupt_map(0, (1 << 30) | 1)
    + Heap.realloc(Heap.live(0), Heap.as_alloc(tiny(8))) + Heap.realloc(Heap.granule(16), Heap.as_alloc(tiny(8)))
    + Heap.realloc(Heap.null(), Heap.as_alloc(tiny(8))) + Heap.alloc_aligned(tiny(8), power_of_two(6)),
    "null-heap-aligned-realloc": HEAP_64 + Heap.alloc(tiny(1))
    + Heap.null_heap(6, Heap.live(0), tiny(8) + power_of_two(6)) + Heap.null_heap(7, Heap.live(0), tiny(8)),
}


def write(target, seeds):
    directory = os.path.join(HERE, target, "inputs")
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, "seed-" + name), "wb") as seed:
            seed.write(data)


if __name__ == "__main__":
    write("arena_fuzzer", ARENA_SEEDS)
    write("mira_mem_fuzzer", MIRA_SEEDS)
    write("pool_fuzzer", POOL_SEEDS)
    write("heap_fuzzer", HEAP_SEEDS)
