/* Unit tests for include/veralloc/pool.h: every row of its error table, and the guarantees. */
#include "veralloc/pool.h"

#include <stdint.h>
#include <string.h>

#include "tests/test_support.h"

#define BLOCK_SIZE 24u /* not a multiple of VERA_ALIGNMENT on any target: rounding is exercised */
#define BLOCK_COUNT 5u
#define ROUNDED_SIZE VERA_POOL_ROUNDED_BLOCK_SIZE(BLOCK_SIZE)
#define BUFFER_BYTES (ROUNDED_SIZE * BLOCK_COUNT)
#define METADATA_ENTRIES VERA_POOL_METADATA_ENTRIES(BLOCK_COUNT)

/* aligned_buffer() is 128-aligned, so tests can also start at chosen misalignments; the storage
 * extends beyond the blocks so that pointers just past the pool are inside a real object. */
static union {
    long double long_double_member;
    char bytes[BUFFER_BYTES + 512u];
} buffer_storage;

/* Metadata with a canary entry on each side: init and free must write only the entries they own. */
#define METADATA_CANARY 0xBEEFu
static vera_pool_index_t metadata_storage[METADATA_ENTRIES + 2u];
static vera_pool_index_t *const metadata = metadata_storage + 1;

static char *aligned_buffer(void)
{
    char *start = buffer_storage.bytes;
    while (!test_is_aligned(start, 128u)) {
        start++;
    }
    return start;
}

static void reset_metadata(void)
{
    size_t entry;
    for (entry = 0u; entry < METADATA_ENTRIES + 2u; entry++) {
        metadata_storage[entry] = (vera_pool_index_t)METADATA_CANARY;
    }
}

static int metadata_canaries_intact(void)
{
    return metadata_storage[0] == METADATA_CANARY &&
           metadata_storage[METADATA_ENTRIES + 1u] == METADATA_CANARY;
}

static vera_status_t init_test_pool(vera_pool_t *pool)
{
    reset_metadata();
    return vera_pool_init(pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, metadata,
                          METADATA_ENTRIES);
}

/* "Unchanged" means every field of the pool and every metadata entry. */
typedef struct pool_snapshot {
    vera_pool_t pool;
    vera_pool_index_t metadata[METADATA_ENTRIES + 2u];
} pool_snapshot_t;

static void take_snapshot(pool_snapshot_t *snapshot, const vera_pool_t *pool)
{
    snapshot->pool = *pool;
    memcpy(snapshot->metadata, metadata_storage, sizeof metadata_storage);
}

static int pool_equal(const vera_pool_t *a, const vera_pool_t *b)
{
    return a->base == b->base && a->block_size == b->block_size &&
           a->alignment == b->alignment &&
           a->block_count == b->block_count && a->capacity == b->capacity &&
           a->free_order == b->free_order && a->block_position == b->block_position &&
           a->free_count == b->free_count && a->peak_used == b->peak_used &&
           a->failed_requests == b->failed_requests;
}

static int unchanged_since(const pool_snapshot_t *snapshot, const vera_pool_t *pool)
{
    return pool_equal(&snapshot->pool, pool) &&
           memcmp(snapshot->metadata, metadata_storage, sizeof metadata_storage) == 0;
}

/* The counters agree with each other whatever happened before. */
static int counters_consistent(const vera_pool_t *pool)
{
    return vera_pool_blocks_used(pool) + vera_pool_blocks_free(pool) ==
               vera_pool_block_count(pool) &&
           vera_pool_peak_used(pool) >= vera_pool_blocks_used(pool) &&
           vera_pool_peak_used(pool) <= vera_pool_block_count(pool);
}

static void test_init_rejects_null_pointers(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    memset(&pool, 0x5A, sizeof pool);
    reset_metadata();
    take_snapshot(&before, &pool);
    CHECK(vera_pool_init(NULL, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_pool_init(&pool, NULL, BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, NULL,
                         METADATA_ENTRIES) == VERA_ERROR_NULL_POINTER);
    /* NULL wins over every other problem (the table's order). */
    CHECK(vera_pool_init(&pool, NULL, 0u, 0u, 0u, metadata, 0u) == VERA_ERROR_NULL_POINTER);
    CHECK(unchanged_since(&before, &pool));
}

static void test_init_rejects_bad_sizes(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    char *buffer = aligned_buffer();
    memset(&pool, 0x5A, sizeof pool);
    reset_metadata();
    take_snapshot(&before, &pool);
    /* block_size 0, or too large to round up. */
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES, 0u, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES, SIZE_MAX, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES, SIZE_MAX - VERA_ALIGNMENT + 2u, BLOCK_COUNT,
                         metadata, METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    /* block_count 0 or above the maximum. */
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES, BLOCK_SIZE, 0u, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_pool_init(&pool, buffer, SIZE_MAX, VERA_ALIGNMENT, VERA_POOL_MAX_BLOCKS + 1u,
                         metadata, SIZE_MAX) == VERA_ERROR_INVALID_SIZE);
    /* Buffer one byte short of the last block; block size times count overflowing size_t. */
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES - 1u, BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES, SIZE_MAX / 2u, 3u, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    /* Metadata one entry short. */
    CHECK(vera_pool_init(&pool, buffer, BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES - 1u) == VERA_ERROR_INVALID_SIZE);
    /* A size error wins over misalignment (the table's order). */
    CHECK(vera_pool_init(&pool, buffer + 1, BUFFER_BYTES, 0u, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    CHECK(unchanged_since(&before, &pool));
    CHECK(metadata_canaries_intact());
}

static void test_init_rejects_misaligned_buffer(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    uintptr_t offset;
    memset(&pool, 0x5A, sizeof pool);
    reset_metadata();
    take_snapshot(&before, &pool);
    for (offset = 1u; offset < VERA_ALIGNMENT; offset++) {
        CHECK(vera_pool_init(&pool, aligned_buffer() + offset, BUFFER_BYTES, BLOCK_SIZE,
                             BLOCK_COUNT, metadata, METADATA_ENTRIES) == VERA_ERROR_MISALIGNED);
    }
    CHECK(unchanged_since(&before, &pool));
}

static void test_init_accepts_exact_sizes(void)
{
    vera_pool_t pool = {0};
    memset(&pool, 0x5A, sizeof pool);
    CHECK(init_test_pool(&pool) == VERA_OK);
    CHECK(vera_pool_block_size(&pool) == ROUNDED_SIZE);
    CHECK(ROUNDED_SIZE % VERA_ALIGNMENT == 0u && ROUNDED_SIZE >= BLOCK_SIZE &&
          ROUNDED_SIZE < BLOCK_SIZE + VERA_ALIGNMENT);
    CHECK(vera_pool_block_count(&pool) == BLOCK_COUNT);
    CHECK(vera_pool_blocks_free(&pool) == BLOCK_COUNT);
    CHECK(vera_pool_blocks_used(&pool) == 0u);
    CHECK(vera_pool_peak_used(&pool) == 0u);
    CHECK(vera_pool_failed_requests(&pool) == 0u);
    CHECK(metadata_canaries_intact());
    /* A block size that is already a multiple of the alignment is kept. */
    reset_metadata();
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, VERA_ALIGNMENT, BLOCK_COUNT,
                         metadata, METADATA_ENTRIES) == VERA_OK);
    CHECK(vera_pool_block_size(&pool) == VERA_ALIGNMENT);
    /* More buffer and metadata than needed is fine; only block_count blocks are used. */
    reset_metadata();
    CHECK(vera_pool_init(&pool, aligned_buffer(), sizeof buffer_storage.bytes - 128u, BLOCK_SIZE,
                         BLOCK_COUNT - 1u, metadata, METADATA_ENTRIES) == VERA_OK);
    CHECK(vera_pool_block_count(&pool) == BLOCK_COUNT - 1u);
}

