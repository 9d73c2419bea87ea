/*
 * Unit tests for include/veralloc/heap.h: every row of its error table (each failure with the
 * heap, its whole granule map and the bytes around its storage unchanged), the init rules, the
 * rounding of requests, splitting and coalescing, every kind of bad pointer, the statistics,
 * vera_heap_check on valid and corrupted states, and containment when the map is corrupted;
 * alloc_aligned (every power of two, invalid alignments, the padding given back) and every row of
 * realloc's table (bad pointers, invalid sizes, shrink, grow in place, move keeping the data and
 * the alignment, no memory), and every VERA_ERROR_CORRUPTED the two return.
 *
 * The tests read the granule map (vera_heap_t's fields and the tags of heap.h) only to corrupt it
 * and to compare states before and after a call; what a heap hands out is judged through the API.
 */
#include "veralloc/heap.h"

#include <stdint.h>
#include <string.h>

#include "tests/test_support.h"

#define G ((size_t)VERA_HEAP_GRANULE)
#define MAX_GRANULES 256u /* the largest heap of these tests */
#define MAP_PAD 8u        /* canary words on each side of the map */
#define BUFFER_PAD 128u   /* canary bytes on each side of the buffer */
#define MAP_CANARY 0xA5A5A5A5u
#define BUFFER_CANARY 0xC3u
#define HEAP_CANARY 0x5A5A5A5Au

/* The map with canary words on both sides. */
static vera_heap_word_t map_storage[MAP_PAD + MAX_GRANULES + MAP_PAD];
static vera_heap_word_t *const map = map_storage + MAP_PAD;

/* The buffer: 128-aligned, BUFFER_PAD canary bytes on each side (inside the same object, so that
 * pointers just before and after the buffer are defined C). */
static union {
    long double long_double_member;
    unsigned char bytes[128u + BUFFER_PAD + MAX_GRANULES * VERA_HEAP_GRANULE + BUFFER_PAD];
} buffer_storage;

/* The heap between two canary arrays: the heap must write only its own struct. */
static struct {
    uint32_t before[8];
    vera_heap_t heap;
    uint32_t after[8];
} guarded;

static unsigned char *storage_start(void)
{
    unsigned char *start = buffer_storage.bytes;
    while (!test_is_aligned(start, 128u)) {
        start++;
    }
    return start;
}

static unsigned char *buffer_start(void)
{
    return storage_start() + BUFFER_PAD;
}

/* Everything the tests own: the map and its pads, the buffer's pads, the heap's guards. */
static void fill_canaries(void)
{
    size_t i;
    for (i = 0u; i < sizeof map_storage / sizeof map_storage[0]; i++) {
        map_storage[i] = MAP_CANARY;
    }
    memset(storage_start(), BUFFER_CANARY, BUFFER_PAD + MAX_GRANULES * G + BUFFER_PAD);
    for (i = 0u; i < 8u; i++) {
        guarded.before[i] = HEAP_CANARY;
        guarded.after[i] = HEAP_CANARY;
    }
}

/* Nothing outside the heap struct, the first `granules` map words and the buffer was written. */
static int canaries_intact(size_t granules)
{
    size_t i;
    const unsigned char *pad_before = storage_start();
    const unsigned char *pad_after = buffer_start() + granules * G;
    for (i = 0u; i < MAP_PAD; i++) {
        if (map_storage[i] != MAP_CANARY) {
            return 0;
        }
    }
    for (i = MAP_PAD + granules; i < sizeof map_storage / sizeof map_storage[0]; i++) {
        if (map_storage[i] != MAP_CANARY) {
            return 0;
        }
    }
    for (i = 0u; i < BUFFER_PAD; i++) {
        if (pad_before[i] != BUFFER_CANARY) {
            return 0;
        }
    }
    for (i = 0u; i < (MAX_GRANULES * G + BUFFER_PAD) - granules * G; i++) {
        if (pad_after[i] != BUFFER_CANARY) {
            return 0;
        }
    }
    for (i = 0u; i < 8u; i++) {
        if (guarded.before[i] != HEAP_CANARY || guarded.after[i] != HEAP_CANARY) {
            return 0;
        }
    }
    return 1;
}

/* A fresh heap of `granules` granules over the test storage (canaries everywhere else). */
static vera_heap_t *fresh_heap(size_t granules)
{
    vera_heap_t *heap = &guarded.heap;
    memset(heap, 0, sizeof *heap);
    fill_canaries();
    CHECK(vera_heap_init(heap, buffer_start(), granules * G, map, granules) == VERA_OK);
    return heap;
}

/* "Unchanged": every byte of the heap struct, every map word (pads included), the buffer. */
typedef struct heap_snapshot {
    vera_heap_t heap;
    vera_heap_word_t map[sizeof map_storage / sizeof map_storage[0]];
    unsigned char buffer[sizeof buffer_storage.bytes];
} heap_snapshot_t;

static heap_snapshot_t snapshot;

static void take_snapshot(const vera_heap_t *heap)
{
    memcpy(&snapshot.heap, heap, sizeof *heap);
    memcpy(snapshot.map, map_storage, sizeof map_storage);
    memcpy(snapshot.buffer, buffer_storage.bytes, sizeof buffer_storage.bytes);
}

static int unchanged_since_snapshot(const vera_heap_t *heap)
{
    return memcmp(&snapshot.heap, heap, sizeof *heap) == 0 &&
           memcmp(snapshot.map, map_storage, sizeof map_storage) == 0 &&
           memcmp(snapshot.buffer, buffer_storage.bytes, sizeof buffer_storage.bytes) == 0;
}

/* A failed alloc changes only failed_requests (by one), last_error and largest_request. */
static int only_failure_recorded(const vera_heap_t *heap, vera_status_t why)
{
    vera_heap_t expected;
    memcpy(&expected, &snapshot.heap, sizeof expected);
    expected.failed_requests = snapshot.heap.failed_requests + 1u;
    expected.last_error = why;
    expected.largest_request = heap->largest_request;
    return memcmp(&expected, heap, sizeof expected) == 0 &&
           memcmp(snapshot.map, map_storage, sizeof map_storage) == 0 &&
           memcmp(snapshot.buffer, buffer_storage.bytes, sizeof buffer_storage.bytes) == 0 &&
           vera_heap_last_error(heap) == why;
}

/* The block size the header promises for a request: a power of two of granules, at least 4. */
static size_t rounded_block(size_t size)
{
    size_t granules = (size + G - 1u) / G;
    size_t block = VERA_HEAP_MIN_BLOCK_GRANULES;
    while (block < granules) {
        block *= 2u;
    }
    return block * G;
}

static int inside_buffer(const vera_heap_t *heap, const void *block, size_t size)
{
    uintptr_t start = (uintptr_t)buffer_start();
    uintptr_t address = (uintptr_t)block;
    size_t capacity = heap->granules * G;
    return address >= start && address - start <= capacity && size <= capacity - (address - start);
}

static vera_heap_stats_t stats_of(const vera_heap_t *heap)
{
    vera_heap_stats_t stats;
    memset(&stats, 0, sizeof stats);
    CHECK(vera_heap_get_stats(heap, &stats) == VERA_OK);
    return stats;
}

/* ---- init ------------------------------------------------------------------------------- */

static void test_init_rejects_null_pointers(void)
{
    vera_heap_t *heap = &guarded.heap;
    fill_canaries();
    memset(heap, 0x5A, sizeof *heap);
    take_snapshot(heap);
    CHECK(vera_heap_init(NULL, buffer_start(), 64u * G, map, 64u) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_heap_init(heap, NULL, 64u * G, map, 64u) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_heap_init(heap, buffer_start(), 64u * G, NULL, 64u) == VERA_ERROR_NULL_POINTER);
    /* NULL comes first in the table: before a bad size or a misaligned buffer. */
    CHECK(vera_heap_init(heap, NULL, 0u, map, 0u) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_heap_init(heap, buffer_start() + 1, 1u, NULL, 0u) == VERA_ERROR_NULL_POINTER);
    CHECK(unchanged_since_snapshot(heap));
}

static void test_init_rejects_bad_sizes(void)
{
    vera_heap_t *heap = &guarded.heap;
    fill_canaries();
    memset(heap, 0, sizeof *heap);
    take_snapshot(heap);
    /* Fewer than 4 granules (a remainder below a granule does not count). */
    CHECK(vera_heap_init(heap, buffer_start(), 0u, map, 64u) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_init(heap, buffer_start(), 3u * G, map, 64u) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_init(heap, buffer_start(), 4u * G - 1u, map, 64u) == VERA_ERROR_INVALID_SIZE);
    /* A map of fewer entries than granules. */
    CHECK(vera_heap_init(heap, buffer_start(), 64u * G, map, 63u) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_init(heap, buffer_start(), 64u * G, map, 0u) == VERA_ERROR_INVALID_SIZE);
#if SIZE_MAX > 0xFFFFFFFFu
    /* More granules than a 30-bit payload can index (nothing is read or written: the size is
     * checked first). Only a 64-bit size_t can express it. */
    CHECK(vera_heap_init(heap, buffer_start(), ((size_t)VERA_HEAP_MAX_GRANULES + 1u) * G, map,
                         SIZE_MAX) == VERA_ERROR_INVALID_SIZE);
#endif
    /* The size comes before the alignment in the table. */
    CHECK(vera_heap_init(heap, buffer_start() + 1, 3u * G, map, 64u) == VERA_ERROR_INVALID_SIZE);
    CHECK(unchanged_since_snapshot(heap));
}

static void test_init_rejects_misaligned_storage(void)
{
    vera_heap_t *heap = &guarded.heap;
    size_t offset;
    fill_canaries();
    memset(heap, 0, sizeof *heap);
    take_snapshot(heap);
    for (offset = 1u; offset < G; offset++) {
        CHECK(vera_heap_init(heap, buffer_start() + offset, 32u * G, map, 32u) ==
              VERA_ERROR_MISALIGNED);
    }
    /* A map not aligned to its words. */
    CHECK(vera_heap_init(heap, buffer_start(), 32u * G,
                         (vera_heap_word_t *)(void *)((unsigned char *)map + 2), 32u) ==
          VERA_ERROR_MISALIGNED);
    /* Misaligned and overlapping: the alignment comes first. */
    CHECK(vera_heap_init(heap, buffer_start() + 1, 32u * G,
                         (vera_heap_word_t *)(void *)(buffer_start() + 2), 32u) ==
          VERA_ERROR_MISALIGNED);
    CHECK(unchanged_since_snapshot(heap));
}

