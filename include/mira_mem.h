/*
 * mira_mem: the MiraOS / MiraMesh memory API, implemented by veralloc.
 *
 * A mesh network stack allocates all of its memory while it initialises, from memory the
 * application hands over once, and never allocates again. The application chooses one source:
 *
 *   - a static buffer:   MIRA_MEM_SET_BUFFER(14944);     (or mira_mem_set_alloc_buffer)
 *   - its own allocator: mira_mem_set_alloc_callback(my_alloc, &my_heap);
 *
 * The stack then calls mira_mem_alloc() for its tables; the application ends the init phase with
 * mira_mem_seal() and reads mira_mem_buffer_get_usage() to learn how big the buffer had to be.
 *
 * Every name and meaning of the MiraOS API is kept. veralloc adds what MiraOS leaves undefined or
 * handles by looping until the watchdog resets the chip: every misuse below has a defined result,
 * no call ever loops, asserts or prints.
 *
 * Alignment: every block from mira_mem_alloc is aligned to MIRA_MEM_ALIGNMENT (= VERA_ALIGNMENT:
 * 8 bytes on 32-bit targets such as Cortex-M, 16 on 64-bit hosts), like malloc's.
 *
 * Misuse and error table (every row leaves the allocation state unchanged unless it says so;
 * failed allocations are recorded in the diagnostics and passed to the out-of-memory hook):
 *   | call                        | situation                              | result                          |
 *   |-----------------------------|----------------------------------------|---------------------------------|
 *   | mira_mem_set_alloc_buffer   | buffer NULL                            | MIRA_ERROR_INVALID_VALUE        |
 *   | mira_mem_set_alloc_buffer   | size 0, or < MIRA_MEM_ALIGNMENT        | MIRA_ERROR_INVALID_VALUE        |
 *   | mira_mem_set_alloc_buffer   | buffer not MIRA_MEM_ALIGNMENT-aligned  | MIRA_ERROR_INVALID_VALUE (rejected, not aligned up) |
 *   | mira_mem_set_alloc_buffer   | buffer overlaps the facade's own state | MIRA_ERROR_INVALID_VALUE        |
 *   | mira_mem_set_alloc_callback | callback NULL                          | MIRA_ERROR_INVALID_VALUE        |
 *   | either set_*                | a set_* already succeeded (either kind)| MIRA_ERROR_ALREADY_SET; first setting kept |
 *   | either set_*                | after mira_mem_seal                    | MIRA_ERROR_SEALED               |
 *   | mira_mem_alloc              | before any set_*                       | NULL; reason MIRA_ERROR_NOT_SET |
 *   | mira_mem_alloc              | size 0                                 | NULL; reason MIRA_ERROR_INVALID_VALUE |
 *   | mira_mem_alloc              | does not fit (incl. sizes near SIZE_MAX)| NULL; reason MIRA_ERROR_RESOURCE_NOT_AVAILABLE |
 *   | mira_mem_alloc              | after mira_mem_seal                    | NULL; reason MIRA_ERROR_SEALED  |
 *   | mira_mem_alloc              | callback returned NULL                 | NULL; reason MIRA_ERROR_RESOURCE_NOT_AVAILABLE |
 *   | mira_mem_alloc              | callback returned a misaligned pointer | NULL; reason MIRA_ERROR_CALLBACK_MISALIGNED (the block is not used) |
 *   | mira_mem_buffer_get_usage   | before any set_*                       | 0                               |
 *   | mira_mem_buffer_get_usage   | callback mode                          | bytes handed out through the callback (sum of requested sizes) |
 *   | mira_mem_seal               | any time, any number of times          | MIRA_SUCCESS                    |
 *   | set_*, mira_mem_seal, mira_mem_set_oom_hook | while the callback or hook runs | MIRA_ERROR_REENTERED, nothing changes |
 *   | mira_mem_alloc              | while the callback or hook runs        | NULL; nothing changes (not counted, no hook) |
 *
 * Sizing the buffer: run the stack's init once with a generous MIRA_MEM_SET_BUFFER, call
 * mira_mem_seal(), then read mira_mem_buffer_get_usage(): a buffer of exactly that many bytes
 * holds the same init. mira_mem_get_stats() also reports the largest request and the failed ones.
 *
 * Sizing in callback mode: mira_mem_buffer_get_usage is the sum of the sizes requested from the
 * callback, not rounded up and without the callback's own overhead. The sizing workflow above
 * does not hold there: a buffer of that many bytes can be too small by up to
 * MIRA_MEM_ALIGNMENT - 1 bytes per allocation. To size a buffer, run the init once in buffer mode.
 *
 * Rules a reader must not guess (each is tested in tests/semantics_test.c)
 *   - Blocks are not zeroed, in either mode.
 *   - Every failed mira_mem_alloc counts, whatever its reason: after mira_mem_seal, before any
 *     set_*, size 0, or absurd (SIZE_MAX) requests are counted in failed_requests, recorded as
 *     last_failed_request / last_failure and, if the largest so far, in largest_request; usage and
 *     capacity are unchanged. Sealing itself changes no counter.
 *   - One call with several faults reports the first of: sealed, then no source set (NOT_SET),
 *     then size 0, then does not fit (or the callback's answer). For set_*: sealed, then already
 *     set, then the invalid argument.
 *   - Re-initialising: the source is chosen once. A second set_* of either kind, with the same
 *     arguments or others, gets MIRA_ERROR_ALREADY_SET (the first setting kept); any set_* after
 *     mira_mem_seal gets MIRA_ERROR_SEALED, in either mode and before any source was set; a
 *     set_* that failed (invalid argument) sets nothing, so another may follow. There is no way
 *     back to NOT_SET: the blocks handed out stay the application's. mira_mem_set_oom_hook may be
 *     called at any time.
 *
 * Re-entry: the application's callback and out-of-memory hook run outside the lock, with the
 * facade marked busy. Every call that would change the facade while it is busy (from the
 * callback or the hook, or from an interrupt that fires meanwhile) is refused and changes
 * nothing: mira_mem_alloc returns NULL (not counted, no hook: the hook may be what is running),
 * set_*, mira_mem_seal and mira_mem_set_oom_hook return MIRA_ERROR_REENTERED. So a hook or
 * callback that allocates gets NULL instead of recursing without limit. The read-only calls
 * (mira_mem_buffer_get_*, mira_mem_get_stats, mira_mem_check) work while busy and report the
 * state as it is: a hook may log the usage and the failure it is told about, which is already
 * recorded when it runs.
 *
 * Interrupts and threads: every function that changes the facade takes the lock of
 * veralloc/lock.h (none by default), and releases it around the callback and the hook, so that a
 * callback running with interrupts disabled or a non-recursive RTOS mutex held cannot deadlock on
 * a call back into veralloc. Like MiraOS, the facade is meant for the single-threaded init phase.
 */
