/*
 * The heap's worst-case fragmentation bound (include/veralloc/heap.h, "Fragmentation bound";
 * docs/heap_design.md, section 5), checked by driving adversarial request sequences:
 *
 *   H = 2 * M * (1 + ceil(log2 n))
 *
 * M: the most bytes live at once, each live block counted at its rounded size R(s) (the request
 * rounded up to whole granules, then to a power of two of granules, at least 4 granules);
 * n: R(largest request) / (4 * VERA_HEAP_GRANULE), a power of two.
 *
 * The bound is o1heap's for the same policy, cited, NOT proved for vera_heap: these tests can only
 * show that the patterns below, which do fragment the heap, never make it fail with H bytes; and
 * that with H / 4 the same pattern does fail (so the driver can fail at all). The tests compute
 * sizes and count failures; nothing is timed.
 *
 * Also checked:
 *   - the small exact lemma of section 5, on random sequences with failures: free_blocks <=
 *     live_blocks + 1 after every operation, and after every alloc that fails for want of memory
 *     with a rounded size of P granules, free_bytes < (live_blocks + 1) * (P - 1) * G;
 *   - the heap's own count of live bytes (`allocated`) exceeds the sum of R(s) by at most 3
 *     granules (a split rest too small to be a block, which only a capacity that is not a multiple
 *     of 4 granules can produce), so M as defined above is what the heap hands out;
 *   - why rounding is there: an exact-size allocator with the same bins and the same choice (this
 *     file's own model, NOT the library) refuses a request of 2^(c-1) + 1 granules while
 *     (2^c - 1) / (2^c + 3) of it is free: free / live at the refusal grows linearly in n. The
 *     library serves the same sequence.
 */
#include "veralloc/heap.h"

#include <stdint.h>
#include <stdlib.h>

#include "tests/test_support.h"

#define G ((size_t)VERA_HEAP_GRANULE)
#define SMALLEST VERA_HEAP_MIN_BLOCK_GRANULES /* granules of the smallest block */
#define NOWHERE ((size_t)-1)

/* The largest heap of these tests (the bound for n = 256 and M = 3 largest blocks), and the most
 * blocks live at once (M / 4 granules for the largest M). */
#define HEAP_GRANULES 65536u
#define MAX_LIVE 4096u

/* ---- the bound ------------------------------------------------------------------------------ */

static size_t power_of_two_at_least(size_t value)
{
    size_t power = 1u;
    while (power < value) {
        power *= 2u;
    }
    return power;
}

/* floor(log2(value)), value > 0: the size class of a free block of `value` granules, and the
 * exponent of a power of two. */
static unsigned floor_log2(size_t value)
{
    unsigned exponent = 0u;
    while (value > 1u) {
        value /= 2u;
        exponent++;
    }
    return exponent;
}

/* R(s) in granules: whole granules, a power of two of them, at least the smallest block. */
static size_t rounded_granules(size_t bytes)
{
    size_t granules = power_of_two_at_least((bytes + G - 1u) / G);
    return (granules < SMALLEST) ? SMALLEST : granules;
}

/* The bound, in granules, for M granules of rounded live blocks and a largest request. */
static size_t bound_granules(size_t m_granules, size_t largest_request_bytes)
{
    size_t n = rounded_granules(largest_request_bytes) / SMALLEST;
    return 2u * m_granules * (1u + floor_log2(n));
}

/* A deterministic generator (xorshift32): every run drives the same sequences. */
static uint32_t random_state;

static uint32_t next_random(void)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 17;
    random_state ^= random_state << 5;
    return random_state;
}

/* ---- two allocators behind one interface: the library, and an exact-size model -------------- */

typedef struct allocator {
    const char *name;
    size_t capacity; /* granules */
    /* The granule offset of a block of at least `bytes`, with the granules handed out in
     * *granules; NOWHERE on failure. */
    size_t (*take)(struct allocator *self, size_t bytes, size_t *granules);
    void (*give_back)(struct allocator *self, size_t offset);
} allocator_t;