static void test_init_rejects_overlaps(void)
{
    vera_heap_t *heap = &guarded.heap;
    unsigned char *buffer = buffer_start();
    /* A heap struct inside the buffer, and a map inside the buffer or under the heap struct. */
    vera_heap_t *heap_in_buffer = (vera_heap_t *)(void *)(buffer + 8u * G);
    vera_heap_word_t *map_in_buffer = (vera_heap_word_t *)(void *)(buffer + 4u * G);
    vera_heap_word_t *map_in_heap = (vera_heap_word_t *)(void *)heap;

    fill_canaries();
    memset(heap, 0, sizeof *heap);
    memset(heap_in_buffer, 0, sizeof *heap_in_buffer);
    take_snapshot(heap);
    CHECK(vera_heap_init(heap_in_buffer, buffer, 64u * G, map, 64u) == VERA_ERROR_OVERLAP);
    CHECK(vera_heap_init(heap, buffer, 64u * G, map_in_buffer, 64u) == VERA_ERROR_OVERLAP);
    CHECK(vera_heap_init(heap, buffer, 4u * G, map_in_heap, 4u) == VERA_ERROR_OVERLAP);
    /* The buffer ends exactly where the map starts: touching is no overlap. */
    CHECK(vera_heap_init(heap, buffer, 16u * G, (vera_heap_word_t *)(void *)(buffer + 16u * G),
                         16u) == VERA_OK);
    fill_canaries();
    memset(heap, 0, sizeof *heap);
    take_snapshot(heap);
    /* One byte less of distance: the map's first word is the buffer's last granule. */
    CHECK(vera_heap_init(heap, buffer, 16u * G,
                         (vera_heap_word_t *)(void *)(buffer + 16u * G - sizeof(vera_heap_word_t)),
                         16u) == VERA_ERROR_OVERLAP);
    /* The map just below the buffer, its last word the buffer's first bytes. */
    CHECK(vera_heap_init(heap, buffer + 8u * G, 16u * G,
                         (vera_heap_word_t *)(void *)(buffer + 8u * G - 15u * sizeof(vera_heap_word_t)),
                         16u) == VERA_ERROR_OVERLAP);
    CHECK(unchanged_since_snapshot(heap));
}

static void test_init_result(void)
{
    vera_heap_t *heap = fresh_heap(100u);
    vera_heap_stats_t stats = stats_of(heap);
    CHECK(stats.capacity == 100u * G);
    CHECK(stats.allocated == 0u && stats.free_bytes == 100u * G);
    CHECK(stats.live_blocks == 0u && stats.free_blocks == 1u);
    CHECK(stats.peak_allocated == 0u && stats.largest_request == 0u && stats.failed_requests == 0u);
    CHECK(stats.metadata_bytes == 100u * sizeof(vera_heap_word_t));
    CHECK(vera_heap_last_error(heap) == VERA_OK);
    CHECK(vera_heap_check(heap));
    CHECK(canaries_intact(100u));
    /* A remainder below a granule is not used; a map longer than needed is fine. */
    memset(heap, 0, sizeof *heap);
    fill_canaries();
    CHECK(vera_heap_init(heap, buffer_start(), 20u * G + G - 1u, map, 200u) == VERA_OK);
    CHECK(stats_of(heap).capacity == 20u * G);
    CHECK(canaries_intact(20u));
    /* The smallest heap: 4 granules, one block. */
    heap = fresh_heap(4u);
    CHECK(vera_heap_alloc(heap, 1u) == buffer_start());
    CHECK(vera_heap_usable_size(heap, buffer_start()) == 4u * G);
    CHECK(vera_heap_alloc(heap, 1u) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_NO_MEMORY);
    CHECK(canaries_intact(4u));
}

static void test_init_in_use_and_reinit(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *block = vera_heap_alloc(heap, 10u);
    CHECK(block != NULL);
    take_snapshot(heap);
    CHECK(vera_heap_init(heap, buffer_start(), 64u * G, map, 64u) == VERA_ERROR_IN_USE);
    CHECK(vera_heap_init(heap, buffer_start(), 32u * G, map, 32u) == VERA_ERROR_IN_USE);
    CHECK(unchanged_since_snapshot(heap));
    /* IN_USE comes after the other checks. */
    CHECK(vera_heap_init(heap, buffer_start(), 2u * G, map, 64u) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_free(heap, block) == VERA_OK);
    /* All free: a re-init starts afresh, with another size, counters cleared. */
    (void)vera_heap_alloc(heap, 0u); /* a failure, counted */
    CHECK(vera_heap_init(heap, buffer_start(), 32u * G, map, 32u) == VERA_OK);
    CHECK(stats_of(heap).capacity == 32u * G);
    CHECK(stats_of(heap).failed_requests == 0u && stats_of(heap).peak_allocated == 0u);
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_check(heap));
    CHECK(vera_heap_alloc(heap, 32u * G) == buffer_start());
}

static void test_zero_initialised_heap(void)
{
    static vera_heap_t heap; /* zero-initialised, never initialised */
    int local = 0;
    vera_heap_stats_t stats;
    /* The contract (vera_heap_alloc, behavior invalid_size: size > capacity, which is 0) gives
     * VERA_ERROR_INVALID_SIZE; see /work/heapkit-findings.md about the header's prose. */
    CHECK(vera_heap_alloc(&heap, 1u) == NULL);
    CHECK(vera_heap_last_error(&heap) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_alloc(&heap, 0u) == NULL);
    CHECK(vera_heap_last_error(&heap) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_free(&heap, &local) == VERA_ERROR_NOT_OWNED);
    CHECK(vera_heap_free(&heap, NULL) == VERA_OK);
    CHECK(vera_heap_usable_size(&heap, &local) == 0u);
    CHECK(vera_heap_check(&heap));
    CHECK(vera_heap_get_stats(&heap, &stats) == VERA_OK);
    CHECK(stats.capacity == 0u && stats.allocated == 0u && stats.live_blocks == 0u &&
          stats.free_blocks == 0u && stats.failed_requests == 2u && stats.metadata_bytes == 0u);
}

static void test_null_heap(void)
{
    int local = 0;
    vera_heap_stats_t stats;
    vera_heap_t *heap = fresh_heap(16u);
    CHECK(vera_heap_alloc(NULL, 8u) == NULL);
    CHECK(vera_heap_free(NULL, &local) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_heap_free(NULL, NULL) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_heap_usable_size(NULL, &local) == 0u);
    CHECK(vera_heap_get_stats(NULL, &stats) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_heap_get_stats(heap, NULL) == VERA_ERROR_NULL_POINTER);
    CHECK(!vera_heap_check(NULL));
    CHECK(vera_heap_last_error(NULL) == VERA_ERROR_NULL_POINTER);
    /* A free of NULL on a real heap does nothing. */
    take_snapshot(heap);
    CHECK(vera_heap_free(heap, NULL) == VERA_OK);
    CHECK(vera_heap_usable_size(heap, NULL) == 0u);
    CHECK(unchanged_since_snapshot(heap));
}

/* ---- alloc -------------------------------------------------------------------------------- */

static void test_alloc_rounds_to_powers_of_two(void)
{
    size_t size;
    for (size = 1u; size <= 64u * G; size += (size < 4u * G + 2u) ? 1u : 7u) {
        vera_heap_t *heap = fresh_heap(64u);
        unsigned char *block = vera_heap_alloc(heap, size);
        size_t usable = vera_heap_usable_size(heap, block);
        CHECK(block != NULL);
        CHECK(usable == rounded_block(size));
        CHECK(usable >= size);
        CHECK(test_is_aligned(block, VERA_HEAP_GRANULE));
        CHECK(inside_buffer(heap, block, usable));
        CHECK(stats_of(heap).allocated == usable);
        CHECK(stats_of(heap).largest_request == size);
        if (block != NULL && inside_buffer(heap, block, usable)) {
            memset(block, 0x77, usable);
        }
        CHECK(canaries_intact(64u));
        CHECK(vera_heap_check(heap));
        CHECK(vera_heap_free(heap, block) == VERA_OK);
        CHECK(stats_of(heap).allocated == 0u && stats_of(heap).free_blocks == 1u);
    }
}

static void test_alloc_keeps_small_remainders(void)
{
    /* 67 granules: a 64-granule request leaves 3, too few for a block: the whole 67 are handed
     * out (at most 3 granules of slack). 68 granules: the 4 left over are a free block. */
    vera_heap_t *heap = fresh_heap(67u);
    unsigned char *block = vera_heap_alloc(heap, 64u * G);
    CHECK(block == buffer_start());
    CHECK(vera_heap_usable_size(heap, block) == 67u * G);
    CHECK(stats_of(heap).free_blocks == 0u && stats_of(heap).allocated == 67u * G);
    CHECK(vera_heap_alloc(heap, 1u) == NULL);
    CHECK(vera_heap_free(heap, block) == VERA_OK);
    CHECK(vera_heap_check(heap) && stats_of(heap).free_blocks == 1u);

    heap = fresh_heap(68u);
    block = vera_heap_alloc(heap, 64u * G);
    CHECK(vera_heap_usable_size(heap, block) == 64u * G);
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_alloc(heap, 4u * G) == buffer_start() + 64u * G);
    CHECK(canaries_intact(68u));
}

static void test_alloc_invalid_size(void)
{
    vera_heap_t *heap = fresh_heap(48u);
    take_snapshot(heap);
    CHECK(vera_heap_alloc(heap, 0u) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_INVALID_SIZE));
    take_snapshot(heap);
    CHECK(vera_heap_alloc(heap, 48u * G + 1u) == NULL); /* above the capacity */
    CHECK(only_failure_recorded(heap, VERA_ERROR_INVALID_SIZE));
    CHECK(stats_of(heap).largest_request == 48u * G + 1u);
    take_snapshot(heap);
    CHECK(vera_heap_alloc(heap, SIZE_MAX) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_INVALID_SIZE));
    take_snapshot(heap);
    /* Within the capacity, but it rounds to 64 granules: more than the heap has. */
    CHECK(vera_heap_alloc(heap, 33u * G) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_INVALID_SIZE));
    CHECK(stats_of(heap).failed_requests == 4u);
    /* The largest block that exists: 32 granules. */
    CHECK(vera_heap_alloc(heap, 32u * G) == buffer_start());
    CHECK(canaries_intact(48u));
}

static void test_alloc_no_memory(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *first = vera_heap_alloc(heap, 32u * G);
    unsigned char *second = vera_heap_alloc(heap, 16u * G);
    unsigned char *third;
    CHECK(first != NULL && second != NULL);
    /* 16 granules are free: a request rounded to 32 has no block, even though it is valid. */
    take_snapshot(heap);
    CHECK(vera_heap_alloc(heap, 16u * G + 1u) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_NO_MEMORY));
    /* 16 granules fit exactly. */
    third = vera_heap_alloc(heap, 16u * G);
    CHECK(third != NULL);
    take_snapshot(heap);
    CHECK(vera_heap_alloc(heap, 1u) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_NO_MEMORY));
    /* A success does not reset last_error; failures of another kind overwrite it. */
    CHECK(vera_heap_free(heap, third) == VERA_OK);
    CHECK(vera_heap_alloc(heap, 1u) != NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_NO_MEMORY);
    CHECK(vera_heap_alloc(heap, 0u) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_INVALID_SIZE);
    CHECK(stats_of(heap).failed_requests == 3u);
    CHECK(vera_heap_check(heap));
}

