/*
 * veralloc specs: the ghost model of the mira_mem facade (include/mira_mem.h).
 *
 * Read by Frama-C only: include/mira_mem.h includes it under __FRAMAC__. The facade keeps its
 * state in a static variable of src/mira_mem.c, which a contract in the public header cannot
 * name. The contracts therefore speak about this model instead: a ghost variable holding the
 * state as the API documentation describes it (which memory source is set, whether init is
 * sealed, the buffer, usage, the statistics, the callback with its storage and the out-of-memory
 * hook), and records of the calls made through the two trusted wrappers of src/mira_mem.c (how
 * many, with which arguments: their assumed contracts update them, docs/proofs.md, trusted
 * base). src/mira_mem.c updates the model in ghost code
 * next to every change of the real state, and proves in every function that the two agree
 * (`mira_mem_model_matches_state`, in src/mira_mem.c); that they agree at startup, when both
 * are zero, is proved too (the ghost function mira_mem_proof_initial_state of src/mira_mem.c,
 * proved as WP's -main with the initial values of the globals).
 */
#ifndef VERALLOC_SPECS_MIRA_MEM_LOGIC_H
#define VERALLOC_SPECS_MIRA_MEM_LOGIC_H

#include "specs/vera_common.h"

/* Which memory source a set_* call chose (values of the model's `source`). */
#define MIRA_MEM_SOURCE_NONE 0
#define MIRA_MEM_SOURCE_BUFFER 1
#define MIRA_MEM_SOURCE_CALLBACK 2

/*@ ghost
  struct mira_mem_model {
      int source;                    // MIRA_MEM_SOURCE_*: none yet, a buffer, or a callback
      int sealed;                    // mira_mem_seal was called
      int busy;                      // the callback or the hook is running (re-entry refused)
      char *buffer;                  // buffer mode: start of the buffer (0 otherwise)
      size_t capacity;               // buffer mode: usable bytes (0 otherwise)
      size_t usage;                  // bytes consumed (buffer) or handed out (callback)
      size_t largest_request;        // the statistics of mira_mem_get_stats
      size_t failed_requests;
      size_t last_failed_request;
      mira_status_t last_failure;
      void *last_callback_answer;    // callback mode: what the callback returned last
      mira_mem_alloc_callback_t callback; // callback mode: the callback set (0 otherwise)
      void *callback_storage;        // callback mode: the storage given with it
      mira_mem_oom_hook_t oom_hook;  // the out-of-memory hook (0: none)
      // Records of the calls made through the trusted wrappers of src/mira_mem.c (their
      // assumed contracts update these): how many calls (a counter that wraps around, see
      // mira_mem_call_count_next) and the arguments of the last one.
      size_t callback_calls;
      mira_mem_alloc_callback_t last_called_callback;
      size_t last_callback_size;
      void *last_callback_storage;
      size_t hook_calls;
      mira_mem_oom_hook_t last_called_hook;
      size_t last_hook_size;
      mira_status_t last_hook_reason;
  };
*/

/*@ ghost extern struct mira_mem_model mira_mem_model; */

/* Where the facade's static state lies (as integers): ghost constants of src/mira_mem.c,
 * initialised with the state's address and size, and with those of its arena. */
/*@ ghost extern uintptr_t mira_mem_own_address; */
/*@ ghost extern size_t mira_mem_own_size; */
/*@ ghost extern uintptr_t mira_mem_own_arena_address; */
/*@ ghost extern size_t mira_mem_own_arena_size; */

