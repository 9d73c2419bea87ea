/*
 * pool_fuzzer: random operation sequences on one vera_pool_t, misuse included, checked against
 * the reference model in fuzz/pool_model.c after every operation.
 *
 * Input: a sequence of operations, each an opcode byte followed by its arguments
 * (fuzz/support/fuzz_input.h decodes them; missing bytes read as zero):
 *   INIT          variant and alignment, one byte: its value modulo 8 is the variant (normal x5,
 *                 NULL pool, NULL buffer, NULL metadata); below 128 it calls vera_pool_init,
 *                 otherwise vera_pool_init_aligned with, by (byte - 128) / 8: 2^0 .. 2^13
 *                 (VERA_ALIGNMENT to VERA_POOL_MAX_ALIGNMENT allowed, the others refused), 0, or
 *                 a multiple of VERA_ALIGNMENT that is not a power of two (so inputs written
 *                 before vera_pool_init_aligned existed keep their meaning); buffer offset 0..255
 *                 from a 4096-aligned address (misaligned starts included); block size
 *                 (vera_fuzz_take_size, pivot: the bytes left in the region); block count (a byte,
 *                 a u16, "as many as fit" -4..+3, near VERA_POOL_MAX_BLOCKS, any size_t); buffer
 *                 size (exact fit -128..+127 bytes, the whole rest of the region, a u16); metadata
 *                 offset 0..15 entries into its array and its length (exact -1..+6, all that is
 *                 left, a u16). Sizes are clamped to the real arrays: nothing is announced that is
 *                 not there (the header leaves that undefined).
 *   ALLOC         vera_pool_alloc
 *   ALLOC_ZEROED  vera_pool_alloc_zeroed
 *   FREE          vera_pool_free of a pointer (see take_pointer: a live block, any block start
 *                 (a double free when that block is free), a pointer into a block, just past the
 *                 last block and beyond, before the buffer, any byte of the region, another
 *                 object, NULL)
 *   FREE_LIVE     vera_pool_free of a live block (the common case, so that LIFO reuse is reached)
 *   OWNS          vera_pool_owns of a pointer, as for FREE
 *   NULL_POOL     one function called with a NULL pool
 *   FAST_FORWARD  k (0..7). k 0..3: sets the failed-request counter of the pool and of the model
 *                 to SIZE_MAX - k, the state after 2^64 - 1 - k failed calls, so that the
 *                 counter's saturation is exercised (no input could make that many calls).
 *                 k 4..7, CORRUPT: a stray write of the application into the metadata: entry
 *                 (a u16, modulo the pool's 2 * block_count entries) gets any value (a u16).
 *                 From then on the harness is in "corrupted" mode for the rest of the input
 *                 (the model no longer applies): the pool's blocks are unpoisoned, every other
 *                 byte of the region stays poisoned, and each call is checked for containment
 *                 only: a block handed out is a block start inside the buffer, free answers one
 *                 of its documented statuses and changes nothing when it refuses, the metadata
 *                 outside the pool's entries keeps its canary, and at the end every byte of the
 *                 region outside the pool's blocks still holds its canary. ASan traps any access
 *                 outside. INIT is skipped in this mode.
 * The pool starts zero-initialised, as a static vera_pool_t does.
 *
 * Checked after every operation: the outcome agrees with the model (status of init and free,
 * NULL or not for allocations, owns), the block handed out is the one the model expects (the
 * pool is LIFO; a fresh pool hands out its blocks in address order), every query agrees exactly
 * (block size and count, blocks free and used, peak, failed allocations), the metadata array
 * outside the pool's 2 * block_count entries still holds its canary, a failed init or free
 * changes neither the pool nor its metadata, a failed allocation changes only the failure counter.
 * For every block: aligned to the pool's alignment (and to VERA_ALIGNMENT), inside the buffer, disjoint from every live block
 * (shadow ownership map), all zero after alloc_zeroed, still holding the canary the harness wrote
 * when it was last free after a plain alloc (the pool keeps nothing inside the blocks), filled
 * with its own pattern while live and verified intact when freed and at the end of each init
 * epoch, when every byte of the region no live block owns must still hold the canary. Under ASan
 * every free block and every byte outside the pool's blocks is poisoned: only the block the model
 * expects is unpoisoned before an allocation (so the pool may clear it), and a block is poisoned
 * again once freed, so a use after free, by the harness or by the pool, traps.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/pool_model.h"
#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_memory.h"
#include "fuzz/support/wide_integer.h"
#include "veralloc/pool.h"

enum pool_operation {
    OPERATION_INIT,
    OPERATION_ALLOC,
    OPERATION_ALLOC_ZEROED,
    OPERATION_FREE,
    OPERATION_FREE_LIVE,
    OPERATION_OWNS,
    OPERATION_NULL_POOL,
    OPERATION_FAST_FORWARD,
    OPERATION_COUNT
};

enum pointer_kind {
    POINTER_LIVE_BLOCK,
    POINTER_BLOCK_START,
    POINTER_INTERIOR,
    POINTER_PAST_THE_END,
    POINTER_BEFORE_BUFFER,
    POINTER_REGION_BYTE,
    POINTER_OTHER_OBJECT,
    POINTER_NULL,
    POINTER_KIND_COUNT
};

/* Not 0, so that a block the pool should have cleared but did not shows. */
#define CANARY 0xC3u
/* Larger than any block index the metadata can hold here (at most 8191), so a stray index shows. */
#define METADATA_CANARY 0xA5A5u