static void test_largest_block(void)
{
    /* 100 granules: the largest block a request can get is 64 granules. */
    vera_heap_t *heap = fresh_heap(100u);
    unsigned char *block = vera_heap_alloc(heap, 64u * G);
    CHECK(block == buffer_start());
    CHECK(vera_heap_usable_size(heap, block) == 64u * G);
    memset(block, 0x11, 64u * G);
    CHECK(vera_heap_free(heap, block) == VERA_OK);
    CHECK(vera_heap_alloc(heap, 64u * G + 1u) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_INVALID_SIZE);
    /* The whole heap when it is a power of two. */
    heap = fresh_heap(256u);
    block = vera_heap_alloc(heap, 256u * G);
    CHECK(block == buffer_start());
    CHECK(vera_heap_usable_size(heap, block) == 256u * G);
    if (block != NULL) {
        memset(block, 0x22, 256u * G);
    }
    CHECK(stats_of(heap).free_bytes == 0u && stats_of(heap).free_blocks == 0u);
    CHECK(canaries_intact(256u));
}

/* ---- free and coalescing ------------------------------------------------------------------ */

/* Four blocks of 16 granules tile a 64-granule heap: a b c d. */
static vera_heap_t *four_quarters(unsigned char *blocks[4])
{
    vera_heap_t *heap = fresh_heap(64u);
    size_t i;
    for (i = 0u; i < 4u; i++) {
        blocks[i] = vera_heap_alloc(heap, 16u * G);
        CHECK(blocks[i] == buffer_start() + i * 16u * G);
    }
    CHECK(stats_of(heap).free_blocks == 0u && stats_of(heap).live_blocks == 4u);
    return heap;
}

static void test_split_hands_out_the_rest(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *small = vera_heap_alloc(heap, 1u);
    /* 64 = 4 live + 60 free (bin of 32): the next 32-granule request takes the rest's head. */
    CHECK(small == buffer_start());
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(stats_of(heap).free_bytes == 60u * G);
    CHECK(vera_heap_alloc(heap, 32u * G) == buffer_start() + 4u * G);
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).free_bytes == 28u * G);
    CHECK(vera_heap_check(heap));
}

static void test_free_coalesces_both_sides(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_OK);
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 2u);
    /* The middle block between two free neighbours: one free block of 48 granules. */
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).live_blocks == 1u);
    CHECK(vera_heap_check(heap));
    /* Its 48 granules serve a 32-granule request from its start; the merged heads are gone. */
    CHECK(vera_heap_usable_size(heap, blocks[1]) == 0u);
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_ERROR_NOT_BLOCK_START);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_ERROR_DOUBLE_FREE);
    CHECK(vera_heap_free(heap, blocks[3]) == VERA_OK);
    /* All one block again: a request of the whole heap succeeds. */
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_alloc(heap, 64u * G) == buffer_start());
    CHECK(canaries_intact(64u));
}

static void test_free_coalesces_one_side(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    /* Right neighbour free: b merges into c's space. */
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_OK);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_check(heap));
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_ERROR_NOT_BLOCK_START);
    CHECK(vera_heap_alloc(heap, 32u * G) == blocks[1]);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    /* Left neighbour free: d merges into b..c. */
    CHECK(vera_heap_free(heap, blocks[3]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_free(heap, blocks[3]) == VERA_ERROR_NOT_BLOCK_START);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 0u);
    CHECK(vera_heap_alloc(heap, 64u * G) == buffer_start());
    CHECK(vera_heap_check(heap));
}

static void test_free_without_free_neighbours(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(vera_heap_free(heap, blocks[3]) == VERA_OK); /* the last block: no right neighbour */
    CHECK(stats_of(heap).free_blocks == 2u);
    CHECK(vera_heap_alloc(heap, 16u * G) != NULL);
    CHECK(vera_heap_alloc(heap, 16u * G) != NULL);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_OK); /* the first block: no left neighbour */
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_check(heap));
}

/* Every kind of bad pointer: the status of the table, usable_size 0, nothing changed. */
static void expect_rejected(vera_heap_t *heap, void *pointer, vera_status_t status)
{
    take_snapshot(heap);
    CHECK(vera_heap_free(heap, pointer) == status);
    CHECK(vera_heap_usable_size(heap, pointer) == 0u);
    CHECK(unchanged_since_snapshot(heap));
}

static void test_free_rejects_bad_pointers(void)
{
    static int other_object;
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    unsigned char *buffer = buffer_start();
    size_t offset;

    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    /* Outside the buffer. */
    expect_rejected(heap, &other_object, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, buffer - 1, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, buffer - G, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, buffer - BUFFER_PAD, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, buffer + 64u * G, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, buffer + 64u * G + G, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, map, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, map + 5, VERA_ERROR_NOT_OWNED);
    expect_rejected(heap, heap, VERA_ERROR_NOT_OWNED);
    /* Inside, not at a granule, or at a granule that heads no block. */
    for (offset = 1u; offset < 16u * G; offset++) {
        expect_rejected(heap, blocks[0] + offset, VERA_ERROR_NOT_BLOCK_START);
        expect_rejected(heap, blocks[1] + offset, VERA_ERROR_NOT_BLOCK_START);
    }
    /* A free block's start: double free. */
    expect_rejected(heap, blocks[1], VERA_ERROR_DOUBLE_FREE);
    /* A block merged away: b and c merge; c's start is no head any more. */
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_OK);
    expect_rejected(heap, blocks[2], VERA_ERROR_NOT_BLOCK_START);
    expect_rejected(heap, blocks[1], VERA_ERROR_DOUBLE_FREE);
    /* The live blocks are untouched by all this. */
    CHECK(vera_heap_usable_size(heap, blocks[0]) == 16u * G);
    CHECK(vera_heap_usable_size(heap, blocks[3]) == 16u * G);
    CHECK(vera_heap_check(heap));
    CHECK(canaries_intact(64u));
}

/* ---- statistics ----------------------------------------------------------------------------- */

static void test_get_stats(void)
{
    vera_heap_t *heap = fresh_heap(128u);
    unsigned char *a = vera_heap_alloc(heap, 5u * G);   /* 8 granules */
    unsigned char *b = vera_heap_alloc(heap, 20u * G);  /* 32 granules */
    unsigned char *c = vera_heap_alloc(heap, 1u);       /* 4 granules */
    vera_heap_stats_t stats = stats_of(heap);
    CHECK(a != NULL && b != NULL && c != NULL);
    CHECK(stats.capacity == 128u * G);
    CHECK(stats.allocated == 44u * G);
    CHECK(stats.free_bytes == 84u * G);
    CHECK(stats.peak_allocated == 44u * G);
    CHECK(stats.largest_request == 20u * G);
    CHECK(stats.failed_requests == 0u);
    CHECK(stats.live_blocks == 3u);
    CHECK(stats.metadata_bytes == 128u * sizeof(vera_heap_word_t));
    CHECK(vera_heap_free(heap, b) == VERA_OK);
    CHECK(vera_heap_alloc(heap, 1000u * G) == NULL);
    stats = stats_of(heap);
    CHECK(stats.allocated == 12u * G && stats.peak_allocated == 44u * G);
    CHECK(stats.largest_request == 1000u * G && stats.failed_requests == 1u);
    CHECK(stats.live_blocks == 2u);
    CHECK(stats.allocated + stats.free_bytes == stats.capacity);
}

/* ---- a random sequence, checked against the blocks the test holds --------------------------- */

#define RANDOM_GRANULES 256u
#define RANDOM_LIVE_MAX 64u

typedef struct live_block {
    unsigned char *start;
    size_t usable;
    unsigned char pattern;
} live_block_t;

static live_block_t live[RANDOM_LIVE_MAX];
static size_t live_count;
static uint32_t random_state = 12345u;

static uint32_t next_random(void)
{
    random_state = random_state * 1103515245u + 12345u;
    return random_state >> 8;
}

static int pattern_intact(const live_block_t *block)
{
    size_t i;
    for (i = 0u; i < block->usable; i++) {
        if (block->start[i] != (unsigned char)(block->pattern + i)) {
            return 0;
        }
    }
    return 1;
}

/* The free runs between the live blocks (in granules), sorted out from the blocks the test holds:
 * with complete coalescing each run is exactly one free block. Returns how many; *largest gets
 * the longest. */
static size_t free_runs(size_t granules, size_t *largest)
{
    size_t runs = 0u;
    size_t position = 0u;
    *largest = 0u;
    while (position < granules) {
        size_t i;
        size_t next_start = granules;
        int covered = 0;
        for (i = 0u; i < live_count; i++) {
            size_t start = (size_t)(live[i].start - buffer_start()) / G;
            if (start == position) {
                position += live[i].usable / G;
                covered = 1;
                break;
            }
            if (start > position && start < next_start) {
                next_start = start;
            }
        }
        if (!covered) {
            runs++;
            if (next_start - position > *largest) {
                *largest = next_start - position;
            }
            position = next_start;
        }
    }
    return runs;
}

static void check_against_live_blocks(const vera_heap_t *heap)
{
    vera_heap_stats_t stats = stats_of(heap);
    size_t allocated = 0u;
    size_t largest;
    size_t i;
    for (i = 0u; i < live_count; i++) {
        allocated += live[i].usable;
    }
    CHECK(vera_heap_check(heap));
    CHECK(stats.allocated == allocated);
    CHECK(stats.live_blocks == live_count);
    CHECK(stats.free_blocks == free_runs(RANDOM_GRANULES, &largest));
}

static void test_check_after_every_operation(void)
{
    vera_heap_t *heap = fresh_heap(RANDOM_GRANULES);
    size_t step;
    size_t i;
    live_count = 0u;
    for (step = 0u; step < 20000u; step++) {
        if (live_count < RANDOM_LIVE_MAX && (live_count == 0u || next_random() % 100u < 55u)) {
            size_t size = 1u + next_random() % ((next_random() % 8u == 0u) ? 64u * G : 8u * G);
            size_t largest;
            size_t rounded = rounded_block(size) / G;
            unsigned char *block;
            (void)free_runs(RANDOM_GRANULES, &largest);
            block = vera_heap_alloc(heap, size);
            if (block == NULL) {
                /* The success guarantee: fails only if no free block of the rounded size. */
                CHECK(vera_heap_last_error(heap) == VERA_ERROR_NO_MEMORY);
                CHECK(largest < rounded);
            } else {
                live[live_count].start = block;
                live[live_count].usable = vera_heap_usable_size(heap, block);
                live[live_count].pattern = (unsigned char)next_random();
                CHECK(live[live_count].usable >= size && live[live_count].usable / G >= rounded &&
                      live[live_count].usable / G < rounded + VERA_HEAP_MIN_BLOCK_GRANULES);
                CHECK(test_is_aligned(block, VERA_HEAP_GRANULE));
                CHECK(inside_buffer(heap, block, live[live_count].usable));
                for (i = 0u; i < live[live_count].usable; i++) {
                    block[i] = (unsigned char)(live[live_count].pattern + i);
                }
                live_count++;
            }
        } else {
            size_t victim = next_random() % live_count;
            CHECK(pattern_intact(&live[victim]));
            CHECK(vera_heap_free(heap, live[victim].start) == VERA_OK);
            CHECK(vera_heap_free(heap, live[victim].start) == VERA_ERROR_DOUBLE_FREE ||
                  vera_heap_free(heap, live[victim].start) == VERA_ERROR_NOT_BLOCK_START);
            live[victim] = live[live_count - 1u];
            live_count--;
        }
        check_against_live_blocks(heap);
    }
    for (i = 0u; i < live_count; i++) {
        CHECK(pattern_intact(&live[i]));
        CHECK(vera_heap_free(heap, live[i].start) == VERA_OK);
    }
    live_count = 0u;
    check_against_live_blocks(heap);
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(canaries_intact(RANDOM_GRANULES));
}

