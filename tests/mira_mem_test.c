/* Unit tests for include/mira_mem.h: every row of its misuse and error table. */

/* The facade keeps its state in a static variable; including the source gives this harness the
 * means to reset it between cases without a reset entry point in the shipped library. */
#include "src/mira_mem.c"

#include <string.h>

#include "tests/test_support.h"

static void reset_facade(void)
{
    memset(&mira_mem_state, 0, sizeof mira_mem_state);
}

#define BUFFER_SIZE 512u

static union {
    long double long_double_member;
    unsigned char bytes[BUFFER_SIZE + 64u];
} buffer_storage;

static unsigned char *aligned_buffer(void)
{
    unsigned char *start = buffer_storage.bytes;
    while (!test_is_aligned(start, 64u)) {
        start++;
    }
    return start;
}

/* The facade's whole state, compared field by field: "unchanged" means every field. */
static struct mira_mem_state saved_state;
static void save_state(void)
{
    saved_state = mira_mem_state;
}
static int state_unchanged(void)
{
    const struct mira_mem_state *a = &saved_state;
    const struct mira_mem_state *b = &mira_mem_state;
    return a->mode == b->mode && a->sealed == b->sealed && a->busy == b->busy &&
           a->arena.base == b->arena.base &&
           a->arena.capacity == b->arena.capacity && a->arena.used == b->arena.used &&
           a->arena.sealed == b->arena.sealed &&
           a->arena.largest_request == b->arena.largest_request &&
           a->arena.failed_requests == b->arena.failed_requests && a->callback == b->callback &&
           a->callback_storage == b->callback_storage && a->callback_bytes == b->callback_bytes &&
           a->oom_hook == b->oom_hook && a->largest_request == b->largest_request &&
           a->failed_requests == b->failed_requests &&
           a->last_failed_request == b->last_failed_request && a->last_failure == b->last_failure;
}

/* A callback whose answers the test scripts. */
struct scripted_callback {
    void *answer;
    int calls;
    mira_size_t last_size;
};
static void *scripted_alloc(mira_size_t size, void *storage)
{
    struct scripted_callback *script = storage;
    script->calls++;
    script->last_size = size;
    return script->answer;
}

/* An out-of-memory hook that records its calls. */
static int hook_calls;
static mira_size_t hook_size;
static mira_status_t hook_reason;
static void recording_hook(mira_size_t size, mira_status_t reason)
{
    hook_calls++;
    hook_size = size;
    hook_reason = reason;
}

static void test_set_buffer_rejects_null(void)
{
    reset_facade();
    save_state();
    CHECK(mira_mem_set_alloc_buffer(NULL, BUFFER_SIZE) == MIRA_ERROR_INVALID_VALUE);
    CHECK(state_unchanged());
    /* Still unset: a valid buffer is accepted afterwards. */
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), BUFFER_SIZE) == MIRA_SUCCESS);
}

static void test_set_buffer_rejects_zero_and_too_small(void)
{
    reset_facade();
    save_state();
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), 0u) == MIRA_ERROR_INVALID_VALUE);
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), MIRA_MEM_ALIGNMENT - 1u) == MIRA_ERROR_INVALID_VALUE);
    CHECK(state_unchanged());
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), MIRA_MEM_ALIGNMENT) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(MIRA_MEM_ALIGNMENT) == aligned_buffer());
}

static void test_set_buffer_rejects_misaligned(void)
{
    size_t offset;
    reset_facade();
    save_state();
    for (offset = 1u; offset < MIRA_MEM_ALIGNMENT; offset++) {
        CHECK(mira_mem_set_alloc_buffer(aligned_buffer() + offset, BUFFER_SIZE) == MIRA_ERROR_INVALID_VALUE);
    }
    CHECK(state_unchanged());
}

static void test_set_callback_rejects_null(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    reset_facade();
    save_state();
    CHECK(mira_mem_set_alloc_callback(NULL, &script) == MIRA_ERROR_INVALID_VALUE);
    CHECK(state_unchanged());
}

