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
 * W5 and W6 are for allocators with free whose adapter asks for them (BENCH_HEAP_WORST_CASES).
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

/* Four blocks, in increasing addresses with equal strides: next to each other. */
static bool consecutive(const uintptr_t blocks[4])
{
    uintptr_t stride = blocks[1] - blocks[0];
    return blocks[0] != 0u && blocks[0] < blocks[1] && blocks[1] < blocks[2] &&
           blocks[2] < blocks[3] && blocks[2] - blocks[1] == stride &&
           blocks[3] - blocks[2] == stride;
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
    for (round = 0u; round < W6_ROUNDS; round++) {
        uintptr_t blocks[W6_BLOCKS];
        uint32_t index;
        for (index = 0u; index < W6_BLOCKS; index++) {
            size_t size = (index == W6_G) ? 2u * W6_BLOCK_SIZE : W6_BLOCK_SIZE;
            blocks[index] = (uintptr_t)timed_alloc(allocator, size, discard);
            if (blocks[index] == 0u) {
                return "W6: an allocation failed on an empty heap";
            }
        }
        if (!consecutive(&blocks[W6_A])) {
            return "W6: a, b, c and d are not next to each other";
        }
        for (index = 0u; index < sizeof freed_before / sizeof freed_before[0]; index++) {
            timed_free(allocator, (void *)blocks[freed_before[index]], discard);
        }
        timed_free(allocator, (void *)blocks[W6_B], record); /* a and c free on either side */
        timed_free(allocator, (void *)blocks[W6_D], record); /* a-b-c and the rest of the heap */
        /* The guards last: the heap is one free block again for the next round. */
        for (index = 0u; index < sizeof guards / sizeof guards[0]; index++) {
            timed_free(allocator, (void *)blocks[guards[index]], discard);
        }
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
    default:
        return merge_both_sides(allocator, record);
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
