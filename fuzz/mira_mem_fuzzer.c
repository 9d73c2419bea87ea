/*
 * mira_mem_fuzzer: any order of MiraOS memory API calls, misuse included, in buffer mode and in
 * callback mode, checked after every call against the reference model in fuzz/mira_mem_model.c
 * (the header's misuse and error table).
 *
 * The facade keeps its state in a static variable of src/mira_mem.c. This harness includes that
 * source (through //:mira_mem_source_for_harnesses) and clears the state itself before every
 * input: the reset is part of the harness, the shipped library has no reset entry point.
 *
 * Input: a sequence of operations, an opcode byte followed by its arguments:
 *   SET_BUFFER    variant (normal x3, NULL), buffer offset 0..255 from a 4096-aligned address,
 *                 size (u16, clamped to the region)
 *   SET_CALLBACK  which callback (NULL, A, B), which storage pointer (NULL, A, B)
 *   ALLOC         size (vera_fuzz_take_size, pivot: the bytes still free), then how the callback
 *                 answers if it is asked: NULL, a misaligned pointer (offset byte), a valid fresh
 *                 block (or NULL when its pool is exhausted), or an aligned pointer into a block
 *                 it already handed out (the facade cannot tell; it must pass it on unchanged)
 *   SEAL
 *   SET_OOM_HOOK  which hook (NULL, A, B)
 *   GET_STATS     with a NULL pointer (a valid pointer is checked after every operation)
 *   FAST_FORWARD  k (0..3): sets the failed-request counter of the facade and of the model to
 *                 SIZE_MAX - k (the state after 2^64 - 1 - k failed calls, which no input reaches),
 *                 so that its saturation is exercised
 *
 * Checked after every operation: the status or NULL-ness agrees with the model, the callback is
 * called exactly when the model says, with the registered storage and the requested size, the
 * out-of-memory hook is called once per failure with the model's size and reason (and never on
 * success), mira_mem_get_stats and the three usage queries agree with the model, usage never
 * decreases. The block the facade returns is, in callback mode, exactly the callback's answer;
 * in buffer mode it is aligned, inside the buffer and inside the bytes that call consumed,
 * disjoint from every other block, filled with its own pattern and verified at the end, and every
 * byte of the buffer or callback pool that no block owns must still hold the canary (the facade
 * and the arena keep no metadata there). Under ASan everything not handed out is poisoned.
 */
#include "src/mira_mem.c"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/mira_mem_model.h"
#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/fuzz_input.h"
#include "fuzz/support/fuzz_memory.h"

enum mira_operation {
    OPERATION_SET_BUFFER,
    OPERATION_SET_CALLBACK,
    OPERATION_ALLOC,
    OPERATION_SEAL,
    OPERATION_SET_OOM_HOOK,
    OPERATION_GET_STATS_NULL,
    OPERATION_FAST_FORWARD,
    OPERATION_COUNT
};

enum callback_answer {
    ANSWER_NULL,
    ANSWER_MISALIGNED,
    ANSWER_FRESH_BLOCK,
    ANSWER_REUSED_BLOCK,
    ANSWER_COUNT
};

#define REGION_ALIGNMENT 4096u
#define CALLBACK_POOL_BYTES 16384u
#define CANARY 0xA7u

static unsigned char storage[VERA_FUZZ_REGION_MAX_BYTES + REGION_ALIGNMENT];

/* The two storage pointers a callback can be registered with (their contents are not used). */
static int callback_storage_a;
static int callback_storage_b;

static struct harness {
    vera_mira_mem_model_t model;
    vera_fuzz_tracker_t tracker; /* covers the buffer, or the callback pool */
    bool region_open;
    size_t usage_at_last_op;

    /* The harness's own allocator behind the callbacks: a bump pointer over the pool. */
    size_t pool_next;
    unsigned char *last_fresh_block;
    /* The answer the callback gives when it is called next, and whether it is a fresh block. */
    unsigned char *planned_answer;
    size_t planned_reservation; /* bytes the pool gives up if the planned fresh block is taken */
    /* What the callbacks and hooks saw. */
    unsigned callback_calls;
    unsigned last_callback;
    void *last_callback_storage;
    mira_size_t last_callback_size;
    unsigned hook_calls;
    unsigned last_hook;
    mira_size_t last_hook_size;
    mira_status_t last_hook_reason;
} harness;

static unsigned char *aligned_region(void)
{
    uintptr_t start = (uintptr_t)storage;
    uintptr_t misalignment = start % REGION_ALIGNMENT;
    return storage + (misalignment == 0u ? 0u : REGION_ALIGNMENT - misalignment);
}