/* The library: one vera_heap_t over static storage. */
static vera_heap_word_t heap_map[HEAP_GRANULES];
static union {
    long double long_double_member;
    unsigned char bytes[HEAP_GRANULES * VERA_HEAP_GRANULE + 128u];
} heap_storage;
static vera_heap_t library_heap;

static unsigned char *heap_buffer(void)
{
    unsigned char *start = heap_storage.bytes;
    while (!test_is_aligned(start, VERA_HEAP_GRANULE)) {
        start++;
    }
    return start;
}

static size_t library_take(allocator_t *self, size_t bytes, size_t *granules)
{
    unsigned char *block = vera_heap_alloc(&library_heap, bytes);
    (void)self;
    if (block == NULL) {
        CHECK(vera_heap_last_error(&library_heap) == VERA_ERROR_NO_MEMORY);
        return NOWHERE;
    }
    *granules = vera_heap_usable_size(&library_heap, block) / G;
    return (size_t)(block - heap_buffer()) / G;
}

static void library_give_back(allocator_t *self, size_t offset)
{
    (void)self;
    CHECK(vera_heap_free(&library_heap, heap_buffer() + offset * G) == VERA_OK);
}

static vera_heap_stats_t stats_now(void)
{
    vera_heap_stats_t stats;
    CHECK(vera_heap_get_stats(&library_heap, &stats) == VERA_OK);
    return stats;
}

/* The library over a fresh heap of `granules` granules. */
static allocator_t library(size_t granules)
{
    allocator_t allocator = {"vera_heap", 0u, library_take, library_give_back};
    CHECK(granules <= HEAP_GRANULES);
    /* Every driver gives all its blocks back: the heap has none live and can start afresh. */
    CHECK(vera_heap_init(&library_heap, heap_buffer(), granules * G, heap_map, HEAP_GRANULES) ==
          VERA_OK);
    allocator.capacity = granules;
    return allocator;
}

/*
 * The exact-size model: the library's policy without the rounding to a power of two. A request
 * takes ceil(bytes / G) granules (at least 4); free blocks are in bins by floor(log2(size)); a
 * request of s granules takes a free block of the lowest non-empty bin k with 2^k >= s (the bin
 * that guarantees a fit), the lowest address in that bin, split from the low end (the rest kept
 * if it has 4 granules or more); a freed block merges with its free neighbours. Blocks are kept in
 * address order in an array: slow, and only a model. Its capacity is a number: no memory behind.
 */
#define EXACT_MAX_BLOCKS 8192u

typedef struct {
    size_t start;
    size_t size;
    int free;
} exact_block_t;

static exact_block_t exact_blocks[EXACT_MAX_BLOCKS];
static size_t exact_count;

static void exact_remove(size_t index)
{
    size_t i;
    for (i = index; i + 1u < exact_count; i++) {
        exact_blocks[i] = exact_blocks[i + 1u];
    }
    exact_count--;
}

static size_t exact_take(allocator_t *self, size_t bytes, size_t *granules)
{
    size_t needed = (bytes + G - 1u) / G;
    unsigned class_needed;
    size_t best = NOWHERE;
    size_t i;
    (void)self;
    if (needed < SMALLEST) {
        needed = SMALLEST;
    }
    class_needed = floor_log2(power_of_two_at_least(needed));
    for (i = 0u; i < exact_count; i++) {
        if (exact_blocks[i].free && floor_log2(exact_blocks[i].size) >= class_needed &&
            (best == NOWHERE ||
             floor_log2(exact_blocks[i].size) < floor_log2(exact_blocks[best].size))) {
            best = i; /* ties: the lowest address, the first met */
        }
    }
    if (best == NOWHERE) {
        return NOWHERE;
    }
    if (exact_blocks[best].size - needed >= SMALLEST) {
        CHECK(exact_count < EXACT_MAX_BLOCKS);
        for (i = exact_count; i > best + 1u; i--) {
            exact_blocks[i] = exact_blocks[i - 1u];
        }
        exact_count++;
        exact_blocks[best + 1u].start = exact_blocks[best].start + needed;
        exact_blocks[best + 1u].size = exact_blocks[best].size - needed;
        exact_blocks[best + 1u].free = 1;
        exact_blocks[best].size = needed;
    }
    exact_blocks[best].free = 0;
    *granules = exact_blocks[best].size;
    return exact_blocks[best].start;
}

