/*
 * The rules the headers state under "Rules a reader must not guess" (issue 12, item 8): blocks
 * are not zeroed, counters after seal and after absurd requests, the order of checks when one call
 * has several faults, and the sizing workflow of mira_mem in callback mode (which does not hold).
 */

/* The facade keeps its state in a static variable; including the source lets this harness reset
 * it between cases (as tests/mira_mem_test.c does). */
#include "src/mira_mem.c"

#include <string.h>

#include "tests/test_support.h"
#include "veralloc/arena.h"
#include "veralloc/pool.h"

#define POISON 0xA5u
#define ROUNDED(size) (((size) + VERA_ALIGNMENT - 1u) / VERA_ALIGNMENT * VERA_ALIGNMENT)
#define BUFFER_SIZE 256u

static union {
    long double long_double_member;
    unsigned char bytes[BUFFER_SIZE + 64u];
} storage;

/* A 64-aligned buffer of BUFFER_SIZE bytes, every byte POISON. */
static unsigned char *poisoned_buffer(void)
{
    unsigned char *start = storage.bytes;
    while (!test_is_aligned(start, 64u)) {
        start++;
    }
    memset(start, POISON, BUFFER_SIZE);
    return start;
}

static int all_bytes_are(const void *block, size_t size, unsigned char value)
{
    const unsigned char *bytes = block;
    size_t index;
    for (index = 0u; index < size; index++) {
        if (bytes[index] != value) {
            return 0;
        }
    }
    return 1;
}

static void reset_facade(void)
{
    memset(&mira_mem_state, 0, sizeof mira_mem_state);
}

static void test_blocks_are_not_zeroed(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_pool_t pool = {0};   /* zero-initialised: init reads whether blocks are live */
    vera_pool_index_t metadata[2 * 4];
    unsigned char *buffer = poisoned_buffer();
    unsigned char *block;

    CHECK(vera_arena_init(&arena, buffer, BUFFER_SIZE) == VERA_OK);
    block = vera_arena_alloc(&arena, 24);
    CHECK(block != NULL && all_bytes_are(block, 24, POISON));

    buffer = poisoned_buffer();
    CHECK(vera_pool_init(&pool, buffer, BUFFER_SIZE, 32, 4, metadata, 8) == VERA_OK);
    block = vera_pool_alloc(&pool);
    CHECK(block != NULL && all_bytes_are(block, 32, POISON));
    memset(block, 0x3C, 32);
    CHECK(vera_pool_free(&pool, block) == VERA_OK);
    /* The freed block comes back first, with what it held. */
    CHECK(vera_pool_alloc(&pool) == block && all_bytes_are(block, 32, 0x3C));
    block = vera_pool_alloc_zeroed(&pool);
    CHECK(block != NULL && all_bytes_are(block, 32, 0));

    reset_facade();
    buffer = poisoned_buffer();
    CHECK(mira_mem_set_alloc_buffer(buffer, BUFFER_SIZE) == MIRA_SUCCESS);
    block = mira_mem_alloc(40);
    CHECK(block != NULL && all_bytes_are(block, 40, POISON));
}

static void test_arena_counters_after_seal_and_absurd_requests(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t fresh = {0};
    unsigned char *buffer = poisoned_buffer();

    CHECK(vera_arena_init(&arena, buffer, BUFFER_SIZE) == VERA_OK);
    CHECK(vera_arena_alloc(&arena, 8) != NULL);
    CHECK(vera_arena_alloc(&arena, SIZE_MAX) == NULL);
    CHECK(vera_arena_largest_request(&arena) == SIZE_MAX);
    CHECK(vera_arena_failed_requests(&arena) == 1u);
    CHECK(vera_arena_alloc_aligned(&arena, SIZE_MAX - 1u, 3) == NULL);
    CHECK(vera_arena_failed_requests(&arena) == 2u);
    CHECK(vera_arena_used(&arena) == ROUNDED(8u));

    vera_arena_seal(&arena);
    CHECK(vera_arena_failed_requests(&arena) == 2u); /* sealing counts nothing */
    CHECK(vera_arena_alloc(&arena, 8) == NULL);
    CHECK(vera_arena_alloc(&arena, 0) == NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 8, 64) == NULL);
    CHECK(vera_arena_failed_requests(&arena) == 5u);
    CHECK(vera_arena_largest_request(&arena) == SIZE_MAX);
    CHECK(vera_arena_used(&arena) == ROUNDED(8u));

    /* Sealing cannot be undone: re-init is refused and changes no counter. */
    CHECK(vera_arena_init(&arena, buffer, BUFFER_SIZE) == VERA_ERROR_SEALED);
    CHECK(vera_arena_failed_requests(&arena) == 5u && vera_arena_used(&arena) == ROUNDED(8u));

    /* A fresh arena, sealed: a sealed request larger than any before is still recorded. */
    CHECK(vera_arena_init(&fresh, buffer, BUFFER_SIZE) == VERA_OK);
    vera_arena_seal(&fresh);
    CHECK(vera_arena_alloc(&fresh, 100) == NULL);
    CHECK(vera_arena_largest_request(&fresh) == 100u && vera_arena_failed_requests(&fresh) == 1u);
}

