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


def write(target, seeds):
    directory = os.path.join(HERE, target, "inputs")
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, "seed-" + name), "wb") as seed:
            seed.write(data)


if __name__ == "__main__":
    write("arena_fuzzer", ARENA_SEEDS)
    write("mira_mem_fuzzer", MIRA_SEEDS)