static void test_zero_initialised_pool_is_empty(void)
{
    static vera_pool_t pool; /* zero-initialised, never initialised */
    int local = 0;
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_alloc_zeroed(&pool) == NULL);
    CHECK(vera_pool_failed_requests(&pool) == 2u);
    CHECK(vera_pool_free(&pool, &local) == VERA_ERROR_NOT_OWNED);
    CHECK(vera_pool_free(&pool, NULL) == VERA_OK);
    CHECK(!vera_pool_owns(&pool, &local));
    CHECK(vera_pool_block_count(&pool) == 0u);
    CHECK(vera_pool_blocks_free(&pool) == 0u);
    CHECK(vera_pool_blocks_used(&pool) == 0u);
    CHECK(counters_consistent(&pool));
}

static void test_null_pool(void)
{
    int local = 0;
    CHECK(vera_pool_alloc(NULL) == NULL);
    CHECK(vera_pool_alloc_zeroed(NULL) == NULL);
    CHECK(vera_pool_free(NULL, &local) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_pool_free(NULL, NULL) == VERA_ERROR_NULL_POINTER);
    CHECK(!vera_pool_owns(NULL, &local));
    CHECK(vera_pool_block_size(NULL) == 0u);
    CHECK(vera_pool_block_count(NULL) == 0u);
    CHECK(vera_pool_blocks_free(NULL) == 0u);
    CHECK(vera_pool_blocks_used(NULL) == 0u);
    CHECK(vera_pool_peak_used(NULL) == 0u);
    CHECK(vera_pool_failed_requests(NULL) == 0u);
}

static void test_alloc_hands_out_every_block_once(void)
{
    vera_pool_t pool = {0};
    char *blocks[BLOCK_COUNT];
    char *buffer = aligned_buffer();
    size_t i;
    size_t j;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        blocks[i] = (char *)vera_pool_alloc(&pool);
        CHECK(blocks[i] != NULL);
        /* A fresh pool hands out blocks in address order. */
        CHECK(blocks[i] == buffer + i * ROUNDED_SIZE);
        CHECK(test_is_aligned(blocks[i], VERA_ALIGNMENT));
        CHECK(vera_pool_blocks_used(&pool) == i + 1u);
        CHECK(vera_pool_peak_used(&pool) == i + 1u);
        CHECK(counters_consistent(&pool));
        /* The whole block is usable; filling it does not disturb the pool. */
        memset(blocks[i], (int)(0x10u + i), ROUNDED_SIZE);
        CHECK(metadata_canaries_intact());
    }
    for (i = 0u; i < BLOCK_COUNT; i++) {
        for (j = 0u; j < ROUNDED_SIZE; j++) {
            CHECK(blocks[i][j] == (char)(0x10u + i));
        }
        for (j = i + 1u; j < BLOCK_COUNT; j++) {
            CHECK(blocks[i] != blocks[j]);
        }
    }
    CHECK(vera_pool_blocks_free(&pool) == 0u);
}

static void test_alloc_fails_when_exhausted(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    size_t i;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        CHECK(vera_pool_alloc(&pool) != NULL);
    }
    take_snapshot(&before, &pool);
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_alloc_zeroed(&pool) == NULL);
    CHECK(vera_pool_failed_requests(&pool) == 2u);
    /* Only the failure counter changed. */
    before.pool.failed_requests = 2u;
    CHECK(unchanged_since(&before, &pool));
    CHECK(counters_consistent(&pool));
}

static void test_failed_requests_saturate(void)
{
    vera_pool_t pool = {0};
    size_t i;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        CHECK(vera_pool_alloc(&pool) != NULL);
    }
    pool.failed_requests = SIZE_MAX - 1u; /* a test may reach in; users read, never write */
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_failed_requests(&pool) == SIZE_MAX);
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_failed_requests(&pool) == SIZE_MAX);
}

static void test_free_null_does_nothing(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    CHECK(init_test_pool(&pool) == VERA_OK);
    CHECK(vera_pool_alloc(&pool) != NULL);
    take_snapshot(&before, &pool);
    CHECK(vera_pool_free(&pool, NULL) == VERA_OK);
    CHECK(unchanged_since(&before, &pool));
}

static void test_free_makes_block_reusable_last_in_first_out(void)
{
    vera_pool_t pool = {0};
    char *blocks[BLOCK_COUNT];
    size_t i;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        blocks[i] = (char *)vera_pool_alloc(&pool);
    }
    CHECK(vera_pool_free(&pool, blocks[2]) == VERA_OK);
    CHECK(vera_pool_blocks_used(&pool) == BLOCK_COUNT - 1u);
    CHECK(vera_pool_peak_used(&pool) == BLOCK_COUNT);
    CHECK(vera_pool_free(&pool, blocks[0]) == VERA_OK);
    CHECK(counters_consistent(&pool));
    /* The most recently freed block comes back first. */
    CHECK(vera_pool_alloc(&pool) == blocks[0]);
    CHECK(vera_pool_alloc(&pool) == blocks[2]);
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_peak_used(&pool) == BLOCK_COUNT);
    CHECK(metadata_canaries_intact());
}

static void test_free_all_then_alloc_all_again(void)
{
    vera_pool_t pool = {0};
    char *blocks[BLOCK_COUNT];
    char *again[BLOCK_COUNT];
    size_t i;
    size_t j;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        blocks[i] = (char *)vera_pool_alloc(&pool);
    }
    /* Free in an order that is neither the allocation order nor its reverse. */
    CHECK(vera_pool_free(&pool, blocks[1]) == VERA_OK);
    CHECK(vera_pool_free(&pool, blocks[4]) == VERA_OK);
    CHECK(vera_pool_free(&pool, blocks[0]) == VERA_OK);
    CHECK(vera_pool_free(&pool, blocks[3]) == VERA_OK);
    CHECK(vera_pool_free(&pool, blocks[2]) == VERA_OK);
    CHECK(vera_pool_blocks_free(&pool) == BLOCK_COUNT);
    CHECK(vera_pool_peak_used(&pool) == BLOCK_COUNT);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        again[i] = (char *)vera_pool_alloc(&pool);
        CHECK(again[i] != NULL);
    }
    CHECK(vera_pool_alloc(&pool) == NULL);
    /* The same set of blocks, each exactly once. */
    for (i = 0u; i < BLOCK_COUNT; i++) {
        int found = 0;
        for (j = 0u; j < BLOCK_COUNT; j++) {
            found += again[j] == blocks[i];
        }
        CHECK(found == 1);
    }
}