static void exact_give_back(allocator_t *self, size_t offset)
{
    size_t index = 0u;
    (void)self;
    while (index < exact_count && exact_blocks[index].start != offset) {
        index++;
    }
    CHECK(index < exact_count && !exact_blocks[index].free);
    if (index == exact_count) {
        return;
    }
    exact_blocks[index].free = 1;
    if (index + 1u < exact_count && exact_blocks[index + 1u].free) {
        exact_blocks[index].size += exact_blocks[index + 1u].size;
        exact_remove(index + 1u);
    }
    if (index > 0u && exact_blocks[index - 1u].free) {
        exact_blocks[index - 1u].size += exact_blocks[index].size;
        exact_remove(index);
    }
}

static allocator_t exact_model(size_t granules)
{
    allocator_t allocator = {"exact-size model", 0u, exact_take, exact_give_back};
    exact_blocks[0].start = 0u;
    exact_blocks[0].size = granules;
    exact_blocks[0].free = 1;
    exact_count = 1u;
    allocator.capacity = granules;
    return allocator;
}

/* ---- the driver: the application's side of a pattern ---------------------------------------- */

typedef struct {
    size_t offset;   /* granules from the start of the heap */
    size_t granules; /* handed out */
    size_t rounded;  /* R(s), granules */
    int released;
} live_block_t;

typedef struct {
    allocator_t *allocator;
    live_block_t live[MAX_LIVE];
    size_t live_count;
    size_t live_rounded; /* the sum of R(s) of the live blocks: what M bounds */
    size_t high_water;   /* granules: the highest end of a block handed out so far */
    size_t failures;
} driver_t;

static driver_t driver; /* large: static */

static void driver_start(allocator_t *allocator)
{
    driver.allocator = allocator;
    driver.live_count = 0u;
    driver.live_rounded = 0u;
    driver.high_water = 0u;
    driver.failures = 0u;
}

/* Asks for `bytes`; false (counted) if the allocator refused. */
static int driver_alloc(size_t bytes)
{
    size_t granules = 0u;
    size_t offset;
    live_block_t *block = &driver.live[driver.live_count];
    CHECK(driver.live_count < MAX_LIVE);
    if (driver.live_count >= MAX_LIVE) {
        return 0;
    }
    offset = driver.allocator->take(driver.allocator, bytes, &granules);
    if (offset == NOWHERE) {
        driver.failures++;
        return 0;
    }
    CHECK(granules * G >= bytes && offset + granules <= driver.allocator->capacity);
    block->offset = offset;
    block->granules = granules;
    block->rounded = rounded_granules(bytes);
    block->released = 0;
    driver.live_count++;
    driver.live_rounded += block->rounded;
    if (offset + granules > driver.high_water) {
        driver.high_water = offset + granules;
    }
    return 1;
}

static void driver_release(size_t index)
{
    live_block_t *block = &driver.live[index];
    driver.allocator->give_back(driver.allocator, block->offset);
    block->released = 1;
    driver.live_rounded -= block->rounded;
}

/* Drops the released entries from the list. */
static void driver_compact(void)
{
    size_t kept = 0u;
    size_t i;
    for (i = 0u; i < driver.live_count; i++) {
        if (!driver.live[i].released) {
            driver.live[kept++] = driver.live[i];
        }
    }
    driver.live_count = kept;
}

static void driver_release_all(void)
{
    size_t i;
    for (i = 0u; i < driver.live_count; i++) {
        driver_release(i);
    }
    driver.live_count = 0u;
}