/* ---- vera_heap_check on corrupted states -------------------------------------------------- */

/* A heap with free blocks in two bins (4 granules at 4, 52 at 12) and live blocks. */
static vera_heap_t *mixed_heap(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *a = vera_heap_alloc(heap, 1u);
    unsigned char *b = vera_heap_alloc(heap, 1u);
    unsigned char *c = vera_heap_alloc(heap, 8u * G);
    CHECK(a != NULL && b != NULL && c != NULL);
    CHECK(vera_heap_free(heap, b) == VERA_OK);
    CHECK(vera_heap_check(heap));
    CHECK(stats_of(heap).free_blocks == 2u);
    return heap;
}

static uint32_t lowest_bin(const vera_heap_t *heap)
{
    uint32_t bin = 0u;
    while (bin < VERA_HEAP_BINS && heap->bin_head[bin] == VERA_HEAP_NIL) {
        bin++;
    }
    return bin;
}

static void test_check_detects_corruption(void)
{
    vera_heap_t *heap = mixed_heap();
    vera_heap_t saved = *heap;
    uint32_t bin = lowest_bin(heap);
    uint32_t head;
    uint32_t empty_bin = 0u;
    CHECK(bin < VERA_HEAP_BINS);
    head = heap->bin_head[bin];
    while (heap->bin_head[empty_bin] != VERA_HEAP_NIL) {
        empty_bin++;
    }

    /* The bitmap: a bit for an empty bin, a bit missing for a non-empty one. */
    heap->nonempty |= 1u << empty_bin;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->nonempty &= ~(1u << bin);
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    /* A bit above the bins (30 and 31 have no bin; alloc would report them as corrupted). */
    heap->nonempty |= 1u << VERA_HEAP_BINS;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->nonempty |= 1u << 31u;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    /* A bin head out of range, at a live block, at a granule that heads nothing, in the wrong
     * bin, not first in its list. */
    heap->bin_head[bin] = 64u;
    CHECK(!vera_heap_check(heap));
    heap->bin_head[bin] = 0u; /* the live block a */
    CHECK(!vera_heap_check(heap));
    heap->bin_head[bin] = head + 1u;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->bin_head[bin + 1u] = head;
    heap->nonempty |= 1u << (bin + 1u);
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    map[head + 2u] = VERA_HEAP_TAG_LINK * VERA_HEAP_TAG_UNIT + 0u;
    CHECK(!vera_heap_check(heap));
    map[head + 2u] = VERA_HEAP_TAG_LINK * VERA_HEAP_TAG_UNIT + VERA_HEAP_NIL;
    CHECK(vera_heap_check(heap));
    /* The head's size: too small, past the end, another class. */
    map[head] = VERA_HEAP_TAG_FREE * VERA_HEAP_TAG_UNIT + 2u;
    CHECK(!vera_heap_check(heap));
    map[head] = VERA_HEAP_TAG_FREE * VERA_HEAP_TAG_UNIT + 64u;
    CHECK(!vera_heap_check(heap));
    map[head] = VERA_HEAP_TAG_FREE * VERA_HEAP_TAG_UNIT + 8u; /* bin 3, in bin 2's list */
    CHECK(!vera_heap_check(heap));
    map[head] = VERA_HEAP_TAG_FREE * VERA_HEAP_TAG_UNIT + 4u;
    CHECK(vera_heap_check(heap));
    /* The counters. */
    heap->allocated += 1u;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->peak_allocated = heap->allocated - G;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->peak_allocated = heap->capacity + G;
    heap->allocated = heap->capacity + G;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->live_blocks = heap->granules + 1u;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->free_blocks = heap->granules + 1u;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    heap->base = NULL;
    CHECK(!vera_heap_check(heap));
    *heap = saved;
    CHECK(vera_heap_check(heap));
}

/* ---- corrupted map words: contained ----------------------------------------------------------- */

#define WORD(tag, payload) ((vera_heap_word_t)((tag) * VERA_HEAP_TAG_UNIT + (payload)))