static void test_second_set_is_rejected_first_kept(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    unsigned char *buffer = aligned_buffer();

    /* buffer, then buffer or callback */
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(buffer, 256u) == MIRA_SUCCESS);
    save_state();
    CHECK(mira_mem_set_alloc_buffer(buffer + 256, 256u) == MIRA_ERROR_ALREADY_SET);
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_ERROR_ALREADY_SET);
    CHECK(mira_mem_set_alloc_buffer(NULL, 0u) == MIRA_ERROR_ALREADY_SET);
    CHECK(state_unchanged());
    CHECK(mira_mem_alloc(8u) == buffer);
    CHECK(script.calls == 0);

    /* callback, then callback or buffer */
    reset_facade();
    script.answer = buffer;
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    save_state();
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, NULL) == MIRA_ERROR_ALREADY_SET);
    CHECK(mira_mem_set_alloc_buffer(buffer, 256u) == MIRA_ERROR_ALREADY_SET);
    CHECK(state_unchanged());
    CHECK(mira_mem_alloc(8u) == buffer);
    CHECK(script.calls == 1);
    CHECK(mira_mem_buffer_get_capacity() == 0u);
}

static void test_alloc_before_set(void)
{
    reset_facade();
    CHECK(mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    hook_calls = 0;
    CHECK(mira_mem_alloc(16u) == NULL);
    CHECK(hook_calls == 1 && hook_size == 16u && hook_reason == MIRA_ERROR_NOT_SET);
    CHECK(mira_mem_buffer_get_usage() == 0u);
    CHECK(mira_mem_buffer_get_free() == 0u);
    CHECK(mira_mem_buffer_get_capacity() == 0u);
}

static void test_alloc_zero_bytes(void)
{
    mira_mem_stats_t stats;
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), BUFFER_SIZE) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(0u) == NULL);
    CHECK(mira_mem_buffer_get_usage() == 0u);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.failed_requests == 1u);
    CHECK(stats.last_failure == MIRA_ERROR_INVALID_VALUE);
}

static void test_alloc_near_size_max(void)
{
    mira_size_t size;
    mira_size_t usage;
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), BUFFER_SIZE) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(24u) != NULL);
    usage = mira_mem_buffer_get_usage();
    for (size = SIZE_MAX; size > SIZE_MAX - 3u * MIRA_MEM_ALIGNMENT; size--) {
        CHECK(mira_mem_alloc(size) == NULL);
    }
    CHECK(mira_mem_alloc(BUFFER_SIZE - usage + 1u) == NULL);
    CHECK(mira_mem_buffer_get_usage() == usage);
    CHECK(mira_mem_alloc(BUFFER_SIZE - usage) != NULL);
    CHECK(mira_mem_buffer_get_free() == 0u);
}

static void test_out_of_memory_hook(void)
{
    mira_mem_stats_t stats;
    reset_facade();
    hook_calls = 0;
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), 64u) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(100u) == NULL); /* no hook yet: just NULL */
    CHECK(hook_calls == 0);
    CHECK(mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(65u) == NULL);
    CHECK(hook_calls == 1 && hook_size == 65u && hook_reason == MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    CHECK(mira_mem_alloc(64u) != NULL);
    CHECK(hook_calls == 1);
    CHECK(mira_mem_set_oom_hook(NULL) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(1u) == NULL);
    CHECK(hook_calls == 1);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.failed_requests == 3u);
    CHECK(stats.last_failed_request == 1u);
    CHECK(stats.largest_request == 100u);
}

static void test_alloc_after_seal(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    mira_size_t usage;
    reset_facade();
    hook_calls = 0;
    CHECK(mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), BUFFER_SIZE) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(32u) != NULL);
    usage = mira_mem_buffer_get_usage();
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    CHECK(mira_mem_seal() == MIRA_SUCCESS); /* idempotent */
    CHECK(mira_mem_alloc(32u) == NULL);
    CHECK(hook_calls == 1 && hook_reason == MIRA_ERROR_SEALED);
    CHECK(mira_mem_buffer_get_usage() == usage);

    /* sealed in callback mode: the callback is not even asked */
    reset_facade();
    script.answer = aligned_buffer();
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(32u) == NULL);
    CHECK(script.calls == 0);
}

static void test_set_after_seal(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    reset_facade();
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    save_state();
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), BUFFER_SIZE) == MIRA_ERROR_SEALED);
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_ERROR_SEALED);
    CHECK(state_unchanged());
    CHECK(mira_mem_alloc(8u) == NULL);
}