static void test_free_rejects_foreign_pointers(void)
{
    vera_pool_t pool = {0};
    vera_pool_t other_pool = {0};
    static vera_pool_index_t other_metadata[METADATA_ENTRIES];
    static union {
        long double long_double_member;
        char bytes[BUFFER_BYTES];
    } other_buffer;
    pool_snapshot_t before;
    char *buffer = aligned_buffer();
    char *block;
    int local = 0;
    CHECK(vera_pool_init(&other_pool, other_buffer.bytes, sizeof other_buffer.bytes, BLOCK_SIZE,
                         BLOCK_COUNT, other_metadata, METADATA_ENTRIES) == VERA_OK);
    CHECK(init_test_pool(&pool) == VERA_OK);
    block = (char *)vera_pool_alloc(&pool);
    CHECK(block != NULL);
    take_snapshot(&before, &pool);
    CHECK(vera_pool_free(&pool, &local) == VERA_ERROR_NOT_OWNED);
    CHECK(vera_pool_free(&pool, &pool) == VERA_ERROR_NOT_OWNED);
    CHECK(vera_pool_free(&pool, metadata) == VERA_ERROR_NOT_OWNED);
    CHECK(vera_pool_free(&pool, vera_pool_alloc(&other_pool)) == VERA_ERROR_NOT_OWNED);
    /* Just past the last block (inside the same storage object), and far past it. */
    CHECK(vera_pool_free(&pool, buffer + BUFFER_BYTES) == VERA_ERROR_NOT_OWNED);
    CHECK(vera_pool_free(&pool, buffer + BUFFER_BYTES + ROUNDED_SIZE) == VERA_ERROR_NOT_OWNED);
    /* Just before the first block (inside the same storage object, when there is room). */
    if (buffer > buffer_storage.bytes) {
        CHECK(vera_pool_free(&pool, buffer - 1) == VERA_ERROR_NOT_OWNED);
    }
    CHECK(unchanged_since(&before, &pool));
    CHECK(vera_pool_free(&pool, block) == VERA_OK);
}

static void test_free_rejects_interior_pointers(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    char *blocks[BLOCK_COUNT];
    size_t i;
    size_t offset;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        blocks[i] = (char *)vera_pool_alloc(&pool);
    }
    CHECK(vera_pool_free(&pool, blocks[3]) == VERA_OK); /* interior of free blocks too */
    take_snapshot(&before, &pool);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        for (offset = 1u; offset < ROUNDED_SIZE; offset++) {
            CHECK(vera_pool_free(&pool, blocks[i] + offset) == VERA_ERROR_NOT_BLOCK_START);
        }
    }
    CHECK(unchanged_since(&before, &pool));
}

static void test_free_rejects_double_free(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    char *first;
    char *second;
    CHECK(init_test_pool(&pool) == VERA_OK);
    first = (char *)vera_pool_alloc(&pool);
    second = (char *)vera_pool_alloc(&pool);
    CHECK(vera_pool_free(&pool, first) == VERA_OK);
    take_snapshot(&before, &pool);
    CHECK(vera_pool_free(&pool, first) == VERA_ERROR_DOUBLE_FREE);
    CHECK(unchanged_since(&before, &pool));
    /* A block never handed out is free as well. */
    CHECK(vera_pool_free(&pool, aligned_buffer() + (BLOCK_COUNT - 1u) * ROUNDED_SIZE) ==
          VERA_ERROR_DOUBLE_FREE);
    CHECK(unchanged_since(&before, &pool));
    /* After being handed out again, it can be freed again. */
    CHECK(vera_pool_alloc(&pool) == first);
    CHECK(vera_pool_free(&pool, first) == VERA_OK);
    CHECK(vera_pool_free(&pool, second) == VERA_OK);
    CHECK(vera_pool_free(&pool, second) == VERA_ERROR_DOUBLE_FREE);
    CHECK(vera_pool_blocks_used(&pool) == 0u);
}

static void test_alloc_zeroed_clears_only_its_block(void)
{
    vera_pool_t pool = {0};
    char *blocks[BLOCK_COUNT];
    char *zeroed;
    size_t i;
    size_t j;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (i = 0u; i < BLOCK_COUNT; i++) {
        blocks[i] = (char *)vera_pool_alloc(&pool);
        memset(blocks[i], 0xA5, ROUNDED_SIZE);
    }
    CHECK(vera_pool_free(&pool, blocks[2]) == VERA_OK);
    zeroed = (char *)vera_pool_alloc_zeroed(&pool);
    CHECK(zeroed == blocks[2]);
    CHECK(test_is_aligned(zeroed, VERA_ALIGNMENT));
    for (i = 0u; i < BLOCK_COUNT; i++) {
        for (j = 0u; j < ROUNDED_SIZE; j++) {
            CHECK(blocks[i][j] == (i == 2u ? 0 : (char)0xA5));
        }
    }
    CHECK(vera_pool_blocks_used(&pool) == BLOCK_COUNT);
    CHECK(counters_consistent(&pool));
}

static void test_owns(void)
{
    vera_pool_t pool = {0};
    char *buffer = aligned_buffer();
    size_t offset;
    int local = 0;
    CHECK(init_test_pool(&pool) == VERA_OK);
    /* Every byte of every block, used or free. */
    for (offset = 0u; offset < BUFFER_BYTES; offset++) {
        CHECK(vera_pool_owns(&pool, buffer + offset));
    }
    CHECK(!vera_pool_owns(&pool, buffer + BUFFER_BYTES));
    if (buffer > buffer_storage.bytes) {
        CHECK(!vera_pool_owns(&pool, buffer - 1));
    }
    CHECK(!vera_pool_owns(&pool, &local));
    CHECK(!vera_pool_owns(&pool, &pool));
    CHECK(!vera_pool_owns(&pool, NULL));
}

/* Re-initialising a pool whose blocks are all free re-configures it: new block size, counters
 * back to 0, blocks handed out in address order again. */
static void test_reinit_starts_afresh(void)
{
    vera_pool_t pool = {0};
    void *first;
    void *second;
    CHECK(init_test_pool(&pool) == VERA_OK);
    first = vera_pool_alloc(&pool);
    second = vera_pool_alloc(&pool);
    CHECK(first != NULL && second != NULL);
    CHECK(vera_pool_free(&pool, first) == VERA_OK && vera_pool_free(&pool, second) == VERA_OK);
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, 2u * ROUNDED_SIZE, BLOCK_COUNT / 2u,
                         metadata, METADATA_ENTRIES) == VERA_OK);
    CHECK(vera_pool_block_size(&pool) == 2u * ROUNDED_SIZE);
    CHECK(vera_pool_block_count(&pool) == BLOCK_COUNT / 2u);
    CHECK(vera_pool_blocks_used(&pool) == 0u);
    CHECK(vera_pool_peak_used(&pool) == 0u);
    CHECK(vera_pool_alloc(&pool) == aligned_buffer());
    CHECK(vera_pool_alloc(&pool) == aligned_buffer() + 2u * ROUNDED_SIZE);
}