static void *answer_call(unsigned which, mira_size_t size, void *callback_storage)
{
    harness.callback_calls++;
    harness.last_callback = which;
    harness.last_callback_storage = callback_storage;
    harness.last_callback_size = size;
    if (harness.planned_reservation != 0u) {
        /* The fresh block is handed out now: the harness may write its full size. */
        harness.pool_next += harness.planned_reservation;
        harness.last_fresh_block = harness.planned_answer;
        vera_fuzz_unpoison(harness.planned_answer, size);
    }
    return harness.planned_answer;
}

static void *callback_a(mira_size_t size, void *callback_storage)
{
    return answer_call(1u, size, callback_storage);
}

static void *callback_b(mira_size_t size, void *callback_storage)
{
    return answer_call(2u, size, callback_storage);
}

static void record_hook(unsigned which, mira_size_t size, mira_status_t reason)
{
    harness.hook_calls++;
    harness.last_hook = which;
    harness.last_hook_size = size;
    harness.last_hook_reason = reason;
}

static void hook_a(mira_size_t size, mira_status_t reason)
{
    record_hook(1u, size, reason);
}

static void hook_b(mira_size_t size, mira_status_t reason)
{
    record_hook(2u, size, reason);
}

static mira_mem_alloc_callback_t callback_function(unsigned which)
{
    return which == 1u ? callback_a : which == 2u ? callback_b : NULL;
}

static void *callback_storage_pointer(unsigned which)
{
    return which == 1u ? (void *)&callback_storage_a : which == 2u ? (void *)&callback_storage_b : NULL;
}

static mira_mem_oom_hook_t hook_function(unsigned which)
{
    return which == 1u ? hook_a : which == 2u ? hook_b : NULL;
}

/* The queries and the statistics agree with the model; usage has not gone backwards. */
static void check_queries(void)
{
    mira_mem_stats_t stats;
    mira_mem_stats_t expected = vera_mira_model_stats(&harness.model);
    mira_status_t status = mira_mem_get_stats(&stats);

    VERA_FUZZ_CHECK(status == MIRA_SUCCESS, "get_stats returned %d", (int)status);
    VERA_FUZZ_CHECK(stats.capacity == expected.capacity, "stats.capacity %zu, model %zu", stats.capacity,
                    expected.capacity);
    VERA_FUZZ_CHECK(stats.usage == expected.usage, "stats.usage %zu, model %zu", stats.usage, expected.usage);
    VERA_FUZZ_CHECK(stats.free == expected.free, "stats.free %zu, model %zu", stats.free, expected.free);
    VERA_FUZZ_CHECK(stats.largest_request == expected.largest_request, "stats.largest_request %zu, model %zu",
                    stats.largest_request, expected.largest_request);
    VERA_FUZZ_CHECK(stats.failed_requests == expected.failed_requests, "stats.failed_requests %zu, model %zu",
                    stats.failed_requests, expected.failed_requests);
    VERA_FUZZ_CHECK(stats.last_failed_request == expected.last_failed_request,
                    "stats.last_failed_request %zu, model %zu", stats.last_failed_request,
                    expected.last_failed_request);
    VERA_FUZZ_CHECK(stats.last_failure == expected.last_failure, "stats.last_failure %d, model %d",
                    (int)stats.last_failure, (int)expected.last_failure);
    VERA_FUZZ_CHECK(mira_mem_buffer_get_usage() == expected.usage, "get_usage %zu, model %zu",
                    mira_mem_buffer_get_usage(), expected.usage);
    VERA_FUZZ_CHECK(mira_mem_buffer_get_free() == expected.free, "get_free %zu, model %zu",
                    mira_mem_buffer_get_free(), expected.free);
    VERA_FUZZ_CHECK(mira_mem_buffer_get_capacity() == expected.capacity, "get_capacity %zu, model %zu",
                    mira_mem_buffer_get_capacity(), expected.capacity);
    VERA_FUZZ_CHECK(expected.usage >= harness.usage_at_last_op, "usage went down from %zu to %zu",
                    harness.usage_at_last_op, expected.usage);
    harness.usage_at_last_op = expected.usage;
}

/* The buffer or the pool: every byte set to the canary and poisoned until it is handed out. */
static void open_region(unsigned char *region, size_t size)
{
    vera_fuzz_tracker_open(&harness.tracker, region, size, CANARY);
    harness.region_open = true;
}

