/*
 * The benchmark workloads. Each starts from a freshly started allocator (one QEMU boot per
 * allocator and workload) and times every allocator call through bench_timed_call.
 *
 *   W1 "mesh init": 200 allocations, sizes cycling {12, 24, 40, 64, 100, 128, 256, 8, 16, 512}.
 *   W2 "fill":      32-byte allocations until the first one fails (that failed call is reported
 *                   in the alloc_failed series, the others in alloc).
 *   W3 "failure":   100 allocations of 32 bytes untimed, then 100 timed requests of the whole
 *                   heap size, each of which must fail.
 *   W4 "churn":     64 slots, 5000 steps of a xorshift32 generator with a fixed seed: a step
 *                   picks a slot; an empty slot gets a block of a size in [8, 256], a full slot
 *                   is freed. Only for allocators with free; alloc and free are separate series.
 *   W5 "split":     the worst case of a segregated-fit alloc: on the fresh allocator (the whole
 *                   heap one free block), 100 times a request of 8, 32, 100 or 256 bytes split
 *                   from that huge block, then its free (merged back into it). Alloc and free.
 *   W6 "merge":     the worst case of a coalescing free: 100 rounds on an empty heap. Untimed:
 *                   32-byte blocks f1, q1, f2, q2, f3, q3, a 64-byte g, q4, then a, b, c, d, one
 *                   after the other; f1, a, f2, c, f3 and g freed (each q stays live, so each f
 *                   and g is a free block of its own). Timed: b freed between its two free
 *                   neighbours a and c (in a LIFO segregated fit, both in the middle of their
 *                   list, and g in the list the merged block joins), then d between a-b-c and the
 *                   free rest of the heap. The q are freed last (untimed): one free block again.
 *                   Free only. The workload checks that a, b, c, d are consecutive (increasing,
 *                   equal strides): an allocator that places them otherwise gets an error.
 *   W7 "grow":      realloc growing in place: 100 rounds on an empty heap, S cycling 32, 64, 128,
 *                   256 bytes. Untimed: blocks f1 (2S), q1 (S), a (S), b (2S), q2 (S), f2 (2S),
 *                   q3 (S), one after the other; f1, b and f2 freed (in a LIFO segregated fit, b
 *                   in the middle of its list), a filled with a pattern. Timed: a resized to 2S,
 *                   which its free right neighbour b has room for. The workload checks that q1, a
 *                   and b are consecutive (equal strides), that the block did not move and kept its
 *                   bytes: an allocator that moves it gets an error, not a number. Realloc only.
 *   W8 "move":      realloc that must move: 100 rounds on an empty heap. Untimed: f (32 bytes),
 *                   a, b, c (64 bytes each), one after the other; f freed (a free left neighbour,
 *                   too small to take the block: the old block's free merges with it), a filled
 *                   with a pattern. Timed: a resized to 128 bytes, with b live on its right, so it
 *                   moves; the call includes the copy of the old block's 64 bytes (or its usable
 *                   size, if the allocator copies that). The workload checks that a, b, c are
 *                   consecutive, that the block moved and kept its 64 bytes. Realloc only.
 * W5 and W6 are for allocators with free whose adapter asks for them (BENCH_HEAP_WORST_CASES), W7
 * and W8 for allocators with free and realloc whose adapter asks for them
 * (BENCH_HEAP_REALLOC_CASES, or only the one whose premise the allocator meets).
 */
#include "workloads.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define W1_ALLOCATIONS 200u
#define W2_BLOCK_SIZE 32u
#define W3_PREFILL_BLOCKS 100u
#define W3_REQUESTS 100u
#define W4_SLOTS 64u
#define W4_STEPS 5000u
#define W4_SEED 0x2545F491u
#define W4_SMALLEST 8u
#define W4_LARGEST 256u
#define W5_ROUNDS 100u
#define W6_ROUNDS 100u
#define W6_BLOCK_SIZE 32u
#define W7_ROUNDS 100u
#define W8_ROUNDS 100u
#define W8_LEFT_SIZE 32u
#define W8_OLD_SIZE 64u
#define W8_NEW_SIZE 128u