#ifndef MIRA_MEM_H
#define MIRA_MEM_H

#include <stdbool.h>
#include <stddef.h>

#include "veralloc/config.h"

/* A size in bytes. MiraOS does not fix its width; veralloc uses size_t so no size is truncated. */
typedef size_t mira_size_t;

/* Result of a mira_* call. MIRA_SUCCESS is 0 as in MiraOS; the values of the other codes are
 * veralloc's own (MiraOS does not publish them), the last five are veralloc additions. */
typedef enum mira_status {
    MIRA_SUCCESS = 0,
    MIRA_ERROR_INVALID_VALUE = 1,
    MIRA_ERROR_RESOURCE_NOT_AVAILABLE = 2,
    MIRA_ERROR_UNKNOWN = 3,
    MIRA_ERROR_NOT_IMPLEMENTED = 4,
    /** A set_* call after one already succeeded: only one memory source may be chosen. */
    MIRA_ERROR_ALREADY_SET = 5,
    /** mira_mem_alloc before any set_*. */
    MIRA_ERROR_NOT_SET = 6,
    /** The init phase was ended with mira_mem_seal. */
    MIRA_ERROR_SEALED = 7,
    /** The allocation callback returned a pointer not aligned to MIRA_MEM_ALIGNMENT. */
    MIRA_ERROR_CALLBACK_MISALIGNED = 8,
    /** Called while the facade runs the application's callback or out-of-memory hook (from that
     *  callback or hook, or from an interrupt meanwhile): refused, nothing changed. */
    MIRA_ERROR_REENTERED = 9
} mira_status_t;

/* Alignment of every block mira_mem_alloc returns, and required of buffers and callbacks. */
#define MIRA_MEM_ALIGNMENT VERA_ALIGNMENT

