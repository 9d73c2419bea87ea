/*
 * mira_mem: the MiraOS memory API as a thin layer over one veralloc arena.
 *
 * The facade owns a small state machine:
 *
 *      NOT_SET --set_alloc_buffer--> BUFFER    (allocations come from one vera_arena_t)
 *      NOT_SET --set_alloc_callback--> CALLBACK (allocations come from the application)
 *      any     --seal--> sealed                 (every later alloc and set_* fails)
 *
 * While the application's callback or out-of-memory hook runs, the facade is busy: the lock is
 * released for the call, and every call that would change the facade meanwhile (from the
 * callback or hook itself, or from an interrupt) is refused and changes nothing.
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
#include "veralloc/lock.h"

/* Shared helpers; also checks at compile time that MIRA_MEM_SET_BUFFER's static storage is
 * MIRA_MEM_ALIGNMENT-aligned (the storage alignment probe). */
#include "vera_internal.h"

typedef enum mira_mem_mode {
    MIRA_MEM_MODE_NOT_SET = 0,
    MIRA_MEM_MODE_BUFFER,
    MIRA_MEM_MODE_CALLBACK
} mira_mem_mode_t;

/* The whole facade state. Zero-initialised at startup: no source set, not sealed, no hook. */
static struct mira_mem_state {
    mira_mem_mode_t mode;
    bool sealed;
    bool busy;                          /* the callback or hook runs: every change is refused */
    mira_mem_alloc_callback_t callback; /* callback mode */
    void *callback_storage;             /* callback mode */
    mira_size_t callback_bytes;         /* callback mode: sum of sizes handed out (saturates) */
    mira_mem_oom_hook_t oom_hook;
    mira_size_t largest_request;
    mira_size_t failed_requests;
    mira_size_t last_failed_request;
    mira_status_t last_failure;
    vera_arena_t arena; /* buffer mode; last, so that a test can aim a buffer at the other fields */
} mira_mem_state;

/*
 * Proof support (ACSL and ghost code: comments to a compiler). The public contracts in
 * include/mira_mem.h speak about a ghost model of this state (specs/mira_mem_logic.h); the model
 * lives here, every change of the state below is followed by the matching ghost update, and
 * every function proves that model and state still agree. MIRA_MEM_MODE_* and
 * MIRA_MEM_SOURCE_* have the same values, so `source` and `mode` are compared directly.
 */
/*@ ghost struct mira_mem_model mira_mem_model; */

/* Where the facade's state is, as integers (specs/mira_mem_logic.h): the public contract of
 * mira_mem_set_alloc_buffer says that a buffer overlapping it is rejected. */
/*@ ghost uintptr_t mira_mem_own_address = (uintptr_t)&mira_mem_state; */
/*@ ghost size_t mira_mem_own_size = sizeof(mira_mem_state); */
/*@ ghost uintptr_t mira_mem_own_arena_address = (uintptr_t)&mira_mem_state.arena; */
/*@ ghost size_t mira_mem_own_arena_size = sizeof(vera_arena_t); */