/* Re-initialising a pool with a block in use is refused, and changes nothing: the block stays
 * the caller's, and is not handed out again. Once it is freed, re-init succeeds. */
static void test_reinit_with_blocks_in_use_is_refused(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    void *block;
    CHECK(init_test_pool(&pool) == VERA_OK);
    block = vera_pool_alloc(&pool);
    CHECK(block != NULL);
    take_snapshot(&before, &pool);
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_IN_USE);
    CHECK(unchanged_since(&before, &pool));
    CHECK(vera_pool_alloc(&pool) != block);
    take_snapshot(&before, &pool);
    /* The state is checked after the arguments: a bad argument still gets its own error. */
    CHECK(vera_pool_init(&pool, aligned_buffer() + 1, BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                         metadata, METADATA_ENTRIES) == VERA_ERROR_MISALIGNED);
    CHECK(unchanged_since(&before, &pool));
    CHECK(vera_pool_free(&pool, block) == VERA_OK);
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_ERROR_IN_USE); /* the other block */
    CHECK(vera_pool_free(&pool, (char *)aligned_buffer() + ROUNDED_SIZE) == VERA_OK);
    CHECK(init_test_pool(&pool) == VERA_OK);
}

/* Metadata not aligned to its entries is refused. */
static void test_init_rejects_misaligned_metadata(void)
{
    static union {
        vera_pool_index_t entries[METADATA_ENTRIES + 1u];
        char bytes[1];
    } storage;
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    reset_metadata();
    take_snapshot(&before, &pool);
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                         (vera_pool_index_t *)(void *)(storage.bytes + 1), METADATA_ENTRIES) ==
          VERA_ERROR_MISALIGNED);
    CHECK(unchanged_since(&before, &pool));
}

/* The pool object inside its blocks or inside its metadata, and metadata overlapping the blocks
 * (either way round), are refused with nothing written. */
static void test_init_rejects_overlap(void)
{
    static union {
        vera_pool_index_t entries[METADATA_ENTRIES + 64u];
        vera_pool_t pool;
    } shared;
    static union {
        union vera_max_align alignment;
        VERA_STORAGE_ALIGNED char bytes[VERA_ALIGNMENT + BUFFER_BYTES];
    } both; /* metadata just before the blocks, overlapping the first one */
    vera_pool_t pool = {0};
    vera_pool_t *pool_in_blocks = (vera_pool_t *)(void *)(aligned_buffer() + ROUNDED_SIZE);
    pool_snapshot_t before;
    char blocks_before[BUFFER_BYTES];

    /* The vera_pool_t inside the blocks. */
    memset(aligned_buffer(), 0, BUFFER_BYTES);
    reset_metadata();
    CHECK(vera_pool_init(pool_in_blocks, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                         metadata, METADATA_ENTRIES) == VERA_ERROR_OVERLAP);
    CHECK(pool_in_blocks->block_count == 0u && pool_in_blocks->base == NULL);
    CHECK(metadata_canaries_intact() && metadata[0] == METADATA_CANARY);
    /* Just past the blocks, inside the buffer's spare bytes: not an overlap with the blocks. */
    memset(aligned_buffer() + BUFFER_BYTES, 0, sizeof(vera_pool_t));
    CHECK(vera_pool_init((vera_pool_t *)(void *)(aligned_buffer() + BUFFER_BYTES), aligned_buffer(),
                         BUFFER_BYTES + sizeof(vera_pool_t), BLOCK_SIZE, BLOCK_COUNT, metadata,
                         METADATA_ENTRIES) == VERA_OK);

    /* The vera_pool_t inside the metadata entries the pool would use. */
    memset(&shared, 0, sizeof shared);
    CHECK(vera_pool_init(&shared.pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                         shared.entries, METADATA_ENTRIES + 64u) == VERA_ERROR_OVERLAP);
    CHECK(shared.pool.block_count == 0u && shared.entries[METADATA_ENTRIES + 63u] == 0u);

    /* Metadata inside the blocks, and blocks starting inside the metadata. */
    reset_metadata();
    take_snapshot(&before, &pool);
    memcpy(blocks_before, aligned_buffer(), BUFFER_BYTES);
    CHECK(vera_pool_init(&pool, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                         (vera_pool_index_t *)(void *)(aligned_buffer() + BUFFER_BYTES - 4u),
                         METADATA_ENTRIES) == VERA_ERROR_OVERLAP);
    CHECK(vera_pool_init(&pool, both.bytes + VERA_ALIGNMENT, BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                         (vera_pool_index_t *)(void *)(both.bytes + VERA_ALIGNMENT - 2u),
                         METADATA_ENTRIES) == VERA_ERROR_OVERLAP);
    CHECK(unchanged_since(&before, &pool));
    CHECK(memcmp(blocks_before, aligned_buffer(), BUFFER_BYTES) == 0);
}

/* A fixed pseudo-random sequence of alloc and free against a list of live blocks: the counters
 * and the hand-out rules hold at every step. (The fuzzer explores this space; this is a quick,
 * deterministic run of the same idea.) */
static void test_churn_against_live_list(void)
{
    vera_pool_t pool = {0};
    char *live[BLOCK_COUNT];
    size_t live_count = 0u;
    size_t peak = 0u;
    uint32_t random_state = 12345u;
    int step;
    CHECK(init_test_pool(&pool) == VERA_OK);
    for (step = 0; step < 2000; step++) {
        random_state = random_state * 1103515245u + 12345u;
        if (((random_state >> 16) & 1u) != 0u) {
            char *block = (char *)vera_pool_alloc(&pool);
            size_t i;
            if (live_count == BLOCK_COUNT) {
                CHECK(block == NULL);
            } else {
                CHECK(block != NULL);
                CHECK(vera_pool_owns(&pool, block));
                CHECK(test_is_aligned(block, VERA_ALIGNMENT));
                for (i = 0u; i < live_count; i++) {
                    CHECK(block != live[i]); /* never a block that is in use */
                }
                live[live_count++] = block;
            }
        } else if (live_count > 0u) {
            size_t victim = (size_t)(random_state >> 20) % live_count;
            CHECK(vera_pool_free(&pool, live[victim]) == VERA_OK);
            CHECK(vera_pool_free(&pool, live[victim]) == VERA_ERROR_DOUBLE_FREE);
            live[victim] = live[--live_count];
        }
        if (live_count > peak) {
            peak = live_count;
        }
        CHECK(vera_pool_blocks_used(&pool) == live_count);
        CHECK(vera_pool_peak_used(&pool) == peak);
        CHECK(counters_consistent(&pool));
    }
    CHECK(metadata_canaries_intact());
}

/* Pools defined with the macro, at file scope and inside a function. */
VERA_POOL_DEFINE(file_scope_pool, 100, 7);