/*
 * The application's allocator: returns a block of at least `size` bytes aligned to
 * MIRA_MEM_ALIGNMENT, or NULL. `storage` is the pointer given to mira_mem_set_alloc_callback.
 * veralloc checks what it returns (NULL, misalignment) before using it; it cannot check that the
 * block is really `size` bytes, writable and disjoint from other blocks: that is assumed of the
 * callback (docs/proofs.md, trusted base).
 */
typedef void *(*mira_mem_alloc_callback_t)(mira_size_t size, void *storage);

/*
 * Called on every failed mira_mem_alloc, with the size asked for and the reason (a status from
 * the table above), before mira_mem_alloc returns NULL. Optional; by default nothing is called
 * and mira_mem_alloc just returns NULL. A hook may log, count, or reset the chip; if it returns,
 * mira_mem_alloc returns NULL.
 */
typedef void (*mira_mem_oom_hook_t)(mira_size_t size, mira_status_t reason);

/*
 * Formal contracts. Each function below carries its ACSL contract (read by Frama-C WP, a comment
 * to compilers) right under its prose. The facade's state is a static variable of
 * src/mira_mem.c, so the contracts speak about `mira_mem_model`, a ghost model of that state
 * defined in specs/mira_mem_logic.h: its `source` (none, buffer or callback), `sealed`, the
 * `buffer` with its `capacity` and `usage`, and the statistics. src/mira_mem.c proves that the
 * model and the real state agree. docs/proofs.md says what is proved and what is trusted.
 * A function with more than one outcome has one named behavior per outcome, `complete` and
 * `disjoint`; the getters have one outcome and a plain contract. Every function that changes the
 * facade has a behavior `reentered` (the facade busy running the callback or hook: nothing
 * changes).
 */
#ifdef __FRAMAC__
#include "specs/mira_mem_logic.h"
#endif