/*@
  // The allocation state: what a failed call must leave as it was.
  predicate mira_mem_allocation_state_unchanged{Before, After} =
       \at(mira_mem_model.source, After) == \at(mira_mem_model.source, Before)
    && \at(mira_mem_model.sealed, After) == \at(mira_mem_model.sealed, Before)
    && \at(mira_mem_model.buffer, After) == \at(mira_mem_model.buffer, Before)
    && \at(mira_mem_model.capacity, After) == \at(mira_mem_model.capacity, Before)
    && \at(mira_mem_model.usage, After) == \at(mira_mem_model.usage, Before);

  // The statistics as they were.
  predicate mira_mem_statistics_unchanged{Before, After} =
       \at(mira_mem_model.largest_request, After) == \at(mira_mem_model.largest_request, Before)
    && \at(mira_mem_model.failed_requests, After) == \at(mira_mem_model.failed_requests, Before)
    && \at(mira_mem_model.last_failed_request, After)
           == \at(mira_mem_model.last_failed_request, Before)
    && \at(mira_mem_model.last_failure, After) == \at(mira_mem_model.last_failure, Before);

  // A failed mira_mem_alloc(size): allocation state unchanged; the statistics record the size
  // and the reason.
  predicate mira_mem_failure_recorded{Before, After}(integer size, integer reason) =
       mira_mem_allocation_state_unchanged{Before, After}
    && \at(mira_mem_model.largest_request, After)
           == vera_max(\at(mira_mem_model.largest_request, Before), size)
    && \at(mira_mem_model.failed_requests, After)
           == vera_saturating_increment(\at(mira_mem_model.failed_requests, Before))
    && \at(mira_mem_model.last_failed_request, After) == size
    && \at(mira_mem_model.last_failure, After) == reason;

  // A request of `size` bytes fits in what the buffer has left (mathematical integers).
  predicate mira_mem_buffer_fits(integer size) =
      vera_round_up(size) <= mira_mem_model.capacity - mira_mem_model.usage;

  // What mira_mem_buffer_get_free reports: the bytes left in buffer mode, 0 otherwise.
  logic integer mira_mem_free_bytes =
      mira_mem_model.source == MIRA_MEM_SOURCE_BUFFER
          ? mira_mem_model.capacity - mira_mem_model.usage
          : 0;

  // The call counters after one more call: + 1, wrapping around to 0 after SIZE_MAX (so the
  // trusted wrappers' contracts stay consistent however many calls are made).
  logic integer mira_mem_call_count_next(integer count) = count < SIZE_MAX ? count + 1 : 0;

  // `total + size`, saturating at SIZE_MAX (callback-mode usage).
  logic integer mira_mem_saturating_add(integer total, integer size) =
      total + size <= SIZE_MAX ? total + size : SIZE_MAX;

  // Nothing a caller can observe changed: allocation state and statistics (a refused set_*, a
  // getter, mira_mem_set_oom_hook).
  predicate mira_mem_unchanged{Before, After} =
       mira_mem_allocation_state_unchanged{Before, After}
    && mira_mem_statistics_unchanged{Before, After};

  // The callback and its storage as they were (a refused set_* keeps the first setting).
  predicate mira_mem_callback_kept{Before, After} =
       \at(mira_mem_model.callback, After) == \at(mira_mem_model.callback, Before)
    && \at(mira_mem_model.callback_storage, After) == \at(mira_mem_model.callback_storage, Before);

  // A refused call (set_*, or mira_mem_seal while busy): it returns `status` and changes
  // nothing, the callback and its storage included.
  predicate mira_mem_set_refused{Before, After}(integer result, integer status) =
       result == status && mira_mem_unchanged{Before, After}
    && mira_mem_callback_kept{Before, After};

  // The out-of-memory hook `hook` was called once more, with `size` and `reason`.
  predicate mira_mem_hook_called{Before, After}(mira_mem_oom_hook_t hook, integer size,
                                                integer reason) =
       \at(mira_mem_model.hook_calls, After)
           == mira_mem_call_count_next(\at(mira_mem_model.hook_calls, Before))
    && \at(mira_mem_model.last_called_hook, After) == hook
    && \at(mira_mem_model.last_hook_size, After) == size
    && \at(mira_mem_model.last_hook_reason, After) == reason;

  // The callback set before the call was called once more, with `size` and its storage.
  predicate mira_mem_callback_called{Before, After}(integer size) =
       \at(mira_mem_model.callback_calls, After)
           == mira_mem_call_count_next(\at(mira_mem_model.callback_calls, Before))
    && \at(mira_mem_model.last_called_callback, After) == \at(mira_mem_model.callback, Before)
    && \at(mira_mem_model.last_callback_size, After) == size
    && \at(mira_mem_model.last_callback_storage, After)
           == \at(mira_mem_model.callback_storage, Before);

  // What callback mode does with the callback's answer (`result` is what mira_mem_alloc
  // returns): NULL is a failure, ...
  predicate mira_mem_callback_null{Before, After}(void *result, integer size) =
      \at(mira_mem_model.last_callback_answer, After) == \null ==>
        result == \null
        && mira_mem_failure_recorded{Before, After}(size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE);

  // ... a misaligned pointer is refused and not used, ...
  predicate mira_mem_callback_misaligned{Before, After}(void *result, integer size) =
      \at(mira_mem_model.last_callback_answer, After) != \null
      && !vera_address_aligned((char *)\at(mira_mem_model.last_callback_answer, After),
                               MIRA_MEM_ALIGNMENT) ==>
        result == \null
        && mira_mem_failure_recorded{Before, After}(size, MIRA_ERROR_CALLBACK_MISALIGNED);

  // ... and a usable block is returned as it is, `size` more bytes counted as used; the
  // failure statistics stay, and the largest request is `largest`.
  predicate mira_mem_callback_block{Before, After}(void *result, integer size, integer largest) =
      \at(mira_mem_model.last_callback_answer, After) != \null
      && vera_address_aligned((char *)\at(mira_mem_model.last_callback_answer, After),
                              MIRA_MEM_ALIGNMENT) ==>
        result == \at(mira_mem_model.last_callback_answer, After)
        && \valid{After}((char *)result + (0 .. size - 1))
        && \at(mira_mem_model.usage, After)
               == mira_mem_saturating_add(\at(mira_mem_model.usage, Before), size)
        && \at(mira_mem_model.largest_request, After) == largest
        && \at(mira_mem_model.failed_requests, After) == \at(mira_mem_model.failed_requests, Before)
        && \at(mira_mem_model.last_failed_request, After)
               == \at(mira_mem_model.last_failed_request, Before)
        && \at(mira_mem_model.last_failure, After) == \at(mira_mem_model.last_failure, Before);

  // `size` bytes at `buffer` overlap, by address, the facade's own state (or its arena, which
  // lies inside it): mira_mem_set_alloc_buffer rejects such a buffer.
  predicate mira_mem_buffer_overlaps_own_state(void *buffer, integer size) =
       vera_address_ranges_overlap(mira_mem_own_address, mira_mem_own_size, (uintptr_t)buffer, size)
    || vera_address_ranges_overlap(mira_mem_own_arena_address, mira_mem_own_arena_size,
                                   (uintptr_t)buffer, size);

  // A set_* call (or mira_mem_alloc) finds no source yet and may proceed: not busy, not sealed.
  predicate mira_mem_can_be_set =
      !mira_mem_model.busy && !mira_mem_model.sealed && mira_mem_model.source == MIRA_MEM_SOURCE_NONE;

  // A source is set already, and the facade is neither busy nor sealed.
  predicate mira_mem_can_be_set_again =
      !mira_mem_model.busy && !mira_mem_model.sealed && mira_mem_model.source != MIRA_MEM_SOURCE_NONE;

  // mira_mem_alloc proceeds to allocate from `source` (not busy, not sealed, that source set).
  predicate mira_mem_allocating_from(integer source) =
      !mira_mem_model.busy && !mira_mem_model.sealed && mira_mem_model.source == source;

  // A failed mira_mem_alloc(size) for `reason`: it returns NULL and records the failure.
  predicate mira_mem_alloc_failed{Before, After}(void *result, integer size, integer reason) =
       result == \null && mira_mem_failure_recorded{Before, After}(size, reason);

  // The callback was not called.
  predicate mira_mem_callback_not_called{Before, After} =
      \at(mira_mem_model.callback_calls, After) == \at(mira_mem_model.callback_calls, Before);
*/

#endif /* VERALLOC_SPECS_MIRA_MEM_LOGIC_H */