static void test_corrupted_map_reported(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *a;
    /* The only free block's head made LIVE: the bin's head is no free block. */
    map[0] = WORD(VERA_HEAP_TAG_LIVE, 64u);
    CHECK(vera_heap_alloc(heap, 1u) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    CHECK(stats_of(heap).failed_requests == 1u);
    CHECK(canaries_intact(64u));

    /* A free block's next link out of range: alloc cannot unlink it. */
    heap = fresh_heap(64u);
    a = vera_heap_alloc(heap, 1u);
    CHECK(a == buffer_start());
    map[4u + 1u] = WORD(VERA_HEAP_TAG_LINK, 1000u);
    CHECK(vera_heap_alloc(heap, 1u) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    /* free meets the same link when it merges a with its right neighbour. */
    CHECK(vera_heap_free(heap, a) == VERA_ERROR_CORRUPTED);
    CHECK(canaries_intact(64u));

    /* A free block's size past the end of the heap. */
    heap = fresh_heap(64u);
    a = vera_heap_alloc(heap, 1u);
    map[4u] = WORD(VERA_HEAP_TAG_FREE, 61u);
    CHECK(vera_heap_free(heap, a) == VERA_ERROR_CORRUPTED);
    CHECK(vera_heap_alloc(heap, 1u) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    CHECK(canaries_intact(64u));

    /* A live head whose size reaches past the end: free and usable_size refuse it. */
    heap = fresh_heap(64u);
    a = vera_heap_alloc(heap, 1u);
    map[0] = WORD(VERA_HEAP_TAG_LIVE, 65u);
    CHECK(vera_heap_usable_size(heap, a) == 0u);
    CHECK(vera_heap_free(heap, a) == VERA_ERROR_CORRUPTED);
    map[0] = WORD(VERA_HEAP_TAG_LIVE, 1u);
    CHECK(vera_heap_usable_size(heap, a) == 0u);
    CHECK(vera_heap_free(heap, a) == VERA_ERROR_CORRUPTED);
    CHECK(canaries_intact(64u));
}

/* Counters of the struct corrupted: alloc and free notice before they write. */
static void test_corrupted_counters_reported(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *a = vera_heap_alloc(heap, 1u);
    size_t saved;
    CHECK(a != NULL);
    /* alloc: no room in the counters for another live block, or for its bytes. */
    saved = heap->live_blocks;
    heap->live_blocks = heap->granules;
    CHECK(vera_heap_alloc(heap, 1u) == NULL && vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    heap->live_blocks = saved;
    saved = heap->allocated;
    heap->allocated = heap->capacity;
    CHECK(vera_heap_alloc(heap, 1u) == NULL && vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    heap->allocated = saved;
    /* alloc: no free block counted, yet one in a bin. */
    saved = heap->free_blocks;
    heap->free_blocks = 0u;
    CHECK(vera_heap_alloc(heap, 1u) == NULL && vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    heap->free_blocks = saved;
    CHECK(canaries_intact(64u));
    /* free without free neighbours: as many free blocks counted as granules (no room for one more). */
    {
        unsigned char *blocks[4];
        heap = four_quarters(blocks);
        heap->free_blocks = heap->granules;
        CHECK(vera_heap_free(heap, blocks[1]) == VERA_ERROR_CORRUPTED);
        heap->free_blocks = 0u;
        CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
        CHECK(canaries_intact(64u));
    }

    /* free: no live block counted, or fewer bytes allocated than the block has. */
    heap = fresh_heap(64u);
    a = vera_heap_alloc(heap, 1u);
    heap->live_blocks = 0u;
    CHECK(vera_heap_free(heap, a) == VERA_ERROR_CORRUPTED);
    heap->live_blocks = 1u;
    heap->allocated = G;
    CHECK(vera_heap_free(heap, a) == VERA_ERROR_CORRUPTED);
    heap->allocated = 4u * G;
    CHECK(vera_heap_free(heap, a) == VERA_OK);
    CHECK(canaries_intact(64u));
}

/* The back-link before a block corrupted: free does not merge through it, and stays inside. */
static void test_corrupted_back_link_not_followed(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_OK);
    /* Granule 15 is a's back-link; point it at b itself, then make it no link at all. */
    map[15] = WORD(VERA_HEAP_TAG_LINK, 16u);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 2u); /* a and b not merged: the link was not believed */
    heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_OK);
    map[15] = WORD(VERA_HEAP_TAG_OTHER, 0u);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 2u);
    CHECK(canaries_intact(64u));
}

/* A heap of more than 2^16 granules: sizes and classes above 16 bits. */
#define LARGE_GRANULES 70000u
static vera_heap_word_t large_map[LARGE_GRANULES];
static union {
    long double long_double_member;
    unsigned char bytes[LARGE_GRANULES * VERA_HEAP_GRANULE];
} large_buffer;

static void test_large_heap(void)
{
    static vera_heap_t heap;
    unsigned char *big;
    unsigned char *small;
    CHECK(vera_heap_init(&heap, large_buffer.bytes, sizeof large_buffer.bytes, large_map, LARGE_GRANULES) ==
          VERA_OK);
    big = vera_heap_alloc(&heap, 65536u * G);           /* 2^16 granules */
    CHECK(big == large_buffer.bytes);
    CHECK(vera_heap_usable_size(&heap, big) == 65536u * G);
    CHECK(vera_heap_alloc(&heap, 65536u * G + 1u) == NULL); /* rounds to 2^17 > 70000 */
    CHECK(vera_heap_last_error(&heap) == VERA_ERROR_INVALID_SIZE);
    small = vera_heap_alloc(&heap, 1u);
    CHECK(small == large_buffer.bytes + 65536u * G);
    CHECK(vera_heap_free(&heap, big) == VERA_OK);
    CHECK(vera_heap_free(&heap, small) == VERA_OK);
    CHECK(stats_of(&heap).free_blocks == 1u && stats_of(&heap).allocated == 0u);
    CHECK(vera_heap_check(&heap));
}

/* The builds a corruption starts from: live and free blocks in several bins. */
static vera_heap_t *corruption_base(unsigned char *blocks[3])
{
    vera_heap_t *heap = fresh_heap(32u);
    unsigned char *middle;
    blocks[0] = vera_heap_alloc(heap, 1u);      /* granules 0..3 */
    middle = vera_heap_alloc(heap, 5u * G);     /* 8..15 (4..7 free) ... */
    blocks[1] = vera_heap_alloc(heap, 1u);      /* 4..7 */
    blocks[2] = vera_heap_alloc(heap, 4u * G);  /* 16..19 */
    CHECK(vera_heap_free(heap, middle) == VERA_OK);
    return heap;
}

/* After any corruption, whatever alloc and free answer, every block handed out lies in the buffer
 * and the heap writes nothing outside its struct, its map and the buffer. */
static void test_corrupted_map_contained(void)
{
    static const vera_heap_word_t values[] = {
        WORD(VERA_HEAP_TAG_OTHER, 0u),       WORD(VERA_HEAP_TAG_LIVE, 4u),
        WORD(VERA_HEAP_TAG_LIVE, 1u),        WORD(VERA_HEAP_TAG_LIVE, 31u),
        WORD(VERA_HEAP_TAG_LIVE, 1000u),     WORD(VERA_HEAP_TAG_FREE, 0u),
        WORD(VERA_HEAP_TAG_FREE, 4u),        WORD(VERA_HEAP_TAG_FREE, 8u),
        WORD(VERA_HEAP_TAG_FREE, 16u),       WORD(VERA_HEAP_TAG_FREE, 32u),
        WORD(VERA_HEAP_TAG_FREE, 33u),       WORD(VERA_HEAP_TAG_FREE, VERA_HEAP_NIL),
        WORD(VERA_HEAP_TAG_LINK, 0u),        WORD(VERA_HEAP_TAG_LINK, 4u),
        WORD(VERA_HEAP_TAG_LINK, 8u),        WORD(VERA_HEAP_TAG_LINK, 20u),
        WORD(VERA_HEAP_TAG_LINK, 29u),       WORD(VERA_HEAP_TAG_LINK, 31u),
        WORD(VERA_HEAP_TAG_LINK, 32u),       WORD(VERA_HEAP_TAG_LINK, VERA_HEAP_NIL),
        0xFFFFFFFFu,
    };
    size_t granule;
    size_t value;
    size_t step;
    int all_inside = 1;
    int all_statuses_documented = 1;
    int all_canaries_intact = 1;

    for (granule = 0u; granule < 32u; granule++) {
        for (value = 0u; value < sizeof values / sizeof values[0]; value++) {
            unsigned char *blocks[3];
            unsigned char *handed[12];
            size_t handed_count = 0u;
            vera_heap_t *heap = corruption_base(blocks);
            map[granule] = values[value];
            for (step = 0u; step < 12u; step++) {
                vera_status_t status;
                unsigned char *block = vera_heap_alloc(heap, (step % 3u == 0u) ? 1u : step * G);
                if (block != NULL) {
                    size_t usable = vera_heap_usable_size(heap, block);
                    if (!inside_buffer(heap, block, usable == 0u ? 1u : usable) ||
                        !test_is_aligned(block, VERA_HEAP_GRANULE)) {
                        all_inside = 0;
                    } else {
                        handed[handed_count++] = block;
                    }
                } else if (vera_heap_last_error(heap) != VERA_ERROR_NO_MEMORY &&
                           vera_heap_last_error(heap) != VERA_ERROR_INVALID_SIZE &&
                           vera_heap_last_error(heap) != VERA_ERROR_CORRUPTED) {
                    all_statuses_documented = 0;
                }
                status = vera_heap_free(heap, (step < 3u) ? blocks[step]
                                                          : (handed_count > 0u ? handed[step % handed_count]
                                                                               : NULL));
                if (status != VERA_OK && status != VERA_ERROR_NOT_BLOCK_START &&
                    status != VERA_ERROR_DOUBLE_FREE && status != VERA_ERROR_CORRUPTED) {
                    all_statuses_documented = 0;
                }
                (void)vera_heap_check(heap);
            }
            if (!canaries_intact(32u)) {
                all_canaries_intact = 0;
            }
        }
    }
    CHECK(all_inside);
    CHECK(all_statuses_documented);
    CHECK(all_canaries_intact);
}

/* The bins and the bitmap corrupted: the same containment. */
static void test_corrupted_bins_contained(void)
{
    static const uint32_t heads[] = {0u, 1u, 4u, 8u, 16u, 20u, 28u, 31u, 32u, 1000u, VERA_HEAP_NIL};
    size_t bin;
    size_t head;
    size_t bit;
    int all_inside = 1;
    int all_canaries_intact = 1;

    for (bin = 0u; bin < VERA_HEAP_BINS; bin++) {
        for (head = 0u; head < sizeof heads / sizeof heads[0]; head++) {
            for (bit = 0u; bit < 32u; bit += 3u) {
                unsigned char *blocks[3];
                vera_heap_t *heap = corruption_base(blocks);
                size_t step;
                heap->bin_head[bin] = heads[head];
                heap->nonempty ^= 1u << bit;
                for (step = 0u; step < 6u; step++) {
                    unsigned char *block = vera_heap_alloc(heap, (step + 1u) * G);
                    if (block != NULL &&
                        (!inside_buffer(heap, block, G) || !test_is_aligned(block, VERA_HEAP_GRANULE))) {
                        all_inside = 0;
                    }
                    if (step < 3u) {
                        (void)vera_heap_free(heap, blocks[step]);
                    }
                }
                if (!canaries_intact(32u)) {
                    all_canaries_intact = 0;
                }
            }
        }
    }
    CHECK(all_inside);
    CHECK(all_canaries_intact);
}

/* ---- alloc_aligned ------------------------------------------------------------------------ */

/* A heap for the alignment tests: ALIGNED_GRANULES granules on a buffer aligned to 8192 bytes,
 * so that where the padding falls depends only on the alignment asked and the blocks before. */
#define ALIGNED_GRANULES 2048u
#define ALIGNED_BASE 8192u
static vera_heap_word_t aligned_map[ALIGNED_GRANULES];
static union {
    long double long_double_member;
    unsigned char bytes[ALIGNED_BASE + ALIGNED_GRANULES * VERA_HEAP_GRANULE];
} aligned_storage;
static vera_heap_t aligned_heap;

static unsigned char *aligned_buffer(void)
{
    unsigned char *start = aligned_storage.bytes;
    while (!test_is_aligned(start, ALIGNED_BASE)) {
        start++;
    }
    return start;
}

/* The heap over the aligned buffer, or (shift 1 to 3) over the buffer from `shift` granules on,
 * 4 granules shorter: then no block head is aligned to more than the granule. */
static vera_heap_t *aligned_heap_at(size_t shift)
{
    size_t granules = ALIGNED_GRANULES - (shift == 0u ? 0u : VERA_HEAP_MIN_BLOCK_GRANULES);
    memset(&aligned_heap, 0, sizeof aligned_heap);
    CHECK(vera_heap_init(&aligned_heap, aligned_buffer() + shift * G, granules * G, aligned_map,
                         ALIGNED_GRANULES) == VERA_OK);
    return &aligned_heap;
}

static vera_heap_t *fresh_aligned_heap(void)
{
    return aligned_heap_at(0u);
}

/* The least power of two at or above `value`. */
static size_t power_at_or_above(size_t value)
{
    size_t power = 1u;
    while (power < value) {
        power *= 2u;
    }
    return power;
}

/* Whether alloc_aligned(size, alignment) can be served from a free block of `free_granules`
 * granules, by the header's rule: the search asks for a block with room for the rounded request
 * and up to alignment / VERA_HEAP_GRANULE + 3 granules of padding, rounded to a power of two. */
static int aligned_fits(size_t size, size_t alignment, size_t free_granules)
{
    size_t block = rounded_block(size) / G;
    if (alignment <= G) {
        return block <= free_granules;
    }
    return power_at_or_above(block + alignment / G + VERA_HEAP_MIN_BLOCK_GRANULES - 1u) <= free_granules;
}

/* Every power of two from 1 to twice the capacity, from the buffer's start and after a plain
 * block of 4 to 64 granules (which puts the free block's head at every kind of misalignment):
 * the block is aligned, at least the size, inside the buffer, the padding before it is a free
 * block of its own, and freeing it leaves one free block. */
static void test_alloc_aligned_every_power_of_two(void)
{
    static const size_t sizes[] = {1u, 3u * VERA_HEAP_GRANULE + 1u, 40u * VERA_HEAP_GRANULE};
    size_t alignment;
    size_t shift;
    size_t lead;
    size_t s;
    size_t i;
    for (alignment = 1u; alignment <= 2u * ALIGNED_GRANULES * G; alignment *= 2u) {
        for (shift = 0u; shift < VERA_HEAP_MIN_BLOCK_GRANULES; shift++) {
            for (lead = 0u; lead <= 64u; lead = (lead == 0u) ? 4u : lead * 2u) {
                for (s = 0u; s < sizeof sizes / sizeof sizes[0]; s++) {
                    vera_heap_t *heap = aligned_heap_at(shift);
                    unsigned char *start = aligned_buffer() + shift * G;
                    size_t granules = heap->granules;
                    unsigned char *first = (lead == 0u) ? NULL : vera_heap_alloc(heap, lead * G);
                    unsigned char *block = vera_heap_alloc_aligned(heap, sizes[s], alignment);
                    vera_heap_stats_t stats = stats_of(heap);
                    size_t usable = vera_heap_usable_size(heap, block);
                    size_t offset = (size_t)(block - start);
                    CHECK(lead == 0u || first == start);
                    if (alignment > granules * G || !aligned_fits(sizes[s], alignment, granules - lead)) {
                        /* Invalid when no block of this heap could ever hold it, else no memory. */
                        CHECK(block == NULL);
                        CHECK(vera_heap_last_error(heap) ==
                              ((alignment > granules * G || !aligned_fits(sizes[s], alignment, granules))
                                   ? VERA_ERROR_INVALID_SIZE
                                   : VERA_ERROR_NO_MEMORY));
                        CHECK(stats.failed_requests == 1u && stats.live_blocks == (lead == 0u ? 0u : 1u));
                        continue;
                    }
                    CHECK(block != NULL);
                    if (block == NULL) {
                        continue;
                    }
                    CHECK(test_is_aligned(block, alignment > G ? alignment : G));
                    CHECK(usable >= sizes[s] && usable >= rounded_block(sizes[s]) &&
                          usable < rounded_block(sizes[s]) + VERA_HEAP_MIN_BLOCK_GRANULES * G);
                    CHECK(block >= start + lead * G && offset + usable <= granules * G);
                    /* The granules skipped for the alignment: none, or a free block of 4 or more,
                     * fewer than alignment / granule + 4. */
                    CHECK(offset == lead * G || offset >= (lead + VERA_HEAP_MIN_BLOCK_GRANULES) * G);
                    CHECK(offset < (lead + (alignment > G ? alignment / G : 0u) + VERA_HEAP_MIN_BLOCK_GRANULES) * G);
                    CHECK(stats.free_blocks == (offset != lead * G ? 1u : 0u) +
                                                   (offset + usable < granules * G ? 1u : 0u));
                    CHECK(stats.allocated == lead * G + usable && stats.live_blocks == (lead == 0u ? 1u : 2u));
                    CHECK(stats.failed_requests == 0u && stats.largest_request >= sizes[s]);
                    for (i = 0u; i < usable; i++) {
                        block[i] = (unsigned char)i;
                    }
                    CHECK(vera_heap_check(heap));
                    CHECK(vera_heap_free(heap, block) == VERA_OK);
                    CHECK(vera_heap_free(heap, first) == VERA_OK);
                    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 0u);
                    CHECK(vera_heap_check(heap));
                }
            }
        }
    }
}

/* An alignment of VERA_HEAP_GRANULE or less is plain alloc: the same block, the same counters. */
static void test_alloc_aligned_small_alignment_is_alloc(void)
{
    size_t alignment;
    for (alignment = 1u; alignment <= G; alignment *= 2u) {
        vera_heap_t *heap = fresh_heap(64u);
        unsigned char *a = vera_heap_alloc(heap, 3u * G);
        unsigned char *b = vera_heap_alloc_aligned(heap, 5u * G, alignment);
        CHECK(a == buffer_start() && b == buffer_start() + 4u * G);
        CHECK(vera_heap_usable_size(heap, b) == 8u * G);
        CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 12u * G);
        CHECK(canaries_intact(64u));
    }
}