/*@
  predicate mira_mem_model_matches_state =
       (mira_mem_state.mode == MIRA_MEM_MODE_NOT_SET || mira_mem_state.mode == MIRA_MEM_MODE_BUFFER
        || mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK)
    && mira_mem_model.source == mira_mem_state.mode
    && mira_mem_model.sealed == mira_mem_state.sealed
    && mira_mem_model.busy == mira_mem_state.busy
    && mira_mem_own_address == (uintptr_t)&mira_mem_state
    && mira_mem_own_size == sizeof(mira_mem_state)
    && mira_mem_own_arena_address == (uintptr_t)&mira_mem_state.arena
    && mira_mem_own_arena_size == sizeof(vera_arena_t)
    && (!mira_mem_state.sealed ==> !mira_mem_state.arena.sealed)
    && vera_arena_well_formed(&mira_mem_state.arena)
    && mira_mem_model.buffer == mira_mem_state.arena.base
    && mira_mem_model.capacity == mira_mem_state.arena.capacity
    && (mira_mem_state.mode != MIRA_MEM_MODE_BUFFER ==>
          mira_mem_state.arena.capacity == 0 && mira_mem_state.arena.used == 0)
    && (mira_mem_state.mode != MIRA_MEM_MODE_CALLBACK ==>
          mira_mem_model.usage == mira_mem_state.arena.used)
    && (mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK ==>
          mira_mem_model.usage == mira_mem_state.callback_bytes
          && mira_mem_state.callback != \null)
    && mira_mem_model.largest_request == mira_mem_state.largest_request
    && mira_mem_model.failed_requests == mira_mem_state.failed_requests
    && mira_mem_model.last_failed_request == mira_mem_state.last_failed_request
    && mira_mem_model.last_failure == mira_mem_state.last_failure
    && mira_mem_model.callback == mira_mem_state.callback
    && mira_mem_model.callback_storage == mira_mem_state.callback_storage
    && mira_mem_model.oom_hook == mira_mem_state.oom_hook;
*/

/* Proved with the initial values of both variables (WP's -main): at startup, model and state
 * agree, so the precondition every public function states below holds before the first call. */
/*@ ghost
  /@ assigns \nothing;
     ensures mira_mem_model_matches_state; @/
  void mira_mem_proof_initial_state(void)
  {
  }
*/

/* The one place where the application's callback is called. TRUSTED (docs/proofs.md): WP cannot
 * prove a call through an unknown function pointer (nor, in WP 25, even the reading of a function
 * pointer: \valid_function is not implemented), so this body is kept out of the proof and its
 * contract is assumed. Assumed of this body: it calls the stored callback
 * (mira_mem_state.callback) exactly once, with `size` and the stored storage, and calls nothing
 * else; the ghost model records that call (one more `callback_calls`; `last_called_callback`,
 * `last_callback_size`, `last_callback_storage`). Assumed of the callback: what
 * mira_mem_alloc_callback_t documents, NULL or a block of at least `size` writable bytes not
 * inside veralloc's state; and it does not write this state through a pointer of its own. It may
 * call back into mira_mem: it is called with the facade busy (and the lock released), and every
 * function that changes the facade is proved to change nothing while it is busy (its behavior
 * `reentered`). When it is called is proved of the callers; the answer is checked (NULL,
 * alignment) by the proved code below. */
/*@
  requires mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK && mira_mem_state.callback != \null;
  requires mira_mem_state.busy;
  assigns mira_mem_model.callback_calls, mira_mem_model.last_called_callback,
          mira_mem_model.last_callback_size, mira_mem_model.last_callback_storage;
  ensures mira_mem_model.callback_calls
          == mira_mem_call_count_next(\old(mira_mem_model.callback_calls));
  ensures mira_mem_model.last_called_callback == mira_mem_state.callback;
  ensures mira_mem_model.last_callback_size == size;
  ensures mira_mem_model.last_callback_storage == mira_mem_state.callback_storage;
  ensures \result == \null || \valid(\result + (0 .. size - 1));
  ensures \separated(\result, &mira_mem_state);
*/
static char *mira_mem_call_callback(mira_size_t size)
{
    return (char *)mira_mem_state.callback(size, mira_mem_state.callback_storage);
}

/* The one place where the application's hook is called. TRUSTED (docs/proofs.md), like
 * mira_mem_call_callback: the body is kept out of the proof (it reads a function pointer, which
 * WP 25 cannot check). Assumed of this body: if a hook is stored (mira_mem_state.oom_hook not
 * NULL) it calls that hook exactly once, with `size` and `reason`, and otherwise calls nothing;
 * the ghost model records the call (one more `hook_calls`; `last_called_hook`, `last_hook_size`,
 * `last_hook_reason`) and is unchanged when there is no hook. Assumed of the hook: it does not
 * write veralloc's state through a pointer of its own (it may log, count or reset the chip). It
 * may call back into mira_mem: as for the callback, it runs with the facade busy and the lock
 * released, and every call that would change the facade is proved to change nothing then. That it
 * is called on every failure and on no success is proved of the callers. */
