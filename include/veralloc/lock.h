/*
 * veralloc lock: the critical section around every function that changes an allocator's state,
 * for allocators shared with interrupt handlers or other threads.
 *
 * Every function that writes a vera_arena_t, a vera_pool_t or the mira_mem facade (init, alloc,
 * alloc_aligned, alloc_zeroed, free, seal, set_*) calls vera_lock_acquire() before it reads that
 * state and vera_lock_release() with the value acquire returned after its last access; the
 * queries (sizes, counters, owns) read one field each and take no lock. The pair is chosen at
 * compile time with VERA_LOCK (the same value in every translation unit):
 *
 *   VERA_LOCK_NONE (the default)   no lock, no code: single-threaded use, host tests, or an
 *                                  application that serialises its calls itself.
 *   VERA_LOCK_CORTEX_M_PRIMASK     Cortex-M (ARMv6-M, ARMv7-M, ARMv8-M): acquire saves PRIMASK and
 *                                  disables interrupts (cpsid i), release restores the saved
 *                                  PRIMASK, so calls nest and a call made with interrupts already
 *                                  disabled leaves them disabled. Interrupts are held off for one
 *                                  call: constant time, except init and alloc_zeroed (their
 *                                  loops; see each header) and mira_mem's callback and hook,
 *                                  which run inside the section. HardFault and NMI are not masked.
 *   VERA_LOCK_APPLICATION          the application defines the two functions declared below, e.g.
 *                                  over an RTOS mutex:
 *                                      vera_lock_state_t vera_lock_acquire(void)
 *                                      { (void)osMutexAcquire(veralloc_mutex, osWaitForever);
 *                                        return 0u; }
 *                                      void vera_lock_release(vera_lock_state_t state)
 *                                      { (void)state; (void)osMutexRelease(veralloc_mutex); }
 *                                  The mutex must be recursive (mira_mem_alloc holds the lock
 *                                  while it calls the arena, which takes it again) and must not
 *                                  be used from interrupt handlers; use PRIMASK (or a
 *                                  BASEPRI-masking pair of your own) when handlers allocate.
 *
 * What the proofs assume of the pair (docs/proofs.md, trusted base): acquire and release return,
 * write nothing the library reads or writes (its allocators' state, the caller's buffers and
 * metadata), and while a call holds the section no other veralloc call runs on the same
 * allocator. The library's code is proved with the calls in place, for every VERA_LOCK.
 */
#ifndef VERALLOC_LOCK_H
#define VERALLOC_LOCK_H

#include <stdint.h>

#include "veralloc/config.h"
#include "veralloc/status.h"

#define VERA_LOCK_NONE 0
#define VERA_LOCK_CORTEX_M_PRIMASK 1
#define VERA_LOCK_APPLICATION 2

#ifndef VERA_LOCK
#define VERA_LOCK VERA_LOCK_NONE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What vera_lock_acquire hands to vera_lock_release: the saved PRIMASK on Cortex-M. */
typedef uint32_t vera_lock_state_t;

#if defined(__FRAMAC__) || (VERA_LOCK == VERA_LOCK_APPLICATION)
/* Frama-C proves the library against these contracts, whatever VERA_LOCK is (trusted base). */
/*@
  assigns \nothing;
*/
vera_lock_state_t vera_lock_acquire(void);

/*@
  assigns \nothing;
*/
void vera_lock_release(vera_lock_state_t state);

#elif VERA_LOCK == VERA_LOCK_CORTEX_M_PRIMASK
/* The "memory" clobbers keep the compiler from moving the allocator's loads and stores out of
 * the section. */
static inline vera_lock_state_t vera_lock_acquire(void)
{
    vera_lock_state_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void vera_lock_release(vera_lock_state_t state)
{
    __asm__ volatile("msr primask, %0" : : "r"(state) : "memory");
}

#elif VERA_LOCK == VERA_LOCK_NONE
/* No lock: both calls compile to nothing. */
static inline vera_lock_state_t vera_lock_acquire(void)
{
    return 0u;
}

static inline void vera_lock_release(vera_lock_state_t state)
{
    (void)state;
}

#else
#error "VERA_LOCK must be VERA_LOCK_NONE, VERA_LOCK_CORTEX_M_PRIMASK or VERA_LOCK_APPLICATION"
#endif

/*
 * For the library's own returns: `return vera_lock_release_pointer(lock, expression);` evaluates
 * the expression inside the section, then releases it and returns the value.
 */
/*@
  assigns \nothing;
  ensures \result == result;
*/
static inline void *vera_lock_release_pointer(vera_lock_state_t state, void *result)
{
    vera_lock_release(state);
    return result;
}

/*@
  assigns \nothing;
  ensures \result == result;
*/
static inline vera_status_t vera_lock_release_status(vera_lock_state_t state, vera_status_t result)
{
    vera_lock_release(state);
    return result;
}

#ifdef __cplusplus
}
#endif

#endif /* VERALLOC_LOCK_H */