static const size_t w1_sizes[] = {12u, 24u, 40u, 64u, 100u, 128u, 256u, 8u, 16u, 512u};
#define W1_SIZE_COUNT (sizeof w1_sizes / sizeof w1_sizes[0])

static bool names_equal(const char *left, const char *right)
{
    while (*left != '\0' && *left == *right) {
        left++;
        right++;
    }
    return *left == *right;
}

static void discard(bench_outcome_t outcome, uint32_t ticks)
{
    (void)outcome;
    (void)ticks;
}

static void fill_block(unsigned char *block, size_t size, unsigned char pattern)
{
    size_t index;
    for (index = 0u; index < size; index++) {
        block[index] = (unsigned char)(pattern + index);
    }
}

static bool block_holds(const unsigned char *block, size_t size, unsigned char pattern)
{
    size_t index;
    for (index = 0u; index < size; index++) {
        if (block[index] != (unsigned char)(pattern + index)) {
            return false;
        }
    }
    return true;
}

static void *timed_alloc(const bench_allocator_t *allocator, size_t size, bench_record_t record)
{
    bench_call_t call = allocator->alloc_call(size);
    uintptr_t block = 0u;
    uint32_t ticks = bench_timed_call(&call, &block);
    record(block != 0u ? BENCH_ALLOC_SUCCEEDED : BENCH_ALLOC_FAILED, ticks);
    return (void *)block;
}

static void timed_free(const bench_allocator_t *allocator, void *block, bench_record_t record)
{
    bench_call_t call = allocator->free_call(block);
    uintptr_t ignored = 0u;
    uint32_t ticks = bench_timed_call(&call, &ignored);
    record(BENCH_FREED, ticks);
}

static void *timed_realloc(const bench_allocator_t *allocator, void *block, size_t size,
                           bench_record_t record)
{
    bench_call_t call = allocator->realloc_call(block, size);
    uintptr_t result = 0u;
    uint32_t ticks = bench_timed_call(&call, &result);
    record(BENCH_REALLOCATED, ticks);
    return (void *)result;
}

/* Untimed alloc of each of `count` blocks of sizes[index] into blocks[index], in order. */
static bool allocate_all(const bench_allocator_t *allocator, const size_t *sizes, uintptr_t *blocks,
                         uint32_t count)
{
    uint32_t index;
    for (index = 0u; index < count; index++) {
        blocks[index] = (uintptr_t)timed_alloc(allocator, sizes[index], discard);
        if (blocks[index] == 0u) {
            return false;
        }
    }
    return true;
}

/* Untimed free of blocks[which[index]] for each of the `count` indexes. */
static void free_each(const bench_allocator_t *allocator, const uintptr_t *blocks,
                      const uint32_t *which, uint32_t count)
{
    uint32_t index;
    for (index = 0u; index < count; index++) {
        timed_free(allocator, (void *)blocks[which[index]], discard);
    }
}

static bench_workload_error_t mesh_init(const bench_allocator_t *allocator, bench_record_t record)
{
    uint32_t index;
    for (index = 0u; index < W1_ALLOCATIONS; index++) {
        if (timed_alloc(allocator, w1_sizes[index % W1_SIZE_COUNT], record) == NULL) {
            return "W1: an allocation failed (heap too small for the workload)";
        }
    }
    return NULL;
}

static bench_workload_error_t fill(const bench_allocator_t *allocator, size_t heap_bytes,
                                   bench_record_t record)
{
    size_t successes = 0u;
    while (timed_alloc(allocator, W2_BLOCK_SIZE, record) != NULL) {
        successes++;
        if (successes > heap_bytes / W2_BLOCK_SIZE) {
            return "W2: more 32-byte blocks than fit in the heap";
        }
    }
    return successes > 0u ? NULL : "W2: not even one 32-byte block";
}

