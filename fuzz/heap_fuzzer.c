/*
 * heap_fuzzer: random operation sequences on one vera_heap_t, misuse included, checked against
 * the reference model in fuzz/heap_model.c after every operation.
 *
 * Input: a sequence of operations, each an opcode byte followed by its arguments
 * (fuzz/support/fuzz_input.h decodes them; missing bytes read as zero):
 *   INIT          variant (normal x5, NULL heap, NULL buffer, NULL map, map inside the buffer, map
 *                 one half-word off its alignment); buffer offset 0..255 from a 4096-aligned
 *                 address (misaligned starts included); buffer size (granules: a u16 modulo what
 *                 the region holds, plus a remainder below a granule; the whole rest of the
 *                 region; 0..15 granules; any u16 bytes); map offset 0..15 words into its array and
 *                 its length (exactly the granules -1..+6, all that is left, a u16). Sizes are
 *                 clamped to the real arrays: nothing is announced that is not there.
 *   ALLOC         vera_heap_alloc of a size (vera_fuzz_take_size, pivot: the bytes still free)
 *   ALLOC_ALIGNED vera_heap_alloc_aligned of a size as ALLOC and an alignment
 *                 (vera_fuzz_take_alignment: powers of two up to 4096 and beyond, any byte, any
 *                 64-bit value, so invalid ones too)
 *   REALLOC       vera_heap_realloc of a pointer as FREE's and a size (around the block's usable
 *                 size: smaller, larger by whole granules, near it; or as ALLOC's)
 *   REALLOC_LIVE  the same on a live block (so that shrinking, growing in place and moving are
 *                 reached often)
 *   FREE          vera_heap_free of a pointer (take_pointer: a live block, any granule start (a
 *                 double free at a free block's start, "not a block start" inside one), an interior
 *                 byte, a block freed earlier (perhaps merged away since), just past the buffer and
 *                 beyond, before it, any byte of the region, another object, the heap itself, its
 *                 map, NULL)
 *   FREE_LIVE     vera_heap_free of a live block (the common case, so that coalescing is reached)
 *   USABLE_SIZE   vera_heap_usable_size of a pointer, as for FREE
 *   NULL_HEAP     one function called with a NULL heap (alloc_aligned and realloc included)
 *   FAST_FORWARD  k (0..7). k 0..3: sets the failed-request counter of the heap and of the model
 *                 to SIZE_MAX - k (saturation). k 4..7, CORRUPT: a stray write of the application
 *                 into the heap's state: a map word (a u16 modulo the granules) gets any 32-bit
 *                 value, or a bin's head any value, or a bit of the bitmap flips. From then on
 *                 the model no longer applies ("corrupted" mode, for the rest of the input): each
 *                 call is checked for containment only: a block handed out lies in the buffer, at a
 *                 granule, with a usable size inside the buffer (or 0); alloc's NULL and free's
 *                 status are documented ones; a free refused as a bad pointer changes nothing;
 *                 realloc is called with size 0 only (or a NULL block: an alloc), so that it
 *                 cannot copy (a move writes the buffer, which this mode forbids); no
 *                 byte outside the heap struct and its map words is written (canaries), and no
 *                 byte of the buffer at all: the buffer stays poisoned under ASan, blocks handed
 *                 out after the corruption are never touched, and at the end every live block
 *                 keeps its pattern and every other byte of the region its canary. INIT is skipped.
 * The heap starts zero-initialised, as a static vera_heap_t does.
 *
 * Checked after every operation: the outcome agrees with the model (init's and free's statuses,
 * usable_size, alloc's success or its exact reason in vera_heap_last_error: the success guarantee,
 * alloc fails only when no free block has the rounded size), the block handed out is one the
 * header's policy allows (the start of a free block of the lowest fitting size class, of the
 * rounded size or the whole free block), every statistic agrees exactly (allocated is the sum of
 * the live blocks' sizes; free_blocks is the number of maximal free runs, which is complete
 * coalescing), vera_heap_check is true, a failed init, alloc or free changes nothing (but the
 * failure counters), the map array outside the heap's words and the guards around the heap struct
 * keep their canaries. The heap never reads or writes its buffer but for realloc's copy: every
 * byte of the region is poisoned under ASan except the live blocks, each unpoisoned after alloc
 * returns it and filled with its own pattern, verified when freed and at the end of each init
 * epoch, when every other byte of the region must still hold the canary.
 * realloc: the outcome the model predicts from the header's table (refused with free's status or
 * INVALID_SIZE and nothing changed; in place with the usable size it predicts; a move to a block
 * alloc_aligned would hand out with the old block's alignment, the old block then free; a move
 * that must fail: NULL, the old block live and unchanged), the first min(old, new usable size)
 * bytes kept, the bytes after the old size still the canary (nothing copied past the old block).
 * A move writes a block the model cannot name in advance, so for a predicted move (only) the
 * region is unpoisoned during the call and every byte outside the live blocks is checked for the
 * canary after it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/heap_model.h"
#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_memory.h"
#include "veralloc/heap.h"

enum heap_operation {
    OPERATION_INIT,
    OPERATION_ALLOC,
    OPERATION_FREE,
    OPERATION_FREE_LIVE,
    OPERATION_USABLE_SIZE,
    OPERATION_NULL_HEAP,
    OPERATION_FAST_FORWARD,
    /* Added with alloc_aligned and realloc, after the others: inputs written for the first seven
     * operations (the seeds) keep their meaning. */
    OPERATION_ALLOC_ALIGNED,
    OPERATION_REALLOC,
    OPERATION_REALLOC_LIVE,
    OPERATION_COUNT
};