/* C linkage for C++ callers (the library is C; its symbols are not mangled). */
#ifdef __cplusplus
extern "C" {
#endif

/* Routes every allocation to `callback` (not NULL), which gets `storage` back on every call. */
/*@
  behavior reentered:
    assumes mira_mem_model.busy;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_REENTERED);
  behavior sealed:
    assumes !mira_mem_model.busy && mira_mem_model.sealed;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_SEALED);
  behavior already_set:
    assumes mira_mem_can_be_set_again;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_ALREADY_SET);
  behavior null_callback:
    assumes mira_mem_can_be_set && callback == \null;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_INVALID_VALUE);
  behavior success:
    assumes mira_mem_can_be_set && callback != \null;
    ensures \result == MIRA_SUCCESS;
    ensures mira_mem_model.source == MIRA_MEM_SOURCE_CALLBACK && mira_mem_model.usage == 0;
    ensures mira_mem_model.sealed == \old(mira_mem_model.sealed);
    ensures mira_mem_model.capacity == 0;
    ensures mira_mem_statistics_unchanged{Old, Here};
    ensures callback_stored: mira_mem_model.callback == callback
            && mira_mem_model.callback_storage == storage;

  complete behaviors;
  disjoint behaviors;
*/
mira_status_t mira_mem_set_alloc_callback(mira_mem_alloc_callback_t callback, void *storage);

/* Hands over `size` bytes at `buffer` (aligned to MIRA_MEM_ALIGNMENT) for all allocations.
 * Once set it cannot be released. */
/*@
  requires buffer_valid: buffer == \null || \valid((char *)buffer + (0 .. size - 1));

  behavior invalid_buffer:
    assumes mira_mem_can_be_set;
    assumes buffer == \null || size < MIRA_MEM_ALIGNMENT
            || !vera_address_aligned((char *)buffer, MIRA_MEM_ALIGNMENT)
            || mira_mem_buffer_overlaps_own_state(buffer, size);
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_INVALID_VALUE);
  behavior sealed:
    assumes !mira_mem_model.busy && mira_mem_model.sealed;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_SEALED);
  behavior reentered:
    assumes mira_mem_model.busy;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_REENTERED);
  behavior success:
    assumes mira_mem_can_be_set;
    assumes buffer != \null && size >= MIRA_MEM_ALIGNMENT
            && vera_address_aligned((char *)buffer, MIRA_MEM_ALIGNMENT)
            && !mira_mem_buffer_overlaps_own_state(buffer, size);
    ensures \result == MIRA_SUCCESS;
    ensures mira_mem_model.source == MIRA_MEM_SOURCE_BUFFER;
    ensures mira_mem_model.buffer == (char *)buffer;
    ensures mira_mem_model.capacity == size - size % MIRA_MEM_ALIGNMENT;
    ensures mira_mem_model.usage == 0;
    ensures mira_mem_model.sealed == \old(mira_mem_model.sealed);
    ensures mira_mem_statistics_unchanged{Old, Here};
  behavior already_set:
    assumes mira_mem_can_be_set_again;
    ensures callback_kept: mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_ALREADY_SET);

  complete behaviors;
  disjoint behaviors;
*/
mira_status_t mira_mem_set_alloc_buffer(void *buffer, mira_size_t size);

/* Bytes used so far: in buffer mode, the bytes consumed in the buffer (each request rounded up
 * to MIRA_MEM_ALIGNMENT); in callback mode, the bytes handed out through the callback; 0 before
 * any set_*. */
/*@
  ensures \result == mira_mem_model.usage;
  ensures mira_mem_unchanged{Old, Here};
*/
mira_size_t mira_mem_buffer_get_usage(void);

/* Bytes still free in buffer mode; 0 in callback mode (unknown) and before any set_*. */
/*@
  ensures \result == mira_mem_free_bytes;
  ensures mira_mem_unchanged{Old, Here};
*/
mira_size_t mira_mem_buffer_get_free(void);

/* Bytes usable in buffer mode (buffer size rounded down to MIRA_MEM_ALIGNMENT); 0 otherwise. */
/*@
  ensures \result == mira_mem_model.capacity;
  ensures mira_mem_unchanged{Old, Here};
*/
mira_size_t mira_mem_buffer_get_capacity(void);

/* Returns a block of at least `size` bytes aligned to MIRA_MEM_ALIGNMENT, or NULL with the reason
 * passed to the out-of-memory hook and recorded in the statistics (table above). */
/*@
  ensures hook_on_failure:
    !\old(mira_mem_model.busy) && \result == \null && \old(mira_mem_model.oom_hook) != \null ==>
      mira_mem_hook_called{Old, Here}(\old(mira_mem_model.oom_hook), size,
                                      mira_mem_model.last_failure);
  ensures no_hook_call:
    \old(mira_mem_model.busy) || \result != \null || \old(mira_mem_model.oom_hook) == \null ==>
      mira_mem_model.hook_calls == \old(mira_mem_model.hook_calls);
  ensures not_left_busy: mira_mem_model.busy == \old(mira_mem_model.busy);

  behavior reentered:
    assumes mira_mem_model.busy;
    ensures \result == \null && mira_mem_unchanged{Old, Here};
    ensures callback_not_called: mira_mem_callback_not_called{Old, Here};
  behavior sealed:
    assumes !mira_mem_model.busy && mira_mem_model.sealed;
    ensures mira_mem_alloc_failed{Old, Here}(\result, size, MIRA_ERROR_SEALED);
    ensures callback_not_called: mira_mem_callback_not_called{Old, Here};
  behavior not_set:
    assumes mira_mem_can_be_set;
    ensures mira_mem_alloc_failed{Old, Here}(\result, size, MIRA_ERROR_NOT_SET);
    ensures callback_not_called: mira_mem_callback_not_called{Old, Here};
  behavior zero_size:
    assumes mira_mem_can_be_set_again && size == 0;
    ensures mira_mem_alloc_failed{Old, Here}(\result, size, MIRA_ERROR_INVALID_VALUE);
    ensures callback_not_called: mira_mem_callback_not_called{Old, Here};
  behavior buffer_no_room:
    assumes mira_mem_allocating_from(MIRA_MEM_SOURCE_BUFFER);
    assumes size != 0 && !mira_mem_buffer_fits(size);
    ensures mira_mem_alloc_failed{Old, Here}(\result, size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    ensures callback_not_called: mira_mem_callback_not_called{Old, Here};
  behavior buffer_success:
    assumes mira_mem_allocating_from(MIRA_MEM_SOURCE_BUFFER);
    assumes size != 0 && mira_mem_buffer_fits(size);
    ensures block_position:  \result == mira_mem_model.buffer + \old(mira_mem_model.usage);
    ensures usage_grows:     mira_mem_model.usage == \old(mira_mem_model.usage) + vera_round_up(size);
    ensures block_valid:     \valid((char *)\result + (0 .. size - 1));
    ensures block_inside:    \subset((char *)\result + (0 .. size - 1),
                                      mira_mem_model.buffer + (0 .. mira_mem_model.capacity - 1));
    ensures block_fresh:     \separated((char *)\result + (0 .. size - 1),
                                         mira_mem_model.buffer + (0 .. \old(mira_mem_model.usage) - 1));
    ensures offset_aligned:  vera_offset_aligned(\old(mira_mem_model.usage), MIRA_MEM_ALIGNMENT);
    ensures address_aligned: vera_address_aligned((char *)\result, MIRA_MEM_ALIGNMENT);
    ensures mira_mem_model.source == \old(mira_mem_model.source);
    ensures mira_mem_model.sealed == \old(mira_mem_model.sealed);
    ensures mira_mem_model.buffer == \old(mira_mem_model.buffer);
    ensures mira_mem_model.capacity == \old(mira_mem_model.capacity);
    ensures mira_mem_model.largest_request == vera_max(\old(mira_mem_model.largest_request), size);
    ensures mira_mem_model.failed_requests == \old(mira_mem_model.failed_requests);
    ensures mira_mem_model.last_failed_request == \old(mira_mem_model.last_failed_request);
    ensures mira_mem_model.last_failure == \old(mira_mem_model.last_failure);
    ensures callback_not_called: mira_mem_callback_not_called{Old, Here};
  behavior from_callback:
    assumes mira_mem_allocating_from(MIRA_MEM_SOURCE_CALLBACK);
    assumes size != 0;
    ensures callback_called: mira_mem_callback_called{Old, Here}(size);
    ensures callback_null: mira_mem_callback_null{Old, Here}(\result, size);
    ensures callback_misaligned: mira_mem_callback_misaligned{Old, Here}(\result, size);
    ensures callback_block:
      mira_mem_callback_block{Old, Here}(\result, size,
                                         vera_max(\old(mira_mem_model.largest_request), size));
    ensures mira_mem_model.source == \old(mira_mem_model.source);
    ensures mira_mem_model.sealed == \old(mira_mem_model.sealed);
    ensures mira_mem_model.capacity == \old(mira_mem_model.capacity);

  complete behaviors;
  disjoint behaviors;
*/
void *mira_mem_alloc(mira_size_t size);

/* Ends the init phase: every later mira_mem_alloc and set_* fails with MIRA_ERROR_SEALED.
 * Idempotent; MIRA_SUCCESS, except while the callback or hook runs (MIRA_ERROR_REENTERED). */
/*@
  behavior reentered:
    assumes mira_mem_model.busy;
    ensures mira_mem_set_refused{Old, Here}(\result, MIRA_ERROR_REENTERED);
  behavior seal:
    assumes !mira_mem_model.busy;
    ensures \result == MIRA_SUCCESS;
    ensures mira_mem_model.sealed;
    ensures mira_mem_model.source == \old(mira_mem_model.source);
    ensures mira_mem_model.buffer == \old(mira_mem_model.buffer);
    ensures mira_mem_model.capacity == \old(mira_mem_model.capacity);
    ensures mira_mem_model.usage == \old(mira_mem_model.usage);
    ensures mira_mem_statistics_unchanged{Old, Here};

  complete behaviors;
  disjoint behaviors;
*/
mira_status_t mira_mem_seal(void);

/* Sets (or, with NULL, removes) the hook called on every failed allocation. MIRA_SUCCESS, except
 * while the callback or hook runs (MIRA_ERROR_REENTERED, the hook kept). */
/*@
  ensures mira_mem_unchanged{Old, Here};

  behavior reentered:
    assumes mira_mem_model.busy;
    ensures \result == MIRA_ERROR_REENTERED;
    ensures hook_kept: mira_mem_model.oom_hook == \old(mira_mem_model.oom_hook);
  behavior replace:
    assumes !mira_mem_model.busy;
    ensures \result == MIRA_SUCCESS;
    ensures hook_replaced: mira_mem_model.oom_hook == hook;

  complete behaviors;
  disjoint behaviors;
*/
mira_status_t mira_mem_set_oom_hook(mira_mem_oom_hook_t hook);

/* Sizing and diagnostics, copied out by mira_mem_get_stats. */
typedef struct mira_mem_stats {
    mira_size_t capacity;            /* as mira_mem_buffer_get_capacity */
    mira_size_t usage;               /* as mira_mem_buffer_get_usage */
    mira_size_t free;                /* as mira_mem_buffer_get_free */
    mira_size_t largest_request;     /* largest size ever passed to mira_mem_alloc */
    mira_size_t failed_requests;     /* mira_mem_alloc calls that returned NULL (saturates) */
    mira_size_t last_failed_request; /* size of the most recent failed request */
    mira_status_t last_failure;      /* reason of the most recent failure; MIRA_SUCCESS if none */
} mira_mem_stats_t;

/* Copies the statistics to `*stats`. MIRA_ERROR_INVALID_VALUE if `stats` is NULL. */
/*@
  requires stats == \null || \valid(stats);

  behavior null_stats:
    assumes stats == \null;
    ensures \result == MIRA_ERROR_INVALID_VALUE;
    ensures mira_mem_unchanged{Old, Here};
  behavior copy:
    assumes stats != \null;
    ensures \result == MIRA_SUCCESS;
    ensures stats->capacity == mira_mem_model.capacity;
    ensures stats->usage == mira_mem_model.usage;
    ensures stats->free == mira_mem_free_bytes;
    ensures stats->largest_request == mira_mem_model.largest_request;
    ensures stats->failed_requests == mira_mem_model.failed_requests;
    ensures stats->last_failed_request == mira_mem_model.last_failed_request;
    ensures stats->last_failure == mira_mem_model.last_failure;
    ensures mira_mem_unchanged{Old, Here};

  complete behaviors;
  disjoint behaviors;
*/
mira_status_t mira_mem_get_stats(mira_mem_stats_t *stats);

/*
 * A constant-time consistency check of the facade's own state, for a watchdog or a test after
 * suspected memory corruption. True when all of these hold:
 *   - the memory source is one of none, buffer and callback;
 *   - outside buffer mode the arena is empty (capacity and usage 0);
 *   - the arena is sealed only if the facade is;
 *   - the arena passes vera_arena_check (veralloc/arena.h: usage within capacity, both multiples
 *     of MIRA_MEM_ALIGNMENT, the buffer aligned and not NULL when the capacity is not 0).
 * Proved to return true on every state the API can produce (behavior `consistent` of its
 * definition in src/mira_mem.c, which can name the state); a false result means that something
 * outside veralloc wrote the state. It cannot check that the buffer or the callback are still the
 * application's (nor, WP 25 being unable to read a function pointer, that a callback is stored).
 */
/*@
  assigns \nothing;
*/
bool mira_mem_check(void);

/*
 * MIRA_MEM_SET_BUFFER(_SIZE): one statement inside a function body, before mira_net_init.
 * Defines a static buffer of _SIZE bytes aligned to MIRA_MEM_ALIGNMENT (VERA_STORAGE_ALIGNED, in a
 * union with the most demanding C99 types; C99 has no max_align_t) and hands it to
 * mira_mem_set_alloc_buffer. Its status is discarded, as in MiraOS; call
 * mira_mem_set_alloc_buffer yourself to check it. _SIZE must be a constant expression; one too
 * small for a single block (below MIRA_MEM_ALIGNMENT, 0 included) fails the build, naming the
 * rule, instead of leaving the facade NOT_SET at run time.
 */
#define MIRA_MEM_SET_BUFFER(_SIZE)                                                                 \
    do {                                                                                           \
        enum { mira_mem_buffer_size_must_be_at_least_MIRA_MEM_ALIGNMENT = 1 / (((_SIZE) >= MIRA_MEM_ALIGNMENT) ? 1 : 0) }; \
        static union {                                                                             \
            union vera_max_align alignment;                                                        \
            VERA_STORAGE_ALIGNED unsigned char bytes[(_SIZE)];                                     \
        } mira_mem_static_buffer;                                                                  \
        (void)mira_mem_set_alloc_buffer(mira_mem_static_buffer.bytes, (mira_size_t)(_SIZE));       \
    } while (0)

/* The spelling used in one place of the MiraOS documentation. */
#define MIRA_SET_MEM_BUFFER(_SIZE) MIRA_MEM_SET_BUFFER(_SIZE)

#ifdef __cplusplus
}
#endif

#endif /* MIRA_MEM_H */