static void test_define_macro(void)
{
    VERA_POOL_DEFINE(function_scope_pool, 1, 3);
    char *blocks[7];
    size_t i;
    /* Before VERA_POOL_INIT a defined pool is an empty, valid pool. */
    CHECK(vera_pool_alloc(&file_scope_pool) == NULL);
    CHECK(vera_pool_failed_requests(&file_scope_pool) == 1u);

    CHECK(VERA_POOL_INIT(file_scope_pool) == VERA_OK);
    CHECK(vera_pool_block_count(&file_scope_pool) == 7u);
    CHECK(vera_pool_block_size(&file_scope_pool) == VERA_POOL_ROUNDED_BLOCK_SIZE(100u));
    CHECK(VERA_POOL_DEFINED_BLOCK_COUNT(file_scope_pool) == 7u);
    CHECK(VERA_POOL_DEFINED_BLOCK_SIZE(file_scope_pool) == VERA_POOL_ROUNDED_BLOCK_SIZE(100u));
    CHECK(vera_pool_failed_requests(&file_scope_pool) == 0u);
    for (i = 0u; i < 7u; i++) {
        blocks[i] = (char *)vera_pool_alloc(&file_scope_pool);
        CHECK(blocks[i] != NULL);
        CHECK(test_is_aligned(blocks[i], VERA_ALIGNMENT));
        memset(blocks[i], 0x77, 100u);
    }
    CHECK(vera_pool_alloc(&file_scope_pool) == NULL);
    for (i = 0u; i < 7u; i++) {
        CHECK(vera_pool_free(&file_scope_pool, blocks[i]) == VERA_OK);
    }
    CHECK(vera_pool_blocks_free(&file_scope_pool) == 7u);

    CHECK(VERA_POOL_INIT(function_scope_pool) == VERA_OK);
    CHECK(vera_pool_block_size(&function_scope_pool) == VERA_ALIGNMENT);
    CHECK(vera_pool_block_count(&function_scope_pool) == 3u);
    CHECK(vera_pool_alloc_zeroed(&function_scope_pool) != NULL);
    CHECK(!vera_pool_owns(&function_scope_pool, blocks[0]));
    CHECK(vera_pool_free(&function_scope_pool, blocks[0]) == VERA_ERROR_NOT_OWNED);
}

/* Storage for the aligned pools: a start at a multiple of VERA_POOL_MAX_ALIGNMENT, room for three
 * blocks of the largest alignment, and one alignment more for the misaligned starts. */
#define ALIGNED_COUNT 3u
static union {
    long double long_double_member;
    char bytes[(ALIGNED_COUNT + 2u) * VERA_POOL_MAX_ALIGNMENT];
} wide_storage;

static char *max_aligned_buffer(void)
{
    char *start = wide_storage.bytes;
    while (!test_is_aligned(start, VERA_POOL_MAX_ALIGNMENT)) {
        start++;
    }
    return start;
}

/* Every power of two from 1 to twice VERA_POOL_MAX_ALIGNMENT: the allowed ones give blocks of the
 * size asked for rounded up to the alignment, each at an address that is a multiple of it; the
 * others, and a buffer not aligned to it, are refused without a change. */