enum pointer_kind {
    POINTER_LIVE_BLOCK,
    POINTER_GRANULE_START,
    POINTER_INTERIOR,
    POINTER_FREED_EARLIER,
    POINTER_PAST_THE_END,
    POINTER_BEFORE_BUFFER,
    POINTER_REGION_BYTE,
    POINTER_OTHER_OBJECT,
    POINTER_NULL,
    POINTER_KIND_COUNT
};

#define GRANULE ((size_t)VERA_HEAP_GRANULE)
#define CANARY 0xC3u
#define MAP_CANARY 0xA5A5A5A5u
#define GUARD_CANARY 0x5A5A5A5Au

#define REGION_ALIGNMENT 4096u
#define REGION_BYTES VERA_FUZZ_REGION_MAX_BYTES
#define SLACK 256u
static unsigned char storage[SLACK + REGION_ALIGNMENT + REGION_BYTES + SLACK];

/* The map array: the heap's words start up to MAP_SLACK words in. */
#define MAP_SLACK 16u
#define MAP_WORDS (MAP_SLACK + VERA_HEAP_MODEL_MAX_GRANULES + MAP_SLACK)
static vera_heap_word_t map_storage[MAP_WORDS];
static vera_heap_word_t map_before[MAP_WORDS];

/* The heap between two guards: it must write nothing outside its struct. */
static struct {
    uint32_t before[8];
    vera_heap_t heap;
    uint32_t after[8];
} guarded;

/* Blocks freed with VERA_OK, to free again later (a double free, or a block merged away). */
#define FREED_RING 8u

static struct harness {
    vera_heap_model_t model;
    vera_fuzz_tracker_t tracker;   /* covers the whole region; its blocks are the live blocks */
    unsigned char *buffer;         /* the buffer of the last successful init (or the region) */
    size_t map_offset;             /* where the heap's words start in map_storage */
    unsigned char *freed[FREED_RING];
    size_t freed_next;
    bool corrupted;
} harness;

static void poison_map_outside(void);

static unsigned char *aligned_region(void)
{
    uintptr_t start = (uintptr_t)(storage + SLACK);
    uintptr_t misalignment = start % REGION_ALIGNMENT;
    return storage + SLACK + (misalignment == 0u ? 0u : REGION_ALIGNMENT - misalignment);
}

static size_t capacity(void)
{
    return harness.model.granules * GRANULE;
}

/* The map words and the guards outside the heap's own state still hold their canaries. */
static void check_canaries(void)
{
    size_t start = harness.map_offset;
    size_t end = start + harness.model.granules;
    size_t index;
    vera_fuzz_unpoison(map_storage, sizeof map_storage);
    for (index = 0u; index < MAP_WORDS; index++) {
        VERA_FUZZ_CHECK(map_storage[index] == MAP_CANARY || (index >= start && index < end),
                        "map word %zu, outside the heap's %zu words at %zu, was written", index,
                        end - start, start);
    }
    poison_map_outside();
    for (index = 0u; index < 8u; index++) {
        VERA_FUZZ_CHECK(guarded.before[index] == GUARD_CANARY && guarded.after[index] == GUARD_CANARY,
                        "a guard word around the heap struct was written");
    }
}

/* Every statistic agrees with the model; vera_heap_check accepts the heap. */
static void check_queries(void)
{
    const vera_heap_t *heap = &guarded.heap;
    const vera_heap_model_t *model = &harness.model;
    vera_heap_stats_t stats;

    VERA_FUZZ_CHECK(vera_heap_get_stats(heap, &stats) == VERA_OK, "get_stats failed on a heap");
    check_canaries();
    if (harness.corrupted) {
        return;
    }
    VERA_FUZZ_CHECK(stats.capacity == capacity(), "capacity %zu, model %zu", stats.capacity, capacity());
    VERA_FUZZ_CHECK(stats.allocated == model->allocated,
                    "allocated %zu, model (sum of the live blocks' sizes) %zu", stats.allocated,
                    model->allocated);
    VERA_FUZZ_CHECK(stats.free_bytes == capacity() - model->allocated, "free bytes %zu, model %zu",
                    stats.free_bytes, capacity() - model->allocated);
    VERA_FUZZ_CHECK(stats.peak_allocated == model->peak_allocated, "peak %zu, model %zu",
                    stats.peak_allocated, model->peak_allocated);
    VERA_FUZZ_CHECK(stats.largest_request == model->largest_request, "largest request %zu, model %zu",
                    stats.largest_request, model->largest_request);
    VERA_FUZZ_CHECK(stats.failed_requests == model->failed_requests, "failed requests %zu, model %zu",
                    stats.failed_requests, model->failed_requests);
    VERA_FUZZ_CHECK(stats.live_blocks == model->live_blocks, "live blocks %zu, model %zu",
                    stats.live_blocks, model->live_blocks);
    VERA_FUZZ_CHECK(stats.free_blocks == vera_heap_model_free_blocks(model),
                    "free blocks %zu, model (maximal free runs) %zu", stats.free_blocks,
                    vera_heap_model_free_blocks(model));
    VERA_FUZZ_CHECK(stats.metadata_bytes == model->granules * sizeof(vera_heap_word_t),
                    "metadata bytes %zu for %zu granules", stats.metadata_bytes, model->granules);
    VERA_FUZZ_CHECK(vera_heap_last_error(heap) == model->last_error, "last error %d, model %d",
                    (int)vera_heap_last_error(heap), (int)model->last_error);
    VERA_FUZZ_CHECK(harness.tracker.block_count == model->live_blocks,
                    "the harness holds %zu live blocks, model %zu (harness bug)",
                    harness.tracker.block_count, model->live_blocks);
    VERA_FUZZ_CHECK(vera_heap_check(heap), "vera_heap_check rejected a valid heap");
}

