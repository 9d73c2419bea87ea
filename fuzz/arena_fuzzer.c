/*
 * arena_fuzzer: random operation sequences on one vera_arena_t, checked against the reference
 * model in fuzz/arena_model.c after every operation.
 *
 * Input: a sequence of operations, each an opcode byte followed by its arguments
 * (fuzz/support/fuzz_input.h decodes them; missing bytes read as zero):
 *   INIT          variant (normal, normal, NULL buffer, NULL arena), buffer offset 0..255 from a
 *                 4096-aligned address (misaligned starts included), buffer size (u16, clamped)
 *   ALLOC         size (vera_fuzz_take_size, pivot: the bytes still free)
 *   ALLOC_ALIGNED size, alignment (valid and invalid)
 *   SEAL
 *   NULL_ARENA    which function to call with a NULL arena, and its arguments
 *   FAST_FORWARD  k (0..3): sets the failed-request counter of the arena and of the model to
 *                 SIZE_MAX - k, the state after 2^64 - 1 - k failed calls, so that the counter's
 *                 saturation is exercised (no input could make that many calls)
 * The arena starts zero-initialised, as a static vera_arena_t does.
 *
 * Checked after every operation: the outcome agrees with the model (status, NULL or not), the
 * queries agree exactly (capacity, used, available, sealed, largest request, failed requests),
 * usage never decreases between two inits, a failed call leaves the allocation state unchanged.
 * For every block: its absolute address has the requested alignment, it lies inside the buffer
 * and inside the bytes that call consumed, and it is disjoint from every live block (shadow
 * ownership map). Every block is filled with its own pattern, every pattern is verified at the
 * end of each init epoch, and so is every byte no block owns (the arena keeps no metadata in the
 * buffer, so it must never write there). Under ASan the bytes the arena has not handed out are
 * poisoned, so a block shorter than promised traps when its full size is written.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/arena_model.h"
#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_memory.h"
#include "veralloc/arena.h"

enum arena_operation {
    OPERATION_INIT,
    OPERATION_ALLOC,
    OPERATION_ALLOC_ALIGNED,
    OPERATION_SEAL,
    OPERATION_NULL_ARENA,
    OPERATION_FAST_FORWARD,
    OPERATION_COUNT
};

#define CANARY 0xC5u

/* Buffers are carved from `storage`: a region of VERA_FUZZ_REGION_MAX_BYTES starting at a
 * 4096-aligned address, so that the padding alloc_aligned needs for alignments up to 4096 is the
 * same in every run (larger alignments depend on where the loader put `storage`, as they would in
 * firmware). Outside the current buffer everything stays poisoned. */
#define REGION_ALIGNMENT 4096u
static unsigned char storage[VERA_FUZZ_REGION_MAX_BYTES + REGION_ALIGNMENT];

static struct harness {
    vera_arena_t arena;
    vera_arena_model_t model;
    vera_fuzz_tracker_t tracker;
    bool epoch_open;        /* an init succeeded: tracker covers the current buffer */
    size_t used_at_last_op; /* for the monotonicity check; reset by a successful init */
} harness;

static unsigned char *aligned_region(void)
{
    uintptr_t start = (uintptr_t)storage;
    uintptr_t misalignment = start % REGION_ALIGNMENT;
    return storage + (misalignment == 0u ? 0u : REGION_ALIGNMENT - misalignment);
}

static bool allocation_state_equal(const vera_arena_t *left, const vera_arena_t *right)
{
    return left->base == right->base && left->capacity == right->capacity && left->used == right->used &&
           left->sealed == right->sealed;
}

static bool arena_equal(const vera_arena_t *left, const vera_arena_t *right)
{
    return allocation_state_equal(left, right) && left->largest_request == right->largest_request &&
           left->failed_requests == right->failed_requests;
}