/*@
  requires mira_mem_state.busy;
  assigns mira_mem_model.hook_calls, mira_mem_model.last_called_hook,
          mira_mem_model.last_hook_size, mira_mem_model.last_hook_reason;
  ensures hook_set:
    mira_mem_state.oom_hook != \null ==>
      mira_mem_hook_called{Old, Here}(mira_mem_state.oom_hook, size, reason);
  ensures no_hook:
    mira_mem_state.oom_hook == \null ==>
      mira_mem_model.hook_calls == \old(mira_mem_model.hook_calls)
      && mira_mem_model.last_called_hook == \old(mira_mem_model.last_called_hook)
      && mira_mem_model.last_hook_size == \old(mira_mem_model.last_hook_size)
      && mira_mem_model.last_hook_reason == \old(mira_mem_model.last_hook_reason);
*/
static void mira_mem_call_oom_hook(mira_size_t size, mira_status_t reason)
{
    if (mira_mem_state.oom_hook != NULL) {
        mira_mem_state.oom_hook(size, reason);
    }
}

/* `return mira_mem_release_status(lock, status);` leaves the critical section (veralloc/lock.h)
 * and returns the status, like vera_lock_release_status for veralloc's own status type. */
/*@
  assigns \nothing;
  ensures \result == result;
*/
static mira_status_t mira_mem_release_status(vera_lock_state_t lock, mira_status_t result)
{
    vera_lock_release(lock);
    return result;
}

/* Checks common to both set_* calls. */
/*@
  requires mira_mem_model_matches_state;
  assigns \nothing;
  ensures mira_mem_state.busy ==> \result == MIRA_ERROR_REENTERED;
  ensures !mira_mem_state.busy && mira_mem_state.sealed ==> \result == MIRA_ERROR_SEALED;
  ensures !mira_mem_state.busy && !mira_mem_state.sealed
          && mira_mem_state.mode != MIRA_MEM_MODE_NOT_SET ==> \result == MIRA_ERROR_ALREADY_SET;
  ensures !mira_mem_state.busy && !mira_mem_state.sealed
          && mira_mem_state.mode == MIRA_MEM_MODE_NOT_SET ==> \result == MIRA_SUCCESS;
*/
static mira_status_t mira_mem_check_can_set(void)
{
    if (mira_mem_state.busy) {
        return MIRA_ERROR_REENTERED;
    }
    if (mira_mem_state.sealed) {
        return MIRA_ERROR_SEALED;
    }
    if (mira_mem_state.mode != MIRA_MEM_MODE_NOT_SET) {
        return MIRA_ERROR_ALREADY_SET;
    }
    return MIRA_SUCCESS;
}

/*@
  requires mira_mem_model_matches_state;
  assigns mira_mem_state.callback, mira_mem_state.callback_storage, mira_mem_state.callback_bytes,
          mira_mem_state.mode, mira_mem_model.source, mira_mem_model.usage,
          mira_mem_model.callback, mira_mem_model.callback_storage;
  ensures mira_mem_model_matches_state;
*/
mira_status_t mira_mem_set_alloc_callback(mira_mem_alloc_callback_t callback, void *storage)
{
    vera_lock_state_t lock = vera_lock_acquire();
    mira_status_t status = mira_mem_check_can_set();
    if (status != MIRA_SUCCESS) {
        return mira_mem_release_status(lock, status);
    }
    if (callback == NULL) {
        return mira_mem_release_status(lock, MIRA_ERROR_INVALID_VALUE);
    }
    mira_mem_state.callback = callback;
    mira_mem_state.callback_storage = storage;
    mira_mem_state.callback_bytes = 0u;
    mira_mem_state.mode = MIRA_MEM_MODE_CALLBACK;
    /*@ ghost
      mira_mem_model.source = MIRA_MEM_SOURCE_CALLBACK;
      mira_mem_model.usage = 0;
      mira_mem_model.callback = callback;
      mira_mem_model.callback_storage = storage;
    */
    vera_lock_release(lock);
    return MIRA_SUCCESS;
}