/* The live blocks keep their patterns and every other byte of the region its canary; leaves the
 * region unpoisoned. */
static void close_epoch(void)
{
    vera_fuzz_tracker_t *tracker = &harness.tracker;
    vera_fuzz_unpoison(tracker->region, tracker->region_size);
    vera_fuzz_tracker_verify_all(tracker);
    vera_fuzz_tracker_verify_unowned(tracker, CANARY);
    if (!harness.corrupted) {
        VERA_FUZZ_CHECK(vera_heap_model_consistent(&harness.model),
                        "the model's flags and counters disagree (model bug)");
    }
}

static void open_epoch(void)
{
    vera_fuzz_tracker_open(&harness.tracker, aligned_region(), REGION_BYTES, CANARY);
    harness.freed_next = 0u;
    memset(harness.freed, 0, sizeof harness.freed);
}

/* Under ASan the map array is poisoned except the heap's words (an access past them traps); the
 * harness unpoisons it while it reads it itself. */
static void poison_map_outside(void)
{
    size_t start = harness.map_offset;
    size_t end = start + harness.model.granules;
    vera_fuzz_poison(map_storage, start * sizeof map_storage[0]);
    vera_fuzz_poison(map_storage + end, (MAP_WORDS - end) * sizeof map_storage[0]);
}

/* A fresh map array for a heap of `granules` words at `offset`: the canary everywhere. */
static void open_map(size_t offset, size_t granules)
{
    size_t index;
    vera_fuzz_unpoison(map_storage, sizeof map_storage);
    for (index = 0u; index < MAP_WORDS; index++) {
        map_storage[index] = MAP_CANARY;
    }
    harness.map_offset = offset;
    (void)granules; /* the model holds it already */
    poison_map_outside();
}

/* The heap's struct and the whole map array, to show that a call changed nothing. */
static vera_heap_t heap_before;
static void remember_state(void)
{
    heap_before = guarded.heap;
    vera_fuzz_unpoison(map_storage, sizeof map_storage);
    memcpy(map_before, map_storage, sizeof map_storage);
    poison_map_outside();
}

static bool state_unchanged(void)
{
    bool unchanged;
    vera_fuzz_unpoison(map_storage, sizeof map_storage);
    unchanged = memcmp(&heap_before, &guarded.heap, sizeof heap_before) == 0 &&
                memcmp(map_before, map_storage, sizeof map_storage) == 0;
    poison_map_outside();
    return unchanged;
}

static size_t clamp(size_t value, size_t limit)
{
    return value > limit ? limit : value;
}

static size_t take_buffer_size(vera_fuzz_input_t *input, size_t available)
{
    size_t granules = available / GRANULE;
    switch (vera_fuzz_take_choice(input, 4u)) {
    case 0:
        return clamp((vera_fuzz_take_u16(input) % (granules + 1u)) * GRANULE + vera_fuzz_take_byte(input) % GRANULE,
                     available);
    case 1:
        return available;
    case 2:
        return clamp((vera_fuzz_take_byte(input) % 16u) * GRANULE, available);
    default:
        return clamp(vera_fuzz_take_u16(input), available);
    }
}

static size_t take_map_entries(vera_fuzz_input_t *input, size_t available, size_t granules)
{
    switch (vera_fuzz_take_choice(input, 3u)) {
    case 0: { /* exactly one per granule, one too few, or a few more */
        size_t delta = vera_fuzz_take_byte(input) % 8u;
        return clamp(granules + delta < 1u ? 0u : granules + delta - 1u, available);
    }
    case 1:
        return available;
    default:
        return clamp(vera_fuzz_take_u16(input), available);
    }
}

