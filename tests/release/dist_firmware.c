/*
 * A small firmware built from the two-file distribution alone (dist/veralloc.h, dist/veralloc.c):
 * what a team that vendors veralloc links into its image. It runs on QEMU's Cortex-M boards,
 * exercises the public API through the two files (the arena, the fixed-block pool and the MiraOS
 * facade in both of its modes, misuse included) on the real target ABI (32-bit pointers, 8-byte
 * alignment), and ends the run through semihosting with the number of failed checks as QEMU's
 * exit status.
 *
 * Only the start-up code and the semihosting output come from the benchmark harness
 * (//bench/firmware:boot); no file of src/ or include/ is an input of this build.
 *
 * One scenario per boot, named on the semihosting command line (the facade holds static state
 * and can be set up only once per boot):
 *   arena          vera_arena_*: every row of the error table, alignment, bounds, disjointness
 *   pool           vera_pool_* over a VERA_POOL_DEFINE pool: every row of the error table,
 *                  alignment, bounds, disjointness, reuse, counters (free divides by the block
 *                  size: on the target, with the core's divide instruction)
 *   mira-buffer    mira_mem_* over MIRA_MEM_SET_BUFFER
 *   mira-callback  mira_mem_* over an allocation callback
 *   broken         one expectation that is deliberately wrong: shows a failing check reaches the
 *                  host as a FAIL line and a non-zero exit status
 * Output: "veralloc VERSION", a line per check ("ok NAME" or "FAIL NAME line N"), then
 * "summary SCENARIO checks=N failed=F". Exit status: 0 if every check passed, 1 if one failed,
 * 2 for an unknown scenario, 5 for a CPU exception.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "semihosting.h"
#include "veralloc.h"

static uint32_t checks_run;
static uint32_t checks_failed;

static void report(bool passed, const char *name, uint32_t line)
{
    checks_run++;
    if (passed) {
        bench_print("ok ");
        bench_print(name);
    } else {
        checks_failed++;
        bench_print("FAIL ");
        bench_print(name);
        bench_print(" line ");
        bench_print_unsigned(line);
    }
    bench_print_line_end();
}

#define CHECK(name, condition) report((condition), (name), (uint32_t)__LINE__)

static bool is_aligned(const void *pointer, uintptr_t alignment)
{
    return ((uintptr_t)pointer % alignment) == 0u;
}

/* Fills `size` bytes at `block` with a pattern derived from `seed`; pattern_intact checks it. */
static void fill_pattern(unsigned char *block, size_t size, unsigned seed)
{
    size_t index;
    for (index = 0u; index < size; index++) {
        block[index] = (unsigned char)((seed * 31u + index) & 0xFFu);
    }
}

static bool pattern_intact(const unsigned char *block, size_t size, unsigned seed)
{
    size_t index;
    for (index = 0u; index < size; index++) {
        if (block[index] != (unsigned char)((seed * 31u + index) & 0xFFu)) {
            return false;
        }
    }
    return true;
}

/* ---- the instance API -------------------------------------------------------------------- */

#define ARENA_BYTES 4096u
static union {
    uint64_t alignment;
    unsigned char bytes[ARENA_BYTES + 1024u];
} arena_storage;

/* A 1024-aligned start inside arena_storage, so every alignment up to 1024 can be asked for. */
static unsigned char *arena_buffer(void)
{
    unsigned char *start = arena_storage.bytes;
    while (!is_aligned(start, 1024u)) {
        start++;
    }
    return start;
}

static bool arena_fields_equal(const vera_arena_t *left, const vera_arena_t *right)
{
    return left->base == right->base && left->capacity == right->capacity &&
           left->used == right->used && left->sealed == right->sealed &&
           left->largest_request == right->largest_request &&
           left->failed_requests == right->failed_requests;
}

static bool allocation_state_equal(const vera_arena_t *left, const vera_arena_t *right)
{
    return left->base == right->base && left->capacity == right->capacity &&
           left->used == right->used && left->sealed == right->sealed;
}