/* The buffers are carved from a region of VERA_FUZZ_REGION_MAX_BYTES at a 4096-aligned address
 * inside `storage`, so that block addresses, and with them the inputs' behaviour, are the same in
 * every run. SLACK bytes on both sides keep the pointers "before the buffer" and "past the last
 * block" inside this object (computing them is then defined C). */
#define REGION_ALIGNMENT 4096u
#define REGION_BYTES VERA_FUZZ_REGION_MAX_BYTES
#define SLACK 256u
static unsigned char storage[SLACK + REGION_ALIGNMENT + REGION_BYTES + SLACK];

/* The metadata array: the pool's entries start up to METADATA_SLACK entries in. */
#define METADATA_SLACK 16u
#define METADATA_ENTRIES (METADATA_SLACK + 2u * VERA_POOL_MODEL_MAX_BLOCKS + METADATA_SLACK)
static vera_pool_index_t metadata_storage[METADATA_ENTRIES];
static vera_pool_index_t metadata_canaries[METADATA_ENTRIES];
static vera_pool_index_t metadata_before[METADATA_ENTRIES];

static struct harness {
    vera_pool_t pool;
    vera_pool_model_t model;
    vera_fuzz_tracker_t tracker;  /* covers the whole region; its blocks are the live blocks */
    unsigned char *buffer;        /* the buffer of the last successful init (or the region) */
    size_t buffer_size;
    size_t metadata_offset;       /* where the current pool's entries start in metadata_storage */
    bool corrupted;               /* a CORRUPT operation wrote into the metadata */
} harness;

static unsigned char *aligned_region(void)
{
    uintptr_t start = (uintptr_t)(storage + SLACK);
    uintptr_t misalignment = start % REGION_ALIGNMENT;
    return storage + SLACK + (misalignment == 0u ? 0u : REGION_ALIGNMENT - misalignment);
}

static bool pool_fields_equal(const vera_pool_t *left, const vera_pool_t *right, bool with_failures)
{
    return left->base == right->base && left->block_size == right->block_size &&
           left->alignment == right->alignment &&
           left->block_count == right->block_count && left->capacity == right->capacity &&
           left->free_order == right->free_order && left->block_position == right->block_position &&
           left->free_count == right->free_count && left->peak_used == right->peak_used &&
           (!with_failures || left->failed_requests == right->failed_requests);
}

/* True when `size` bytes at `bytes` all equal `value` (memcmp against a filled chunk: ASan checks
 * the range once per call rather than once per byte). */
static bool all_bytes_are(const unsigned char *bytes, size_t size, unsigned char value)
{
    static unsigned char chunk[4096];
    static int chunk_value = -1;
    size_t done;
    if (chunk_value != (int)value) {
        memset(chunk, value, sizeof chunk);
        chunk_value = (int)value;
    }
    for (done = 0u; done < size; done += sizeof chunk) {
        size_t length = size - done < sizeof chunk ? size - done : sizeof chunk;
        if (memcmp(bytes + done, chunk, length) != 0) {
            return false;
        }
    }
    return true;
}

/* The metadata entries the current pool owns: [metadata_offset, + 2 * block_count); none for a
 * pool that was never initialised. Every other entry must hold the canary. */
static void check_metadata_canaries(void)
{
    size_t start = harness.metadata_offset;
    size_t end = start + 2u * harness.model.block_count;
    VERA_FUZZ_CHECK(memcmp(metadata_storage, metadata_canaries, start * sizeof metadata_storage[0]) == 0,
                    "the metadata before the pool's %zu entries was written", end - start);
    VERA_FUZZ_CHECK(memcmp(metadata_storage + end, metadata_canaries + end,
                           (METADATA_ENTRIES - end) * sizeof metadata_storage[0]) == 0,
                    "the metadata after the pool's %zu entries was written", end - start);
}