static void run_init(vera_fuzz_input_t *input)
{
    unsigned variant = vera_fuzz_take_choice(input, 10u);
    size_t offset = vera_fuzz_take_byte(input);
    size_t size = take_buffer_size(input, REGION_BYTES - offset);
    size_t map_offset = vera_fuzz_take_byte(input) % MAP_SLACK;
    size_t map_entries = take_map_entries(input, MAP_WORDS - MAP_SLACK - map_offset, size / GRANULE);
    vera_heap_t *heap = variant == 5u ? NULL : &guarded.heap;
    unsigned char *buffer = variant == 6u ? NULL : aligned_region() + offset;
    vera_heap_word_t *map = variant == 7u ? NULL : map_storage + map_offset;
    vera_heap_model_init_t arguments;
    vera_status_t expected;
    vera_status_t status;

    if (variant == 8u && size >= GRANULE) { /* a map that lies inside the buffer */
        map = (vera_heap_word_t *)(void *)(aligned_region() + (offset / 4u) * 4u +
                                          (vera_fuzz_take_u16(input) % (size / GRANULE)) * GRANULE);
    } else if (variant == 9u) { /* a map one half-word off its alignment */
        map = (vera_heap_word_t *)(void *)((unsigned char *)(map_storage + map_offset) + 2);
    }
    arguments.heap = (uintptr_t)heap;
    arguments.heap_bytes = sizeof(vera_heap_t);
    arguments.buffer = (uintptr_t)buffer;
    arguments.size = size;
    arguments.map = (uintptr_t)map;
    arguments.map_entries = map_entries;
    vera_fuzz_trace("init(variant %u, buffer region+%zu of %zu bytes, map %p of %zu words)", variant, offset,
                    size, (void *)map, map_entries);
    expected = vera_heap_model_init(&harness.model, &arguments);
    if (expected == VERA_OK) {
        /* The heap forgets its blocks: verify them, then start a fresh region and map. */
        close_epoch();
        open_epoch();
        open_map(map_offset, harness.model.granules);
    } else {
        remember_state();
    }
    status = vera_heap_init(heap, buffer, size, map, map_entries);
    vera_fuzz_trace(" = %d\n", (int)status);
    VERA_FUZZ_CHECK(status == expected, "init returned %d, model %d", (int)status, (int)expected);
    if (status != VERA_OK) {
        VERA_FUZZ_CHECK(state_unchanged(), "a failed init changed the heap or wrote the map");
        return;
    }
    harness.buffer = buffer;
}

/* The heap's struct and map words, to show that a call changed nothing. */

/* The block lies in the buffer, at a granule, with its usable size inside the buffer. */
static bool block_contained(const unsigned char *block, size_t usable)
{
    uintptr_t offset = (uintptr_t)block - (uintptr_t)harness.buffer;
    return (uintptr_t)block >= (uintptr_t)harness.buffer && offset < capacity() && offset % GRANULE == 0u &&
           usable <= capacity() - offset;
}

/* alloc (alignment 0) or alloc_aligned. */
static unsigned char *call_alloc(size_t size, size_t alignment, bool aligned)
{
    return aligned ? vera_heap_alloc_aligned(&guarded.heap, size, alignment) : vera_heap_alloc(&guarded.heap, size);
}

/* A failed call changed nothing but the failure counters and largest_request. */
static bool only_failure_counted(void)
{
    heap_before.failed_requests = guarded.heap.failed_requests;
    heap_before.last_error = guarded.heap.last_error;
    heap_before.largest_request = guarded.heap.largest_request;
    return state_unchanged();
}

/* A block handed out: addressable from now on, filled with its pattern over its usable size. */
static void hand_out(unsigned char *block, size_t usable)
{
    vera_fuzz_unpoison(block, usable);
    (void)vera_fuzz_tracker_add(&harness.tracker, block, usable);
}

/* After a corruption: a block returned lies in the buffer, a NULL has a documented reason. */
static void check_contained_allocation(const char *call, unsigned char *block)
{
    vera_heap_t *heap = &guarded.heap;
    size_t usable = vera_heap_usable_size(heap, block);
    VERA_FUZZ_CHECK(block != NULL || vera_heap_last_error(heap) == VERA_ERROR_INVALID_SIZE ||
                        vera_heap_last_error(heap) == VERA_ERROR_NO_MEMORY ||
                        vera_heap_last_error(heap) == VERA_ERROR_CORRUPTED,
                    "after a corruption, %s failed with last error %d", call, (int)vera_heap_last_error(heap));
    VERA_FUZZ_CHECK(block == NULL || block_contained(block, usable),
                    "after a corruption, %s returned %p (usable %zu) outside the buffer", call, (void *)block,
                    usable);
}

/* alloc(size), or alloc_aligned(size, alignment) when `aligned`, checked against the model. */
static void run_allocation(size_t size, size_t alignment, bool aligned)
{
    vera_heap_t *heap = &guarded.heap;
    unsigned char *block;
    size_t usable;
    vera_status_t expected;
    const char *why;

    if (harness.corrupted) {
        block = call_alloc(size, alignment, aligned);
        vera_fuzz_trace("alloc%s(%zu, %zu) = %p (corrupted)\n", aligned ? "_aligned" : "", size, alignment,
                        (void *)block);
        check_contained_allocation(aligned ? "alloc_aligned" : "alloc", block);
        return;
    }
    expected = aligned ? vera_heap_model_aligned_expectation(&harness.model, size, alignment)
                       : vera_heap_model_alloc_expectation(&harness.model, size);
    remember_state();
    block = call_alloc(size, alignment, aligned);
    vera_fuzz_trace("alloc%s(%zu, %zu) = %p (model: %d)\n", aligned ? "_aligned" : "", size, alignment,
                    (void *)block, (int)expected);
    if (expected != VERA_OK) {
        VERA_FUZZ_CHECK(block == NULL, "alloc(%zu, alignment %zu) returned %p, model expects NULL with %d", size,
                        alignment, (void *)block, (int)expected);
        VERA_FUZZ_CHECK(vera_heap_last_error(heap) == expected, "alloc(%zu, alignment %zu) failed with %d, model %d",
                        size, alignment, (int)vera_heap_last_error(heap), (int)expected);
        VERA_FUZZ_CHECK(only_failure_counted(), "a failed alloc changed more than its failure counters");
        return;
    }
    VERA_FUZZ_CHECK(block != NULL,
                    "alloc(%zu, alignment %zu) returned NULL (last error %d) though a free block of the rounded "
                    "size (with room for the padding) exists",
                    size, alignment, (int)vera_heap_last_error(heap));
    usable = vera_heap_usable_size(heap, block);
    VERA_FUZZ_CHECK(block_contained(block, usable) && usable >= size,
                    "block %p of usable size %zu for %zu bytes is not inside the buffer", (void *)block,
                    usable, size);
    why = aligned ? vera_heap_model_alloc_aligned(&harness.model, size, alignment, (uintptr_t)block, usable)
                  : vera_heap_model_alloc(&harness.model, size, (uintptr_t)block, usable);
    VERA_FUZZ_CHECK(why == NULL, "alloc(%zu, alignment %zu) returned %p, usable %zu: %s", size, alignment,
                    (void *)block, usable, why == NULL ? "" : why);
    hand_out(block, usable);
}