static bench_workload_error_t failure_path(const bench_allocator_t *allocator, size_t heap_bytes,
                                           bench_record_t record)
{
    uint32_t index;
    for (index = 0u; index < W3_PREFILL_BLOCKS; index++) {
        if (timed_alloc(allocator, W2_BLOCK_SIZE, discard) == NULL) {
            return "W3: a 32-byte allocation before the failing requests failed";
        }
    }
    for (index = 0u; index < W3_REQUESTS; index++) {
        if (timed_alloc(allocator, heap_bytes, record) != NULL) {
            return "W3: a request of the whole heap succeeded on a partly used heap";
        }
    }
    return NULL;
}

/* xorshift32 (Marsaglia 2003): a fixed sequence from a fixed seed, no libc. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static bench_workload_error_t churn(const bench_allocator_t *allocator, bench_record_t record)
{
    void *slots[W4_SLOTS] = {NULL};
    uint32_t random_state = W4_SEED;
    uint32_t step;
    if (allocator->free_call == NULL) {
        return "W4: the allocator has no free";
    }
    for (step = 0u; step < W4_STEPS; step++) {
        uint32_t slot = next_random(&random_state) % W4_SLOTS;
        if (slots[slot] == NULL) {
            size_t size =
                W4_SMALLEST + next_random(&random_state) % (W4_LARGEST - W4_SMALLEST + 1u);
            slots[slot] = timed_alloc(allocator, size, record);
        } else {
            timed_free(allocator, slots[slot], record);
            slots[slot] = NULL;
        }
    }
    return NULL;
}

static const size_t w5_sizes[] = {8u, 32u, 100u, 256u};
#define W5_SIZE_COUNT (sizeof w5_sizes / sizeof w5_sizes[0])

static bench_workload_error_t split_huge_block(const bench_allocator_t *allocator,
                                               bench_record_t record)
{
    uint32_t round;
    if (allocator->free_call == NULL) {
        return "W5: the allocator has no free";
    }
    for (round = 0u; round < W5_ROUNDS; round++) {
        void *block = timed_alloc(allocator, w5_sizes[round % W5_SIZE_COUNT], record);
        if (block == NULL) {
            return "W5: a small request failed on an empty heap";
        }
        timed_free(allocator, block, record);
    }
    return NULL;
}

/* `count` (at least 2) blocks of one size, in increasing addresses with equal strides: next to
 * each other. */
static bool consecutive(const uintptr_t *blocks, uint32_t count)
{
    uintptr_t stride = blocks[1] - blocks[0];
    uint32_t index;
    if (blocks[0] == 0u || blocks[0] >= blocks[1]) {
        return false;
    }
    for (index = 2u; index < count; index++) {
        if (blocks[index] <= blocks[index - 1u] || blocks[index] - blocks[index - 1u] != stride) {
            return false;
        }
    }
    return true;
}

/* W6's blocks, allocated in this order from the one free block of an empty heap: three spacers
 * f1-f3 and a double-size block g, each between live guards q1-q4, then a, b, c, d. */
enum { W6_F1, W6_Q1, W6_F2, W6_Q2, W6_F3, W6_Q3, W6_G, W6_Q4, W6_A, W6_B, W6_C, W6_D, W6_BLOCKS };