/*@
  requires mira_mem_model_matches_state;
  requires buffer_not_ours: buffer == \null
           || \separated((char *)buffer + (0 .. size - 1), &mira_mem_state)
           || mira_mem_buffer_overlaps_own_state(buffer, size);
  assigns mira_mem_state.arena, mira_mem_state.mode, mira_mem_model.source, mira_mem_model.buffer,
          mira_mem_model.capacity, mira_mem_model.usage;
  ensures mira_mem_model_matches_state;
*/
mira_status_t mira_mem_set_alloc_buffer(void *buffer, mira_size_t size)
{
    vera_lock_state_t lock = vera_lock_acquire();
    mira_status_t status = mira_mem_check_can_set();
    if (status != MIRA_SUCCESS) {
        return mira_mem_release_status(lock, status);
    }
    /* A buffer over the facade's own state: its first block would overwrite the state. Compared
     * by address (vera_ranges_overlap); the arena checks its own part again. */
    if ((size > 0u) &&
        vera_ranges_overlap((uintptr_t)&mira_mem_state, sizeof mira_mem_state, (uintptr_t)buffer, size)) {
        return mira_mem_release_status(lock, MIRA_ERROR_INVALID_VALUE);
    }
    /* The arena checks NULL, size, alignment and overlap, and leaves itself unchanged on error. */
    if (vera_arena_init(&mira_mem_state.arena, buffer, size) != VERA_OK) {
        return mira_mem_release_status(lock, MIRA_ERROR_INVALID_VALUE);
    }
    mira_mem_state.mode = MIRA_MEM_MODE_BUFFER;
    /*@ ghost
      mira_mem_model.source = MIRA_MEM_SOURCE_BUFFER;
      mira_mem_model.buffer = mira_mem_state.arena.base;
      mira_mem_model.capacity = mira_mem_state.arena.capacity;
      mira_mem_model.usage = mira_mem_state.arena.used;
    */
    vera_lock_release(lock);
    return MIRA_SUCCESS;
}

/* The facade is busy (the callback or the hook runs): set with the lock held, then the lock is
 * released for the call; a call back into mira_mem meanwhile is refused and changes nothing. */
/*@
  requires mira_mem_model_matches_state && !mira_mem_state.busy;
  assigns mira_mem_state.busy, mira_mem_model.busy;
  ensures mira_mem_model_matches_state && mira_mem_state.busy;
*/
static void mira_mem_enter_busy(vera_lock_state_t lock)
{
    mira_mem_state.busy = true;
    //@ ghost mira_mem_model.busy = 1;
    vera_lock_release(lock);
}

/* The call is over: the lock is taken again (its state returned) and the facade is not busy. */
/*@
  requires mira_mem_model_matches_state && mira_mem_state.busy;
  assigns mira_mem_state.busy, mira_mem_model.busy;
  ensures mira_mem_model_matches_state && !mira_mem_state.busy;
*/
static vera_lock_state_t mira_mem_leave_busy(void)
{
    vera_lock_state_t lock = vera_lock_acquire();
    mira_mem_state.busy = false;
    //@ ghost mira_mem_model.busy = 0;
    return lock;
}

/* Records a failed request and tells the hook (outside the lock, the facade busy), then returns
 * NULL for mira_mem_alloc to return. Called with the lock held (`lock`); returns without it. */