static void run_alloc(vera_fuzz_input_t *input, bool aligned)
{
    size_t size = vera_fuzz_take_size(input, capacity() - (harness.corrupted ? 0u : harness.model.allocated));
    size_t alignment = aligned ? vera_fuzz_take_alignment(input) : 0u;
    run_allocation(size, alignment, aligned);
}

static unsigned char *take_pointer(vera_fuzz_input_t *input, const char **kind)
{
    unsigned char *buffer = harness.model.granules > 0u ? harness.buffer : aligned_region();
    size_t granules = harness.model.granules > 0u ? harness.model.granules : 4u;
    unsigned choice = vera_fuzz_take_choice(input, POINTER_KIND_COUNT);

    if (choice == POINTER_LIVE_BLOCK && harness.tracker.block_count == 0u) {
        choice = POINTER_GRANULE_START;
    }
    if (choice == POINTER_FREED_EARLIER && harness.freed[0] == NULL) {
        choice = POINTER_INTERIOR;
    }
    switch (choice) {
    case POINTER_LIVE_BLOCK:
        *kind = "live block";
        return harness.tracker.blocks[vera_fuzz_take_u16(input) % harness.tracker.block_count].start;
    case POINTER_GRANULE_START:
        *kind = "granule start";
        return buffer + (vera_fuzz_take_u16(input) % granules) * GRANULE;
    case POINTER_INTERIOR:
        *kind = "interior";
        return buffer + (vera_fuzz_take_u16(input) % granules) * GRANULE + 1u + vera_fuzz_take_byte(input) % (GRANULE - 1u);
    case POINTER_FREED_EARLIER: {
        size_t slot = vera_fuzz_take_byte(input) % FREED_RING;
        *kind = "freed earlier";
        return harness.freed[slot] != NULL ? harness.freed[slot] : harness.freed[0];
    }
    case POINTER_PAST_THE_END:
        *kind = "past the end";
        return buffer + granules * GRANULE + vera_fuzz_take_byte(input);
    case POINTER_BEFORE_BUFFER:
        *kind = "before the buffer";
        return buffer - 1 - vera_fuzz_take_byte(input);
    case POINTER_REGION_BYTE:
        *kind = "region byte";
        return aligned_region() + vera_fuzz_take_u16(input);
    case POINTER_OTHER_OBJECT:
        return vera_fuzz_take_foreign_object(input, &guarded.heap, "the heap itself",
                                             &map_storage[harness.map_offset], "the map", kind);
    default:
        *kind = "NULL";
        return NULL;
    }
}

static void run_free(unsigned char *pointer, const char *kind)
{
    vera_heap_t *heap = &guarded.heap;
    vera_status_t expected = harness.corrupted ? VERA_OK : vera_heap_model_free(&harness.model, (uintptr_t)pointer);
    vera_status_t status;
    size_t index;

    remember_state();
    status = vera_heap_free(heap, pointer);
    vera_fuzz_trace("free(%s %p) = %d (model %d%s)\n", kind, (void *)pointer, (int)status, (int)expected,
                    harness.corrupted ? ", corrupted" : "");
    if (harness.corrupted) {
        VERA_FUZZ_CHECK(status == VERA_OK || status == VERA_ERROR_NOT_OWNED || status == VERA_ERROR_NOT_BLOCK_START ||
                            status == VERA_ERROR_DOUBLE_FREE || status == VERA_ERROR_CORRUPTED,
                        "after a corruption, free returned %d", (int)status);
        VERA_FUZZ_CHECK(status == VERA_OK || status == VERA_ERROR_CORRUPTED || state_unchanged(),
                        "after a corruption, a free refused with %d changed the heap", (int)status);
        return;
    }
    VERA_FUZZ_CHECK(status == expected, "free(%s %p) returned %d, model %d", kind, (void *)pointer, (int)status,
                    (int)expected);
    if (status != VERA_OK || pointer == NULL) {
        VERA_FUZZ_CHECK(state_unchanged(), "a free that was refused (or of NULL) changed the heap");
        return;
    }
    /* Verifies the block's pattern (the heap must not touch it), then gives it back: canary,
     * poisoned. */
    index = vera_fuzz_tracker_index_of(&harness.tracker, pointer);
    {
        size_t size = harness.tracker.blocks[index].size;
        vera_fuzz_tracker_remove(&harness.tracker, index);
        memset(pointer, CANARY, size);
        vera_fuzz_poison(pointer, size);
    }
    harness.freed[harness.freed_next] = pointer;
    harness.freed_next = (harness.freed_next + 1u) % FREED_RING;
}