/* Every query agrees with the model; usage has not gone backwards since the last init. */
static void check_queries(void)
{
    const vera_arena_t *arena = &harness.arena;
    const vera_arena_model_t *model = &harness.model;
    size_t used = vera_arena_used(arena);

    VERA_FUZZ_CHECK(used == model->used, "used %zu, model %zu", used, model->used);
    VERA_FUZZ_CHECK(vera_arena_capacity(arena) == model->capacity, "capacity %zu, model %zu",
                    vera_arena_capacity(arena), model->capacity);
    VERA_FUZZ_CHECK(vera_arena_available(arena) == vera_arena_model_available(model),
                    "available %zu, model %zu", vera_arena_available(arena), vera_arena_model_available(model));
    VERA_FUZZ_CHECK(vera_arena_is_sealed(arena) == model->sealed, "sealed %d, model %d",
                    (int)vera_arena_is_sealed(arena), (int)model->sealed);
    VERA_FUZZ_CHECK(vera_arena_largest_request(arena) == model->largest_request,
                    "largest request %zu, model %zu", vera_arena_largest_request(arena), model->largest_request);
    VERA_FUZZ_CHECK(vera_arena_failed_requests(arena) == model->failed_requests,
                    "failed requests %zu, model %zu", vera_arena_failed_requests(arena), model->failed_requests);
    VERA_FUZZ_CHECK(used >= harness.used_at_last_op, "usage went down from %zu to %zu",
                    harness.used_at_last_op, used);
    harness.used_at_last_op = used;
}

/* Verifies the blocks of the current buffer and that nothing else in it was written, then
 * poisons it again: called before a re-init and at the end of the input. */
static void close_epoch(void)
{
    vera_fuzz_tracker_t *tracker = &harness.tracker;
    if (!harness.epoch_open) {
        return;
    }
    vera_fuzz_unpoison(tracker->region, tracker->region_size);
    vera_fuzz_tracker_verify_all(tracker);
    vera_fuzz_tracker_verify_unowned(tracker, CANARY);
    vera_fuzz_poison(tracker->region, tracker->region_size);
    harness.epoch_open = false;
}

/* A new buffer: every byte set to the canary, then poisoned until the arena hands it out. */
static void open_epoch(unsigned char *buffer, size_t size)
{
    vera_fuzz_tracker_open(&harness.tracker, buffer, size, CANARY);
    harness.epoch_open = true;
    harness.used_at_last_op = 0u;
}

static void run_init(vera_fuzz_input_t *input)
{
    unsigned variant = vera_fuzz_take_choice(input, 4u);
    size_t offset = vera_fuzz_take_byte(input);
    size_t size = (size_t)vera_fuzz_take_u16(input) % (VERA_FUZZ_REGION_MAX_BYTES - offset + 1u);
    bool null_buffer = variant == 2u;
    bool null_arena = variant == 3u;
    unsigned char *buffer = null_buffer ? NULL : aligned_region() + offset;
    vera_arena_t before = harness.arena;
    vera_status_t expected;
    vera_status_t status;

    vera_fuzz_trace("init(%s, %s+%zu, %zu)\n", null_arena ? "NULL" : "arena", null_buffer ? "NULL" : "region",
                    offset, size);
    expected = vera_arena_model_init(&harness.model, null_arena, (uintptr_t)buffer, size);
    if (expected == VERA_OK) {
        close_epoch();
        open_epoch(buffer, size);
    }
    status = vera_arena_init(null_arena ? NULL : &harness.arena, buffer, size);
    VERA_FUZZ_CHECK(status == expected, "init returned %d, model %d", (int)status, (int)expected);
    if (status != VERA_OK) {
        VERA_FUZZ_CHECK(arena_equal(&before, &harness.arena), "a failed init changed the arena");
    }
}