static bench_workload_error_t merge_both_sides(const bench_allocator_t *allocator,
                                               bench_record_t record)
{
    /* Freed in this order before b: a segregated-fit heap with LIFO lists then has a and c in
     * the middle of their list (f3, c, f2, a, f1), and g first in the list the merged a-b-c
     * joins; so b's free unlinks two list neighbours with both links set and pushes in front of
     * another block. d's free then merges a-b-c and the free rest of the heap. */
    static const uint32_t freed_before[] = {W6_F1, W6_A, W6_F2, W6_C, W6_F3, W6_G};
    static const uint32_t guards[] = {W6_Q1, W6_Q2, W6_Q3, W6_Q4};
    uint32_t round;
    if (allocator->free_call == NULL) {
        return "W6: the allocator has no free";
    }
    size_t sizes[W6_BLOCKS];
    uint32_t index;
    for (index = 0u; index < W6_BLOCKS; index++) {
        sizes[index] = (index == W6_G) ? 2u * W6_BLOCK_SIZE : W6_BLOCK_SIZE;
    }
    for (round = 0u; round < W6_ROUNDS; round++) {
        uintptr_t blocks[W6_BLOCKS];
        if (!allocate_all(allocator, sizes, blocks, W6_BLOCKS)) {
            return "W6: an allocation failed on an empty heap";
        }
        if (!consecutive(&blocks[W6_A], 4u)) {
            return "W6: a, b, c and d are not next to each other";
        }
        free_each(allocator, blocks, freed_before, sizeof freed_before / sizeof freed_before[0]);
        timed_free(allocator, (void *)blocks[W6_B], record); /* a and c free on either side */
        timed_free(allocator, (void *)blocks[W6_D], record); /* a-b-c and the rest of the heap */
        /* The guards last: the heap is one free block again for the next round. */
        free_each(allocator, blocks, guards, sizeof guards / sizeof guards[0]);
    }
    return NULL;
}

/* W7's blocks, allocated in this order from the one free block of an empty heap. */
enum { W7_F1, W7_Q1, W7_A, W7_B, W7_Q2, W7_F2, W7_Q3, W7_BLOCKS };

static const size_t w7_sizes[] = {32u, 64u, 128u, 256u};
#define W7_SIZE_COUNT (sizeof w7_sizes / sizeof w7_sizes[0])

static bench_workload_error_t grow_in_place(const bench_allocator_t *allocator,
                                            bench_record_t record)
{
    /* Freed before the realloc: b is then in the middle of its LIFO list (f2, b, f1). */
    static const uint32_t freed_before[] = {W7_F1, W7_B, W7_F2};
    static const uint32_t freed_after[] = {W7_A, W7_Q1, W7_Q2, W7_Q3};
    uint32_t round;
    if (allocator->free_call == NULL || allocator->realloc_call == NULL) {
        return "W7: the allocator has no free or no realloc";
    }
    for (round = 0u; round < W7_ROUNDS; round++) {
        size_t small = w7_sizes[round % W7_SIZE_COUNT];
        size_t sizes[W7_BLOCKS];
        uintptr_t blocks[W7_BLOCKS];
        unsigned char pattern = (unsigned char)(round * 7u + 3u);
        void *grown;
        uint32_t index;
        for (index = 0u; index < W7_BLOCKS; index++) {
            bool large = index == W7_F1 || index == W7_B || index == W7_F2;
            sizes[index] = large ? 2u * small : small;
        }
        if (!allocate_all(allocator, sizes, blocks, W7_BLOCKS)) {
            return "W7: an allocation failed on an empty heap";
        }
        if (!consecutive(&blocks[W7_Q1], 3u)) {
            return "W7: q1, a and b are not next to each other";
        }
        free_each(allocator, blocks, freed_before, sizeof freed_before / sizeof freed_before[0]);
        fill_block((unsigned char *)blocks[W7_A], small, pattern);
        grown = timed_realloc(allocator, (void *)blocks[W7_A], 2u * small, record);
        if (grown == NULL) {
            return "W7: the realloc failed";
        }
        if ((uintptr_t)grown != blocks[W7_A]) {
            return "W7: the block moved although its free right neighbour had room";
        }
        if (!block_holds(grown, small, pattern)) {
            return "W7: the block lost its bytes";
        }
        free_each(allocator, blocks, freed_after, sizeof freed_after / sizeof freed_after[0]);
    }
    return NULL;
}

