/*
 * mira_mem: the MiraOS memory API as a thin layer over one veralloc arena.
 *
 * The facade owns a small state machine:
 *
 *      NOT_SET --set_alloc_buffer--> BUFFER    (allocations come from one vera_arena_t)
 *      NOT_SET --set_alloc_callback--> CALLBACK (allocations come from the application)
 *      any     --seal--> sealed                 (every later alloc and set_* fails)
 *
 * It checks every argument and every answer of the application's callback, keeps the sizing
 * statistics, and reports each failure to the optional out-of-memory hook. Allocation itself is
 * the arena's (src/arena.c): in buffer mode this file does no pointer arithmetic of its own.
 *
 * Freestanding C99: no libc, no dynamic allocation, constant time per call (plus whatever the
 * application's callback or hook take).
 */
#include "mira_mem.h"

#include <stdbool.h>
#include <stdint.h>

#include "veralloc/arena.h"

/* MIRA_MEM_SET_BUFFER's union must be at least as aligned as the blocks it will hold, or the
 * buffer it defines would be rejected. offsetof after a char is the union's alignment in C99. */
struct mira_mem_alignment_probe {
    char first;
    union mira_mem_max_align aligned;
};
VERA_STATIC_ASSERT(static_buffer_is_aligned,
                   offsetof(struct mira_mem_alignment_probe, aligned) % MIRA_MEM_ALIGNMENT == 0u);

typedef enum mira_mem_mode {
    MIRA_MEM_MODE_NOT_SET = 0,
    MIRA_MEM_MODE_BUFFER,
    MIRA_MEM_MODE_CALLBACK
} mira_mem_mode_t;

/* The whole facade state. Zero-initialised at startup: no source set, not sealed, no hook. */
static struct mira_mem_state {
    mira_mem_mode_t mode;
    bool sealed;
    vera_arena_t arena;                 /* buffer mode */
    mira_mem_alloc_callback_t callback; /* callback mode */
    void *callback_storage;             /* callback mode */
    mira_size_t callback_bytes;         /* callback mode: sum of sizes handed out (saturates) */
    mira_mem_oom_hook_t oom_hook;
    mira_size_t largest_request;
    mira_size_t failed_requests;
    mira_size_t last_failed_request;
    mira_status_t last_failure;
} mira_mem_state;

/* The one place where the application's callback is called: a proof states what is assumed of
 * it in this function's contract (docs/proofs.md). */
static void *mira_mem_call_callback(mira_size_t size)
{
    return mira_mem_state.callback(size, mira_mem_state.callback_storage);
}

/* The one place where the application's hook is called. */
static void mira_mem_call_oom_hook(mira_size_t size, mira_status_t reason)
{
    if (mira_mem_state.oom_hook != NULL) {
        mira_mem_state.oom_hook(size, reason);
    }
}

/* Checks common to both set_* calls. */
static mira_status_t mira_mem_check_can_set(void)
{
    if (mira_mem_state.sealed) {
        return MIRA_ERROR_SEALED;
    }
    if (mira_mem_state.mode != MIRA_MEM_MODE_NOT_SET) {
        return MIRA_ERROR_ALREADY_SET;
    }
    return MIRA_SUCCESS;
}

mira_status_t mira_mem_set_alloc_callback(mira_mem_alloc_callback_t callback, void *storage)
{
    mira_status_t status = mira_mem_check_can_set();
    if (status != MIRA_SUCCESS) {
        return status;
    }
    if (callback == NULL) {
        return MIRA_ERROR_INVALID_VALUE;
    }
    mira_mem_state.callback = callback;
    mira_mem_state.callback_storage = storage;
    mira_mem_state.callback_bytes = 0u;
    mira_mem_state.mode = MIRA_MEM_MODE_CALLBACK;
    return MIRA_SUCCESS;
}