/* Every invalid request: NULL, counted, VERA_ERROR_INVALID_SIZE, nothing else changed. */
static void test_alloc_aligned_invalid(void)
{
    static vera_heap_t never_initialised;
    /* On a heap of 64 granules: alignments that are no power of two (0, 3 granules...), powers of
     * two above the capacity, the capacity itself (valid, but no block has room for the padding),
     * size 0 and sizes above the capacity with a good alignment. */
    static const struct {
        size_t size;
        size_t alignment;
    } requests[] = {
        {8u, 0u}, {8u, 3u}, {8u, 5u}, {8u, 6u}, {8u, 7u}, {8u, 12u}, {8u, 24u}, {8u, 100u},
        {8u, 1000u}, {8u, SIZE_MAX}, {8u, SIZE_MAX / 2u}, {8u, SIZE_MAX / 2u + 1u},
        {8u, 3u * VERA_HEAP_GRANULE}, {8u, 128u * VERA_HEAP_GRANULE}, {8u, 64u * VERA_HEAP_GRANULE},
        {0u, 2u * VERA_HEAP_GRANULE}, {SIZE_MAX, 4u * VERA_HEAP_GRANULE},
        {64u * VERA_HEAP_GRANULE + 1u, VERA_HEAP_GRANULE},
    };
    vera_heap_t *heap = fresh_heap(64u);
    size_t i;
    unsigned char *a = vera_heap_alloc(heap, 1u);
    CHECK(a != NULL);
    for (i = 0u; i < sizeof requests / sizeof requests[0]; i++) {
        take_snapshot(heap);
        CHECK(vera_heap_alloc_aligned(heap, requests[i].size, requests[i].alignment) == NULL);
        CHECK(only_failure_recorded(heap, VERA_ERROR_INVALID_SIZE));
    }
    CHECK(stats_of(heap).largest_request == SIZE_MAX);
    CHECK(stats_of(heap).failed_requests == 18u);
    CHECK(canaries_intact(64u));
    /* A NULL heap; a heap never initialised (capacity 0: every request is invalid). */
    CHECK(vera_heap_alloc_aligned(NULL, 8u, 16u) == NULL);
    CHECK(vera_heap_alloc_aligned(&never_initialised, 8u, 1u) == NULL);
    CHECK(vera_heap_last_error(&never_initialised) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_alloc_aligned(&never_initialised, 8u, 4096u) == NULL);
    CHECK(vera_heap_alloc_aligned(&never_initialised, 0u, 0u) == NULL);
    CHECK(stats_of(&never_initialised).failed_requests == 3u);
    CHECK(stats_of(&never_initialised).capacity == 0u && vera_heap_check(&never_initialised));
}

/* No free block with room for the block and its padding: VERA_ERROR_NO_MEMORY, nothing changed. */
static void test_alloc_aligned_no_memory(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_OK); /* 16 granules free at granule 32 */
    /* A plain 8-granule request fits, but 8 + 8 + 3 granules (alignment 8 granules) do not. */
    take_snapshot(heap);
    CHECK(vera_heap_alloc_aligned(heap, 8u * G, 8u * G) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_NO_MEMORY));
    CHECK(vera_heap_alloc_aligned(heap, 8u * G, G) == blocks[2]);
    CHECK(canaries_intact(64u));
}

/* ---- realloc ---------------------------------------------------------------------------- */

static void fill_pattern(unsigned char *block, size_t bytes, unsigned char seed)
{
    size_t i;
    for (i = 0u; i < bytes; i++) {
        block[i] = (unsigned char)(seed + i * 7u);
    }
}

static int pattern_kept(const unsigned char *block, size_t bytes, unsigned char seed)
{
    size_t i;
    for (i = 0u; i < bytes; i++) {
        if (block[i] != (unsigned char)(seed + i * 7u)) {
            return 0;
        }
    }
    return 1;
}

/* realloc refuses: NULL, counted, last error `why`, nothing else changed (the struct but its
 * failure counters, the whole map, the buffer); get_stats and check answer as before. */
static void expect_realloc_refused(vera_heap_t *heap, void *block, size_t size, vera_status_t why)
{
    vera_heap_stats_t before = stats_of(heap);
    vera_heap_stats_t after;
    int valid_before = vera_heap_check(heap);
    take_snapshot(heap);
    CHECK(vera_heap_realloc(heap, block, size) == NULL);
    CHECK(only_failure_recorded(heap, why));
    after = stats_of(heap);
    CHECK(after.failed_requests == before.failed_requests + 1u);
    CHECK(after.largest_request == (size > before.largest_request ? size : before.largest_request));
    after.failed_requests = before.failed_requests;
    after.largest_request = before.largest_request;
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(vera_heap_check(heap) == valid_before);
}

static void test_realloc_null_heap_and_null_block(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *block;
    int local = 0;
    CHECK(vera_heap_realloc(NULL, NULL, 8u) == NULL);
    CHECK(vera_heap_realloc(NULL, &local, 8u) == NULL);
    /* NULL block: vera_heap_alloc (the same block, the same failures). */
    block = vera_heap_realloc(heap, NULL, 5u * G);
    CHECK(block == buffer_start() && vera_heap_usable_size(heap, block) == 8u * G);
    CHECK(stats_of(heap).live_blocks == 1u && stats_of(heap).largest_request == 5u * G);
    take_snapshot(heap);
    CHECK(vera_heap_realloc(heap, NULL, 0u) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_INVALID_SIZE));
    take_snapshot(heap);
    CHECK(vera_heap_realloc(heap, NULL, 64u * G) == NULL);
    CHECK(only_failure_recorded(heap, VERA_ERROR_NO_MEMORY));
    CHECK(canaries_intact(64u));
}

/* Every bad pointer: free's status, as last error, with nothing changed; the table's order puts
 * the pointer before the size. */
static void test_realloc_rejects_bad_pointers(void)
{
    static int other_object;
    static vera_heap_t never_initialised;
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    unsigned char *buffer = buffer_start();
    static const size_t sizes[] = {1u, 16u * G, 40u * G, 0u, SIZE_MAX};
    size_t s;
    size_t offset;

    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    for (s = 0u; s < sizeof sizes / sizeof sizes[0]; s++) {
        expect_realloc_refused(heap, &other_object, sizes[s], VERA_ERROR_NOT_OWNED);
        expect_realloc_refused(heap, buffer - 1, sizes[s], VERA_ERROR_NOT_OWNED);
        expect_realloc_refused(heap, buffer - G, sizes[s], VERA_ERROR_NOT_OWNED);
        expect_realloc_refused(heap, buffer + 64u * G, sizes[s], VERA_ERROR_NOT_OWNED);
        expect_realloc_refused(heap, map, sizes[s], VERA_ERROR_NOT_OWNED);
        expect_realloc_refused(heap, heap, sizes[s], VERA_ERROR_NOT_OWNED);
        expect_realloc_refused(heap, blocks[0] + 1, sizes[s], VERA_ERROR_NOT_BLOCK_START);
        expect_realloc_refused(heap, blocks[0] + G, sizes[s], VERA_ERROR_NOT_BLOCK_START);
        expect_realloc_refused(heap, blocks[3] + 16u * G - 1u, sizes[s], VERA_ERROR_NOT_BLOCK_START);
        expect_realloc_refused(heap, blocks[1], sizes[s], VERA_ERROR_DOUBLE_FREE); /* freed */
    }
    for (offset = 1u; offset < 16u * G; offset++) {
        expect_realloc_refused(heap, blocks[0] + offset, 8u, VERA_ERROR_NOT_BLOCK_START);
        expect_realloc_refused(heap, blocks[1] + offset, 8u, VERA_ERROR_NOT_BLOCK_START);
    }
    /* Merged away: c freed next to the free b; c's start heads nothing. */
    CHECK(vera_heap_free(heap, blocks[2]) == VERA_OK);
    expect_realloc_refused(heap, blocks[2], 8u, VERA_ERROR_NOT_BLOCK_START);
    expect_realloc_refused(heap, blocks[1], 8u, VERA_ERROR_DOUBLE_FREE);
    CHECK(vera_heap_usable_size(heap, blocks[0]) == 16u * G && vera_heap_usable_size(heap, blocks[3]) == 16u * G);
    CHECK(canaries_intact(64u));
    /* A heap never initialised owns nothing. */
    CHECK(vera_heap_realloc(&never_initialised, &other_object, 8u) == NULL);
    CHECK(vera_heap_last_error(&never_initialised) == VERA_ERROR_NOT_OWNED);
    CHECK(stats_of(&never_initialised).failed_requests == 1u);
}

/* Size 0 or above the capacity on a live block: refused, the block stays live and unchanged. */
static void test_realloc_invalid_size_keeps_the_block(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *block = vera_heap_alloc(heap, 8u * G);
    fill_pattern(block, 8u * G, 3u);
    expect_realloc_refused(heap, block, 0u, VERA_ERROR_INVALID_SIZE);
    expect_realloc_refused(heap, block, 64u * G + 1u, VERA_ERROR_INVALID_SIZE);
    expect_realloc_refused(heap, block, SIZE_MAX, VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_usable_size(heap, block) == 8u * G && pattern_kept(block, 8u * G, 3u));
    CHECK(vera_heap_free(heap, block) == VERA_OK);
    CHECK(canaries_intact(64u));
}

/* Smaller: in place; the tail (4 granules or more) goes back, merged with a free right
 * neighbour, or a free block of its own next to a live one; a tail of fewer stays. */