static void test_callback_returning_null(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    mira_mem_stats_t stats;
    reset_facade();
    hook_calls = 0;
    CHECK(mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(40u) == NULL);
    CHECK(script.calls == 1 && script.last_size == 40u);
    CHECK(hook_calls == 1 && hook_reason == MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    CHECK(mira_mem_buffer_get_usage() == 0u);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.failed_requests == 1u && stats.last_failed_request == 40u);
}

static void test_callback_returning_misaligned(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    size_t offset;
    reset_facade();
    hook_calls = 0;
    CHECK(mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    for (offset = 1u; offset < MIRA_MEM_ALIGNMENT; offset++) {
        script.answer = aligned_buffer() + offset;
        CHECK(mira_mem_alloc(16u) == NULL);
        CHECK(hook_reason == MIRA_ERROR_CALLBACK_MISALIGNED);
    }
    CHECK(hook_calls == (int)MIRA_MEM_ALIGNMENT - 1);
    CHECK(mira_mem_buffer_get_usage() == 0u);
}

static void test_callback_usage_and_storage(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    reset_facade();
    script.answer = aligned_buffer();
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(10u) == aligned_buffer());
    CHECK(mira_mem_alloc(30u) == aligned_buffer());
    CHECK(script.calls == 2 && script.last_size == 30u);
    CHECK(mira_mem_buffer_get_usage() == 40u); /* bytes handed out, where MiraOS says undefined */
    CHECK(mira_mem_buffer_get_free() == 0u);
    CHECK(mira_mem_alloc(0u) == NULL); /* zero is rejected before the callback is asked */
    CHECK(script.calls == 2);
}

static void test_callback_usage_saturates(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    reset_facade();
    script.answer = aligned_buffer();
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(SIZE_MAX - 1u) != NULL); /* the scripted callback "succeeds" */
    CHECK(mira_mem_alloc(5u) != NULL);
    CHECK(mira_mem_buffer_get_usage() == SIZE_MAX);
}

static void test_get_stats(void)
{
    mira_mem_stats_t stats;
    reset_facade();
    CHECK(mira_mem_get_stats(NULL) == MIRA_ERROR_INVALID_VALUE);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.capacity == 0u && stats.usage == 0u && stats.free == 0u);
    CHECK(stats.failed_requests == 0u && stats.last_failure == MIRA_SUCCESS);
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), BUFFER_SIZE + 5u) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(100u) != NULL);
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    CHECK(stats.capacity == (BUFFER_SIZE + 5u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT);
    CHECK(stats.usage == (100u + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT);
    CHECK(stats.free == stats.capacity - stats.usage);
    CHECK(stats.largest_request == 100u);
}

static void test_set_buffer_macro_and_alias(void)
{
    void *block;
    reset_facade();
    MIRA_MEM_SET_BUFFER(100);
    CHECK(mira_mem_state.mode == MIRA_MEM_MODE_BUFFER);
    CHECK(mira_mem_buffer_get_capacity() == 100u / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT);
    block = mira_mem_alloc(1u);
    CHECK(block != NULL && test_is_aligned(block, MIRA_MEM_ALIGNMENT));

    reset_facade();
    MIRA_SET_MEM_BUFFER(64);
    CHECK(mira_mem_buffer_get_capacity() == 64u);
}

/* Every way of setting the source again after mira_mem_seal, in either mode, is refused with
 * MIRA_ERROR_SEALED and changes nothing (sealed before ALREADY_SET). */
static void test_set_again_after_seal_in_each_mode(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    unsigned char *buffer = aligned_buffer();

    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(buffer, 256u) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(8u) == buffer);
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    save_state();
    CHECK(mira_mem_set_alloc_buffer(buffer, 256u) == MIRA_ERROR_SEALED);
    CHECK(mira_mem_set_alloc_buffer(buffer + 256, 256u) == MIRA_ERROR_SEALED);
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_ERROR_SEALED);
    CHECK(state_unchanged());
    CHECK(mira_mem_buffer_get_usage() == ((8u + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT) * MIRA_MEM_ALIGNMENT);

    reset_facade();
    script.answer = buffer;
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    save_state();
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_ERROR_SEALED);
    CHECK(mira_mem_set_alloc_buffer(buffer, 256u) == MIRA_ERROR_SEALED);
    CHECK(state_unchanged());
    CHECK(script.calls == 0);
}

