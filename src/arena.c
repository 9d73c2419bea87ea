/*
 * veralloc arena: bump allocation over a caller's buffer.
 *
 * The algorithm is the simplest one that can be shown correct: the arena keeps one offset,
 * `used`, into its buffer. Everything below `used` has been handed out, everything from `used`
 * to `capacity` is free. An allocation rounds the request up to VERA_ALIGNMENT, checks that it
 * fits in what is free (with subtractions only, so no sum can wrap around), returns
 * `base + used` and advances `used`. Because `used` only moves forward, a new block lies in
 * [old used, new used) while every earlier block lies below old used: blocks are disjoint by
 * construction, and usage never decreases.
 *
 * Alignment is reasoned about as an offset: `base` is checked to be VERA_ALIGNMENT-aligned at
 * init, and `used` stays a multiple of VERA_ALIGNMENT, so `base + used` is aligned.
 * alloc_aligned with a larger alignment looks at the absolute address once to compute the
 * padding.
 *
 * Freestanding C99: no libc, no dynamic allocation, constant time per call.
 */
#include "veralloc/arena.h"

#include "veralloc/lock.h"

#include <stdint.h>

#include "vera_internal.h"

vera_status_t vera_arena_init(vera_arena_t *arena, void *buffer, size_t size)
{
    vera_lock_state_t lock;

    if ((arena == NULL) || (buffer == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    lock = vera_lock_acquire();
    /* Sealing cannot be undone: re-initialising would hand out live blocks' bytes again. */
    if (arena->sealed) {
        return vera_lock_release_status(lock, VERA_ERROR_SEALED);
    }
    if (size < VERA_ALIGNMENT) {
        return vera_lock_release_status(lock, VERA_ERROR_INVALID_SIZE);
    }
    if (((uintptr_t)buffer % VERA_ALIGNMENT) != 0u) {
        return vera_lock_release_status(lock, VERA_ERROR_MISALIGNED);
    }
    /* Its first block would be the arena's own state (vera_ranges_overlap: by address). */
    if (vera_ranges_overlap((uintptr_t)arena, sizeof *arena, (uintptr_t)buffer, size)) {
        return vera_lock_release_status(lock, VERA_ERROR_OVERLAP);
    }
    arena->base = (char *)buffer;
    arena->capacity = (size / VERA_ALIGNMENT) * VERA_ALIGNMENT;
    arena->used = 0u;
    arena->sealed = false;
    arena->largest_request = 0u;
    arena->failed_requests = 0u;
    vera_lock_release(lock);
    return VERA_OK;
}

/* Records a call that returns NULL. Only diagnostics change, never the allocation state. */
/*@
  requires \valid(arena);
  assigns arena->failed_requests;
  ensures arena->failed_requests == vera_saturating_increment(\old(arena->failed_requests));
  ensures \result == \null;
*/
static void *arena_fail(vera_arena_t *arena)
{
    arena->failed_requests = vera_saturating_increment_size(arena->failed_requests);
    return NULL;
}

void *vera_arena_alloc_aligned(vera_arena_t *arena, size_t size, size_t alignment)
{
    size_t rounded;
    size_t padding = 0u;
    size_t free_bytes;
    char *block;
    vera_lock_state_t lock;

    if (arena == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    if (size > arena->largest_request) {
        arena->largest_request = size;
    }
    if (arena->sealed || (size == 0u) || (size > VERA_MAX_ROUNDABLE_SIZE(VERA_ALIGNMENT)) ||
        !vera_is_power_of_two_size(alignment)) {
        //@ for success: assert \false;
        return vera_lock_release_pointer(lock, arena_fail(arena));
    }
    rounded = vera_round_up_size(size, VERA_ALIGNMENT);
    free_bytes = arena->capacity - arena->used;
    if (rounded > free_bytes) {
        /* Also covers the zero-initialised arena (capacity 0, base NULL) before any pointer
         * arithmetic on base. */
        //@ for success: assert \false;
        return vera_lock_release_pointer(lock, arena_fail(arena));
    }
    if (alignment > VERA_ALIGNMENT) {
        /* Smaller alignments are already met: every block is VERA_ALIGNMENT-aligned. */
        padding = vera_padding_to_alignment(arena->base + arena->used, alignment);
        if (padding > (free_bytes - rounded)) {
            //@ for success: assert \false;
            return vera_lock_release_pointer(lock, arena_fail(arena));
        }
    }
    //@ assert padding == vera_arena_next_padding(arena, alignment);
    block = arena->base + arena->used + padding;
    arena->used += padding + rounded;
    vera_lock_release(lock);
    return block;
}

/* The plain allocation is written apart from alloc_aligned because it is the call a network
 * stack makes dozens of times during init: no alignment to check, no padding, and a single
 * comparison for "does it fit". That comparison is on the request itself, not on its rounded
 * size: capacity and used are multiples of VERA_ALIGNMENT, so the free space is one too, and a
 * request of 1 to free_bytes bytes still fits once rounded up, while any larger request (up to
 * SIZE_MAX) is rejected before it is rounded, so no rounding can wrap around. */
void *vera_arena_alloc(vera_arena_t *arena, size_t size)
{
    char *block;
    vera_lock_state_t lock;

    if (arena == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    /* Written as a select, not a branch, so the compiler emits a conditional move and the
     * call takes the same path whether or not this is the largest request so far. */
    arena->largest_request = (size > arena->largest_request) ? size : arena->largest_request;
    if (arena->sealed || (size == 0u) || (size > (arena->capacity - arena->used))) {
        //@ for success: assert \false;
        return vera_lock_release_pointer(lock, arena_fail(arena));
    }
    //@ assert fits_once_rounded: vera_round_up(size) <= arena->capacity - arena->used;
    block = arena->base + arena->used;
    arena->used += vera_round_up_size(size, VERA_ALIGNMENT);
    vera_lock_release(lock);
    return block;
}

void vera_arena_seal(vera_arena_t *arena)
{
    if (arena != NULL) {
        vera_lock_state_t lock = vera_lock_acquire();
        arena->sealed = true;
        vera_lock_release(lock);
    }
}

bool vera_arena_is_sealed(const vera_arena_t *arena)
{
    return (arena != NULL) && arena->sealed;
}

size_t vera_arena_capacity(const vera_arena_t *arena)
{
    return (arena == NULL) ? 0u : arena->capacity;
}

size_t vera_arena_used(const vera_arena_t *arena)
{
    return (arena == NULL) ? 0u : arena->used;
}

size_t vera_arena_available(const vera_arena_t *arena)
{
    return (arena == NULL) ? 0u : (arena->capacity - arena->used);
}

size_t vera_arena_largest_request(const vera_arena_t *arena)
{
    return (arena == NULL) ? 0u : arena->largest_request;
}

size_t vera_arena_failed_requests(const vera_arena_t *arena)
{
    return (arena == NULL) ? 0u : arena->failed_requests;
}

vera_status_t vera_arena_get_stats(const vera_arena_t *arena, vera_arena_stats_t *stats)
{
    vera_lock_state_t lock;

    if ((arena == NULL) || (stats == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    lock = vera_lock_acquire();
    stats->capacity = arena->capacity;
    stats->used = arena->used;
    stats->available = arena->capacity - arena->used;
    stats->largest_request = arena->largest_request;
    stats->failed_requests = arena->failed_requests;
    stats->sealed = arena->sealed;
    vera_lock_release(lock);
    return VERA_OK;
}

/* Each test is one comparison on a field (no loop, no division: VERA_ALIGNMENT is a constant
 * power of two, so `% VERA_ALIGNMENT` is a mask). Under the lock, so that an interrupt that
 * re-initialises the arena cannot show a half-written state. */
bool vera_arena_check(const vera_arena_t *arena)
{
    vera_lock_state_t lock;
    bool consistent;

    if (arena == NULL) {
        return false;
    }
    lock = vera_lock_acquire();
    consistent = (arena->used <= arena->capacity) && ((arena->capacity % VERA_ALIGNMENT) == 0u) &&
                 ((arena->used % VERA_ALIGNMENT) == 0u) &&
                 (((uintptr_t)arena->base % VERA_ALIGNMENT) == 0u) &&
                 ((arena->base != NULL) || (arena->capacity == 0u));
    vera_lock_release(lock);
    return consistent;
}