static void test_realloc_shrinks_in_place(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *block = vera_heap_alloc(heap, 32u * G); /* 0..31, 32..63 free */
    fill_pattern(block, 32u * G, 9u);
    CHECK(vera_heap_realloc(heap, block, 5u * G) == block);
    CHECK(vera_heap_usable_size(heap, block) == 8u * G && pattern_kept(block, 8u * G, 9u));
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 8u * G);
    CHECK(stats_of(heap).peak_allocated == 32u * G && stats_of(heap).live_blocks == 1u);
    CHECK(vera_heap_check(heap));
    /* The tail merged with the free block after it: 56 granules, one block. */
    CHECK(vera_heap_alloc(heap, 56u * G) == NULL); /* rounds to 64 */
    CHECK(vera_heap_alloc(heap, 32u * G) == block + 8u * G);
    CHECK(canaries_intact(64u));

    /* The right neighbour live: the tail is a free block of its own. */
    heap = four_quarters(blocks);
    fill_pattern(blocks[1], 16u * G, 1u);
    CHECK(vera_heap_realloc(heap, blocks[1], 1u) == blocks[1]);
    CHECK(vera_heap_usable_size(heap, blocks[1]) == 4u * G && pattern_kept(blocks[1], 4u * G, 1u));
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 52u * G);
    CHECK(vera_heap_free(heap, blocks[1] + 4u * G) == VERA_ERROR_DOUBLE_FREE);
    CHECK(vera_heap_check(heap));
    /* Freeing it merges it with its tail again; then a, b's space and c are one free block. */
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 1u);
    CHECK(vera_heap_alloc(heap, 32u * G) == blocks[0]);

    /* A tail of fewer than 4 granules stays with the block; the same size changes nothing. */
    heap = fresh_heap(67u);
    block = vera_heap_alloc(heap, 64u * G);
    CHECK(vera_heap_usable_size(heap, block) == 67u * G);
    /* Larger than its power of two but within its usable size: it fits already. */
    CHECK(vera_heap_realloc(heap, block, 67u * G) == block);
    CHECK(vera_heap_usable_size(heap, block) == 67u * G && stats_of(heap).largest_request == 67u * G);
    take_snapshot(heap);
    CHECK(vera_heap_realloc(heap, block, 67u * G) == block);
    CHECK(vera_heap_realloc(heap, block, 64u * G) == block);
    CHECK(vera_heap_realloc(heap, block, 33u * G) == block);
    CHECK(unchanged_since_snapshot(heap));
    CHECK(canaries_intact(67u));
}

/* Larger with a free right neighbour that has room: in place, with or without a rest. */
static void test_realloc_grows_in_place(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    /* b free: a takes all of it (no rest). */
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    fill_pattern(blocks[0], 16u * G, 5u);
    CHECK(vera_heap_realloc(heap, blocks[0], 17u * G) == blocks[0]);
    CHECK(vera_heap_usable_size(heap, blocks[0]) == 32u * G && pattern_kept(blocks[0], 16u * G, 5u));
    CHECK(stats_of(heap).free_blocks == 0u && stats_of(heap).allocated == 64u * G);
    CHECK(stats_of(heap).peak_allocated == 64u * G);
    CHECK(vera_heap_usable_size(heap, blocks[1]) == 0u);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_ERROR_NOT_BLOCK_START);
    CHECK(vera_heap_check(heap));

    /* With a rest: 4 granules at 0, 60 free after: grows to 8, 56 stay free. */
    heap = fresh_heap(64u);
    blocks[0] = vera_heap_alloc(heap, 1u);
    fill_pattern(blocks[0], 4u * G, 6u);
    CHECK(vera_heap_realloc(heap, blocks[0], 5u * G) == blocks[0]);
    CHECK(vera_heap_usable_size(heap, blocks[0]) == 8u * G && pattern_kept(blocks[0], 4u * G, 6u));
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 8u * G);
    CHECK(stats_of(heap).peak_allocated == 8u * G && stats_of(heap).largest_request == 5u * G);
    CHECK(vera_heap_alloc(heap, 32u * G) == blocks[0] + 8u * G);
    CHECK(vera_heap_check(heap));

    /* A rest of fewer than 4 granules goes with the block. */
    heap = fresh_heap(67u);
    blocks[0] = vera_heap_alloc(heap, 1u);
    CHECK(vera_heap_realloc(heap, blocks[0], 33u * G) == blocks[0]);
    CHECK(vera_heap_usable_size(heap, blocks[0]) == 67u * G);
    CHECK(stats_of(heap).free_blocks == 0u && stats_of(heap).free_bytes == 0u);
    CHECK(vera_heap_check(heap));

    /* The peak is not lowered by a grow below it. */
    heap = fresh_heap(64u);
    blocks[0] = vera_heap_alloc(heap, 32u * G);
    CHECK(vera_heap_realloc(heap, blocks[0], 4u * G) == blocks[0]);
    CHECK(vera_heap_realloc(heap, blocks[0], 8u * G) == blocks[0]);
    CHECK(stats_of(heap).peak_allocated == 32u * G && stats_of(heap).allocated == 8u * G);
    CHECK(canaries_intact(64u));
}

/* Larger otherwise: a new block, the old one's usable bytes copied, the old one freed. */
static void test_realloc_moves(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *moved;
    blocks[0] = vera_heap_alloc(heap, 16u * G); /* 0..15 */
    blocks[1] = vera_heap_alloc(heap, 16u * G); /* 16..31, 32..63 free */
    /* a's right neighbour b is live: a moves to the free 32 granules. */
    fill_pattern(blocks[0], 16u * G, 11u);
    moved = vera_heap_realloc(heap, blocks[0], 16u * G + 1u);
    CHECK(moved == buffer_start() + 32u * G);
    CHECK(vera_heap_usable_size(heap, moved) == 32u * G);
    CHECK(pattern_kept(moved, 16u * G, 11u));
    CHECK(vera_heap_usable_size(heap, blocks[0]) == 0u);
    CHECK(vera_heap_free(heap, blocks[0]) == VERA_ERROR_DOUBLE_FREE);
    CHECK(stats_of(heap).live_blocks == 2u && stats_of(heap).free_blocks == 1u);
    CHECK(stats_of(heap).allocated == 48u * G && stats_of(heap).peak_allocated == 64u * G);
    CHECK(vera_heap_last_error(heap) == VERA_OK && stats_of(heap).failed_requests == 0u);
    CHECK(vera_heap_check(heap));
    CHECK(canaries_intact(64u));

    /* The moved block's left neighbour (its old place) is free and merges when it is freed. */
    heap = fresh_heap(64u);
    blocks[0] = vera_heap_alloc(heap, 1u);      /* 0..3 */
    blocks[1] = vera_heap_alloc(heap, 1u);      /* 4..7 */
    fill_pattern(blocks[0], 4u * G, 200u);
    moved = vera_heap_realloc(heap, blocks[0], 5u * G);
    CHECK(moved == blocks[0] + 8u * G && pattern_kept(moved, 4u * G, 200u));
    CHECK(vera_heap_usable_size(heap, moved) == 8u * G);
    CHECK(stats_of(heap).allocated == 12u * G && stats_of(heap).free_blocks == 2u);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    CHECK(vera_heap_free(heap, moved) == VERA_OK);
    CHECK(stats_of(heap).free_blocks == 1u && stats_of(heap).allocated == 0u);
    CHECK(vera_heap_check(heap));
}

/* A moved aligned block keeps its alignment; an aligned block resized in place stays put. */
static void test_realloc_keeps_alignment(void)
{
    size_t alignment;
    for (alignment = 2u * G; alignment <= 256u * G && alignment <= ALIGNED_BASE; alignment *= 2u) {
        vera_heap_t *heap = fresh_aligned_heap();
        unsigned char *block = vera_heap_alloc_aligned(heap, 40u * G, alignment);
        unsigned char *neighbour = vera_heap_alloc(heap, 1u);
        unsigned char *moved;
        /* The buffer is aligned to ALIGNED_BASE >= alignment: the block is at its start, 64
         * granules, its right neighbour right after it. */
        CHECK(block == aligned_buffer() && neighbour == block + 64u * G);
        CHECK(test_is_aligned(block, alignment) && vera_heap_usable_size(heap, block) == 64u * G);
        fill_pattern(block, 64u * G, (unsigned char)alignment);
        /* Shrinks, and grows back into its own tail, in place. */
        CHECK(vera_heap_realloc(heap, block, 1u) == block);
        CHECK(vera_heap_usable_size(heap, block) == 4u * G);
        CHECK(vera_heap_realloc(heap, block, 40u * G) == block);
        CHECK(vera_heap_usable_size(heap, block) == 64u * G);
        /* Grows past any free right neighbour: moves, aligned as before. */
        moved = vera_heap_realloc(heap, block, 300u * G);
        CHECK(moved != NULL && moved != block);
        CHECK(test_is_aligned(moved, alignment));
        CHECK(pattern_kept(moved, 64u * G, (unsigned char)alignment));
        CHECK(vera_heap_usable_size(heap, moved) == 512u * G);
        CHECK(vera_heap_usable_size(heap, block) == 0u);
        CHECK(vera_heap_check(heap));
        /* And again: the alignment is recorded with the block, not lost by the first move. */
        moved = vera_heap_realloc(heap, moved, 600u * G);
        CHECK(moved != NULL && test_is_aligned(moved, alignment));
        CHECK(pattern_kept(moved, 64u * G, (unsigned char)alignment));
        CHECK(vera_heap_check(heap));
    }
}

/* No room for the new block: NULL, counted, VERA_ERROR_NO_MEMORY, the old block live and
 * unchanged (and the whole heap with it). */
static void test_realloc_no_memory_keeps_the_block(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    fill_pattern(blocks[0], 16u * G, 77u);
    fill_pattern(blocks[3], 16u * G, 78u);
    /* 64 granules wanted: a and the free b beside it make 32, and no free block has 64. */
    expect_realloc_refused(heap, blocks[0], 33u * G, VERA_ERROR_NO_MEMORY);
    /* d, the last block (no right neighbour): 32 granules wanted, only b's 16 are free. */
    expect_realloc_refused(heap, blocks[3], 17u * G, VERA_ERROR_NO_MEMORY);
    CHECK(pattern_kept(blocks[0], 16u * G, 77u) && vera_heap_usable_size(heap, blocks[0]) == 16u * G);
    CHECK(pattern_kept(blocks[3], 16u * G, 78u) && vera_heap_usable_size(heap, blocks[3]) == 16u * G);
    CHECK(vera_heap_check(heap));
    CHECK(canaries_intact(64u));
}

/* ---- realloc and alloc_aligned on a corrupted map: every VERA_ERROR_CORRUPTED they return ---- */

/* realloc met corrupted metadata: NULL, counted, VERA_ERROR_CORRUPTED, nothing written outside
 * the heap's struct, map and buffer. */