/* mira_mem_check: true on every state the API produces, false on each kind of corruption. */
static void test_check_finds_corruption(void)
{
    struct scripted_callback script = {NULL, 0, 0u};
    reset_facade();
    CHECK(mira_mem_check());
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), 256u) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(3u) != NULL);
    CHECK(mira_mem_alloc(100000u) == NULL);
    CHECK(mira_mem_check());
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    CHECK(mira_mem_check());
    reset_facade();
    script.answer = aligned_buffer();
    CHECK(mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(8u) != NULL);
    CHECK(mira_mem_check());

    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), 256u) == MIRA_SUCCESS);
    save_state();
    mira_mem_state.mode = (mira_mem_mode_t)7; /* no such source */
    CHECK(!mira_mem_check());
    mira_mem_state = saved_state;
    mira_mem_state.arena.used = mira_mem_state.arena.capacity + MIRA_MEM_ALIGNMENT;
    CHECK(!mira_mem_check()); /* through vera_arena_check */
    mira_mem_state = saved_state;
    mira_mem_state.arena.sealed = true; /* the arena sealed, the facade not */
    CHECK(!mira_mem_check());
    mira_mem_state = saved_state;
    mira_mem_state.mode = MIRA_MEM_MODE_CALLBACK; /* callback mode with a buffer in the arena */
    CHECK(!mira_mem_check());
    mira_mem_state = saved_state;
    CHECK(mira_mem_check());

    reset_facade();
    mira_mem_state.arena.used = MIRA_MEM_ALIGNMENT; /* no source, yet bytes used */
    CHECK(!mira_mem_check());
    reset_facade();
    CHECK(mira_mem_check());
}

/* A hook and a callback that call back into every mira_mem function. Before the busy flag, the
 * hook's mira_mem_alloc recursed without limit (stack overflow). Each re-entrant call that would
 * change the facade is refused (NULL or MIRA_ERROR_REENTERED) and changes nothing; the read-only
 * calls report the state as it is. */
static struct reentry_record {
    int calls;
    void *alloc_result;
    mira_status_t seal_status;
    mira_status_t set_buffer_status;
    mira_status_t set_callback_status;
    mira_status_t set_hook_status;
    mira_status_t stats_status;
    mira_size_t usage;
    mira_size_t free_bytes;
    mira_size_t capacity;
    mira_mem_stats_t stats;
    bool check;
    int unchanged;
} reentry;

static void *reentering_alloc(mira_size_t size, void *storage);

static void call_back_into_everything(void)
{
    reentry.calls++;
    save_state();
    reentry.alloc_result = mira_mem_alloc(8u);
    reentry.seal_status = mira_mem_seal();
    reentry.set_buffer_status = mira_mem_set_alloc_buffer(aligned_buffer(), 64u);
    reentry.set_callback_status = mira_mem_set_alloc_callback(reentering_alloc, NULL);
    reentry.set_hook_status = mira_mem_set_oom_hook(NULL);
    reentry.usage = mira_mem_buffer_get_usage();
    reentry.free_bytes = mira_mem_buffer_get_free();
    reentry.capacity = mira_mem_buffer_get_capacity();
    reentry.stats_status = mira_mem_get_stats(&reentry.stats);
    reentry.check = mira_mem_check();
    reentry.unchanged = state_unchanged();
}

static void reentering_hook(mira_size_t size, mira_status_t reason)
{
    (void)size;
    (void)reason;
    call_back_into_everything();
}

static void *reentering_alloc(mira_size_t size, void *storage)
{
    (void)size;
    call_back_into_everything();
    return storage;
}

static void check_every_reentrant_call_refused(void)
{
    CHECK(reentry.calls == 1);
    CHECK(reentry.alloc_result == NULL);
    CHECK(reentry.seal_status == MIRA_ERROR_REENTERED);
    CHECK(reentry.set_buffer_status == MIRA_ERROR_REENTERED);
    CHECK(reentry.set_callback_status == MIRA_ERROR_REENTERED);
    CHECK(reentry.set_hook_status == MIRA_ERROR_REENTERED);
    CHECK(reentry.stats_status == MIRA_SUCCESS);
    CHECK(reentry.check);
    CHECK(reentry.unchanged);
}