/* A size for realloc of a block of `usable` bytes (0 for a pointer that is none): smaller, larger
 * by whole granules, near it, or as alloc's. */
static size_t take_realloc_size(vera_fuzz_input_t *input, size_t usable)
{
    switch (vera_fuzz_take_choice(input, 4u)) {
    case 0:
        return usable / (1u + vera_fuzz_take_byte(input) % 8u);
    case 1:
        return usable + (size_t)(vera_fuzz_take_byte(input) % 64u) * GRANULE + vera_fuzz_take_byte(input) % 2u;
    case 2:
        return vera_fuzz_take_size(input, usable);
    default:
        return vera_fuzz_take_size(input, capacity() - (harness.corrupted ? 0u : harness.model.allocated));
    }
}

/* The region poisoned again but for the live blocks (after a move, for which it was unpoisoned),
 * once every byte outside them is checked to hold the canary. */
static void repoison_region(void)
{
    vera_fuzz_tracker_t *tracker = &harness.tracker;
    size_t index;
    vera_fuzz_unpoison(tracker->region, tracker->region_size);
    vera_fuzz_tracker_verify_unowned(tracker, CANARY);
    vera_fuzz_poison(tracker->region, tracker->region_size);
    for (index = 0u; index < tracker->block_count; index++) {
        vera_fuzz_unpoison(tracker->blocks[index].start, tracker->blocks[index].size);
    }
}

/* The old block's bytes before a realloc, to compare the result with. */
static unsigned char realloc_before[REGION_BYTES];

static void run_realloc(unsigned char *pointer, const char *kind, size_t size)
{
    vera_heap_t *heap = &guarded.heap;
    vera_heap_model_realloc_t plan;
    unsigned char *result;
    size_t usable;
    size_t keep;
    size_t index;
    bool moves;

    if (pointer == NULL) { /* alloc */
        vera_fuzz_trace("realloc(NULL, %zu): ", size);
        if (harness.corrupted) {
            check_contained_allocation("realloc(NULL)", vera_heap_realloc(heap, NULL, size));
            return;
        }
        run_allocation(size, 0u, false);
        return;
    }
    if (harness.corrupted) {
        vera_status_t status;
        remember_state();
        result = vera_heap_realloc(heap, pointer, 0u);
        status = vera_heap_last_error(heap);
        vera_fuzz_trace("realloc(%s %p, 0) = %p, last error %d (corrupted)\n", kind, (void *)pointer, (void *)result,
                        (int)status);
        VERA_FUZZ_CHECK(result == NULL && (status == VERA_ERROR_NOT_OWNED || status == VERA_ERROR_NOT_BLOCK_START ||
                                           status == VERA_ERROR_DOUBLE_FREE || status == VERA_ERROR_INVALID_SIZE),
                        "after a corruption, realloc(%s %p, 0) returned %p with last error %d", kind, (void *)pointer,
                        (void *)result, (int)status);
        VERA_FUZZ_CHECK(only_failure_counted(), "after a corruption, a refused realloc changed the heap");
        return;
    }
    plan = vera_heap_model_realloc_expectation(&harness.model, (uintptr_t)pointer, size);
    if (plan.kind == VERA_HEAP_MODEL_REFUSED) {
        remember_state();
        result = vera_heap_realloc(heap, pointer, size);
        vera_fuzz_trace("realloc(%s %p, %zu) = %p, last error %d (model: refused, %d)\n", kind, (void *)pointer,
                        size, (void *)result, (int)vera_heap_last_error(heap), (int)plan.status);
        VERA_FUZZ_CHECK(result == NULL && vera_heap_last_error(heap) == plan.status,
                        "realloc(%s %p, %zu) returned %p, last error %d; model: NULL, %d", kind, (void *)pointer, size,
                        (void *)result, (int)vera_heap_last_error(heap), (int)plan.status);
        VERA_FUZZ_CHECK(only_failure_counted(), "a refused realloc changed more than its failure counters");
        return;
    }
    index = vera_fuzz_tracker_index_of(&harness.tracker, pointer);
    VERA_FUZZ_CHECK(harness.tracker.blocks[index].size == plan.old_usable,
                    "the harness holds %zu bytes at %p, model %zu (harness bug)", harness.tracker.blocks[index].size,
                    (void *)pointer, plan.old_usable);
    memcpy(realloc_before, pointer, plan.old_usable);
    moves = plan.kind == VERA_HEAP_MODEL_MOVES && plan.status == VERA_OK;
    if (moves) { /* the heap copies into a block the model cannot name in advance */
        vera_fuzz_unpoison(harness.tracker.region, harness.tracker.region_size);
    }
    remember_state();
    result = vera_heap_realloc(heap, pointer, size);
    vera_fuzz_trace("realloc(%s %p of %zu, %zu) = %p (model: %s, %d)\n", kind, (void *)pointer, plan.old_usable,
                    size, (void *)result,
                    plan.kind == VERA_HEAP_MODEL_IN_PLACE ? "in place" : "moves", (int)plan.status);
    if (plan.kind == VERA_HEAP_MODEL_MOVES && plan.status != VERA_OK) {
        vera_status_t status = vera_heap_last_error(heap);
        VERA_FUZZ_CHECK(result == NULL, "realloc(%p, %zu) returned %p, model: no room for the new block",
                        (void *)pointer, size, (void *)result);
        VERA_FUZZ_CHECK(status == VERA_ERROR_NO_MEMORY || (plan.status_may_be_invalid && status == VERA_ERROR_INVALID_SIZE),
                        "realloc(%p, %zu) failed with %d, model %d", (void *)pointer, size, (int)status,
                        (int)plan.status);
        vera_heap_model_count_failure(&harness.model, status);
        VERA_FUZZ_CHECK(only_failure_counted(), "a failed realloc changed more than its failure counters");
        VERA_FUZZ_CHECK(memcmp(pointer, realloc_before, plan.old_usable) == 0,
                        "a failed realloc changed the old block's bytes");
        return;
    }
    VERA_FUZZ_CHECK(result != NULL, "realloc(%p, %zu) returned NULL (last error %d), model: %s", (void *)pointer,
                    size, (int)vera_heap_last_error(heap), moves ? "moves" : "in place");
    usable = vera_heap_usable_size(heap, result);
    VERA_FUZZ_CHECK(block_contained(result, usable) && usable >= size,
                    "realloc's block %p of usable size %zu for %zu bytes is not inside the buffer", (void *)result,
                    usable, size);
    if (moves) {
        const char *why;
        VERA_FUZZ_CHECK(result != pointer, "realloc(%p, %zu) stayed in place, model: it moves", (void *)pointer, size);
        why = vera_heap_model_move(&harness.model, (uintptr_t)pointer, size, plan.alignment, (uintptr_t)result,
                                   usable);
        VERA_FUZZ_CHECK(why == NULL, "realloc(%p, %zu) moved to %p, usable %zu (alignment %zu): %s", (void *)pointer,
                        size, (void *)result, usable, plan.alignment, why == NULL ? "" : why);
    } else {
        VERA_FUZZ_CHECK(result == pointer && usable == plan.usable,
                        "realloc(%p of %zu, %zu) = %p of usable size %zu; model: in place, %zu", (void *)pointer,
                        plan.old_usable, size, (void *)result, usable, plan.usable);
        vera_heap_model_resize(&harness.model, (uintptr_t)pointer, usable);
    }
    /* The data: the first min(old, new usable size) bytes kept, nothing written after them. */
    vera_fuzz_unpoison(result, usable);
    keep = plan.old_usable < usable ? plan.old_usable : usable;
    VERA_FUZZ_CHECK(memcmp(result, realloc_before, keep) == 0, "realloc(%p, %zu) to %p lost the block's first %zu bytes",
                    (void *)pointer, size, (void *)result, keep);
    for (index = keep; index < usable; index++) {
        VERA_FUZZ_CHECK(result[index] == CANARY, "realloc(%p, %zu) to %p wrote its byte %zu, past the old block's %zu",
                        (void *)pointer, size, (void *)result, index, plan.old_usable);
    }
    /* The old block goes (pattern verified), its bytes back to the canary; the result is a block. */
    vera_fuzz_tracker_remove(&harness.tracker, vera_fuzz_tracker_index_of(&harness.tracker, pointer));
    memset(pointer, CANARY, plan.old_usable);
    vera_fuzz_poison(pointer, plan.old_usable);
    if (moves) {
        harness.freed[harness.freed_next] = pointer;
        harness.freed_next = (harness.freed_next + 1u) % FREED_RING;
    }
    hand_out(result, usable);
    if (moves) {
        repoison_region();
    }
}