static void test_init_aligned_every_alignment(void)
{
    size_t alignment;
    for (alignment = 1u; alignment <= 2u * VERA_POOL_MAX_ALIGNMENT; alignment *= 2u) {
        vera_pool_t pool = {0};
        pool_snapshot_t before;
        char *buffer = max_aligned_buffer();
        size_t rounded = VERA_POOL_ROUNDED_BLOCK_SIZE_ALIGNED(BLOCK_SIZE, alignment);
        size_t bytes = VERA_POOL_BUFFER_SIZE_ALIGNED(BLOCK_SIZE, ALIGNED_COUNT, alignment);
        void *blocks[ALIGNED_COUNT];
        size_t i;

        memset(&pool, 0, sizeof pool);
        reset_metadata();
        take_snapshot(&before, &pool);
        if (alignment < VERA_ALIGNMENT || alignment > VERA_POOL_MAX_ALIGNMENT) {
            CHECK(vera_pool_init_aligned(&pool, buffer, sizeof wide_storage.bytes - VERA_POOL_MAX_ALIGNMENT,
                                         BLOCK_SIZE, ALIGNED_COUNT, alignment, metadata,
                                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
            CHECK(unchanged_since(&before, &pool));
            continue;
        }
        CHECK(rounded % alignment == 0u && rounded >= BLOCK_SIZE && rounded < BLOCK_SIZE + alignment);
        /* The buffer must be aligned to the pool's alignment, not only to VERA_ALIGNMENT. */
        if (alignment > VERA_ALIGNMENT) {
            CHECK(vera_pool_init_aligned(&pool, buffer + VERA_ALIGNMENT, bytes, BLOCK_SIZE,
                                         ALIGNED_COUNT, alignment, metadata,
                                         METADATA_ENTRIES) == VERA_ERROR_MISALIGNED);
            CHECK(vera_pool_init_aligned(&pool, buffer + alignment / 2u, bytes, BLOCK_SIZE,
                                         ALIGNED_COUNT, alignment, metadata,
                                         METADATA_ENTRIES) == VERA_ERROR_MISALIGNED);
        }
        /* The buffer is measured in blocks rounded to the alignment: one byte short is refused,
         * and so is a buffer sized for VERA_ALIGNMENT when that rounds to less. */
        CHECK(vera_pool_init_aligned(&pool, buffer, bytes - 1u, BLOCK_SIZE, ALIGNED_COUNT, alignment,
                                     metadata, METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
        if (VERA_POOL_BUFFER_SIZE(BLOCK_SIZE, ALIGNED_COUNT) < bytes) {
            CHECK(vera_pool_init_aligned(&pool, buffer, VERA_POOL_BUFFER_SIZE(BLOCK_SIZE, ALIGNED_COUNT),
                                         BLOCK_SIZE, ALIGNED_COUNT, alignment, metadata,
                                         METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
        }
        /* A block size too large to round up to this alignment; a size error wins over a
         * misaligned buffer (the table's order). */
        CHECK(vera_pool_init_aligned(&pool, buffer, bytes, SIZE_MAX - alignment + 2u, 1u, alignment,
                                     metadata, METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
        CHECK(vera_pool_init_aligned(&pool, buffer + 1, bytes, 0u, ALIGNED_COUNT, alignment,
                                     metadata, METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
        CHECK(unchanged_since(&before, &pool));

        CHECK(vera_pool_init_aligned(&pool, buffer, bytes, BLOCK_SIZE, ALIGNED_COUNT, alignment,
                                     metadata, METADATA_ENTRIES) == VERA_OK);
        CHECK(vera_pool_alignment(&pool) == alignment);
        CHECK(vera_pool_block_size(&pool) == rounded);
        CHECK(vera_pool_block_count(&pool) == ALIGNED_COUNT);
        CHECK(vera_pool_check(&pool));
        for (i = 0u; i < ALIGNED_COUNT; i++) {
            blocks[i] = vera_pool_alloc(&pool);
            CHECK(blocks[i] == buffer + i * rounded);
            CHECK(test_is_aligned(blocks[i], alignment) && test_is_aligned(blocks[i], VERA_ALIGNMENT));
            memset(blocks[i], 0x3C, rounded);
        }
        CHECK(vera_pool_alloc(&pool) == NULL);
        CHECK(vera_pool_check(&pool));
        for (i = 0u; i < ALIGNED_COUNT; i++) {
            CHECK(vera_pool_free(&pool, blocks[i]) == VERA_OK);
        }
        CHECK(metadata_canaries_intact());
    }
}

/* Alignments that are not powers of two, too small or too large: VERA_ERROR_INVALID_SIZE, after
 * the NULL checks and before every other check, with nothing changed. */
static void test_init_aligned_rejects_bad_alignments(void)
{
    static const size_t bad[] = {
        0u, 3u, 12u, 24u, VERA_ALIGNMENT + 1u, 3u * VERA_ALIGNMENT, VERA_ALIGNMENT / 2u,
        VERA_POOL_MAX_ALIGNMENT - VERA_ALIGNMENT, VERA_POOL_MAX_ALIGNMENT + VERA_ALIGNMENT,
        2u * VERA_POOL_MAX_ALIGNMENT, (SIZE_MAX / 2u) + 1u, SIZE_MAX,
    };
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    char *buffer = max_aligned_buffer();
    size_t i;

    memset(&pool, 0x5A, sizeof pool);
    reset_metadata();
    take_snapshot(&before, &pool);
    for (i = 0u; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(vera_pool_init_aligned(&pool, buffer, sizeof wide_storage.bytes - VERA_POOL_MAX_ALIGNMENT,
                                     BLOCK_SIZE, BLOCK_COUNT, bad[i], metadata,
                                     METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
        /* NULL wins over the alignment; the alignment over a misaligned buffer. */
        CHECK(vera_pool_init_aligned(&pool, NULL, BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT, bad[i],
                                     metadata, METADATA_ENTRIES) == VERA_ERROR_NULL_POINTER);
        CHECK(vera_pool_init_aligned(&pool, buffer + 1, BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                                     bad[i], metadata, METADATA_ENTRIES) == VERA_ERROR_INVALID_SIZE);
    }
    CHECK(unchanged_since(&before, &pool));
    CHECK(metadata_canaries_intact());
}

/* vera_pool_init is vera_pool_init_aligned with VERA_ALIGNMENT; a pool never initialised has no
 * alignment. */
static void test_init_is_default_alignment(void)
{
    static vera_pool_t zeroed;
    vera_pool_t pool = {0};
    vera_pool_t aligned = {0};
    pool_snapshot_t snapshot;

    CHECK(vera_pool_alignment(NULL) == 0u);
    CHECK(vera_pool_alignment(&zeroed) == 0u);
    CHECK(init_test_pool(&pool) == VERA_OK);
    CHECK(vera_pool_alignment(&pool) == VERA_ALIGNMENT);
    take_snapshot(&snapshot, &pool);
    reset_metadata();
    CHECK(vera_pool_init_aligned(&aligned, aligned_buffer(), BUFFER_BYTES, BLOCK_SIZE, BLOCK_COUNT,
                                 VERA_ALIGNMENT, metadata, METADATA_ENTRIES) == VERA_OK);
    CHECK(unchanged_since(&snapshot, &aligned));
}

/* Pools defined with the aligned macros: at file scope, inside a function, and declared then
 * defined (as a header and one .c file would). */
VERA_POOL_DEFINE_ALIGNED(file_scope_dma_pool, 100, 4, 32);
VERA_POOL_DECLARE_ALIGNED(declared_cache_pool, 20, 5, 64);
VERA_POOL_DEFINE_DECLARED(declared_cache_pool);

static void check_aligned_pool(vera_pool_t *pool, size_t alignment, size_t block_size, size_t count)
{
    void *blocks[8];
    size_t i;
    CHECK(count <= 8u);
    CHECK(vera_pool_alignment(pool) == alignment);
    CHECK(vera_pool_block_size(pool) == VERA_POOL_ROUNDED_BLOCK_SIZE_ALIGNED(block_size, alignment));
    CHECK(vera_pool_block_count(pool) == count);
    for (i = 0u; i < count; i++) {
        blocks[i] = vera_pool_alloc(pool);
        CHECK(blocks[i] != NULL && test_is_aligned(blocks[i], alignment));
    }
    CHECK(vera_pool_alloc(pool) == NULL);
    for (i = 0u; i < count; i++) {
        CHECK(vera_pool_free(pool, blocks[i]) == VERA_OK);
    }
}

static void test_define_aligned_macros(void)
{
    VERA_POOL_DEFINE_ALIGNED(function_scope_page_pool, 1, 2, VERA_POOL_MAX_ALIGNMENT);
    CHECK(file_scope_dma_pool_pool_alignment == 32);
    CHECK(declared_cache_pool_pool_alignment == 64);
    CHECK(VERA_POOL_DEFINED_BLOCK_SIZE(file_scope_dma_pool) == 128u);
    CHECK(VERA_POOL_DEFINED_BLOCK_SIZE(declared_cache_pool) == 64u);
    /* Before VERA_POOL_INIT: an empty pool. */
    CHECK(vera_pool_alloc(&file_scope_dma_pool) == NULL);
    CHECK(VERA_POOL_INIT(file_scope_dma_pool) == VERA_OK);
    check_aligned_pool(&file_scope_dma_pool, 32u, 100u, 4u);
    CHECK(VERA_POOL_INIT(declared_cache_pool) == VERA_OK);
    check_aligned_pool(&declared_cache_pool, 64u, 20u, 5u);
    CHECK(VERA_POOL_INIT(function_scope_page_pool) == VERA_OK);
    check_aligned_pool(&function_scope_page_pool, VERA_POOL_MAX_ALIGNMENT, 1u, 2u);
    /* The plain macro is the aligned one with VERA_ALIGNMENT. */
    CHECK(file_scope_pool_pool_alignment == (int)VERA_ALIGNMENT);
}

/* The largest pool: every index fits the metadata's 16-bit entries. */
static void test_largest_pool(void)
{
    enum { LARGEST = VERA_POOL_MAX_BLOCKS };
    static union {
        long double long_double_member;
        char bytes[(size_t)LARGEST * VERA_ALIGNMENT];
    } large_buffer;
    static vera_pool_index_t large_metadata[2u * (size_t)LARGEST];
    vera_pool_t pool = {0};
    char *first = NULL;
    char *block = NULL;
    size_t i;
    CHECK(vera_pool_init(&pool, large_buffer.bytes, sizeof large_buffer.bytes, VERA_ALIGNMENT,
                         LARGEST, large_metadata, 2u * (size_t)LARGEST) == VERA_OK);
    for (i = 0u; i < LARGEST; i++) {
        block = (char *)vera_pool_alloc(&pool);
        if (i == 0u) {
            first = block;
        }
        if (block != large_buffer.bytes + i * VERA_ALIGNMENT) {
            break;
        }
    }
    CHECK(i == LARGEST);
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_free(&pool, block) == VERA_OK); /* the last block */
    CHECK(vera_pool_free(&pool, first) == VERA_OK);
    CHECK(vera_pool_alloc(&pool) == first);
    CHECK(vera_pool_alloc(&pool) == block);
    CHECK(vera_pool_blocks_used(&pool) == LARGEST);
}

/* vera_pool_get_stats copies what the queries return one by one; NULL arguments write nothing. */
static void test_get_stats(void)
{
    vera_pool_t pool = {0};
    vera_pool_stats_t stats;
    vera_pool_stats_t untouched;
    void *block;

    CHECK(init_test_pool(&pool) == VERA_OK);
    block = vera_pool_alloc(&pool);
    CHECK(block != NULL);
    CHECK(vera_pool_alloc(&pool) != NULL);
    CHECK(vera_pool_free(&pool, block) == VERA_OK);
    memset(&stats, 0xA5, sizeof stats);
    CHECK(vera_pool_get_stats(&pool, &stats) == VERA_OK);
    CHECK(stats.block_size == ROUNDED_SIZE && stats.block_count == BLOCK_COUNT);
    CHECK(stats.blocks_free == BLOCK_COUNT - 1u && stats.blocks_used == 1u);
    CHECK(stats.peak_used == 2u && stats.failed_requests == 0u);
    while (vera_pool_alloc(&pool) != NULL) {
    }
    CHECK(vera_pool_get_stats(&pool, &stats) == VERA_OK);
    CHECK(stats.blocks_free == 0u && stats.failed_requests == 1u && stats.peak_used == BLOCK_COUNT);

    memset(&stats, 0xA5, sizeof stats);
    untouched = stats;
    CHECK(vera_pool_get_stats(NULL, &stats) == VERA_ERROR_NULL_POINTER);
    CHECK(memcmp(&stats, &untouched, sizeof stats) == 0);
    CHECK(vera_pool_get_stats(&pool, NULL) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_pool_get_stats(NULL, NULL) == VERA_ERROR_NULL_POINTER);
}

/* vera_pool_check accepts every valid state: zero-initialised, fresh, partly used, full. */
static void test_check_accepts_valid_pools(void)
{
    static vera_pool_t zeroed;
    vera_pool_t pool = {0};
    void *blocks[BLOCK_COUNT];
    size_t i;

    CHECK(!vera_pool_check(NULL));
    CHECK(vera_pool_check(&zeroed));
    CHECK(init_test_pool(&pool) == VERA_OK);
    CHECK(vera_pool_check(&pool));
    for (i = 0u; i < BLOCK_COUNT; i++) {
        blocks[i] = vera_pool_alloc(&pool);
        CHECK(blocks[i] != NULL && vera_pool_check(&pool));
    }
    CHECK(vera_pool_alloc(&pool) == NULL && vera_pool_check(&pool));
    CHECK(vera_pool_free(&pool, blocks[2]) == VERA_OK && vera_pool_check(&pool));
    CHECK(vera_pool_free(&pool, blocks[0]) == VERA_OK && vera_pool_check(&pool));
    CHECK(vera_pool_free(&pool, blocks[2]) == VERA_ERROR_DOUBLE_FREE && vera_pool_check(&pool));
}

/* One corruption of a valid pool (two blocks used), applied by `corrupt`, must make
 * vera_pool_check return false. */
typedef void (*pool_corruption_t)(vera_pool_t *pool);

static void counters_free_above_count(vera_pool_t *pool) { pool->free_count = pool->block_count + 1u; }
static void counters_count_above_max(vera_pool_t *pool) { pool->block_count = VERA_POOL_MAX_BLOCKS + 1u; }
static void counters_peak_below_used(vera_pool_t *pool) { pool->peak_used = 1u; }
static void counters_peak_above_count(vera_pool_t *pool) { pool->peak_used = pool->block_count + 1u; }
static void size_not_aligned(vera_pool_t *pool) { pool->block_size += 1u; }
static void size_zero(vera_pool_t *pool) { pool->block_size = 0u; }
static void capacity_wrong(vera_pool_t *pool) { pool->capacity -= pool->block_size; }
static void capacity_other_multiple(vera_pool_t *pool) { pool->capacity += pool->block_count; }
static void base_misaligned(vera_pool_t *pool) { pool->base += 1; }
static void alignment_zero(vera_pool_t *pool) { pool->alignment = 0u; }
static void alignment_not_power_of_two(vera_pool_t *pool) { pool->alignment = 3u * VERA_ALIGNMENT; }
static void alignment_below_default(vera_pool_t *pool) { pool->alignment = VERA_ALIGNMENT / 2u; }
static void alignment_above_max(vera_pool_t *pool) { pool->alignment = 2u * VERA_POOL_MAX_ALIGNMENT; }
static void alignment_beyond_block_size(vera_pool_t *pool) { pool->alignment = VERA_POOL_MAX_ALIGNMENT; }
static void base_null(vera_pool_t *pool) { pool->base = NULL; }
static void order_null(vera_pool_t *pool) { pool->free_order = NULL; }
static void position_null(vera_pool_t *pool) { pool->block_position = NULL; }
static void top_index_out_of_range(vera_pool_t *pool) { pool->free_order[pool->free_count - 1u] = (vera_pool_index_t)pool->block_count; }
static void top_position_mismatch(vera_pool_t *pool)
{
    pool->block_position[pool->free_order[pool->free_count - 1u]] = 0u;
}
static void first_used_index_out_of_range(vera_pool_t *pool) { pool->free_order[pool->free_count] = 0xFFFFu; }
static void first_used_position_mismatch(vera_pool_t *pool)
{
    pool->block_position[pool->free_order[pool->free_count]] = (vera_pool_index_t)(pool->free_count + 1u);
}

static void test_check_finds_corruption(void)
{
    static const pool_corruption_t corruptions[] = {
        counters_free_above_count, counters_count_above_max, counters_peak_below_used,
        counters_peak_above_count, size_not_aligned, size_zero, capacity_wrong, capacity_other_multiple,
        base_misaligned,
        alignment_zero, alignment_not_power_of_two, alignment_below_default, alignment_above_max,
        alignment_beyond_block_size,
        base_null, order_null, position_null,
        top_index_out_of_range, top_position_mismatch, first_used_index_out_of_range,
        first_used_position_mismatch,
    };
    size_t i;

    for (i = 0u; i < sizeof corruptions / sizeof corruptions[0]; i++) {
        vera_pool_t pool = {0};
        CHECK(init_test_pool(&pool) == VERA_OK);
        CHECK(vera_pool_alloc(&pool) != NULL && vera_pool_alloc(&pool) != NULL);
        CHECK(vera_pool_check(&pool));
        corruptions[i](&pool);
        if (vera_pool_check(&pool)) {
            fprintf(stderr, "vera_pool_check accepted corruption %zu\n", i);
        }
        CHECK(!vera_pool_check(&pool));
    }
}

/* A stray write into the metadata at the top of the free stack: alloc refuses (NULL, counted as
 * a failed request) instead of handing out memory outside the blocks, and vera_pool_check finds
 * it. */
static void test_alloc_refuses_corrupted_metadata(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    size_t failed;

    CHECK(init_test_pool(&pool) == VERA_OK);
    CHECK(vera_pool_alloc(&pool) != NULL);
    metadata[pool.free_count - 1u] = (vera_pool_index_t)0xFFFFu; /* index out of range */
    CHECK(!vera_pool_check(&pool));
    failed = vera_pool_failed_requests(&pool);
    take_snapshot(&before, &pool);
    before.pool.failed_requests = failed + 1u;
    CHECK(vera_pool_alloc(&pool) == NULL);
    CHECK(vera_pool_alloc_zeroed(&pool) == NULL);
    before.pool.failed_requests = failed + 2u;
    CHECK(unchanged_since(&before, &pool));

    {
        vera_pool_t fresh = {0};
        CHECK(init_test_pool(&fresh) == VERA_OK);
        metadata[BLOCK_COUNT + 0u] = 1u; /* block 0 claims another position than the top */
        CHECK(!vera_pool_check(&fresh));
        CHECK(vera_pool_alloc(&fresh) == NULL);
        CHECK(vera_pool_failed_requests(&fresh) == 1u && vera_pool_blocks_used(&fresh) == 0u);
    }
}

/* Stray writes into the metadata at the entries free reads: VERA_ERROR_CORRUPTED, nothing
 * changed. */
static void test_free_refuses_corrupted_metadata(void)
{
    vera_pool_t pool = {0};
    pool_snapshot_t before;
    char *const first = aligned_buffer();

    CHECK(init_test_pool(&pool) == VERA_OK);
    CHECK(vera_pool_alloc(&pool) == first && vera_pool_alloc(&pool) == first + ROUNDED_SIZE);
    /* The position of block 0 out of range. */
    metadata[BLOCK_COUNT + 0u] = (vera_pool_index_t)0xFFFFu;
    take_snapshot(&before, &pool);
    CHECK(vera_pool_free(&pool, first) == VERA_ERROR_CORRUPTED);
    CHECK(unchanged_since(&before, &pool));
    /* The position of block 0 in range, but free_order disagrees there. */
    metadata[BLOCK_COUNT + 0u] = (vera_pool_index_t)(BLOCK_COUNT - 2u); /* block 1's place */
    take_snapshot(&before, &pool);
    CHECK(vera_pool_free(&pool, first) == VERA_ERROR_CORRUPTED);
    CHECK(unchanged_since(&before, &pool));
    metadata[BLOCK_COUNT + 0u] = (vera_pool_index_t)(BLOCK_COUNT - 1u); /* repaired */
    CHECK(vera_pool_check(&pool));
    /* The first used entry (which free swaps with) out of range. */
    metadata[pool.free_count] = (vera_pool_index_t)0xFFFFu;
    take_snapshot(&before, &pool);
    CHECK(vera_pool_free(&pool, first) == VERA_ERROR_CORRUPTED);
    CHECK(unchanged_since(&before, &pool));
    CHECK(!vera_pool_check(&pool));
}

/* Every metadata entry overwritten with every value that matters (each index, the first one out
 * of range, the largest): whatever alloc and free then answer, every block handed out is a block
 * start inside the buffer, free answers OK, DOUBLE_FREE or CORRUPTED, and no byte outside the
 * metadata entries is written (canaries; ASan and UBSan in the sanitizer builds). */
static void test_corrupted_metadata_stays_contained(void)
{
    size_t entry;
    size_t value;

    for (entry = 0u; entry < METADATA_ENTRIES; entry++) {
        for (value = 0u; value <= BLOCK_COUNT + 1u; value++) {
            vera_pool_t pool = {0};
            char *blocks[2u * BLOCK_COUNT];
            size_t taken = 0u;
            size_t i;

            CHECK(init_test_pool(&pool) == VERA_OK);
            CHECK(vera_pool_alloc(&pool) != NULL && vera_pool_alloc(&pool) != NULL);
            metadata[entry] = (vera_pool_index_t)(value == BLOCK_COUNT + 1u ? 0xFFFFu : value);
            for (i = 0u; i < 2u * BLOCK_COUNT; i++) {
                char *block = (char *)vera_pool_alloc_zeroed(&pool);
                if (block != NULL) {
                    CHECK(block >= aligned_buffer() && block < aligned_buffer() + BUFFER_BYTES &&
                          (size_t)(block - aligned_buffer()) % ROUNDED_SIZE == 0u);
                    blocks[taken++] = block;
                }
            }
            for (i = 0u; i < BLOCK_COUNT; i++) {
                vera_status_t status = vera_pool_free(&pool, aligned_buffer() + i * ROUNDED_SIZE);
                CHECK(status == VERA_OK || status == VERA_ERROR_DOUBLE_FREE ||
                      status == VERA_ERROR_CORRUPTED);
            }
            CHECK(vera_pool_blocks_free(&pool) <= BLOCK_COUNT);
            CHECK(metadata_canaries_intact());
            (void)blocks;
        }
    }
}

int main(void)
{
    RUN_TEST(test_init_rejects_null_pointers);
    RUN_TEST(test_init_rejects_bad_sizes);
    RUN_TEST(test_init_rejects_misaligned_buffer);
    RUN_TEST(test_init_accepts_exact_sizes);
    RUN_TEST(test_zero_initialised_pool_is_empty);
    RUN_TEST(test_null_pool);
    RUN_TEST(test_alloc_hands_out_every_block_once);
    RUN_TEST(test_alloc_fails_when_exhausted);
    RUN_TEST(test_failed_requests_saturate);
    RUN_TEST(test_free_null_does_nothing);
    RUN_TEST(test_free_makes_block_reusable_last_in_first_out);
    RUN_TEST(test_free_all_then_alloc_all_again);
    RUN_TEST(test_free_rejects_foreign_pointers);
    RUN_TEST(test_free_rejects_interior_pointers);
    RUN_TEST(test_free_rejects_double_free);
    RUN_TEST(test_alloc_zeroed_clears_only_its_block);
    RUN_TEST(test_owns);
    RUN_TEST(test_reinit_starts_afresh);
    RUN_TEST(test_reinit_with_blocks_in_use_is_refused);
    RUN_TEST(test_init_rejects_misaligned_metadata);
    RUN_TEST(test_init_rejects_overlap);
    RUN_TEST(test_churn_against_live_list);
    RUN_TEST(test_define_macro);
    RUN_TEST(test_init_aligned_every_alignment);
    RUN_TEST(test_init_aligned_rejects_bad_alignments);
    RUN_TEST(test_init_is_default_alignment);
    RUN_TEST(test_define_aligned_macros);
    RUN_TEST(test_largest_pool);
    RUN_TEST(test_get_stats);
    RUN_TEST(test_check_accepts_valid_pools);
    RUN_TEST(test_check_finds_corruption);
    RUN_TEST(test_alloc_refuses_corrupted_metadata);
    RUN_TEST(test_free_refuses_corrupted_metadata);
    RUN_TEST(test_corrupted_metadata_stays_contained);
    return test_finish();
}