/*@
  requires mira_mem_model_matches_state && !mira_mem_state.busy;
  assigns mira_mem_state.failed_requests, mira_mem_state.last_failed_request,
          mira_mem_state.last_failure, mira_mem_state.busy, mira_mem_model.failed_requests,
          mira_mem_model.last_failed_request, mira_mem_model.last_failure, mira_mem_model.busy,
          mira_mem_model.hook_calls, mira_mem_model.last_called_hook,
          mira_mem_model.last_hook_size, mira_mem_model.last_hook_reason;
  ensures mira_mem_model_matches_state && !mira_mem_state.busy;
  ensures \result == \null;
  ensures hook_called:
    mira_mem_model.oom_hook != \null ==>
      mira_mem_hook_called{Old, Here}(mira_mem_model.oom_hook, size, reason);
  ensures no_hook:
    mira_mem_model.oom_hook == \null ==>
      mira_mem_model.hook_calls == \old(mira_mem_model.hook_calls);
  ensures mira_mem_model.failed_requests
          == vera_saturating_increment(\old(mira_mem_model.failed_requests));
  ensures mira_mem_model.last_failed_request == size;
  ensures mira_mem_model.last_failure == reason;
*/
static void *mira_mem_fail(vera_lock_state_t lock, mira_size_t size, mira_status_t reason)
{
    mira_mem_state.failed_requests = vera_saturating_increment_size(mira_mem_state.failed_requests);
    mira_mem_state.last_failed_request = size;
    mira_mem_state.last_failure = reason;
    /*@ ghost
      mira_mem_model.failed_requests = mira_mem_state.failed_requests;
      mira_mem_model.last_failed_request = size;
      mira_mem_model.last_failure = reason;
    */
    mira_mem_enter_busy(lock);
    mira_mem_call_oom_hook(size, reason);
    vera_lock_release(mira_mem_leave_busy());
    return NULL;
}

/* Callback mode: asks the application (outside the lock, the facade busy), and uses its answer
 * only if it is a usable block. Called with the lock held (`lock`); returns without it. */