static int by_offset(const void *a, const void *b)
{
    size_t left = ((const live_block_t *)a)->offset;
    size_t right = ((const live_block_t *)b)->offset;
    return (left > right) - (left < right);
}

/*
 * The hole that freeing live block `index` (the list sorted by address) would leave: from the end
 * of the nearest live block below it to the start of the nearest live block above it (all of it
 * free once the block is: every allocator here coalesces completely).
 */
static size_t hole_if_released(size_t index)
{
    size_t below = 0u;
    size_t above = driver.allocator->capacity;
    size_t i;
    for (i = index; i > 0u; i--) {
        if (!driver.live[i - 1u].released) {
            below = driver.live[i - 1u].offset + driver.live[i - 1u].granules;
            break;
        }
    }
    for (i = index + 1u; i < driver.live_count; i++) {
        if (!driver.live[i].released) {
            above = driver.live[i].offset;
            break;
        }
    }
    return above - below;
}

/*
 * The adversary's free step: releases every live block whose release leaves a hole of fewer than
 * `limit` granules, so that no request of `limit` granules can be served from a hole. In address
 * order, or (randomised) in a shuffled order, skipping a quarter of the candidates.
 */
static void release_keeping_holes_below(size_t limit, int randomised)
{
    static size_t order[MAX_LIVE];
    size_t i;
    qsort(driver.live, driver.live_count, sizeof driver.live[0], by_offset);
    for (i = 0u; i < driver.live_count; i++) {
        order[i] = i;
    }
    if (randomised) {
        for (i = driver.live_count; i > 1u; i--) {
            size_t j = next_random() % i;
            size_t swap = order[i - 1u];
            order[i - 1u] = order[j];
            order[j] = swap;
        }
    }
    for (i = 0u; i < driver.live_count; i++) {
        if (randomised && next_random() % 4u == 0u) {
            continue;
        }
        if (hole_if_released(order[i]) < limit) {
            driver_release(order[i]);
        }
    }
    driver_compact();
}

/*
 * Section 5's adversary: phase k asks for blocks of 2^k smallest blocks until the live total
 * reaches M, then releases blocks so as to leave every hole too small for phase k + 1; phases up
 * to the largest block (n smallest blocks).
 */
static void drive_phases(size_t m_granules, size_t n, int randomised)
{
    size_t block;
    for (block = SMALLEST; block <= n * SMALLEST; block *= 2u) {
        while (driver.live_rounded + block <= m_granules && driver_alloc(block * G)) {
        }
        if (block < n * SMALLEST) {
            release_keeping_holes_below(2u * block, randomised);
        }
    }
}

/* Random requests of 1 to `largest` bytes (uniform, or uniform in the exponent), the live total
 * kept within M, a random live block released when the next request would exceed it. */
static void drive_random_mix(size_t m_granules, size_t largest, int by_exponent, size_t steps)
{
    size_t step;
    for (step = 0u; step < steps; step++) {
        size_t bytes;
        if (by_exponent) {
            size_t top = 1u + next_random() % (1u + floor_log2(power_of_two_at_least(largest)));
            size_t power = (size_t)1u << (top - 1u);
            bytes = power + next_random() % power;
            bytes = (bytes > largest) ? largest : bytes;
        } else {
            bytes = 1u + next_random() % largest;
        }
        if (driver.live_rounded + rounded_granules(bytes) <= m_granules &&
            next_random() % 8u != 0u) {
            (void)driver_alloc(bytes);
        } else if (driver.live_count > 0u) {
            size_t victim = next_random() % driver.live_count;
            driver_release(victim);
            driver.live[victim] = driver.live[driver.live_count - 1u];
            driver.live_count--;
        }
    }
}

/* ---- the bound, case by case ---------------------------------------------------------------- */

typedef struct {
    size_t n;        /* largest block / smallest block */
    size_t m_blocks; /* M in largest blocks, times 2 (so that M can be 2.5 largest blocks) */
} bound_case_t;