/* vera_pool_get_stats copies what the queries report one by one. */
static void check_stats(const vera_pool_t *pool)
{
    vera_pool_stats_t stats;

    VERA_FUZZ_CHECK(vera_pool_get_stats(pool, &stats) == VERA_OK &&
                        stats.block_size == vera_pool_block_size(pool) &&
                        stats.block_count == vera_pool_block_count(pool) &&
                        stats.blocks_free == vera_pool_blocks_free(pool) &&
                        stats.blocks_used == vera_pool_blocks_used(pool) &&
                        stats.peak_used == vera_pool_peak_used(pool) &&
                        stats.failed_requests == vera_pool_failed_requests(pool),
                    "vera_pool_get_stats disagrees with the queries");
}

/* Every query agrees with the model; the counters agree with each other and with the harness. */
static void check_queries(void)
{
    const vera_pool_t *pool = &harness.pool;
    const vera_pool_model_t *model = &harness.model;
    size_t used = vera_pool_blocks_used(pool);
    size_t free_blocks = vera_pool_blocks_free(pool);

    if (harness.corrupted) {
        VERA_FUZZ_CHECK(used + free_blocks == model->block_count && free_blocks <= model->block_count,
                        "after a corruption, blocks used %zu + free %zu is not the block count %zu", used,
                        free_blocks, model->block_count);
        check_metadata_canaries();
        return;
    }
    VERA_FUZZ_CHECK(vera_pool_block_size(pool) == model->block_size, "block size %zu, model %zu",
                    vera_pool_block_size(pool), model->block_size);
    VERA_FUZZ_CHECK(vera_pool_alignment(pool) == model->alignment, "alignment %zu, model %zu",
                    vera_pool_alignment(pool), model->alignment);
    VERA_FUZZ_CHECK(vera_pool_block_count(pool) == model->block_count, "block count %zu, model %zu",
                    vera_pool_block_count(pool), model->block_count);
    VERA_FUZZ_CHECK(free_blocks == model->free_count, "blocks free %zu, model %zu", free_blocks,
                    model->free_count);
    VERA_FUZZ_CHECK(used == model->used_count, "blocks used %zu, model %zu", used, model->used_count);
    VERA_FUZZ_CHECK(vera_pool_peak_used(pool) == model->peak_used, "peak used %zu, model %zu",
                    vera_pool_peak_used(pool), model->peak_used);
    VERA_FUZZ_CHECK(vera_pool_failed_requests(pool) == model->failed_requests,
                    "failed requests %zu, model %zu", vera_pool_failed_requests(pool),
                    model->failed_requests);
    VERA_FUZZ_CHECK(used == harness.tracker.block_count, "blocks used %zu, live blocks the harness holds %zu",
                    used, harness.tracker.block_count);
    check_stats(pool);
    VERA_FUZZ_CHECK(vera_pool_check(pool), "vera_pool_check rejected a valid pool");
    check_metadata_canaries();
}

/* After a corruption the pool may hand out a live block again (and alloc_zeroed clear it), so
 * only what containment promises is checked: every byte of the region outside the pool's blocks
 * still holds the canary. */
static void close_corrupted_epoch(void)
{
    unsigned char *region = aligned_region();
    size_t before = (size_t)(harness.buffer - region);
    size_t blocks = harness.model.block_size * harness.model.block_count;

    VERA_FUZZ_CHECK(all_bytes_are(region, before, CANARY) &&
                        all_bytes_are(harness.buffer + blocks, REGION_BYTES - before - blocks, CANARY),
                    "after a corruption, a byte of the region outside the pool's blocks was written");
}

/* Verifies the live blocks and every other byte of the region (canary), and the model's own
 * bookkeeping: before a re-init and at the end of the input. Leaves the region unpoisoned. */
static void close_epoch(void)
{
    vera_fuzz_tracker_t *tracker = &harness.tracker;
    vera_fuzz_unpoison(tracker->region, tracker->region_size);
    if (harness.corrupted) {
        close_corrupted_epoch();
        return;
    }
    vera_fuzz_tracker_verify_all(tracker);
    vera_fuzz_tracker_verify_unowned(tracker, CANARY);
    VERA_FUZZ_CHECK(vera_pool_model_consistent(&harness.model),
                    "the model's stack and flags disagree (model bug)");
}

/* A fresh region: every byte the canary and poisoned until the pool hands it out; every metadata
 * entry the canary. */