static void run_usable_size(unsigned char *pointer, const char *kind)
{
    size_t usable = vera_heap_usable_size(&guarded.heap, pointer);
    vera_fuzz_trace("usable_size(%s %p) = %zu\n", kind, (void *)pointer, usable);
    if (harness.corrupted) {
        VERA_FUZZ_CHECK(usable == 0u || block_contained(pointer, usable),
                        "after a corruption, usable_size(%p) = %zu reaches outside the buffer", (void *)pointer,
                        usable);
        return;
    }
    VERA_FUZZ_CHECK(usable == vera_heap_model_usable_size(&harness.model, (uintptr_t)pointer),
                    "usable_size(%s %p) = %zu, model %zu", kind, (void *)pointer, usable,
                    vera_heap_model_usable_size(&harness.model, (uintptr_t)pointer));
}

static void run_null_heap(vera_fuzz_input_t *input)
{
    unsigned which = vera_fuzz_take_choice(input, 8u);
    const char *kind = "";
    unsigned char *pointer = take_pointer(input, &kind);
    vera_heap_stats_t stats;

    remember_state();
    vera_fuzz_trace("NULL heap: call %u %s\n", which, kind);
    switch (which) {
    case 0:
        VERA_FUZZ_CHECK(vera_heap_alloc(NULL, vera_fuzz_take_size(input, 64u)) == NULL, "alloc(NULL) is not NULL");
        break;
    case 1:
        VERA_FUZZ_CHECK(vera_heap_free(NULL, pointer) == VERA_ERROR_NULL_POINTER,
                        "free(NULL, %s) is not VERA_ERROR_NULL_POINTER", kind);
        break;
    case 2:
        VERA_FUZZ_CHECK(vera_heap_usable_size(NULL, pointer) == 0u, "usable_size(NULL, %s) is not 0", kind);
        break;
    case 3:
        VERA_FUZZ_CHECK(vera_heap_get_stats(NULL, &stats) == VERA_ERROR_NULL_POINTER &&
                            vera_heap_get_stats(&guarded.heap, NULL) == VERA_ERROR_NULL_POINTER,
                        "get_stats with a NULL heap or NULL stats is not VERA_ERROR_NULL_POINTER");
        break;
    case 4:
        VERA_FUZZ_CHECK(!vera_heap_check(NULL), "check(NULL) is true");
        break;
    case 5:
        VERA_FUZZ_CHECK(vera_heap_last_error(NULL) == VERA_ERROR_NULL_POINTER,
                        "last_error(NULL) is not VERA_ERROR_NULL_POINTER");
        break;
    case 6:
        VERA_FUZZ_CHECK(vera_heap_alloc_aligned(NULL, vera_fuzz_take_size(input, 64u), vera_fuzz_take_alignment(input)) ==
                            NULL,
                        "alloc_aligned(NULL) is not NULL");
        break;
    default:
        VERA_FUZZ_CHECK(vera_heap_realloc(NULL, pointer, vera_fuzz_take_size(input, 64u)) == NULL,
                        "realloc(NULL, %s) is not NULL", kind);
        break;
    }
    VERA_FUZZ_CHECK(state_unchanged(), "a call with a NULL heap changed the heap");
}