static void test_hook_calling_back_is_refused(void)
{
    reset_facade();
    memset(&reentry, 0, sizeof reentry);
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), 64u) == MIRA_SUCCESS);
    CHECK(mira_mem_set_oom_hook(reentering_hook) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(1000u) == NULL); /* fails: the hook runs, and calls back */
    check_every_reentrant_call_refused();
    /* The hook saw the failure it is told about already recorded, and the usage. */
    CHECK(reentry.stats.failed_requests == 1u && reentry.stats.last_failed_request == 1000u);
    CHECK(reentry.stats.last_failure == MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    CHECK(reentry.capacity == 64u && reentry.usage == 0u && reentry.free_bytes == 64u);
    /* Afterwards the facade is usable again, the hook kept, nothing sealed. */
    CHECK(!mira_mem_state.busy && !mira_mem_state.sealed);
    CHECK(mira_mem_state.oom_hook == reentering_hook);
    CHECK(mira_mem_alloc(8u) == aligned_buffer());
    CHECK(mira_mem_state.failed_requests == 1u);
}

static void test_callback_calling_back_is_refused(void)
{
    unsigned char *block = aligned_buffer();
    reset_facade();
    memset(&reentry, 0, sizeof reentry);
    CHECK(mira_mem_set_alloc_callback(reentering_alloc, block) == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(16u) == block);
    check_every_reentrant_call_refused();
    CHECK(reentry.usage == 0u); /* not yet counted while the callback runs */
    CHECK(mira_mem_buffer_get_usage() == 16u);
    CHECK(!mira_mem_state.busy && !mira_mem_state.sealed);
    CHECK(mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK && mira_mem_state.callback == reentering_alloc);
    CHECK(mira_mem_state.failed_requests == 0u);
}

/* A buffer over the facade's own static state is rejected, also where it does not reach the
 * arena inside that state (the arena's own check would not see it). */
static void test_set_buffer_rejects_own_state(void)
{
    uintptr_t state = (uintptr_t)&mira_mem_state;
    unsigned char *over_first_fields =
        (unsigned char *)(state - (state % MIRA_MEM_ALIGNMENT)); /* aligned, at or before it */
    unsigned char *over_arena = (unsigned char *)(void *)&mira_mem_state.arena;
    reset_facade();
    save_state();
    CHECK((uintptr_t)over_first_fields + MIRA_MEM_ALIGNMENT <= (uintptr_t)&mira_mem_state.arena);
    CHECK(mira_mem_set_alloc_buffer(over_first_fields, MIRA_MEM_ALIGNMENT) == MIRA_ERROR_INVALID_VALUE);
    CHECK(mira_mem_set_alloc_buffer(over_arena - ((uintptr_t)over_arena % MIRA_MEM_ALIGNMENT),
                                    sizeof mira_mem_state) == MIRA_ERROR_INVALID_VALUE);
    CHECK(state_unchanged());
    CHECK(mira_mem_set_alloc_buffer(aligned_buffer(), 64u) == MIRA_SUCCESS);
}

int main(void)
{
    RUN_TEST(test_set_buffer_rejects_null);
    RUN_TEST(test_set_buffer_rejects_zero_and_too_small);
    RUN_TEST(test_set_buffer_rejects_misaligned);
    RUN_TEST(test_set_callback_rejects_null);
    RUN_TEST(test_second_set_is_rejected_first_kept);
    RUN_TEST(test_alloc_before_set);
    RUN_TEST(test_alloc_zero_bytes);
    RUN_TEST(test_alloc_near_size_max);
    RUN_TEST(test_out_of_memory_hook);
    RUN_TEST(test_alloc_after_seal);
    RUN_TEST(test_set_after_seal);
    RUN_TEST(test_callback_returning_null);
    RUN_TEST(test_callback_returning_misaligned);
    RUN_TEST(test_callback_usage_and_storage);
    RUN_TEST(test_callback_usage_saturates);
    RUN_TEST(test_get_stats);
    RUN_TEST(test_set_buffer_macro_and_alias);
    RUN_TEST(test_set_again_after_seal_in_each_mode);
    RUN_TEST(test_check_finds_corruption);
    RUN_TEST(test_hook_calling_back_is_refused);
    RUN_TEST(test_callback_calling_back_is_refused);
    RUN_TEST(test_set_buffer_rejects_own_state);
    return test_finish();
}