/* W8's blocks, allocated in this order from the one free block of an empty heap. */
enum { W8_F, W8_A, W8_B, W8_C, W8_BLOCKS };

static bench_workload_error_t move(const bench_allocator_t *allocator, bench_record_t record)
{
    static const size_t sizes[W8_BLOCKS] = {W8_LEFT_SIZE, W8_OLD_SIZE, W8_OLD_SIZE, W8_OLD_SIZE};
    static const uint32_t freed_before[] = {W8_F};
    static const uint32_t freed_after[] = {W8_B, W8_C};
    uint32_t round;
    if (allocator->free_call == NULL || allocator->realloc_call == NULL) {
        return "W8: the allocator has no free or no realloc";
    }
    for (round = 0u; round < W8_ROUNDS; round++) {
        uintptr_t blocks[W8_BLOCKS];
        unsigned char pattern = (unsigned char)(round * 7u + 3u);
        void *moved;
        if (!allocate_all(allocator, sizes, blocks, W8_BLOCKS)) {
            return "W8: an allocation failed on an empty heap";
        }
        if (blocks[W8_F] >= blocks[W8_A] || !consecutive(&blocks[W8_A], 3u)) {
            return "W8: f, a, b and c are not in order, or a, b, c not next to each other";
        }
        free_each(allocator, blocks, freed_before, sizeof freed_before / sizeof freed_before[0]);
        fill_block((unsigned char *)blocks[W8_A], W8_OLD_SIZE, pattern);
        moved = timed_realloc(allocator, (void *)blocks[W8_A], W8_NEW_SIZE, record);
        if (moved == NULL) {
            return "W8: the realloc failed";
        }
        if ((uintptr_t)moved == blocks[W8_A]) {
            return "W8: the block did not move although its right neighbour is live";
        }
        if (!block_holds(moved, W8_OLD_SIZE, pattern)) {
            return "W8: the moved block lost its bytes";
        }
        timed_free(allocator, moved, discard);
        free_each(allocator, blocks, freed_after, sizeof freed_after / sizeof freed_after[0]);
    }
    return NULL;
}

static const struct {
    const char *name;
    unsigned int flag;
} workloads[] = {
    {"W1", BENCH_W1},
    {"W2", BENCH_W2},
    {"W3", BENCH_W3},
    {"W4", BENCH_W4},
    {"W5", BENCH_W5},
    {"W6", BENCH_W6},
    {"W7", BENCH_W7},
    {"W8", BENCH_W8},
};

const char *bench_workload_name(unsigned int flag)
{
    size_t index;
    for (index = 0u; index < sizeof workloads / sizeof workloads[0]; index++) {
        if (workloads[index].flag == flag) {
            return workloads[index].name;
        }
    }
    return NULL;
}

bench_workload_error_t bench_run_workload(const char *name, const bench_allocator_t *allocator,
                                          unsigned char *heap, size_t heap_bytes,
                                          bench_record_t record, bool *found)
{
    unsigned int flag = 0u;
    size_t index;
    for (index = 0u; index < sizeof workloads / sizeof workloads[0]; index++) {
        if (names_equal(name, workloads[index].name)) {
            flag = workloads[index].flag;
        }
    }
    *found = flag != 0u;
    if (flag == 0u) {
        return "unknown workload";
    }
    if ((allocator->workloads & flag) == 0u) {
        return "the allocator's adapter does not take part in this workload";
    }
    if (!allocator->start(heap, heap_bytes)) {
        return "the allocator did not start";
    }
    switch (flag) {
    case BENCH_W1:
        return mesh_init(allocator, record);
    case BENCH_W2:
        return fill(allocator, heap_bytes, record);
    case BENCH_W3:
        return failure_path(allocator, heap_bytes, record);
    case BENCH_W4:
        return churn(allocator, record);
    case BENCH_W5:
        return split_huge_block(allocator, record);
    case BENCH_W6:
        return merge_both_sides(allocator, record);
    case BENCH_W7:
        return grow_in_place(allocator, record);
    default:
        return move(allocator, record);
    }
}