static void arena_scenario(void)
{
    static vera_arena_t never_initialised; /* zero-initialised, as a static arena is */
    vera_arena_t arena;
    vera_arena_t before;
    unsigned char *buffer = arena_buffer();
    unsigned char *blocks[6];
    static const size_t sizes[6] = {1u, 7u, 8u, 9u, 100u, 3u};
    size_t index;
    size_t alignment;
    bool all_aligned = true;
    bool all_inside = true;
    bool all_intact = true;
    uintptr_t offset;
    bool all_misaligned_rejected = true;

    CHECK("arena target is 32-bit with 8-byte alignment",
          sizeof(void *) == 4u && VERA_ALIGNMENT == 8u && MIRA_MEM_ALIGNMENT == 8u);

    CHECK("zero-initialised arena refuses to allocate",
          vera_arena_alloc(&never_initialised, 1u) == NULL &&
              vera_arena_alloc_aligned(&never_initialised, 1u, 64u) == NULL &&
              vera_arena_capacity(&never_initialised) == 0u &&
              vera_arena_failed_requests(&never_initialised) == 2u);

    CHECK("init succeeds", vera_arena_init(&arena, buffer, ARENA_BYTES + 5u) == VERA_OK);
    CHECK("capacity is the size rounded down", vera_arena_capacity(&arena) == ARENA_BYTES);
    before = arena;
    CHECK("init with NULL arena or buffer: VERA_ERROR_NULL_POINTER",
          vera_arena_init(NULL, buffer, ARENA_BYTES) == VERA_ERROR_NULL_POINTER &&
              vera_arena_init(&arena, NULL, ARENA_BYTES) == VERA_ERROR_NULL_POINTER);
    CHECK("init with size < VERA_ALIGNMENT: VERA_ERROR_INVALID_SIZE",
          vera_arena_init(&arena, buffer, 0u) == VERA_ERROR_INVALID_SIZE &&
              vera_arena_init(&arena, buffer, VERA_ALIGNMENT - 1u) == VERA_ERROR_INVALID_SIZE);
    for (offset = 1u; offset < VERA_ALIGNMENT; offset++) {
        if (vera_arena_init(&arena, buffer + offset, ARENA_BYTES) != VERA_ERROR_MISALIGNED) {
            all_misaligned_rejected = false;
        }
    }
    CHECK("init with a misaligned buffer: VERA_ERROR_MISALIGNED", all_misaligned_rejected);
    CHECK("a failed init changes nothing", arena_fields_equal(&arena, &before));

    for (index = 0u; index < 6u; index++) {
        blocks[index] = vera_arena_alloc(&arena, sizes[index]);
        if (blocks[index] == NULL || !is_aligned(blocks[index], VERA_ALIGNMENT)) {
            all_aligned = false;
        } else {
            if (blocks[index] < buffer || blocks[index] + sizes[index] > buffer + ARENA_BYTES) {
                all_inside = false;
            }
            fill_pattern(blocks[index], sizes[index], (unsigned)index);
        }
    }
    CHECK("alloc: blocks aligned to VERA_ALIGNMENT", all_aligned);
    CHECK("alloc: blocks inside the buffer", all_inside);
    for (index = 0u; all_aligned && index < 6u; index++) {
        all_intact = all_intact && pattern_intact(blocks[index], sizes[index], (unsigned)index);
    }
    CHECK("alloc: blocks disjoint (every pattern intact)", all_aligned && all_intact);
    CHECK("alloc: usage is the sum of rounded sizes",
          vera_arena_used(&arena) == 8u + 8u + 8u + 16u + 104u + 8u);

    all_aligned = true;
    for (alignment = 1u; alignment <= 1024u; alignment *= 2u) {
        size_t used_before;
        unsigned char *block;
        (void)vera_arena_alloc(&arena, 1u); /* move the watermark off larger alignments */
        used_before = vera_arena_used(&arena);
        block = vera_arena_alloc_aligned(&arena, 5u, alignment);
        if (block == NULL || !is_aligned(block, alignment) || !is_aligned(block, VERA_ALIGNMENT) ||
            block < buffer + used_before || block + 5u > buffer + vera_arena_used(&arena)) {
            all_aligned = false;
        }
    }
    CHECK("alloc_aligned: absolute address aligned, 1 to 1024", all_aligned);

    before = arena;
    CHECK("alloc_aligned with a bad alignment fails",
          vera_arena_alloc_aligned(&arena, 8u, 0u) == NULL &&
              vera_arena_alloc_aligned(&arena, 8u, 24u) == NULL &&
              vera_arena_alloc_aligned(&arena, 8u, (size_t)SIZE_MAX) == NULL);
    CHECK("alloc of size 0 fails",
          vera_arena_alloc(&arena, 0u) == NULL && vera_arena_alloc_aligned(&arena, 0u, 16u) == NULL);
    CHECK("alloc near SIZE_MAX fails, nothing wraps",
          vera_arena_alloc(&arena, (size_t)SIZE_MAX) == NULL &&
              vera_arena_alloc(&arena, (size_t)SIZE_MAX - VERA_ALIGNMENT + 1u) == NULL &&
              vera_arena_alloc_aligned(&arena, (size_t)SIZE_MAX - 3u, 256u) == NULL);
    CHECK("alloc one byte more than is free fails",
          vera_arena_alloc(&arena, vera_arena_available(&arena) + 1u) == NULL);
    CHECK("failed allocations change only the diagnostics",
          allocation_state_equal(&arena, &before) &&
              vera_arena_failed_requests(&arena) == before.failed_requests + 9u &&
              vera_arena_largest_request(&arena) == (size_t)SIZE_MAX);
    CHECK("alloc of exactly what is free succeeds",
          vera_arena_alloc(&arena, vera_arena_available(&arena)) != NULL &&
              vera_arena_available(&arena) == 0u && vera_arena_used(&arena) == ARENA_BYTES);

    CHECK("init again starts afresh",
          vera_arena_init(&arena, buffer, 64u) == VERA_OK && vera_arena_used(&arena) == 0u);
    vera_arena_seal(&arena);
    before = arena;
    CHECK("sealed arena refuses to allocate",
          vera_arena_is_sealed(&arena) && vera_arena_alloc(&arena, 8u) == NULL &&
              vera_arena_alloc_aligned(&arena, 8u, 8u) == NULL &&
              allocation_state_equal(&arena, &before));

    vera_arena_seal(NULL);
    CHECK("NULL arena: NULL, 0, false",
          vera_arena_alloc(NULL, 8u) == NULL && vera_arena_alloc_aligned(NULL, 8u, 8u) == NULL &&
              !vera_arena_is_sealed(NULL) && vera_arena_capacity(NULL) == 0u &&
              vera_arena_used(NULL) == 0u && vera_arena_available(NULL) == 0u &&
              vera_arena_largest_request(NULL) == 0u && vera_arena_failed_requests(NULL) == 0u);
}