static void test_mira_counters_after_seal_and_absurd_requests(void)
{
    mira_mem_stats_t stats;

    reset_facade();
    CHECK(mira_mem_alloc(16) == NULL); /* before any set_*: counted */
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.failed_requests == 1u && stats.last_failure == MIRA_ERROR_NOT_SET);
    CHECK(stats.largest_request == 16u);

    CHECK(mira_mem_set_alloc_buffer(poisoned_buffer(), BUFFER_SIZE) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(SIZE_MAX) == NULL);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.failed_requests == 2u && stats.largest_request == SIZE_MAX);
    CHECK(stats.last_failed_request == SIZE_MAX);
    CHECK(stats.last_failure == MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    CHECK(stats.usage == 0u && stats.capacity == BUFFER_SIZE);

    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.failed_requests == 2u);
    CHECK(mira_mem_alloc(8) == NULL);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.failed_requests == 3u && stats.last_failure == MIRA_ERROR_SEALED);
    CHECK(stats.last_failed_request == 8u && stats.largest_request == SIZE_MAX);
    CHECK(stats.usage == 0u);
}

static void test_order_of_checks(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_pool_t pool = {0};   /* zero-initialised: init reads whether blocks are live */
    vera_pool_index_t metadata[2 * 4];
    unsigned char *buffer = poisoned_buffer();
    unsigned char *block;
    mira_mem_stats_t stats;

    /* Arena init: NULL before size before alignment. */
    CHECK(vera_arena_init(&arena, NULL, 0) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_arena_init(&arena, buffer + 1, 1) == VERA_ERROR_INVALID_SIZE);

    /* Pool init: NULL, then size, then count, then buffer and metadata sizes, then alignment. */
    CHECK(vera_pool_init(&pool, buffer + 1, 0, 0, 0, NULL, 0) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_pool_init(&pool, buffer + 1, 0, 0, 4, metadata, 0) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_pool_init(&pool, buffer + 1, 1, 8, 4, metadata, 8) == VERA_ERROR_INVALID_SIZE);

    /* Pool free: not owned before not a block start before already free. */
    CHECK(vera_pool_init(&pool, buffer, BUFFER_SIZE, 32, 4, metadata, 8) == VERA_OK);
    block = vera_pool_alloc(&pool);
    CHECK(block != NULL);
    CHECK(vera_pool_free(&pool, buffer + BUFFER_SIZE + 1) == VERA_ERROR_NOT_OWNED);
    /* An interior pointer of a free block: reported as not a block start, not as a double free. */
    CHECK(vera_pool_free(&pool, buffer + 32 + 1) == VERA_ERROR_NOT_BLOCK_START);
    CHECK(vera_pool_free(&pool, NULL) == VERA_OK);
    CHECK(vera_pool_free(NULL, buffer + 1) == VERA_ERROR_NULL_POINTER);
    /* Corrupted metadata at a free block's entries before already free: block 1 (free, at
     * position 2) made to claim position 3, where free_order holds block 0. */
    metadata[4 + 1] = 3u;
    CHECK(vera_pool_free(&pool, buffer + 32) == VERA_ERROR_CORRUPTED);
    metadata[4 + 1] = 2u;
    CHECK(vera_pool_free(&pool, buffer + 32) == VERA_ERROR_DOUBLE_FREE);
    /* Pool init on a pool with a block in use: every argument check first, then the state. */
    CHECK(vera_pool_init(&pool, buffer + 1, BUFFER_SIZE, 32, 4, metadata, 8) == VERA_ERROR_MISALIGNED);
    CHECK(vera_pool_init(&pool, buffer, BUFFER_SIZE, 32, 4, metadata, 8) == VERA_ERROR_IN_USE);

    /* mira_mem: sealed before not set before size 0. */
    reset_facade();
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(0) == NULL);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.last_failure == MIRA_ERROR_SEALED);
    CHECK(mira_mem_set_alloc_buffer(NULL, 0) == MIRA_ERROR_SEALED);
    CHECK(mira_mem_set_alloc_callback(NULL, NULL) == MIRA_ERROR_SEALED);
    reset_facade();
    CHECK(mira_mem_alloc(0) == NULL);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.last_failure == MIRA_ERROR_NOT_SET);
    /* set_*: already set before the invalid argument. */
    CHECK(mira_mem_set_alloc_buffer(buffer, BUFFER_SIZE) == MIRA_SUCCESS);
    CHECK(mira_mem_set_alloc_buffer(NULL, 0) == MIRA_ERROR_ALREADY_SET);
    CHECK(mira_mem_set_alloc_callback(NULL, NULL) == MIRA_ERROR_ALREADY_SET);
}