static void open_epoch(void)
{
    unsigned char *region = aligned_region();
    vera_fuzz_tracker_reset(&harness.tracker, region, REGION_BYTES);
    vera_fuzz_unpoison(region, REGION_BYTES);
    memset(region, CANARY, REGION_BYTES);
    vera_fuzz_poison(region, REGION_BYTES);
    memcpy(metadata_storage, metadata_canaries, sizeof metadata_storage);
}

/* A count or size clamped to [0, limit]; `delta` may be negative. */
static size_t clamp_offset(vera_wide_t value, long delta, size_t limit)
{
    vera_wide_t result;
    if (delta < 0 && value < (vera_wide_t)(unsigned long)-delta) {
        return 0u;
    }
    result = delta < 0 ? value - (vera_wide_t)(unsigned long)-delta : value + (vera_wide_t)delta;
    return result > limit ? limit : (size_t)result;
}

/* The alignment of one init, from its variant byte: VERA_ALIGNMENT through vera_pool_init (bytes
 * below 128), or any power of two up to twice VERA_POOL_MAX_ALIGNMENT, 0, or a multiple of
 * VERA_ALIGNMENT that is not a power of two, through vera_pool_init_aligned. *plain says which
 * function. */
static size_t alignment_of(unsigned variant_byte, bool *plain)
{
    unsigned choice = (variant_byte / 8u) % 16u;
    *plain = variant_byte < 128u;
    if (*plain) {
        return VERA_ALIGNMENT;
    }
    if (choice <= 13u) {
        return (size_t)1u << choice;
    }
    return choice == 14u ? 0u : 3u * VERA_ALIGNMENT;
}

/* What the block counts and buffer sizes below round to: the alignment when init can accept it. */
static size_t rounding_of(size_t alignment)
{
    return (alignment >= VERA_ALIGNMENT && alignment <= VERA_POOL_MAX_ALIGNMENT &&
            (alignment & (alignment - 1u)) == 0u) ? alignment : VERA_ALIGNMENT;
}

static size_t take_block_count(vera_fuzz_input_t *input, size_t available, size_t block_size,
                               size_t alignment)
{
    vera_wide_t rounded = vera_wide_round_up(block_size == 0u ? 1u : block_size, rounding_of(alignment));
    switch (vera_fuzz_take_choice(input, 5u)) {
    case 0:
        return vera_fuzz_take_byte(input);
    case 1:
        return vera_fuzz_take_u16(input);
    case 2: /* as many blocks as the rest of the region holds, give or take a few */
        return clamp_offset((vera_wide_t)available / rounded, (long)(vera_fuzz_take_byte(input) % 8u) - 4,
                            SIZE_MAX);
    case 3:
        return clamp_offset(VERA_POOL_MAX_BLOCKS, (long)vera_fuzz_take_byte(input) - 128, SIZE_MAX);
    default:
        return (size_t)vera_fuzz_take_u64(input);
    }
}

static size_t take_buffer_size(vera_fuzz_input_t *input, size_t available, size_t block_size,
                               size_t block_count, size_t alignment)
{
    vera_wide_t needed = vera_wide_round_up(block_size, rounding_of(alignment)) * block_count;
    switch (vera_fuzz_take_choice(input, 3u)) {
    case 0: /* exactly what the blocks need, give or take up to 128 bytes */
        return clamp_offset(needed, (long)vera_fuzz_take_byte(input) - 128, available);
    case 1:
        return available;
    default:
        return clamp_offset(vera_fuzz_take_u16(input), 0, available);
    }
}

static size_t take_metadata_entries(vera_fuzz_input_t *input, size_t available, size_t block_count)
{
    switch (vera_fuzz_take_choice(input, 3u)) {
    case 0: /* exactly two per block, one too few, or a few more */
        return clamp_offset((vera_wide_t)2u * block_count, (long)(vera_fuzz_take_byte(input) % 8u) - 1,
                            available);
    case 1:
        return available;
    default:
        return clamp_offset(vera_fuzz_take_u16(input), 0, available);
    }
}