/*@
  requires mira_mem_model_matches_state;
  requires mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK && !mira_mem_state.sealed && size != 0;
  requires !mira_mem_state.busy && mira_mem_state.largest_request >= size;
  assigns mira_mem_state.callback_bytes, mira_mem_state.failed_requests,
          mira_mem_state.last_failed_request, mira_mem_state.last_failure,
          mira_mem_state.busy, mira_mem_model.busy,
          mira_mem_model.usage, mira_mem_model.failed_requests,
          mira_mem_model.last_failed_request, mira_mem_model.last_failure,
          mira_mem_model.last_callback_answer, mira_mem_model.callback_calls,
          mira_mem_model.last_called_callback, mira_mem_model.last_callback_size,
          mira_mem_model.last_callback_storage, mira_mem_model.hook_calls,
          mira_mem_model.last_called_hook, mira_mem_model.last_hook_size,
          mira_mem_model.last_hook_reason;
  ensures mira_mem_model_matches_state && !mira_mem_state.busy;
  ensures callback_called: mira_mem_callback_called{Old, Here}(size);
  ensures hook_on_failure:
    \result == \null && mira_mem_model.oom_hook != \null ==>
      mira_mem_hook_called{Old, Here}(mira_mem_model.oom_hook, size, mira_mem_model.last_failure);
  ensures no_hook:
    \result != \null || mira_mem_model.oom_hook == \null ==>
      mira_mem_model.hook_calls == \old(mira_mem_model.hook_calls);
  ensures callback_null: mira_mem_callback_null{Old, Here}(\result, size);
  ensures callback_misaligned: mira_mem_callback_misaligned{Old, Here}(\result, size);
  ensures callback_block:
    mira_mem_callback_block{Old, Here}(\result, size, \old(mira_mem_model.largest_request));
*/
static void *mira_mem_alloc_from_callback(vera_lock_state_t lock, mira_size_t size)
{
    char *block;
    vera_lock_state_t relock;

    mira_mem_enter_busy(lock);
    block = mira_mem_call_callback(size);
    relock = mira_mem_leave_busy();
    //@ ghost mira_mem_model.last_callback_answer = block;
    if (block == NULL) {
        return mira_mem_fail(relock, size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    }
    if (((uintptr_t)block % MIRA_MEM_ALIGNMENT) != 0u) {
        return mira_mem_fail(relock, size, MIRA_ERROR_CALLBACK_MISALIGNED);
    }
    if (size > (mira_size_t)SIZE_MAX - mira_mem_state.callback_bytes) {
        mira_mem_state.callback_bytes = (mira_size_t)SIZE_MAX;
    } else {
        mira_mem_state.callback_bytes += size;
    }
    //@ ghost mira_mem_model.usage = mira_mem_state.callback_bytes;
    vera_lock_release(relock);
    return block;
}

/* The frame is the facade's state and its model as a whole; what mira_mem_alloc leaves as it
 * was is stated instead: the source, the seal, the buffer and its capacity by the behaviors of
 * its public contract (include/mira_mem.h), the callback and the hook here. */
/*@
  requires mira_mem_model_matches_state;
  assigns mira_mem_state, mira_mem_model;
  ensures mira_mem_model_matches_state;
  ensures setting_kept: mira_mem_callback_kept{Old, Here}
          && mira_mem_model.oom_hook == \old(mira_mem_model.oom_hook)
          && mira_mem_model.busy == \old(mira_mem_model.busy);
*/
void *mira_mem_alloc(mira_size_t size)
{
    void *block;
    vera_lock_state_t lock = vera_lock_acquire();

    if (mira_mem_state.busy) {
        /* Called from the callback or the hook (or an interrupt meanwhile): nothing changes, not
         * even the statistics, and no hook is called (it may be the hook that calls). */
        return vera_lock_release_pointer(lock, NULL);
    }
    /* A select, not a branch: the call takes the same path whether or not this is the largest
     * request so far, so its cost does not depend on the order of requests. */
    mira_mem_state.largest_request =
        (size > mira_mem_state.largest_request) ? size : mira_mem_state.largest_request;
    //@ ghost mira_mem_model.largest_request = mira_mem_state.largest_request;
    if (mira_mem_state.sealed) {
        return mira_mem_fail(lock, size, MIRA_ERROR_SEALED);
    }
    if (mira_mem_state.mode == MIRA_MEM_MODE_NOT_SET) {
        block = mira_mem_fail(lock, size, MIRA_ERROR_NOT_SET);
        /* Proof steps of the not_set behavior, one fact each (the provers found the whole
         * postcondition hard in one piece). */
        //@ assert not_set_state: mira_mem_allocation_state_unchanged{Pre, Here};
        /*@ assert not_set_largest: mira_mem_model.largest_request
                == vera_max(\at(mira_mem_model.largest_request, Pre), size); */
        /*@ assert not_set_counted: mira_mem_model.failed_requests
                == vera_saturating_increment(\at(mira_mem_model.failed_requests, Pre)); */
        /*@ assert not_set_reason: mira_mem_model.last_failed_request == size
                && mira_mem_model.last_failure == MIRA_ERROR_NOT_SET; */
        return block;
    }
    if (size == 0u) {
        return mira_mem_fail(lock, size, MIRA_ERROR_INVALID_VALUE);
    }
    if (mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK) {
        block = mira_mem_alloc_from_callback(lock, size);
        /* Proof step: the only statistic changed before the call, as the contract states it. */
        /*@ assert largest_from_callback:
              mira_mem_model.largest_request
              == vera_max(\at(mira_mem_model.largest_request, Pre), size); */
        return block;
    }
    block = vera_arena_alloc(&mira_mem_state.arena, size);
    if (block == NULL) {
        return mira_mem_fail(lock, size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    }
    //@ ghost mira_mem_model.usage = mira_mem_state.arena.used;
    vera_lock_release(lock);
    return block;
}

/*@
  requires mira_mem_model_matches_state;
  assigns mira_mem_state.sealed, mira_mem_state.arena.sealed, mira_mem_model.sealed;
  ensures mira_mem_model_matches_state;
*/
mira_status_t mira_mem_seal(void)
{
    vera_lock_state_t lock = vera_lock_acquire();
    if (mira_mem_state.busy) {
        return mira_mem_release_status(lock, MIRA_ERROR_REENTERED);
    }
    mira_mem_state.sealed = true;
    vera_arena_seal(&mira_mem_state.arena);
    //@ ghost mira_mem_model.sealed = 1;
    vera_lock_release(lock);
    return MIRA_SUCCESS;
}

/*@
  requires mira_mem_model_matches_state;
  assigns mira_mem_state.oom_hook, mira_mem_model.oom_hook;
  ensures mira_mem_model_matches_state;
*/
mira_status_t mira_mem_set_oom_hook(mira_mem_oom_hook_t hook)
{
    vera_lock_state_t lock = vera_lock_acquire();
    if (mira_mem_state.busy) {
        return mira_mem_release_status(lock, MIRA_ERROR_REENTERED);
    }
    mira_mem_state.oom_hook = hook;
    //@ ghost mira_mem_model.oom_hook = hook;
    vera_lock_release(lock);
    return MIRA_SUCCESS;
}

/*@
  requires mira_mem_model_matches_state;
  assigns \nothing;
*/
mira_size_t mira_mem_buffer_get_usage(void)
{
    if (mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK) {
        return mira_mem_state.callback_bytes;
    }
    return vera_arena_used(&mira_mem_state.arena);
}

/*@
  requires mira_mem_model_matches_state;
  assigns \nothing;
*/
mira_size_t mira_mem_buffer_get_free(void)
{
    return vera_arena_available(&mira_mem_state.arena);
}

/*@
  requires mira_mem_model_matches_state;
  assigns \nothing;
*/
mira_size_t mira_mem_buffer_get_capacity(void)
{
    return vera_arena_capacity(&mira_mem_state.arena);
}

/*@
  requires mira_mem_model_matches_state;
  requires stats_not_ours: stats == \null
           || \separated(stats, &mira_mem_state, &mira_mem_model);
  assigns *stats;
  ensures mira_mem_model_matches_state;
*/
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

/* Proved here rather than in include/mira_mem.h, because the header cannot name the state: on
 * every state the API produces (the invariant), the result is true. It does not require the
 * invariant, so a corrupted state is a defined input too (its branches are not dead), as long as
 * the arena's base still holds a pointer value (`base_readable`, as for vera_arena_check).
 * Whether a callback is stored in callback mode is not tested: WP 25 cannot check the reading of
 * a function pointer (the invariant states it). */
/*@
  requires base_readable: \object_pointer(mira_mem_state.arena.base);
  assigns \nothing;

  behavior consistent:
    assumes mira_mem_model_matches_state;
    ensures \result == \true;
  behavior corrupted:
    assumes !mira_mem_model_matches_state;

  complete behaviors;
  disjoint behaviors;
*/
bool mira_mem_check(void)
{
    vera_lock_state_t lock = vera_lock_acquire();
    bool consistent = ((mira_mem_state.mode == MIRA_MEM_MODE_NOT_SET) ||
                       (mira_mem_state.mode == MIRA_MEM_MODE_BUFFER) ||
                       (mira_mem_state.mode == MIRA_MEM_MODE_CALLBACK)) &&
                      ((mira_mem_state.mode == MIRA_MEM_MODE_BUFFER) ||
                       ((mira_mem_state.arena.capacity == 0u) && (mira_mem_state.arena.used == 0u))) &&
                      (mira_mem_state.sealed || !mira_mem_state.arena.sealed) &&
                      vera_arena_check(&mira_mem_state.arena);
    vera_lock_release(lock);
    return consistent;
}