/* ---- the MiraOS facade --------------------------------------------------------------------- */

static uint32_t hook_calls;
static mira_size_t hook_size;
static mira_status_t hook_reason;

static void recording_hook(mira_size_t size, mira_status_t reason)
{
    hook_calls++;
    hook_size = size;
    hook_reason = reason;
}

/* Fails `size` and checks the hook saw that size and `reason`. */
static bool fails_with(mira_size_t size, mira_status_t reason)
{
    uint32_t calls_before = hook_calls;
    return mira_mem_alloc(size) == NULL && hook_calls == calls_before + 1u && hook_size == size &&
           hook_reason == reason;
}

#define FACADE_BUFFER_BYTES 4096u

static void mira_buffer_scenario(void)
{
    static union {
        uint64_t alignment;
        unsigned char bytes[64];
    } spare;
    unsigned char *blocks[8];
    mira_size_t expected_usage = 0u;
    mira_size_t size;
    size_t index;
    bool all_aligned = true;
    bool all_intact = true;
    mira_mem_stats_t stats;

    CHECK("set_oom_hook", mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK("alloc before any set_*: MIRA_ERROR_NOT_SET", fails_with(16u, MIRA_ERROR_NOT_SET));
    CHECK("usage before any set_* is 0", mira_mem_buffer_get_usage() == 0u);
    CHECK("set_alloc_buffer(NULL): MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_buffer(NULL, 64u) == MIRA_ERROR_INVALID_VALUE);
    CHECK("set_alloc_buffer too small: MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_buffer(spare.bytes, 0u) == MIRA_ERROR_INVALID_VALUE &&
              mira_mem_set_alloc_buffer(spare.bytes, MIRA_MEM_ALIGNMENT - 1u) ==
                  MIRA_ERROR_INVALID_VALUE);
    CHECK("set_alloc_buffer misaligned: MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_buffer(spare.bytes + 4, 32u) == MIRA_ERROR_INVALID_VALUE);

    MIRA_MEM_SET_BUFFER(FACADE_BUFFER_BYTES);
    CHECK("MIRA_MEM_SET_BUFFER took effect",
          mira_mem_buffer_get_capacity() == FACADE_BUFFER_BYTES &&
              mira_mem_buffer_get_usage() == 0u);
    CHECK("a second set_*: MIRA_ERROR_ALREADY_SET, first kept",
          mira_mem_set_alloc_buffer(spare.bytes, 64u) == MIRA_ERROR_ALREADY_SET &&
              mira_mem_set_alloc_callback(NULL, NULL) == MIRA_ERROR_ALREADY_SET &&
              mira_mem_buffer_get_capacity() == FACADE_BUFFER_BYTES);

    for (index = 0u; index < 8u; index++) {
        size = (mira_size_t)(index * 37u + 1u);
        blocks[index] = mira_mem_alloc(size);
        if (blocks[index] == NULL || !is_aligned(blocks[index], MIRA_MEM_ALIGNMENT)) {
            all_aligned = false;
        } else {
            fill_pattern(blocks[index], size, (unsigned)index + 10u);
        }
        expected_usage += (size + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT;
    }
    CHECK("alloc: blocks aligned to MIRA_MEM_ALIGNMENT", all_aligned);
    for (index = 0u; all_aligned && index < 8u; index++) {
        all_intact = all_intact && pattern_intact(blocks[index], (mira_size_t)(index * 37u + 1u),
                                                  (unsigned)index + 10u);
    }
    CHECK("alloc: blocks disjoint (every pattern intact)", all_aligned && all_intact);
    CHECK("usage is the sum of rounded sizes", mira_mem_buffer_get_usage() == expected_usage);
    CHECK("alloc(0): MIRA_ERROR_INVALID_VALUE", fails_with(0u, MIRA_ERROR_INVALID_VALUE));
    CHECK("alloc near SIZE_MAX: MIRA_ERROR_RESOURCE_NOT_AVAILABLE",
          fails_with((mira_size_t)SIZE_MAX, MIRA_ERROR_RESOURCE_NOT_AVAILABLE) &&
              fails_with((mira_size_t)SIZE_MAX - 2u, MIRA_ERROR_RESOURCE_NOT_AVAILABLE));
    CHECK("alloc one byte more than is free: MIRA_ERROR_RESOURCE_NOT_AVAILABLE",
          fails_with(mira_mem_buffer_get_free() + 1u, MIRA_ERROR_RESOURCE_NOT_AVAILABLE));
    CHECK("failed allocations leave usage unchanged", mira_mem_buffer_get_usage() == expected_usage);
    CHECK("alloc of exactly what is free succeeds",
          mira_mem_alloc(mira_mem_buffer_get_free()) != NULL && mira_mem_buffer_get_free() == 0u);

    CHECK("seal", mira_mem_seal() == MIRA_SUCCESS && mira_mem_seal() == MIRA_SUCCESS);
    CHECK("alloc after seal: MIRA_ERROR_SEALED", fails_with(8u, MIRA_ERROR_SEALED));
    CHECK("set_* after seal: MIRA_ERROR_SEALED",
          mira_mem_set_alloc_buffer(spare.bytes, 64u) == MIRA_ERROR_SEALED);
    CHECK("get_stats(NULL): MIRA_ERROR_INVALID_VALUE",
          mira_mem_get_stats(NULL) == MIRA_ERROR_INVALID_VALUE);
    CHECK("get_stats",
          mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.capacity == FACADE_BUFFER_BYTES &&
              stats.usage == FACADE_BUFFER_BYTES && stats.free == 0u &&
              stats.largest_request == (mira_size_t)SIZE_MAX && stats.failed_requests == 6u &&
              stats.last_failed_request == 8u && stats.last_failure == MIRA_ERROR_SEALED);
}

/* The application's allocator: hands out `answer`, counts its calls, remembers `storage`. */
struct scripted_allocator {
    void *answer;
    uint32_t calls;
    mira_size_t last_size;
};

static void *scripted_alloc(mira_size_t size, void *storage)
{
    struct scripted_allocator *script = storage;
    script->calls++;
    script->last_size = size;
    return script->answer;
}

static void mira_callback_scenario(void)
{
    static union {
        uint64_t alignment;
        unsigned char bytes[256];
    } application_heap;
    static struct scripted_allocator script;
    mira_size_t usage_before;
    uintptr_t offset;
    bool all_misaligned_rejected = true;

    CHECK("set_oom_hook", mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK("set_alloc_callback(NULL): MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_callback(NULL, &script) == MIRA_ERROR_INVALID_VALUE);
    CHECK("set_alloc_callback", mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK("a second set_*: MIRA_ERROR_ALREADY_SET",
          mira_mem_set_alloc_buffer(application_heap.bytes, 64u) == MIRA_ERROR_ALREADY_SET &&
              mira_mem_set_alloc_callback(scripted_alloc, NULL) == MIRA_ERROR_ALREADY_SET);

    script.answer = application_heap.bytes;
    CHECK("alloc returns the callback's block, storage passed back",
          mira_mem_alloc(24u) == application_heap.bytes && script.calls == 1u &&
              script.last_size == 24u);
    CHECK("usage counts the bytes handed out", mira_mem_buffer_get_usage() == 24u);
    CHECK("free and capacity are 0 in callback mode",
          mira_mem_buffer_get_free() == 0u && mira_mem_buffer_get_capacity() == 0u);
    CHECK("alloc(0) is rejected before the callback is asked",
          fails_with(0u, MIRA_ERROR_INVALID_VALUE) && script.calls == 1u);

    usage_before = mira_mem_buffer_get_usage();
    script.answer = NULL;
    CHECK("callback returned NULL: MIRA_ERROR_RESOURCE_NOT_AVAILABLE",
          fails_with(16u, MIRA_ERROR_RESOURCE_NOT_AVAILABLE));
    for (offset = 1u; offset < MIRA_MEM_ALIGNMENT; offset++) {
        script.answer = application_heap.bytes + offset;
        if (!fails_with(16u, MIRA_ERROR_CALLBACK_MISALIGNED)) {
            all_misaligned_rejected = false;
        }
    }
    CHECK("callback returned a misaligned block: MIRA_ERROR_CALLBACK_MISALIGNED",
          all_misaligned_rejected);
    CHECK("failed allocations leave usage unchanged", mira_mem_buffer_get_usage() == usage_before);

    CHECK("seal", mira_mem_seal() == MIRA_SUCCESS);
    script.answer = application_heap.bytes;
    CHECK("alloc after seal: MIRA_ERROR_SEALED, callback not asked",
          fails_with(8u, MIRA_ERROR_SEALED) && script.calls == 1u + 1u + (MIRA_MEM_ALIGNMENT - 1u));
}

/* ---- the fixed-block pool ------------------------------------------------------------------ */

#define POOL_BLOCK_SIZE 20u /* rounded up to 24 on the target */
#define POOL_BLOCKS 6u
VERA_POOL_DEFINE(firmware_pool, POOL_BLOCK_SIZE, POOL_BLOCKS);

static bool pool_fields_equal(const vera_pool_t *left, const vera_pool_t *right)
{
    return left->base == right->base && left->block_size == right->block_size &&
           left->block_count == right->block_count && left->capacity == right->capacity &&
           left->free_order == right->free_order &&
           left->block_position == right->block_position &&
           left->free_count == right->free_count && left->peak_used == right->peak_used &&
           left->failed_allocations == right->failed_allocations;
}

static void pool_scenario(void)
{
    static vera_pool_t never_initialised; /* zero-initialised, as a static pool is */
    static vera_pool_index_t spare_metadata[VERA_POOL_METADATA_ENTRIES(POOL_BLOCKS)];
    unsigned char *blocks[POOL_BLOCKS];
    unsigned char *base;
    vera_pool_t before;
    size_t block_size;
    size_t index;
    bool all_aligned = true;
    bool all_inside = true;
    bool all_intact = true;
    bool all_zero = true;
    int outside = 0;

    CHECK("zero-initialised pool refuses to allocate",
          vera_pool_alloc(&never_initialised) == NULL &&
              vera_pool_failed_allocations(&never_initialised) == 1u);
    CHECK("VERA_POOL_INIT succeeds", VERA_POOL_INIT(firmware_pool) == VERA_OK);
    block_size = vera_pool_block_size(&firmware_pool);
    CHECK("block size rounded up to VERA_ALIGNMENT, block count as defined",
          block_size == 24u && vera_pool_block_count(&firmware_pool) == POOL_BLOCKS);

    before = firmware_pool;
    CHECK("init with a NULL pool, buffer or metadata: VERA_ERROR_NULL_POINTER",
          vera_pool_init(NULL, firmware_pool_blocks.bytes, sizeof firmware_pool_blocks.bytes,
                         POOL_BLOCK_SIZE, POOL_BLOCKS, spare_metadata,
                         VERA_POOL_METADATA_ENTRIES(POOL_BLOCKS)) == VERA_ERROR_NULL_POINTER &&
              vera_pool_init(&firmware_pool, firmware_pool_blocks.bytes,
                             sizeof firmware_pool_blocks.bytes, POOL_BLOCK_SIZE, POOL_BLOCKS,
                             NULL, 0u) == VERA_ERROR_NULL_POINTER);
    CHECK("init with a buffer one byte short: VERA_ERROR_INVALID_SIZE",
          vera_pool_init(&firmware_pool, firmware_pool_blocks.bytes,
                         sizeof firmware_pool_blocks.bytes - 1u, POOL_BLOCK_SIZE, POOL_BLOCKS,
                         spare_metadata, VERA_POOL_METADATA_ENTRIES(POOL_BLOCKS)) ==
              VERA_ERROR_INVALID_SIZE);
    CHECK("init with a misaligned buffer: VERA_ERROR_MISALIGNED",
          vera_pool_init(&firmware_pool, firmware_pool_blocks.bytes + 4, 24u, 8u, 2u,
                         spare_metadata, 4u) == VERA_ERROR_MISALIGNED);
    CHECK("a failed init changes nothing", pool_fields_equal(&firmware_pool, &before));

    base = (unsigned char *)firmware_pool_blocks.bytes;
    for (index = 0u; index < POOL_BLOCKS; index++) {
        blocks[index] = (unsigned char *)vera_pool_alloc(&firmware_pool);
        if (blocks[index] == NULL || !is_aligned(blocks[index], VERA_ALIGNMENT)) {
            all_aligned = false;
            continue;
        }
        if (blocks[index] < base ||
            blocks[index] + block_size > base + sizeof firmware_pool_blocks.bytes) {
            all_inside = false;
            continue;
        }
        fill_pattern(blocks[index], block_size, (unsigned)index);
    }
    for (index = 0u; index < POOL_BLOCKS && all_aligned && all_inside; index++) {
        if (!pattern_intact(blocks[index], block_size, (unsigned)index)) {
            all_intact = false;
        }
    }
    CHECK("alloc: every block aligned to VERA_ALIGNMENT", all_aligned);
    CHECK("alloc: every block inside the pool's storage", all_inside);
    CHECK("alloc: blocks disjoint (every pattern intact)", all_aligned && all_inside && all_intact);
    CHECK("counters: all used, peak, none free",
          vera_pool_blocks_used(&firmware_pool) == POOL_BLOCKS &&
              vera_pool_peak_used(&firmware_pool) == POOL_BLOCKS &&
              vera_pool_blocks_free(&firmware_pool) == 0u);
    CHECK("alloc from an exhausted pool fails and is counted",
          vera_pool_alloc(&firmware_pool) == NULL &&
              vera_pool_failed_allocations(&firmware_pool) == 1u);

    if (!all_aligned || !all_inside) {
        return; /* the checks below free the blocks, which needs them all */
    }
    before = firmware_pool;
    CHECK("free of a foreign pointer: VERA_ERROR_NOT_OWNED",
          vera_pool_free(&firmware_pool, &outside) == VERA_ERROR_NOT_OWNED &&
              vera_pool_free(&firmware_pool, base + sizeof firmware_pool_blocks.bytes) ==
                  VERA_ERROR_NOT_OWNED);
    CHECK("free inside a block: VERA_ERROR_NOT_BLOCK_START",
          vera_pool_free(&firmware_pool, blocks[2] + 1) == VERA_ERROR_NOT_BLOCK_START &&
              vera_pool_free(&firmware_pool, blocks[2] + block_size - 1u) ==
                  VERA_ERROR_NOT_BLOCK_START);
    CHECK("a rejected free changes nothing", pool_fields_equal(&firmware_pool, &before));
    CHECK("free of a used block, then of the same block: VERA_ERROR_DOUBLE_FREE",
          vera_pool_free(&firmware_pool, blocks[3]) == VERA_OK &&
              vera_pool_free(&firmware_pool, blocks[3]) == VERA_ERROR_DOUBLE_FREE);
    CHECK("free(NULL) does nothing", vera_pool_free(&firmware_pool, NULL) == VERA_OK &&
                                         vera_pool_blocks_free(&firmware_pool) == 1u);
    CHECK("the other blocks are untouched",
          pattern_intact(blocks[2], block_size, 2u) && pattern_intact(blocks[4], block_size, 4u));
    CHECK("alloc_zeroed hands back the freed block, cleared",
          vera_pool_alloc_zeroed(&firmware_pool) == blocks[3]);
    for (index = 0u; index < block_size; index++) {
        if (blocks[3][index] != 0u) {
            all_zero = false;
        }
    }
    CHECK("alloc_zeroed: every byte zero, neighbours intact",
          all_zero && pattern_intact(blocks[2], block_size, 2u) &&
              pattern_intact(blocks[4], block_size, 4u));
    CHECK("owns: every block, not the byte past the last",
          vera_pool_owns(&firmware_pool, blocks[0]) &&
              vera_pool_owns(&firmware_pool, blocks[5] + block_size - 1u) &&
              !vera_pool_owns(&firmware_pool, base + sizeof firmware_pool_blocks.bytes) &&
              !vera_pool_owns(&firmware_pool, &outside));
    for (index = 0u; index < POOL_BLOCKS; index++) {
        (void)vera_pool_free(&firmware_pool, blocks[index]);
    }
    CHECK("all freed: counters back to empty, peak kept",
          vera_pool_blocks_free(&firmware_pool) == POOL_BLOCKS &&
              vera_pool_blocks_used(&firmware_pool) == 0u &&
              vera_pool_peak_used(&firmware_pool) == POOL_BLOCKS);
    CHECK("NULL pool: NULL, VERA_ERROR_NULL_POINTER, false, 0",
          vera_pool_alloc(NULL) == NULL &&
              vera_pool_free(NULL, blocks[0]) == VERA_ERROR_NULL_POINTER &&
              !vera_pool_owns(NULL, blocks[0]) && vera_pool_blocks_used(NULL) == 0u);
}

/* ---- the program ---------------------------------------------------------------------------- */

static bool names_equal(const char *left, const char *right)
{
    while (*left != '\0' && *left == *right) {
        left++;
        right++;
    }
    return *left == *right;
}

void bench_report_exception(uint32_t exception_number)
{
    bench_print("FAIL CPU exception ");
    bench_print_unsigned(exception_number);
    bench_print_line_end();
    bench_exit(5);
}

int bench_main(void)
{
    static char scenario[64];

    (void)bench_command_line(scenario, sizeof scenario);
    bench_print("veralloc ");
    bench_print(VERA_VERSION_STRING);
    bench_print_line_end();

    if (names_equal(scenario, "arena")) {
        arena_scenario();
    } else if (names_equal(scenario, "pool")) {
        pool_scenario();
    } else if (names_equal(scenario, "mira-buffer")) {
        mira_buffer_scenario();
    } else if (names_equal(scenario, "mira-callback")) {
        mira_callback_scenario();
    } else if (names_equal(scenario, "broken")) {
        CHECK("deliberately wrong: alloc(0) succeeds", mira_mem_alloc(0u) != NULL);
    } else {
        bench_print("error usage: arena | pool | mira-buffer | mira-callback | broken");
        bench_print_line_end();
        return 2;
    }
    bench_print("summary ");
    bench_print(scenario);
    bench_print(" checks=");
    bench_print_unsigned(checks_run);
    bench_print(" failed=");
    bench_print_unsigned(checks_failed);
    bench_print_line_end();
    return checks_failed == 0u ? 0 : 1;
}