static void run_init(vera_fuzz_input_t *input)
{
    unsigned variant_byte = vera_fuzz_take_byte(input);
    unsigned variant = variant_byte % 8u;
    bool plain;
    size_t alignment = alignment_of(variant_byte, &plain);
    size_t offset = vera_fuzz_take_byte(input);
    size_t available = REGION_BYTES - offset;
    size_t block_size = vera_fuzz_take_size(input, available);
    size_t block_count = take_block_count(input, available, block_size, alignment);
    size_t buffer_size = take_buffer_size(input, available, block_size, block_count, alignment);
    size_t metadata_offset = vera_fuzz_take_byte(input) % METADATA_SLACK;
    size_t metadata_entries = take_metadata_entries(input, METADATA_ENTRIES - metadata_offset, block_count);
    bool null_pool = variant == 5u;
    bool null_buffer = variant == 6u;
    bool null_metadata = variant == 7u;
    unsigned char *buffer = null_buffer ? NULL : aligned_region() + offset;
    vera_pool_index_t *metadata = null_metadata ? NULL : metadata_storage + metadata_offset;
    vera_pool_model_init_t arguments;
    vera_pool_t before = harness.pool;
    vera_status_t expected;
    vera_status_t status;

    arguments.pool_is_null = null_pool;
    arguments.buffer = (uintptr_t)buffer;
    arguments.buffer_size = buffer_size;
    arguments.block_size = block_size;
    arguments.block_count = block_count;
    arguments.alignment = alignment;
    arguments.metadata_is_null = null_metadata;
    arguments.metadata_entries = metadata_entries;
    arguments.blocks_in_use = harness.model.used_count > 0u;
    vera_fuzz_trace("init%s(%s, buffer %s+%zu of %zu bytes, block size %zu, count %zu, alignment %zu, "
                    "metadata %s+%zu of %zu)", plain ? "" : "_aligned",
                    null_pool ? "NULL" : "pool", null_buffer ? "NULL" : "region", offset, buffer_size, block_size,
                    block_count, alignment, null_metadata ? "NULL" : "storage", metadata_offset, metadata_entries);
    expected = vera_pool_model_init_status(&arguments);
    if (expected == VERA_OK) {
        /* The pool forgets its blocks: verify them, then start a fresh region. */
        close_epoch();
        open_epoch();
        (void)vera_pool_model_init(&harness.model, &arguments);
    } else {
        memcpy(metadata_before, metadata_storage, sizeof metadata_storage);
    }
    status = plain ? vera_pool_init(null_pool ? NULL : &harness.pool, buffer, buffer_size, block_size,
                                    block_count, metadata, metadata_entries)
                   : vera_pool_init_aligned(null_pool ? NULL : &harness.pool, buffer, buffer_size, block_size,
                                            block_count, alignment, metadata, metadata_entries);
    vera_fuzz_trace(" = %d\n", (int)status);
    VERA_FUZZ_CHECK(status == expected, "init returned %d, model %d", (int)status, (int)expected);
    if (status != VERA_OK) {
        VERA_FUZZ_CHECK(pool_fields_equal(&before, &harness.pool, true), "a failed init changed the pool");
        VERA_FUZZ_CHECK(memcmp(metadata_before, metadata_storage, sizeof metadata_storage) == 0,
                        "a failed init wrote the metadata");
        return;
    }
    harness.buffer = buffer;
    harness.buffer_size = buffer_size;
    harness.metadata_offset = metadata_offset;
}

/* After a corruption: a block handed out, if any, is a block start inside the pool's blocks. */
static void run_corrupted_alloc(bool zeroed)
{
    unsigned char *block = zeroed ? vera_pool_alloc_zeroed(&harness.pool) : vera_pool_alloc(&harness.pool);
    size_t offset = (size_t)((uintptr_t)block - (uintptr_t)harness.buffer);

    vera_fuzz_trace("%s = %p (corrupted metadata)\n", zeroed ? "alloc_zeroed" : "alloc", (void *)block);
    VERA_FUZZ_CHECK(block == NULL || ((uintptr_t)block >= (uintptr_t)harness.buffer &&
                                      offset < harness.model.block_size * harness.model.block_count &&
                                      offset % harness.model.block_size == 0u),
                    "after a corruption, alloc returned %p, not a block start", (void *)block);
}