static void run_alloc(vera_fuzz_input_t *input, bool aligned)
{
    vera_arena_t *arena = &harness.arena;
    size_t size = vera_fuzz_take_size(input, vera_arena_model_available(&harness.model));
    size_t alignment = aligned ? vera_fuzz_take_alignment(input) : (size_t)VERA_ALIGNMENT;
    size_t used_before = harness.model.used;
    vera_arena_t before = *arena;
    vera_arena_model_outcome_t expected;
    unsigned char *block;

    if (aligned) {
        vera_fuzz_trace("alloc_aligned(%zu, %zu)", size, alignment);
        block = vera_arena_alloc_aligned(arena, size, alignment);
    } else {
        vera_fuzz_trace("alloc(%zu)", size);
        block = vera_arena_alloc(arena, size);
    }
    vera_fuzz_trace(" = %p\n", (void *)block);
    expected = vera_arena_model_alloc(&harness.model, size, alignment);
    VERA_FUZZ_CHECK((block != NULL) == expected.succeeds, "alloc(%zu, %zu) returned %p, model expects %s", size,
                    alignment, (void *)block, expected.succeeds ? "a block" : "NULL");
    check_queries();
    if (block == NULL) {
        VERA_FUZZ_CHECK(allocation_state_equal(&before, arena), "a failed alloc changed the allocation state");
        return;
    }

    {
        size_t effective_alignment = alignment < VERA_ALIGNMENT ? (size_t)VERA_ALIGNMENT : alignment;
        VERA_FUZZ_CHECK((uintptr_t)block % effective_alignment == 0u, "block %p is not %zu-aligned",
                        (void *)block, effective_alignment);
        /* The tracker's region is the buffer of the last successful init. */
        vera_fuzz_check_bump_block(&harness.tracker, block, size, used_before, vera_arena_used(arena),
                                   expected.block_offset);
    }
}

static void run_null_arena(vera_fuzz_input_t *input)
{
    vera_arena_t before = harness.arena;
    unsigned which = vera_fuzz_take_choice(input, 4u);
    size_t size = vera_fuzz_take_size(input, 0u);

    vera_fuzz_trace("NULL arena: call %u, size %zu\n", which, size);
    switch (which) {
    case 0:
        VERA_FUZZ_CHECK(vera_arena_alloc(NULL, size) == NULL, "alloc(NULL, %zu) is not NULL", size);
        break;
    case 1:
        VERA_FUZZ_CHECK(vera_arena_alloc_aligned(NULL, size, vera_fuzz_take_alignment(input)) == NULL,
                        "alloc_aligned(NULL, ...) is not NULL");
        break;
    case 2:
        vera_arena_seal(NULL);
        break;
    default:
        VERA_FUZZ_CHECK(vera_arena_used(NULL) == 0u && vera_arena_available(NULL) == 0u &&
                            vera_arena_capacity(NULL) == 0u && !vera_arena_is_sealed(NULL) &&
                            vera_arena_largest_request(NULL) == 0u && vera_arena_failed_requests(NULL) == 0u,
                        "a query on a NULL arena is not 0/false");
        break;
    }
    VERA_FUZZ_CHECK(arena_equal(&before, &harness.arena), "a call on a NULL arena changed the arena");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vera_fuzz_input_t input;

    vera_fuzz_input_init(&input, data, size);
    memset(&harness.arena, 0, sizeof harness.arena); /* a zero-initialised arena, like a static one */
    vera_arena_model_reset(&harness.model);
    vera_fuzz_tracker_reset(&harness.tracker, aligned_region(), 0u);
    harness.epoch_open = false;
    harness.used_at_last_op = 0u;
    vera_fuzz_poison(storage, sizeof storage);
    VERA_FUZZ_CHECK(!vera_fuzz_poisoning_enabled() || vera_fuzz_is_poisoned(aligned_region()),
                    "ASan poisoning has no effect");

    while (!vera_fuzz_input_exhausted(&input) && !vera_fuzz_tracker_full(&harness.tracker)) {
        switch (vera_fuzz_take_choice(&input, OPERATION_COUNT)) {
        case OPERATION_INIT:
            run_init(&input);
            break;
        case OPERATION_ALLOC:
            run_alloc(&input, false);
            break;
        case OPERATION_ALLOC_ALIGNED:
            run_alloc(&input, true);
            break;
        case OPERATION_SEAL:
            vera_fuzz_trace("seal\n");
            vera_arena_seal(&harness.arena);
            vera_arena_model_seal(&harness.model);
            break;
        case OPERATION_NULL_ARENA:
            run_null_arena(&input);
            break;
        default:
            vera_fuzz_set_near_saturation(&harness.arena.failed_requests, &harness.model.failed_requests,
                                          vera_fuzz_take_choice(&input, 4u));
            break;
        }
        check_queries();
    }

    close_epoch();
    vera_fuzz_unpoison(storage, sizeof storage);
    return 0;
}