static void run_set_buffer(vera_fuzz_input_t *input)
{
    bool null_buffer = vera_fuzz_take_choice(input, 4u) == 3u;
    size_t offset = vera_fuzz_take_byte(input);
    size_t size = (size_t)vera_fuzz_take_u16(input) % (VERA_FUZZ_REGION_MAX_BYTES - offset + 1u);
    unsigned char *buffer = null_buffer ? NULL : aligned_region() + offset;
    mira_status_t expected = vera_mira_model_set_buffer(&harness.model, (uintptr_t)buffer, size);
    mira_status_t status;

    vera_fuzz_trace("set_alloc_buffer(%s+%zu, %zu)\n", null_buffer ? "NULL" : "region", offset, size);
    if (expected == MIRA_SUCCESS) {
        open_region(buffer, size);
    }
    status = mira_mem_set_alloc_buffer(buffer, size);
    VERA_FUZZ_CHECK(status == expected, "set_alloc_buffer returned %d, model %d", (int)status, (int)expected);
}

static void run_set_callback(vera_fuzz_input_t *input)
{
    unsigned which = vera_fuzz_take_choice(input, 3u);
    unsigned which_storage = vera_fuzz_take_choice(input, 3u);
    mira_status_t expected = vera_mira_model_set_callback(&harness.model, which,
                                                          (uintptr_t)callback_storage_pointer(which_storage));
    mira_status_t status;

    vera_fuzz_trace("set_alloc_callback(%u, storage %u)\n", which, which_storage);
    if (expected == MIRA_SUCCESS) {
        open_region(aligned_region(), CALLBACK_POOL_BYTES);
    }
    status = mira_mem_set_alloc_callback(callback_function(which), callback_storage_pointer(which_storage));
    VERA_FUZZ_CHECK(status == expected, "set_alloc_callback returned %d, model %d", (int)status, (int)expected);
}

/* Decides what the callback answers if the facade asks it for `size` bytes now. */
static enum callback_answer plan_answer(vera_fuzz_input_t *input, size_t size)
{
    enum callback_answer kind = (enum callback_answer)vera_fuzz_take_choice(input, ANSWER_COUNT);
    unsigned char *pool = aligned_region();
    size_t pool_left = CALLBACK_POOL_BYTES - harness.pool_next;