static void run_alloc(bool zeroed)
{
    vera_pool_t *pool = &harness.pool;
    vera_pool_t before = *pool;
    size_t block_size = harness.model.block_size;
    size_t expected_block = 0u;
    bool expected = vera_pool_model_alloc(&harness.model, &expected_block);
    unsigned char *expected_start = expected ? harness.buffer + expected_block * block_size : NULL;
    unsigned char *block;

    /* Only the block the model expects becomes addressable: the pool may clear it, and touching
     * any other free block traps under ASan. */
    if (expected) {
        vera_fuzz_unpoison(expected_start, block_size);
    }
    block = zeroed ? vera_pool_alloc_zeroed(pool) : vera_pool_alloc(pool);
    if (expected) {
        vera_fuzz_trace("%s = %p (model: block %zu)\n", zeroed ? "alloc_zeroed" : "alloc", (void *)block,
                        expected_block);
    } else {
        vera_fuzz_trace("%s = %p (model: none free)\n", zeroed ? "alloc_zeroed" : "alloc", (void *)block);
    }
    VERA_FUZZ_CHECK((block != NULL) == expected, "alloc returned %p, model expects %s", (void *)block,
                    expected ? "a block" : "NULL");
    if (block == NULL) {
        VERA_FUZZ_CHECK(pool_fields_equal(&before, pool, false),
                        "a failed alloc changed more than the failure counter");
        return;
    }
    /* The header's guarantees first, then the model's exact choice: a block that breaks a
     * guarantee is reported as such, not only as "another block than the model's". */
    VERA_FUZZ_CHECK((uintptr_t)block % VERA_ALIGNMENT == 0u && (uintptr_t)block % harness.model.alignment == 0u,
                    "block %p is not aligned to the pool's alignment %zu (VERA_ALIGNMENT %u)", (void *)block,
                    harness.model.alignment, (unsigned)VERA_ALIGNMENT);
    VERA_FUZZ_CHECK((uintptr_t)block >= (uintptr_t)harness.buffer &&
                        (uintptr_t)block - (uintptr_t)harness.buffer <= harness.buffer_size &&
                        block_size <= harness.buffer_size - ((uintptr_t)block - (uintptr_t)harness.buffer),
                    "block [%p, +%zu) is not inside the buffer [%p, +%zu)", (void *)block, block_size,
                    (void *)harness.buffer, harness.buffer_size);
    VERA_FUZZ_CHECK(block == expected_start,
                    "alloc returned block %p (offset %zu), model expects block %zu at offset %zu", (void *)block,
                    (size_t)(block - harness.buffer), expected_block, expected_block * block_size);
    if (zeroed) {
        VERA_FUZZ_CHECK(all_bytes_are(block, block_size, 0u),
                        "alloc_zeroed returned a block of %zu bytes that is not all zero", block_size);
    } else {
        VERA_FUZZ_CHECK(all_bytes_are(block, block_size, CANARY),
                        "a block of %zu bytes changed while it was free (the pool keeps nothing in its blocks)",
                        block_size);
    }
    /* Disjoint from every live block, inside the region; writes its pattern over the full size. */
    (void)vera_fuzz_tracker_add(&harness.tracker, block, block_size);
}

/* Where a pointer argument of free or owns points (see the header comment). */
static unsigned char *take_pointer(vera_fuzz_input_t *input, const char **kind)
{
    /* Before any successful init, the region stands in for the buffer. */
    unsigned char *buffer = harness.model.initialised ? harness.buffer : aligned_region();
    size_t block_size = harness.model.initialised ? harness.model.block_size : (size_t)VERA_ALIGNMENT;
    size_t block_count = harness.model.initialised ? harness.model.block_count : 1u;
    size_t capacity = block_size * block_count;
    unsigned choice = vera_fuzz_take_choice(input, POINTER_KIND_COUNT);

    if (choice == POINTER_LIVE_BLOCK && harness.tracker.block_count == 0u) {
        choice = POINTER_BLOCK_START;
    }
    switch (choice) {
    case POINTER_LIVE_BLOCK:
        *kind = "live block";
        return harness.tracker.blocks[vera_fuzz_take_u16(input) % harness.tracker.block_count].start;
    case POINTER_BLOCK_START:
        *kind = "block start";
        return buffer + (vera_fuzz_take_u16(input) % block_count) * block_size;
    case POINTER_INTERIOR:
        *kind = "interior";
        return buffer + (vera_fuzz_take_u16(input) % block_count) * block_size + 1u +
               vera_fuzz_take_u16(input) % (block_size - 1u);
    case POINTER_PAST_THE_END: /* the byte just past the last block (delta 0) and beyond */
        *kind = "past the end";
        return buffer + capacity + vera_fuzz_take_byte(input);
    case POINTER_BEFORE_BUFFER:
        *kind = "before the buffer";
        return buffer - 1 - vera_fuzz_take_byte(input);
    case POINTER_REGION_BYTE: /* anything: the buffer of an earlier init, the rest of the region */
        *kind = "region byte";
        return aligned_region() + vera_fuzz_take_u16(input);
    case POINTER_OTHER_OBJECT:
        return vera_fuzz_take_foreign_object(input, &harness.pool, "the pool itself",
                                             &metadata_storage[harness.metadata_offset], "the metadata", kind);
    default:
        *kind = "NULL";
        return NULL;
    }
}

/* After a corruption: free answers one of its documented statuses, and a refusal changes
 * nothing. */