/* Smoke check ------------------------------------------------------------------------------- */

#define SMOKE_BLOCKS 30u

/* Sizes of the smoke check: W1's without 512, so that a pool of 256-byte blocks takes part. */
static const size_t smoke_sizes[] = {12u, 24u, 40u, 64u, 100u, 128u, 256u, 8u, 16u};
#define SMOKE_SIZE_COUNT (sizeof smoke_sizes / sizeof smoke_sizes[0])

/* Non-NULL, aligned as the allocator promises (bench_allocator_t.alignment) and inside the heap. */
static bool block_is_usable(const void *block, size_t size, size_t alignment,
                            const unsigned char *heap, size_t heap_bytes)
{
    uintptr_t start = (uintptr_t)block;
    uintptr_t heap_start = (uintptr_t)heap;
    return block != NULL && alignment != 0u && start % alignment == 0u && start >= heap_start &&
           size <= heap_bytes && start - heap_start <= heap_bytes - size;
}

static bench_workload_error_t allocate_and_fill(const bench_allocator_t *allocator,
                                                unsigned char **blocks, uint32_t index,
                                                unsigned char *heap, size_t heap_bytes)
{
    size_t size = smoke_sizes[index % SMOKE_SIZE_COUNT];
    blocks[index] = timed_alloc(allocator, size, discard);
    if (!block_is_usable(blocks[index], size, allocator->alignment, heap, heap_bytes)) {
        return "a block is NULL, misaligned or outside the heap";
    }
    fill_block(blocks[index], size, (unsigned char)(index * 37u + 1u));
    return NULL;
}

static bench_workload_error_t check_contents(unsigned char *const *blocks)
{
    uint32_t index;
    for (index = 0u; index < SMOKE_BLOCKS; index++) {
        size_t size = smoke_sizes[index % SMOKE_SIZE_COUNT];
        if (blocks[index] != NULL &&
            !block_holds(blocks[index], size, (unsigned char)(index * 37u + 1u))) {
            return "a block lost its contents (blocks overlap)";
        }
    }
    return NULL;
}

bench_workload_error_t bench_smoke_check(const bench_allocator_t *allocator, unsigned char *heap,
                                         size_t heap_bytes)
{
    unsigned char *blocks[SMOKE_BLOCKS] = {NULL};
    bench_workload_error_t error;
    uint32_t index;

    if (!allocator->start(heap, heap_bytes)) {
        return "the allocator did not start";
    }
    for (index = 0u; index < SMOKE_BLOCKS; index++) {
        error = allocate_and_fill(allocator, blocks, index, heap, heap_bytes);
        if (error != NULL) {
            return error;
        }
    }
    error = check_contents(blocks);
    if (error != NULL) {
        return error;
    }
    /* Allocators that take part in W3 fail a request that does not fit (a fixed-block pool
     * ignores the size and does not). */
    if ((allocator->workloads & BENCH_W3) != 0u &&
        timed_alloc(allocator, heap_bytes + 1u, discard) != NULL) {
        return "a request larger than the heap succeeded";
    }
    if (allocator->free_call != NULL) {
        for (index = 1u; index < SMOKE_BLOCKS; index += 2u) {
            timed_free(allocator, blocks[index], discard);
            blocks[index] = NULL;
        }
        for (index = 1u; index < SMOKE_BLOCKS; index += 2u) {
            error = allocate_and_fill(allocator, blocks, index, heap, heap_bytes);
            if (error != NULL) {
                return error;
            }
        }
        error = check_contents(blocks);
        if (error != NULL) {
            return error;
        }
    }
    return NULL;
}