/* CORRUPT: a stray write into the heap's state; the model no longer applies. */
static void run_corrupt(vera_fuzz_input_t *input)
{
    vera_heap_t *heap = &guarded.heap;
    unsigned what = vera_fuzz_take_choice(input, 3u);
    size_t index = vera_fuzz_take_u16(input);
    uint32_t value = (uint32_t)vera_fuzz_take_u16(input) | ((uint32_t)vera_fuzz_take_u16(input) << 16);

    if (harness.model.granules == 0u) {
        return; /* nothing to corrupt */
    }
    switch (what) {
    case 0:
        index %= harness.model.granules;
        vera_fuzz_trace("corrupt: map word %zu = 0x%08x\n", index, (unsigned)value);
        heap->map[index] = value;
        break;
    case 1:
        index %= VERA_HEAP_BINS;
        vera_fuzz_trace("corrupt: bin %zu head = %u\n", index, (unsigned)(value % (harness.model.granules + 8u)));
        heap->bin_head[index] = (value & 0x80000000u) != 0u ? VERA_HEAP_NIL : value % (harness.model.granules + 8u);
        break;
    default:
        vera_fuzz_trace("corrupt: bitmap bit %zu flipped\n", index % 32u);
        heap->nonempty ^= (uint32_t)1u << (index % 32u);
        break;
    }
    harness.corrupted = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vera_fuzz_input_t input;
    const char *kind = "";
    unsigned char *pointer;
    size_t index;

    vera_fuzz_input_init(&input, data, size);
    memset(&guarded.heap, 0, sizeof guarded.heap); /* a zero-initialised heap, like a static one */
    for (index = 0u; index < 8u; index++) {
        guarded.before[index] = GUARD_CANARY;
        guarded.after[index] = GUARD_CANARY;
    }
    vera_heap_model_reset(&harness.model);
    harness.buffer = aligned_region();
    harness.map_offset = 0u;
    harness.corrupted = false;
    vera_fuzz_poison(storage, sizeof storage);
    open_epoch();
    open_map(0u, 0u);
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
        case OPERATION_ALLOC_ALIGNED:
            run_alloc(&input, operation == OPERATION_ALLOC_ALIGNED);
            break;
        case OPERATION_REALLOC:
            pointer = take_pointer(&input, &kind);
            run_realloc(pointer, kind,
                        take_realloc_size(&input, harness.corrupted ? 0u : vera_heap_model_usable_size(&harness.model, (uintptr_t)pointer)));
            break;
        case OPERATION_REALLOC_LIVE:
            if (harness.tracker.block_count > 0u) {
                index = vera_fuzz_take_u16(&input) % harness.tracker.block_count;
                pointer = harness.tracker.blocks[index].start;
                run_realloc(pointer, "live block", take_realloc_size(&input, harness.tracker.blocks[index].size));
            }
            break;
        case OPERATION_FREE:
        case OPERATION_USABLE_SIZE:
            pointer = take_pointer(&input, &kind);
            if (operation == OPERATION_FREE) {
                run_free(pointer, kind);
            } else {
                run_usable_size(pointer, kind);
            }
            break;
        case OPERATION_FREE_LIVE:
            if (harness.tracker.block_count > 0u) {
                pointer = harness.tracker.blocks[vera_fuzz_take_u16(&input) % harness.tracker.block_count].start;
                run_free(pointer, "live block");
            }
            break;
        case OPERATION_NULL_HEAP:
            run_null_heap(&input);
            break;
        default: { /* OPERATION_FAST_FORWARD */
            unsigned k = vera_fuzz_take_choice(&input, 8u);
            if (k >= 4u) {
                run_corrupt(&input);
            } else if (!harness.corrupted) {
                vera_fuzz_set_near_saturation(&guarded.heap.failed_requests, &harness.model.failed_requests, k);
            }
            break;
        }
        }
        check_queries();
    }

    close_epoch();
    vera_fuzz_unpoison(storage, sizeof storage);
    vera_fuzz_unpoison(map_storage, sizeof map_storage);
    return 0;
}