static const bound_case_t bound_cases[] = {
    {1u, 8u},   {1u, 15u},  {2u, 6u},  {4u, 4u},  {4u, 5u},  {4u, 16u}, {4u, 64u},
    {16u, 4u},  {16u, 5u},  {16u, 16u}, {64u, 4u}, {64u, 5u}, {64u, 16u}, {256u, 4u}, {256u, 6u},
};

static size_t case_m_granules(const bound_case_t *bound_case)
{
    return bound_case->m_blocks * bound_case->n * SMALLEST / 2u;
}

/* With H from the formula, neither the phased adversary (in address order and randomised) nor
 * the random mixes make an allocation fail. */
static void test_bound_holds_for_adversarial_patterns(void)
{
    size_t c;
    for (c = 0u; c < sizeof bound_cases / sizeof bound_cases[0]; c++) {
        const bound_case_t *bound_case = &bound_cases[c];
        size_t m = case_m_granules(bound_case);
        size_t largest = bound_case->n * SMALLEST * G;
        size_t h = bound_granules(m, largest);
        int variant;
        allocator_t heap;
        CHECK(h <= HEAP_GRANULES);
        for (variant = 0; variant < 4; variant++) {
            random_state = 0x9E3779B9u + (uint32_t)(c * 16u) + (uint32_t)variant;
            heap = library(h);
            driver_start(&heap);
            if (variant < 2) {
                drive_phases(m, bound_case->n, variant);
            } else {
                drive_random_mix(m, largest, variant == 3, 4000u);
            }
            CHECK(driver.failures == 0u);
            if (driver.failures != 0u) {
                printf("  n %zu, M %zu granules, H %zu granules, variant %d: %zu failures\n",
                       bound_case->n, m, h, variant, driver.failures);
            }
            if (variant == 0) {
                printf("  n %3zu, M %5zu granules: H %6zu granules; the phased adversary reached "
                       "granule %zu (%.2f M)\n",
                       bound_case->n, m, h, driver.high_water,
                       (double)driver.high_water / (double)m);
            }
            driver_release_all();
            CHECK(vera_heap_check(&library_heap));
            CHECK(stats_now().allocated == 0u && stats_now().free_blocks == 1u);
        }
    }
}

/* The same phased adversary on H / 4 fails at least once for every n >= 2 (it needs about
 * M (1 + log2(n) / 2)): the pattern really fragments the heap, so the test above can fail. */
static void test_quarter_of_the_bound_fails(void)
{
    size_t c;
    for (c = 0u; c < sizeof bound_cases / sizeof bound_cases[0]; c++) {
        const bound_case_t *bound_case = &bound_cases[c];
        size_t m = case_m_granules(bound_case);
        size_t h = bound_granules(m, bound_case->n * SMALLEST * G);
        allocator_t heap;
        if (bound_case->n < 2u) {
            continue; /* one size: the adversary has nothing to fragment with */
        }
        heap = library(h / 4u);
        driver_start(&heap);
        drive_phases(m, bound_case->n, 0);
        CHECK(driver.failures > 0u);
        driver_release_all();
        CHECK(vera_heap_check(&library_heap));
    }
}

/* ---- the exact lemma, and what M counts ----------------------------------------------------- */

/* After every operation: free_blocks <= live_blocks + 1 (no two free blocks touch), and the heap's
 * `allocated` is the sum of R(s) plus at most 3 granules (none when the capacity is a multiple of
 * 4 granules). After every alloc refused for want of memory, with rounded size P:
 * free_bytes < (live_blocks + 1) * (P - 1) * G. Heaps small enough for refusals to be common. */