    harness.planned_reservation = 0u;
    switch (kind) {
    case ANSWER_NULL:
        harness.planned_answer = NULL;
        break;
    case ANSWER_MISALIGNED:
        harness.planned_answer = pool + harness.pool_next + 1u + vera_fuzz_take_byte(input) % (MIRA_MEM_ALIGNMENT - 1u);
        break;
    case ANSWER_FRESH_BLOCK:
        if (size == 0u || size > pool_left) {
            harness.planned_answer = NULL; /* an honest allocator that is out of memory */
            kind = ANSWER_NULL;
        } else {
            harness.planned_answer = pool + harness.pool_next;
            harness.planned_reservation = (size + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT;
            if (harness.planned_reservation > pool_left) {
                harness.planned_reservation = pool_left;
            }
        }
        break;
    default:
        harness.planned_answer = harness.last_fresh_block != NULL ? harness.last_fresh_block : pool;
        break;
    }
    return kind;
}

static void run_alloc(vera_fuzz_input_t *input)
{
    size_t size = vera_fuzz_take_size(input, vera_mira_model_free(&harness.model));
    enum callback_answer answer_kind = plan_answer(input, size);
    unsigned char *planned_answer = harness.planned_answer;
    bool buffer_mode = harness.model.source == VERA_MIRA_MODEL_BUFFER;
    size_t used_before = harness.model.buffer.used;
    unsigned callback_calls_before = harness.callback_calls;
    unsigned hook_calls_before = harness.hook_calls;
    vera_mira_model_outcome_t expected;
    unsigned char *block;

    block = mira_mem_alloc(size);
    vera_fuzz_trace("alloc(%zu) [callback answer %d: %p] = %p\n", size, (int)answer_kind, (void *)planned_answer,
                    (void *)block);
    expected = vera_mira_model_alloc(&harness.model, size, (uintptr_t)planned_answer);

    VERA_FUZZ_CHECK((block != NULL) == expected.succeeds, "alloc(%zu) returned %p, model expects %s", size,
                    (void *)block, expected.succeeds ? "a block" : "NULL");
    VERA_FUZZ_CHECK(harness.callback_calls - callback_calls_before == (expected.calls_callback ? 1u : 0u),
                    "the callback was called %u times, model %d", harness.callback_calls - callback_calls_before,
                    (int)expected.calls_callback);
    if (expected.calls_callback) {
        VERA_FUZZ_CHECK(harness.last_callback == harness.model.callback, "callback %u was called, model %u",
                        harness.last_callback, harness.model.callback);
        VERA_FUZZ_CHECK((uintptr_t)harness.last_callback_storage == harness.model.callback_storage,
                        "the callback got storage %p", harness.last_callback_storage);
        VERA_FUZZ_CHECK(harness.last_callback_size == size, "the callback was asked for %zu bytes, not %zu",
                        harness.last_callback_size, size);
    }
    VERA_FUZZ_CHECK(harness.hook_calls - hook_calls_before == (expected.calls_oom_hook ? 1u : 0u),
                    "the hook was called %u times, model %d", harness.hook_calls - hook_calls_before,
                    (int)expected.calls_oom_hook);
    if (expected.calls_oom_hook) {
        VERA_FUZZ_CHECK(harness.last_hook == harness.model.oom_hook, "hook %u was called, model %u",
                        harness.last_hook, harness.model.oom_hook);
        VERA_FUZZ_CHECK(harness.last_hook_size == size && harness.last_hook_reason == expected.reason,
                        "the hook got (%zu, %d), model (%zu, %d)", harness.last_hook_size,
                        (int)harness.last_hook_reason, size, (int)expected.reason);
    }
    check_queries();
    if (block == NULL) {
        return;
    }

    VERA_FUZZ_CHECK((uintptr_t)block % MIRA_MEM_ALIGNMENT == 0u, "block %p is not aligned", (void *)block);
    if (buffer_mode) {
        vera_fuzz_check_bump_block(&harness.tracker, block, size, used_before, harness.model.buffer.used,
                                   expected.block_offset);
        return;
    }
    VERA_FUZZ_CHECK(block == planned_answer, "alloc returned %p, the callback answered %p", (void *)block,
                    (void *)planned_answer);
    if (answer_kind == ANSWER_FRESH_BLOCK) {
        (void)vera_fuzz_tracker_add(&harness.tracker, block, size);
    }
}

static void run_set_oom_hook(vera_fuzz_input_t *input)
{
    unsigned which = vera_fuzz_take_choice(input, 3u);
    mira_status_t expected = vera_mira_model_set_oom_hook(&harness.model, which);
    mira_status_t status = mira_mem_set_oom_hook(hook_function(which));
    vera_fuzz_trace("set_oom_hook(%u)\n", which);
    VERA_FUZZ_CHECK(status == expected, "set_oom_hook returned %d, model %d", (int)status, (int)expected);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vera_fuzz_input_t input;

    /* The harness's reset of the facade: its static state back to what startup gives. */
    memset(&mira_mem_state, 0, sizeof mira_mem_state);
    vera_mira_model_reset(&harness.model);
    vera_fuzz_tracker_reset(&harness.tracker, aligned_region(), 0u);
    harness.region_open = false;
    harness.usage_at_last_op = 0u;
    harness.pool_next = 0u;
    harness.last_fresh_block = NULL;
    harness.planned_answer = NULL;
    harness.planned_reservation = 0u;
    harness.callback_calls = 0u;
    harness.hook_calls = 0u;
    vera_fuzz_poison(storage, sizeof storage);
    VERA_FUZZ_CHECK(!vera_fuzz_poisoning_enabled() || vera_fuzz_is_poisoned(aligned_region()),
                    "ASan poisoning has no effect");

    vera_fuzz_input_init(&input, data, size);
    check_queries();
    while (!vera_fuzz_input_exhausted(&input) && !vera_fuzz_tracker_full(&harness.tracker)) {
        mira_status_t status;
        switch (vera_fuzz_take_choice(&input, OPERATION_COUNT)) {
        case OPERATION_SET_BUFFER:
            run_set_buffer(&input);
            break;
        case OPERATION_SET_CALLBACK:
            run_set_callback(&input);
            break;
        case OPERATION_ALLOC:
            run_alloc(&input);
            break;
        case OPERATION_SEAL:
            vera_fuzz_trace("seal\n");
            status = mira_mem_seal();
            VERA_FUZZ_CHECK(status == vera_mira_model_seal(&harness.model), "seal returned %d", (int)status);
            break;
        case OPERATION_SET_OOM_HOOK:
            run_set_oom_hook(&input);
            break;
        case OPERATION_FAST_FORWARD:
            mira_mem_state.failed_requests = SIZE_MAX - vera_fuzz_take_choice(&input, 4u);
            harness.model.failed_requests = mira_mem_state.failed_requests;
            vera_fuzz_trace("failed requests set to %zu\n", harness.model.failed_requests);
            break;
        default:
            vera_fuzz_trace("get_stats(NULL)\n");
            status = mira_mem_get_stats(NULL);
            VERA_FUZZ_CHECK(status == MIRA_ERROR_INVALID_VALUE, "get_stats(NULL) returned %d", (int)status);
            break;
        }
        check_queries();
    }

    if (harness.region_open) {
        vera_fuzz_unpoison(harness.tracker.region, harness.tracker.region_size);
        vera_fuzz_tracker_verify_all(&harness.tracker);
        vera_fuzz_tracker_verify_unowned(&harness.tracker, CANARY);
    }
    vera_fuzz_unpoison(storage, sizeof storage);
    return 0;
}