static void run_corrupted_free(unsigned char *pointer, const char *kind)
{
    vera_pool_t before = harness.pool;
    size_t entries = 2u * harness.model.block_count;
    vera_status_t status;

    memcpy(metadata_before, metadata_storage + harness.metadata_offset, entries * sizeof metadata_storage[0]);
    status = vera_pool_free(&harness.pool, pointer);
    vera_fuzz_trace("free(%s %p) = %d (corrupted metadata)\n", kind, (void *)pointer, (int)status);
    VERA_FUZZ_CHECK(status == VERA_OK || status == VERA_ERROR_NOT_OWNED || status == VERA_ERROR_NOT_BLOCK_START ||
                        status == VERA_ERROR_DOUBLE_FREE || status == VERA_ERROR_CORRUPTED,
                    "after a corruption, free returned %d", (int)status);
    if (status != VERA_OK) {
        VERA_FUZZ_CHECK(pool_fields_equal(&before, &harness.pool, true) &&
                            memcmp(metadata_before, metadata_storage + harness.metadata_offset,
                                   entries * sizeof metadata_storage[0]) == 0,
                        "a free that was rejected (or of NULL) changed the pool");
    }
}

/* CORRUPT: one metadata entry of the pool gets any value; the model no longer applies. The
 * pool's blocks become addressable (a corrupted pool may hand out a block twice, or clear a live
 * one); every other byte of the region stays poisoned. */
static void run_corrupt(vera_fuzz_input_t *input)
{
    size_t entries = 2u * harness.model.block_count;
    size_t entry = vera_fuzz_take_u16(input);
    vera_pool_index_t value = vera_fuzz_take_u16(input);

    if (entries == 0u) {
        return; /* no metadata to corrupt */
    }
    entry %= entries;
    vera_fuzz_trace("corrupt: metadata entry %zu = %u\n", entry, (unsigned)value);
    metadata_storage[harness.metadata_offset + entry] = value;
    if (!harness.corrupted) {
        harness.corrupted = true;
        vera_fuzz_unpoison(harness.buffer, harness.model.block_size * harness.model.block_count);
    }
}

static void run_free(unsigned char *pointer, const char *kind)
{
    vera_pool_t *pool = &harness.pool;
    vera_pool_t before = *pool;
    size_t entries = 2u * harness.model.block_count;
    vera_status_t expected;
    vera_status_t status;

    memcpy(metadata_before, metadata_storage + harness.metadata_offset, entries * sizeof metadata_storage[0]);
    expected = vera_pool_model_free(&harness.model, (uintptr_t)pointer);
    status = vera_pool_free(pool, pointer);
    vera_fuzz_trace("free(%s %p) = %d\n", kind, (void *)pointer, (int)status);
    VERA_FUZZ_CHECK(status == expected, "free(%s %p) returned %d, model %d", kind, (void *)pointer, (int)status,
                    (int)expected);
    if (status != VERA_OK || pointer == NULL) {
        VERA_FUZZ_CHECK(pool_fields_equal(&before, pool, true) &&
                            memcmp(metadata_before, metadata_storage + harness.metadata_offset,
                                   entries * sizeof metadata_storage[0]) == 0,
                        "a free that was rejected (or of NULL) changed the pool");
        return;
    }
    VERA_FUZZ_CHECK(pool->base == before.base && pool->block_size == before.block_size &&
                        pool->block_count == before.block_count && pool->capacity == before.capacity &&
                        pool->peak_used == before.peak_used &&
                        pool->failed_requests == before.failed_requests,
                    "free changed more than the free list");
    /* Verifies the block's pattern (free must not touch the block), then gives it back: the
     * canary again, and poisoned. */
    vera_fuzz_tracker_remove(&harness.tracker, vera_fuzz_tracker_index_of(&harness.tracker, pointer));
    memset(pointer, CANARY, harness.model.block_size);
    vera_fuzz_poison(pointer, harness.model.block_size);
}

static void run_owns(unsigned char *pointer, const char *kind)
{
    vera_pool_t before = harness.pool;
    bool expected = vera_pool_model_owns(&harness.model, (uintptr_t)pointer);
    bool owns = vera_pool_owns(&harness.pool, pointer);
    vera_fuzz_trace("owns(%s %p) = %d\n", kind, (void *)pointer, (int)owns);
    VERA_FUZZ_CHECK(owns == expected, "owns(%s %p) is %d, model %d", kind, (void *)pointer, (int)owns,
                    (int)expected);
    VERA_FUZZ_CHECK(pool_fields_equal(&before, &harness.pool, true), "owns changed the pool");
}