mira_status_t mira_mem_set_alloc_buffer(void *buffer, mira_size_t size)
{
    mira_status_t status = mira_mem_check_can_set();
    if (status != MIRA_SUCCESS) {
        return status;
    }
    /* The arena checks NULL, size and alignment and leaves itself unchanged on error. */
    if (vera_arena_init(&mira_mem_state.arena, buffer, size) != VERA_OK) {
        return MIRA_ERROR_INVALID_VALUE;
    }
    mira_mem_state.mode = MIRA_MEM_MODE_BUFFER;
    return MIRA_SUCCESS;
}

/* Records a failed request, tells the hook, and returns NULL for mira_mem_alloc to return. */
static void *mira_mem_fail(mira_size_t size, mira_status_t reason)
{
    if (mira_mem_state.failed_requests != (mira_size_t)SIZE_MAX) {
        mira_mem_state.failed_requests++;
    }
    mira_mem_state.last_failed_request = size;
    mira_mem_state.last_failure = reason;
    mira_mem_call_oom_hook(size, reason);
    return NULL;
}

/* Callback mode: asks the application, and uses its answer only if it is a usable block. */
static void *mira_mem_alloc_from_callback(mira_size_t size)
{
    void *block = mira_mem_call_callback(size);
    if (block == NULL) {
        return mira_mem_fail(size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    }
    if (((uintptr_t)block % MIRA_MEM_ALIGNMENT) != 0u) {
        return mira_mem_fail(size, MIRA_ERROR_CALLBACK_MISALIGNED);
    }
    if (size > (mira_size_t)SIZE_MAX - mira_mem_state.callback_bytes) {
        mira_mem_state.callback_bytes = (mira_size_t)SIZE_MAX;
    } else {
        mira_mem_state.callback_bytes += size;
    }
    return block;
}

void *mira_mem_alloc(mira_size_t size)
{
    void *block;

    if (size > mira_mem_state.largest_request) {
        mira_mem_state.largest_request = size;
    }
    if (mira_mem_state.sealed) {
        return mira_mem_fail(size, MIRA_ERROR_SEALED);
    }
    if (mira_mem_state.mode == MIRA_MEM_MODE_NOT_SET) {
        return mira_mem_fail(size, MIRA_ERROR_NOT_SET);
    }
    if (size == 0u) {
        return mira_mem_fail(size, MIRA_ERROR_INVALID_VALUE);
    }
    if (mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK) {
        return mira_mem_alloc_from_callback(size);
    }
    block = vera_arena_alloc(&mira_mem_state.arena, size);
    if (block == NULL) {
        return mira_mem_fail(size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    }
    return block;
}

mira_status_t mira_mem_seal(void)
{
    mira_mem_state.sealed = true;
    vera_arena_seal(&mira_mem_state.arena);
    return MIRA_SUCCESS;
}

mira_status_t mira_mem_set_oom_hook(mira_mem_oom_hook_t hook)
{
    mira_mem_state.oom_hook = hook;
    return MIRA_SUCCESS;
}

mira_size_t mira_mem_buffer_get_usage(void)
{
    if (mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK) {
        return mira_mem_state.callback_bytes;
    }
    return vera_arena_used(&mira_mem_state.arena);
}

mira_size_t mira_mem_buffer_get_free(void)
{
    return vera_arena_available(&mira_mem_state.arena);
}

mira_size_t mira_mem_buffer_get_capacity(void)
{
    return vera_arena_capacity(&mira_mem_state.arena);
}

mira_status_t mira_mem_get_stats(mira_mem_stats_t *stats)
{
    if (stats == NULL) {
        return MIRA_ERROR_INVALID_VALUE;
    }
    stats->capacity = mira_mem_buffer_get_capacity();
    stats->usage = mira_mem_buffer_get_usage();
    stats->free = mira_mem_buffer_get_free();
    stats->largest_request = mira_mem_state.largest_request;
    stats->failed_requests = mira_mem_state.failed_requests;
    stats->last_failed_request = mira_mem_state.last_failed_request;
    stats->last_failure = mira_mem_state.last_failure;
    return MIRA_SUCCESS;
}