/* An application allocator for callback mode: a bump allocator that rounds each block up to
 * MIRA_MEM_ALIGNMENT for itself, as any allocator returning aligned blocks must. */
static unsigned char *callback_next;
static void *aligned_bump(mira_size_t size, void *heap_end)
{
    unsigned char *block = callback_next;
    size_t rounded = (size + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT;
    if (rounded > (size_t)((unsigned char *)heap_end - block)) {
        return NULL;
    }
    callback_next += rounded;
    return block;
}

static void test_callback_usage_is_not_a_buffer_size(void)
{
    static const mira_size_t requests[] = {3, 17, 1, 40, 70};
    mira_size_t callback_usage;
    mira_mem_stats_t stats;
    unsigned char *buffer = poisoned_buffer();
    size_t index;

    reset_facade();
    callback_next = buffer;
    CHECK(mira_mem_set_alloc_callback(aligned_bump, buffer + BUFFER_SIZE) == MIRA_SUCCESS);
    for (index = 0u; index < sizeof requests / sizeof requests[0]; index++) {
        CHECK(mira_mem_alloc(requests[index]) != NULL);
    }
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    callback_usage = mira_mem_buffer_get_usage();
    CHECK(callback_usage == 3u + 17u + 1u + 40u + 70u); /* the sum of the requests, unrounded */

    /* The same init in buffer mode, in a buffer of exactly that many bytes, does not fit. */
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(buffer, callback_usage) == MIRA_SUCCESS);
    for (index = 0u; index < sizeof requests / sizeof requests[0]; index++) {
        (void)mira_mem_alloc(requests[index]);
    }
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.failed_requests > 0u);

    /* Sized in buffer mode instead, the same init fits exactly. */
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(buffer, BUFFER_SIZE) == MIRA_SUCCESS);
    for (index = 0u; index < sizeof requests / sizeof requests[0]; index++) {
        CHECK(mira_mem_alloc(requests[index]) != NULL);
    }
    callback_usage = mira_mem_buffer_get_usage();
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(buffer, callback_usage) == MIRA_SUCCESS);
    for (index = 0u; index < sizeof requests / sizeof requests[0]; index++) {
        CHECK(mira_mem_alloc(requests[index]) != NULL);
    }
    CHECK(mira_mem_buffer_get_free() == 0u);
}

int main(void)
{
    RUN_TEST(test_blocks_are_not_zeroed);
    RUN_TEST(test_arena_counters_after_seal_and_absurd_requests);
    RUN_TEST(test_mira_counters_after_seal_and_absurd_requests);
    RUN_TEST(test_order_of_checks);
    RUN_TEST(test_callback_usage_is_not_a_buffer_size);
    return test_finish();
}