static void expect_realloc_corrupted(vera_heap_t *heap, void *block, size_t size, size_t granules)
{
    size_t failed = stats_of(heap).failed_requests;
    CHECK(vera_heap_realloc(heap, block, size) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    CHECK(stats_of(heap).failed_requests == failed + 1u);
    CHECK(canaries_intact(granules));
}

static void test_realloc_corrupted_block(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    /* The live head's size: below 4 granules, past the end, more than allocated counts. */
    map[0] = WORD(VERA_HEAP_TAG_LIVE, 1u);
    expect_realloc_corrupted(heap, blocks[0], 8u, 64u);
    map[0] = WORD(VERA_HEAP_TAG_LIVE, 65u);
    expect_realloc_corrupted(heap, blocks[0], 8u, 64u);
    map[16] = WORD(VERA_HEAP_TAG_LIVE, 49u);
    expect_realloc_corrupted(heap, blocks[1], 8u, 64u);
    map[0] = WORD(VERA_HEAP_TAG_LIVE, 16u);
    heap->allocated = 8u * G;
    expect_realloc_corrupted(heap, blocks[0], 8u, 64u);
    /* The alignment recorded after the head: not a power of two, or above the heap (the block
     * must move: its right neighbour is live). */
    heap = four_quarters(blocks);
    map[1] = WORD(VERA_HEAP_TAG_LINK, 3u);
    expect_realloc_corrupted(heap, blocks[0], 17u * G, 64u);
    map[1] = WORD(VERA_HEAP_TAG_LINK, 65u);
    expect_realloc_corrupted(heap, blocks[0], 17u * G, 64u);
    map[1] = WORD(VERA_HEAP_TAG_LINK, 0u);
    expect_realloc_corrupted(heap, blocks[0], 17u * G, 64u);
}

static void test_realloc_corrupted_shrink(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *block = vera_heap_alloc(heap, 16u * G); /* 16..63 free */
    /* The free right neighbour's size past the end: the tail cannot merge with it. */
    map[16] = WORD(VERA_HEAP_TAG_FREE, 1000u);
    expect_realloc_corrupted(heap, block, 1u, 64u);
    /* No room in the counters for one more free block: the tail cannot go back. */
    heap = four_quarters(blocks);
    heap->free_blocks = heap->granules;
    expect_realloc_corrupted(heap, blocks[0], 1u, 64u);
}

static void test_realloc_corrupted_grow(void)
{
    unsigned char *blocks[4];
    vera_heap_t *heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    /* The right neighbour tagged FREE with a size below 4 granules. */
    map[16] = WORD(VERA_HEAP_TAG_FREE, 2u);
    expect_realloc_corrupted(heap, blocks[0], 17u * G, 64u);
    /* allocated so high that the grown block would not fit in the capacity. */
    heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    heap->allocated = heap->capacity;
    expect_realloc_corrupted(heap, blocks[0], 17u * G, 64u);
    /* The neighbour's next link out of range: it cannot be unlinked. */
    heap = four_quarters(blocks);
    CHECK(vera_heap_free(heap, blocks[1]) == VERA_OK);
    map[17] = WORD(VERA_HEAP_TAG_LINK, 1000u);
    expect_realloc_corrupted(heap, blocks[0], 17u * G, 64u);
    /* The rest after the grown block cannot go back (the free-block counter is full). */
    heap = fresh_heap(64u);
    blocks[0] = vera_heap_alloc(heap, 1u);
    heap->free_blocks = heap->granules + 1u;
    expect_realloc_corrupted(heap, blocks[0], 5u * G, 64u);
}

/* Plants a "free block" of `granules` granules at `head`, over live blocks, as the only block of
 * bin 5, with the counters that let alloc take it (one free block, 32 granules allocated). */
static void plant_fake_free_block(vera_heap_t *heap, uint32_t head, uint32_t granules)
{
    map[head] = WORD(VERA_HEAP_TAG_FREE, granules);
    map[head + 1u] = WORD(VERA_HEAP_TAG_LINK, VERA_HEAP_NIL);
    map[head + 2u] = WORD(VERA_HEAP_TAG_LINK, VERA_HEAP_NIL);
    heap->bin_head[5] = head;
    heap->nonempty |= 1u << 5;
    heap->free_blocks = 1u;
    heap->allocated = 32u * G;
}

/* A bin's head that is no free block but lies over the block being moved: the new block would
 * overlap the old one. realloc refuses rather than copy over itself. */
static void test_realloc_corrupted_overlap(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *a = vera_heap_alloc(heap, 16u * G); /* 0..15 */
    unsigned char *b = vera_heap_alloc(heap, 16u * G); /* 16..31 */
    unsigned char *c = vera_heap_alloc(heap, 32u * G); /* 32..63 */
    CHECK(a != NULL && b != NULL && c != NULL);
    plant_fake_free_block(heap, 8u, 32u); /* 8..39, over a and b */
    fill_pattern(a, 16u * G, 41u);
    expect_realloc_corrupted(heap, a, 17u * G, 64u);
    CHECK(pattern_kept(a, 16u * G, 41u));
}

/* The old block's head overwritten while the new block was carved (a corrupted bin head over
 * the heap's live blocks): the new block is returned, the data copied, and last_error says why
 * the old one was not freed. */
static void test_realloc_old_block_gone_after_the_copy(void)
{
    vera_heap_t *heap = fresh_heap(64u);
    unsigned char *x = vera_heap_alloc(heap, 32u * G); /* 0..31 */
    unsigned char *a = vera_heap_alloc(heap, 16u * G); /* 32..47 */
    unsigned char *y = vera_heap_alloc(heap, 16u * G); /* 48..63 */
    unsigned char *moved;
    CHECK(x == buffer_start() && a != NULL && y != NULL);
    plant_fake_free_block(heap, 0u, 48u); /* 0..47, over x and a */
    fill_pattern(a, 16u * G, 99u);
    /* The new block is 0..31; the rest 32..47 goes back as a free block, over a's head. */
    moved = vera_heap_realloc(heap, a, 17u * G);
    CHECK(moved == buffer_start());
    CHECK(pattern_kept(moved, 16u * G, 99u));
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_DOUBLE_FREE);
    CHECK(stats_of(heap).failed_requests == 0u);
    CHECK(canaries_intact(64u));
}

/* alloc_aligned: the granules skipped for the alignment cannot go back (their bin corrupted). */
static void test_alloc_aligned_corrupted(void)
{
    vera_heap_t *heap = fresh_aligned_heap();
    unsigned char *a = vera_heap_alloc(heap, 1u); /* 0..3; the free block starts at granule 4 */
    CHECK(a == aligned_buffer());
    heap->bin_head[2] = 5000u; /* the bin of the 4 granules skipped to reach granule 8 */
    CHECK(vera_heap_alloc_aligned(heap, 1u, 8u * G) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
    CHECK(stats_of(heap).failed_requests == 1u);
    /* The bin of the aligned search's block corrupted: the same status. */
    heap = fresh_aligned_heap();
    heap->bin_head[11] = 3u;
    CHECK(vera_heap_alloc_aligned(heap, 1u, 8u * G) == NULL);
    CHECK(vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED);
}

/* ---- VERA_HEAP_DEFINE / VERA_HEAP_INIT --------------------------------------------------------- */

VERA_HEAP_DEFINE(file_scope_heap, 1000);

static void test_define_macro(void)
{
    VERA_HEAP_DEFINE(function_scope_heap, 4 * VERA_HEAP_GRANULE);
    unsigned char *block;
    /* Before VERA_HEAP_INIT a defined heap is an empty heap. */
    CHECK(vera_heap_alloc(&file_scope_heap, 1u) == NULL);
    CHECK(stats_of(&file_scope_heap).failed_requests == 1u);
    CHECK(vera_heap_check(&file_scope_heap));

    CHECK(VERA_HEAP_INIT(file_scope_heap) == VERA_OK);
    CHECK(stats_of(&file_scope_heap).capacity == (1000u / G) * G);
    CHECK(stats_of(&file_scope_heap).metadata_bytes ==
          VERA_HEAP_MAP_ENTRIES(1000) * sizeof(vera_heap_word_t));
    CHECK(stats_of(&file_scope_heap).failed_requests == 0u);
    /* The map lies below the buffer: running off the end of a block cannot reach it. */
    CHECK((uintptr_t)(file_scope_heap_storage.map + VERA_HEAP_MAP_ENTRIES(1000)) <=
          (uintptr_t)file_scope_heap_storage.buffer.bytes);
    block = vera_heap_alloc(&file_scope_heap, 100u);
    CHECK(block == (unsigned char *)file_scope_heap_storage.buffer.bytes);
    CHECK(test_is_aligned(block, VERA_HEAP_GRANULE));
    CHECK(vera_heap_free(&file_scope_heap, block) == VERA_OK);
    CHECK(vera_heap_check(&file_scope_heap));

    CHECK(VERA_HEAP_INIT(function_scope_heap) == VERA_OK);
    block = vera_heap_alloc(&function_scope_heap, 4u * G);
    CHECK(block != NULL);
    CHECK(vera_heap_alloc(&function_scope_heap, 1u) == NULL);
    CHECK(vera_heap_free(&function_scope_heap, block) == VERA_OK);
}

int main(void)
{
    RUN_TEST(test_init_rejects_null_pointers);
    RUN_TEST(test_init_rejects_bad_sizes);
    RUN_TEST(test_init_rejects_misaligned_storage);
    RUN_TEST(test_init_rejects_overlaps);
    RUN_TEST(test_init_result);
    RUN_TEST(test_init_in_use_and_reinit);
    RUN_TEST(test_zero_initialised_heap);
    RUN_TEST(test_null_heap);
    RUN_TEST(test_alloc_rounds_to_powers_of_two);
    RUN_TEST(test_alloc_keeps_small_remainders);
    RUN_TEST(test_alloc_invalid_size);
    RUN_TEST(test_alloc_no_memory);
    RUN_TEST(test_largest_block);
    RUN_TEST(test_split_hands_out_the_rest);
    RUN_TEST(test_free_coalesces_both_sides);
    RUN_TEST(test_free_coalesces_one_side);
    RUN_TEST(test_free_without_free_neighbours);
    RUN_TEST(test_free_rejects_bad_pointers);
    RUN_TEST(test_get_stats);
    RUN_TEST(test_check_after_every_operation);
    RUN_TEST(test_check_detects_corruption);
    RUN_TEST(test_corrupted_map_reported);
    RUN_TEST(test_corrupted_counters_reported);
    RUN_TEST(test_corrupted_back_link_not_followed);
    RUN_TEST(test_large_heap);
    RUN_TEST(test_corrupted_map_contained);
    RUN_TEST(test_corrupted_bins_contained);
    RUN_TEST(test_alloc_aligned_every_power_of_two);
    RUN_TEST(test_alloc_aligned_small_alignment_is_alloc);
    RUN_TEST(test_alloc_aligned_invalid);
    RUN_TEST(test_alloc_aligned_no_memory);
    RUN_TEST(test_alloc_aligned_corrupted);
    RUN_TEST(test_realloc_null_heap_and_null_block);
    RUN_TEST(test_realloc_rejects_bad_pointers);
    RUN_TEST(test_realloc_invalid_size_keeps_the_block);
    RUN_TEST(test_realloc_shrinks_in_place);
    RUN_TEST(test_realloc_grows_in_place);
    RUN_TEST(test_realloc_moves);
    RUN_TEST(test_realloc_keeps_alignment);
    RUN_TEST(test_realloc_no_memory_keeps_the_block);
    RUN_TEST(test_realloc_corrupted_block);
    RUN_TEST(test_realloc_corrupted_shrink);
    RUN_TEST(test_realloc_corrupted_grow);
    RUN_TEST(test_realloc_corrupted_overlap);
    RUN_TEST(test_realloc_old_block_gone_after_the_copy);
    RUN_TEST(test_define_macro);
    return test_finish();
}