static void test_exact_lemma_on_random_sequences(void)
{
    static const size_t capacities[] = {64u, 67u, 100u, 129u, 256u, 1024u + 2u};
    size_t c;
    size_t refusals = 0u;
    for (c = 0u; c < sizeof capacities / sizeof capacities[0]; c++) {
        size_t granules = capacities[c];
        size_t step;
        allocator_t heap = library(granules);
        random_state = 0x2545F491u + (uint32_t)c;
        driver_start(&heap);
        for (step = 0u; step < 6000u; step++) {
            vera_heap_stats_t stats;
            size_t slack;
            if (driver.live_count < MAX_LIVE && next_random() % 100u < 60u) {
                size_t largest = ((next_random() % 4u) == 0u ? granules / 2u : 16u) * G;
                size_t bytes = 1u + next_random() % largest;
                if (!driver_alloc(bytes)) {
                    size_t p = rounded_granules(bytes);
                    stats = stats_now();
                    refusals++;
                    CHECK(stats.free_bytes < (stats.live_blocks + 1u) * (p - 1u) * G);
                }
            } else if (driver.live_count > 0u) {
                size_t victim = next_random() % driver.live_count;
                driver_release(victim);
                driver.live[victim] = driver.live[driver.live_count - 1u];
                driver.live_count--;
            }
            stats = stats_now();
            CHECK(stats.free_blocks <= stats.live_blocks + 1u);
            CHECK(stats.live_blocks == driver.live_count);
            slack = stats.allocated / G - driver.live_rounded;
            CHECK(stats.allocated / G >= driver.live_rounded && slack < SMALLEST);
            CHECK(granules % SMALLEST != 0u || slack == 0u);
        }
        driver_release_all();
        CHECK(vera_heap_check(&library_heap));
    }
    CHECK(refusals > 100u); /* the lemma's premise was met, many times */
}

/* ---- why rounding: the exact-size counterexample, on the model ------------------------------ */

/*
 * Section 5's pattern: blocks of 2^c - 1 granules and 4-granule separators, alternately, until
 * the heap is full; every large block released. The holes (2^c - 1 granules, bin c - 1, kept
 * apart by the separators) make (2^c - 1) / (2^c + 3) of the heap free, yet a request of
 * 2^(c-1) + 1 granules needs bin c and fails: free / live grows linearly in n. The library rounds
 * the large blocks to 2^c granules and serves the same request from their holes.
 */
static void test_exact_size_model_fails_with_most_of_it_free(void)
{
    unsigned c;
    for (c = 3u; c <= 8u; c++) {
        size_t large = ((size_t)1u << c) - 1u;
        size_t capacity = 32u * (large + SMALLEST);
        allocator_t allocators[2];
        int which;
        allocators[0] = exact_model(capacity);
        allocators[1] = library(capacity);
        for (which = 0; which < 2; which++) {
            size_t i;
            size_t free_granules;
            int served;
            driver_start(&allocators[which]);
            while (driver_alloc(large * G) && driver_alloc(SMALLEST * G)) {
            }
            for (i = 0u; i < driver.live_count; i++) {
                if (driver.live[i].rounded != SMALLEST) {
                    driver_release(i);
                }
            }
            driver_compact();
            free_granules = capacity;
            for (i = 0u; i < driver.live_count; i++) {
                free_granules -= driver.live[i].granules;
            }
            served = driver_alloc((((size_t)1u << (c - 1u)) + 1u) * G);
            if (which == 0) {
                /* Refused with (2^c - 1) / 4 times the live bytes free. */
                CHECK(!served);
                CHECK(free_granules * SMALLEST >= large * (capacity - free_granules));
                printf("  c %u: the exact-size model refuses %zu granules with %zu of %zu free\n",
                       c, ((size_t)1u << (c - 1u)) + 1u, free_granules, capacity);
            } else {
                CHECK(served);
            }
            driver_release_all();
        }
        CHECK(vera_heap_check(&library_heap));
    }
}

int main(void)
{
    RUN_TEST(test_bound_holds_for_adversarial_patterns);
    RUN_TEST(test_quarter_of_the_bound_fails);
    RUN_TEST(test_exact_lemma_on_random_sequences);
    RUN_TEST(test_exact_size_model_fails_with_most_of_it_free);
    return test_finish();
}