static void run_null_pool(vera_fuzz_input_t *input)
{
    vera_pool_t before = harness.pool;
    unsigned which = vera_fuzz_take_choice(input, 5u);
    const char *kind = "";
    unsigned char *pointer = which == 2u || which == 3u ? take_pointer(input, &kind) : NULL;

    vera_fuzz_trace("NULL pool: call %u %s\n", which, kind);
    switch (which) {
    case 0:
        VERA_FUZZ_CHECK(vera_pool_alloc(NULL) == NULL, "alloc(NULL) is not NULL");
        break;
    case 1:
        VERA_FUZZ_CHECK(vera_pool_alloc_zeroed(NULL) == NULL, "alloc_zeroed(NULL) is not NULL");
        break;
    case 2:
        VERA_FUZZ_CHECK(vera_pool_free(NULL, pointer) == VERA_ERROR_NULL_POINTER,
                        "free(NULL, %s) is not VERA_ERROR_NULL_POINTER", kind);
        break;
    case 3:
        VERA_FUZZ_CHECK(!vera_pool_owns(NULL, pointer), "owns(NULL, %s) is true", kind);
        break;
    default:
        VERA_FUZZ_CHECK(vera_pool_block_size(NULL) == 0u && vera_pool_block_count(NULL) == 0u &&
                            vera_pool_blocks_free(NULL) == 0u && vera_pool_blocks_used(NULL) == 0u &&
                            vera_pool_peak_used(NULL) == 0u && vera_pool_failed_requests(NULL) == 0u,
                        "a query on a NULL pool is not 0");
        break;
    }
    VERA_FUZZ_CHECK(pool_fields_equal(&before, &harness.pool, true),
                    "a call with a NULL pool changed the pool");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vera_fuzz_input_t input;
    const char *kind = "";
    unsigned char *pointer;

    vera_fuzz_input_init(&input, data, size);
    if (metadata_canaries[0] != METADATA_CANARY) {
        size_t entry;
        for (entry = 0u; entry < METADATA_ENTRIES; entry++) {
            metadata_canaries[entry] = (vera_pool_index_t)METADATA_CANARY;
        }
    }
    memset(&harness.pool, 0, sizeof harness.pool); /* a zero-initialised pool, like a static one */
    vera_pool_model_reset(&harness.model);
    harness.buffer = aligned_region();
    harness.buffer_size = 0u;
    harness.metadata_offset = 0u;
    harness.corrupted = false;
    vera_fuzz_poison(storage, sizeof storage);
    open_epoch();
    VERA_FUZZ_CHECK(!vera_fuzz_poisoning_enabled() || vera_fuzz_is_poisoned(aligned_region()),
                    "ASan poisoning has no effect");

    while (!vera_fuzz_input_exhausted(&input) && !vera_fuzz_tracker_full(&harness.tracker)) {
        unsigned operation = vera_fuzz_take_choice(&input, OPERATION_COUNT);
        switch (operation) {
        case OPERATION_INIT:
            if (!harness.corrupted) {
                run_init(&input);
            }
            break;
        case OPERATION_ALLOC:
        case OPERATION_ALLOC_ZEROED:
            if (harness.corrupted) {
                run_corrupted_alloc(operation == OPERATION_ALLOC_ZEROED);
            } else {
                run_alloc(operation == OPERATION_ALLOC_ZEROED);
            }
            break;
        case OPERATION_FREE:
        case OPERATION_OWNS:
            pointer = take_pointer(&input, &kind);
            if (operation == OPERATION_OWNS) {
                run_owns(pointer, kind);
            } else if (harness.corrupted) {
                run_corrupted_free(pointer, kind);
            } else {
                run_free(pointer, kind);
            }
            break;
        case OPERATION_FREE_LIVE:
            if (harness.tracker.block_count > 0u) {
                size_t live = vera_fuzz_take_u16(&input) % harness.tracker.block_count;
                pointer = harness.tracker.blocks[live].start;
                if (harness.corrupted) {
                    run_corrupted_free(pointer, "live block");
                } else {
                    run_free(pointer, "live block");
                }
            }
            break;
        case OPERATION_NULL_POOL:
            run_null_pool(&input);
            break;
        default: {
            /* 0..3: as take_choice(input, 4u) gave before CORRUPT was added (byte % 8 < 4 means
             * byte % 4 == byte % 8), so the corpus keeps its meaning. */
            unsigned k = vera_fuzz_take_choice(&input, 8u);
            if (k >= 4u) {
                run_corrupt(&input);
                break;
            }
            vera_fuzz_set_near_saturation(&harness.pool.failed_requests, &harness.model.failed_requests, k);
            break;
        }
        }
        check_queries();
    }

    close_epoch();
    vera_fuzz_unpoison(storage, sizeof storage);
    return 0;
}
