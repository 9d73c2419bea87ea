/*
 * veralloc arena: a bump allocator over a caller's buffer, for memory that is allocated once
 * (typically while a network stack or driver initialises) and never given back.
 *
 * Guarantees
 *   - Every block handed out lies inside the buffer given to vera_arena_init, for its full size,
 *     and is disjoint from every other block handed out by the same arena.
 *   - vera_arena_alloc returns blocks aligned to VERA_ALIGNMENT (veralloc/config.h), like malloc;
 *     vera_arena_alloc_aligned aligns to any power of two.
 *   - Usage (bytes consumed) never decreases; it is the sum of the requested sizes, each rounded
 *     up to VERA_ALIGNMENT, plus the padding that alloc_aligned needed.
 *   - Every call runs in constant time: no loop, no recursion.
 *   - No metadata lives inside the buffer: a block written past its end cannot corrupt the
 *     arena's own state (it can still corrupt the neighbouring block).
 *   - Several arenas can coexist; each is one vera_arena_t, usually a static variable.
 *   - Every invalid argument has a defined result (table below); nothing is undefined behaviour
 *     except what C itself cannot detect: a `buffer` that does not point to `size` writable
 *     bytes, or a vera_arena_t that holds garbage (neither zero-initialised nor initialised).
 *
 * Misuse and error table
 *   | call                               | situation                         | result                 |
 *   |------------------------------------|-----------------------------------|------------------------|
 *   | vera_arena_init                    | arena or buffer NULL              | VERA_ERROR_NULL_POINTER|
 *   | vera_arena_init                    | arena sealed                      | VERA_ERROR_SEALED      |
 *   | vera_arena_init                    | size < VERA_ALIGNMENT             | VERA_ERROR_INVALID_SIZE|
 *   | vera_arena_init                    | buffer not VERA_ALIGNMENT-aligned | VERA_ERROR_MISALIGNED  |
 *   | vera_arena_init                    | the vera_arena_t inside the buffer| VERA_ERROR_OVERLAP     |
 *   | vera_arena_alloc / _aligned        | arena NULL                        | NULL                   |
 *   | vera_arena_alloc / _aligned        | size 0                            | NULL, counted as failed|
 *   | vera_arena_alloc / _aligned        | does not fit (incl. near SIZE_MAX)| NULL, counted as failed|
 *   | vera_arena_alloc / _aligned        | arena sealed                      | NULL, counted as failed|
 *   | vera_arena_alloc / _aligned        | arena zero-initialised, never init| NULL, counted as failed|
 *   | vera_arena_alloc_aligned           | alignment 0 or not a power of two | NULL, counted as failed|
 *   | queries (used, available, ...)     | arena NULL                        | 0 / false              |
 *   | vera_arena_seal                    | arena NULL                        | nothing happens        |
 *   | vera_arena_get_stats               | arena or stats NULL               | VERA_ERROR_NULL_POINTER|
 *   | vera_arena_check                   | arena NULL                        | false                  |
 * A failed call never changes the allocation state (buffer, capacity, usage, sealed); it only
 * updates the diagnostics (failed_requests, largest_request). A failed init changes nothing.
 *
 * Rules a reader must not guess (each is tested in tests/semantics_test.c)
 *   - Blocks are not zeroed: a block holds whatever its bytes of the buffer held before.
 *   - Counters count every call, whatever its fault: a request after vera_arena_seal, of size 0,
 *     or absurd (SIZE_MAX) is counted in failed_requests and, if it is the largest so far, is
 *     recorded in largest_request (so largest_request can be SIZE_MAX); usage is unchanged.
 *   - One call with several faults: vera_arena_init checks in the order of the table (NULL, then
 *     sealed, then size, then alignment, then overlap) and reports the first; every faulty allocation returns
 *     NULL.
 *   - Re-initialising: vera_arena_init on an arena that is not sealed starts it afresh over the
 *     new buffer (an explicit reset: every block handed out before is given up, and its bytes
 *     will be handed out again; the caller must not use those blocks any more). On a sealed arena
 *     it fails with VERA_ERROR_SEALED and changes nothing: sealing cannot be undone, so no live
 *     block can be handed out twice. The vera_arena_t given to init must be zero-initialised
 *     (e.g. static) or initialised before: init reads its sealed flag.
 *   - A vera_arena_t must not be copied (assignment, memcpy, passing by value): the copy and the
 *     original would hand out the same bytes. Pass pointers; keep exactly one per buffer.
 *   - Interrupts and threads: every function that changes the arena takes the lock of
 *     veralloc/lock.h (compile-time choice, none by default).
 */
#ifndef VERALLOC_ARENA_H
#define VERALLOC_ARENA_H

#include <stdbool.h>
#include <stddef.h>

#include "veralloc/config.h"
#include "veralloc/status.h"

/*
 * One arena. The fields are visible only so that an arena can be a static variable without any
 * dynamic allocation; read them through the functions below, never write them.
 * A zero-initialised vera_arena_t (e.g. a static one) is a valid, empty arena: every allocation
 * from it fails until vera_arena_init succeeds.
 */
typedef struct vera_arena {
    char *base;             /* start of the buffer; aligned to VERA_ALIGNMENT */
    size_t capacity;        /* usable bytes: the buffer size rounded down to VERA_ALIGNMENT */
    size_t used;            /* bytes consumed; a multiple of VERA_ALIGNMENT, <= capacity */
    bool sealed;            /* once true, every allocation fails */
    size_t largest_request; /* diagnostics: the largest size ever requested */
    size_t failed_requests; /* diagnostics: allocation calls that returned NULL (saturates) */
} vera_arena_t;

/* Diagnostics, copied out in one call by vera_arena_get_stats. */
typedef struct vera_arena_stats {
    size_t capacity;        /* as vera_arena_capacity */
    size_t used;            /* as vera_arena_used */
    size_t available;       /* as vera_arena_available */
    size_t largest_request; /* as vera_arena_largest_request */
    size_t failed_requests; /* as vera_arena_failed_requests */
    bool sealed;            /* as vera_arena_is_sealed */
} vera_arena_stats_t;

/*
 * Formal contracts. Each declaration below carries its ACSL contract (read by Frama-C WP, a
 * comment to compilers) right under its prose. The logic they use is in specs/arena_logic.h and
 * specs/vera_common.h; docs/proofs.md says what is proved and what is trusted. Every function with
 * more than one outcome has one named behavior per outcome, `complete` and `disjoint`; the
 * queries have a one-line contract. A failed call keeps the allocation state (base, capacity,
 * used, sealed) as it was: `vera_arena_rejected` says so.
 */
#ifdef __FRAMAC__
#include "specs/arena_logic.h"
#endif

/* C linkage for C++ callers (the library is C; its symbols are not mangled). */
#ifdef __cplusplus
extern "C" {
#endif

/*
 * Makes `arena` hand out memory from `buffer`, `size` bytes, which must stay valid and must not
 * be used by anything else for as long as the arena is used. `arena` must be zero-initialised or
 * initialised before. Re-initialising an unsealed arena starts it afresh (an explicit reset: the
 * blocks handed out before are given up); a sealed arena cannot be re-initialised. A vera_arena_t
 * that lies (even partly) inside the buffer is rejected: its first block would be its own state.
 * The check compares addresses as integers (a flat address space, as on every target); the
 * precondition `buffer_apart` says what the proof needs of a caller: the two are separate
 * objects, or their addresses overlap (which init rejects).
 * Returns VERA_OK, or an error from the table above with `arena` unchanged.
 */
/*@
  requires arena_valid:  arena == \null || (\valid(arena) && vera_arena_well_formed(arena));
  requires buffer_valid: buffer == \null || \valid((char *)buffer + (0 .. size - 1));
  requires buffer_apart: arena == \null || buffer == \null
                         || \separated(arena, (char *)buffer + (0 .. size - 1))
                         || vera_arena_inside_buffer(arena, buffer, size);
  assigns *arena;

  behavior null_pointer:
    assumes arena == \null || buffer == \null;
    ensures \result == VERA_ERROR_NULL_POINTER;
    ensures arena == \null || vera_arena_unchanged{Old, Here}(arena);
  behavior sealed:
    assumes arena != \null && buffer != \null && arena->sealed;
    ensures \result == VERA_ERROR_SEALED;
    ensures vera_arena_unchanged{Old, Here}(arena);
  behavior too_small:
    assumes arena != \null && buffer != \null && !arena->sealed && size < VERA_ALIGNMENT;
    ensures \result == VERA_ERROR_INVALID_SIZE;
    ensures vera_arena_unchanged{Old, Here}(arena);
  behavior misaligned:
    assumes arena != \null && buffer != \null && !arena->sealed && size >= VERA_ALIGNMENT;
    assumes !vera_address_aligned((char *)buffer, VERA_ALIGNMENT);
    ensures \result == VERA_ERROR_MISALIGNED;
    ensures vera_arena_unchanged{Old, Here}(arena);
  behavior overlap:
    assumes arena != \null && buffer != \null && !arena->sealed && size >= VERA_ALIGNMENT;
    assumes vera_address_aligned((char *)buffer, VERA_ALIGNMENT);
    assumes vera_arena_inside_buffer(arena, buffer, size);
    ensures \result == VERA_ERROR_OVERLAP;
    ensures vera_arena_unchanged{Old, Here}(arena);
  behavior success:
    assumes arena != \null && buffer != \null && !arena->sealed && size >= VERA_ALIGNMENT;
    assumes vera_address_aligned((char *)buffer, VERA_ALIGNMENT);
    assumes !vera_arena_inside_buffer(arena, buffer, size);
    ensures \result == VERA_OK;
    ensures arena->base == (char *)buffer;
    ensures arena->capacity == size - size % VERA_ALIGNMENT;
    ensures arena->used == 0 && arena->sealed == \false;
    ensures arena->largest_request == 0 && arena->failed_requests == 0;
    ensures vera_arena_well_formed(arena);

  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_arena_init(vera_arena_t *arena, void *buffer, size_t size);

/*
 * Returns a block of at least `size` bytes aligned to VERA_ALIGNMENT, or NULL (table above).
 * Consumes `size` rounded up to VERA_ALIGNMENT.
 */
/*@
  requires arena == \null || (\valid(arena) && vera_arena_well_formed(arena));
  assigns arena->used, arena->largest_request, arena->failed_requests;
  ensures arena == \null || vera_arena_well_formed(arena);

  behavior null_arena:
    assumes arena == \null;
    ensures \result == \null;
  behavior sealed:
    assumes arena != \null && arena->sealed;
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior zero_size:
    assumes arena != \null && !arena->sealed && size == 0;
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior no_room:
    assumes arena != \null && !arena->sealed && size != 0;
    assumes !vera_arena_fits(arena, size, 0);
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior success:
    assumes arena != \null && !arena->sealed && size != 0;
    assumes vera_arena_fits(arena, size, 0);
    ensures block_position:  \result == arena->base + \old(arena->used);
    ensures usage_grows:     arena->used == \old(arena->used) + vera_round_up(size);
    ensures block_valid:     vera_arena_block_valid((char *)\result, size);
    ensures block_inside:    vera_arena_block_inside(arena, (char *)\result, size);
    ensures block_fresh:     vera_arena_block_fresh(arena, (char *)\result, size, \old(arena->used));
    ensures block_apart:     vera_arena_block_apart(arena, (char *)\result, size);
    ensures offset_aligned:  vera_offset_aligned(\old(arena->used), VERA_ALIGNMENT);
    ensures address_aligned: vera_address_aligned((char *)\result, VERA_ALIGNMENT);
    ensures vera_arena_success_recorded{Old, Here}(arena, size);

  complete behaviors;
  disjoint behaviors;
*/
void *vera_arena_alloc(vera_arena_t *arena, size_t size);

/*
 * Returns a block of at least `size` bytes whose address is a multiple of `alignment` (a power of
 * two; values below VERA_ALIGNMENT are raised to it), or NULL (table above). Consumes the padding
 * needed to reach that alignment plus `size` rounded up to VERA_ALIGNMENT.
 * An alignment that is not a power of two is rejected whatever else is wrong with the call (the
 * `bad_alignment` behavior comes first); the other faults are those of vera_arena_alloc.
 */
/*@
  requires arena == \null || (\valid(arena) && vera_arena_well_formed(arena));
  assigns arena->used, arena->largest_request, arena->failed_requests;
  ensures arena == \null || vera_arena_well_formed(arena);

  behavior bad_alignment:
    assumes arena != \null && !vera_is_power_of_two(alignment);
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior null_arena:
    assumes arena == \null;
    ensures \result == \null;
  behavior sealed:
    assumes arena != \null && vera_is_power_of_two(alignment) && arena->sealed;
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior zero_size:
    assumes arena != \null && vera_is_power_of_two(alignment) && !arena->sealed && size == 0;
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior no_room:
    assumes arena != \null && vera_is_power_of_two(alignment) && !arena->sealed && size != 0;
    assumes !vera_arena_fits(arena, size, vera_arena_next_padding(arena, alignment));
    ensures vera_arena_rejected{Old, Here}(arena, \result, size);
  behavior success:
    assumes arena != \null && vera_is_power_of_two(alignment) && !arena->sealed && size != 0;
    assumes vera_arena_fits(arena, size, vera_arena_next_padding(arena, alignment));
    ensures block_position:  \result == arena->base
                                 + \old(arena->used + vera_arena_next_padding(arena, alignment));
    ensures usage_grows:     arena->used == \old(arena->used + vera_arena_next_padding(arena, alignment))
                                            + vera_round_up(size);
    ensures offset_aligned:  vera_offset_aligned(\old(arena->used
                                 + vera_arena_next_padding(arena, alignment)), VERA_ALIGNMENT);
    ensures address_aligned: vera_address_aligned((char *)\result, vera_effective_alignment(alignment));
    ensures block_valid:     vera_arena_block_valid((char *)\result, size);
    ensures block_inside:    vera_arena_block_inside(arena, (char *)\result, size);
    ensures block_fresh:     vera_arena_block_fresh(arena, (char *)\result, size, \old(arena->used));
    ensures block_apart:     vera_arena_block_apart(arena, (char *)\result, size);
    ensures vera_arena_success_recorded{Old, Here}(arena, size);

  complete behaviors;
  disjoint behaviors;
*/
void *vera_arena_alloc_aligned(vera_arena_t *arena, size_t size, size_t alignment);

/* Stops all further allocation from `arena`: every later alloc fails. Cannot be undone. */
/*@
  requires arena == \null || (\valid(arena) && vera_arena_well_formed(arena));
  assigns arena->sealed;

  behavior null_arena:
    assumes arena == \null;
  behavior seal:
    assumes arena != \null;
    ensures arena->sealed == \true;
    ensures vera_arena_well_formed(arena);

  complete behaviors;
  disjoint behaviors;
*/
void vera_arena_seal(vera_arena_t *arena);

/*
 * The queries: each reads one figure of a non-NULL arena, and gives 0 (false) for NULL. Their
 * contracts have one outcome, in one line (the style of every getter of the library).
 */

/* True once vera_arena_seal was called. */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  assigns \nothing;
  ensures \result == (arena == \null ? 0 : arena->sealed);
*/
bool vera_arena_is_sealed(const vera_arena_t *arena);

/* Usable bytes in total: the buffer size rounded down to VERA_ALIGNMENT. */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  assigns \nothing;
  ensures \result == (arena == \null ? 0 : arena->capacity);
*/
size_t vera_arena_capacity(const vera_arena_t *arena);

/* Bytes consumed so far (never decreases). */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  assigns \nothing;
  ensures \result == (arena == \null ? 0 : arena->used);
*/
size_t vera_arena_used(const vera_arena_t *arena);

/* Bytes still free: capacity - used. A request of this many bytes (or fewer) via
 * vera_arena_alloc succeeds unless the arena is sealed. */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  assigns \nothing;
  ensures \result == (arena == \null ? 0 : vera_arena_free_bytes(arena));
*/
size_t vera_arena_available(const vera_arena_t *arena);

/* The largest `size` any allocation call has asked for, successful or not. */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  assigns \nothing;
  ensures \result == (arena == \null ? 0 : arena->largest_request);
*/
size_t vera_arena_largest_request(const vera_arena_t *arena);

/* How many allocation calls returned NULL (saturates at SIZE_MAX). */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  assigns \nothing;
  ensures \result == (arena == \null ? 0 : arena->failed_requests);
*/
size_t vera_arena_failed_requests(const vera_arena_t *arena);

/*
 * Copies the arena's figures to `*stats`, all read at once under the lock (veralloc/lock.h), so
 * they are consistent with each other even if an interrupt allocates. Constant time.
 * VERA_ERROR_NULL_POINTER if `arena` or `stats` is NULL (nothing is written); else VERA_OK.
 */
/*@
  requires arena == \null || (\valid_read(arena) && vera_arena_well_formed(arena));
  requires stats == \null || (\valid(stats) && \separated(stats, arena));
  assigns *stats;

  behavior null_pointer:
    assumes arena == \null || stats == \null;
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
  behavior copy:
    assumes arena != \null && stats != \null;
    ensures \result == VERA_OK;
    ensures vera_arena_stats_copied(stats, arena);

  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_arena_get_stats(const vera_arena_t *arena, vera_arena_stats_t *stats);

/*
 * A constant-time consistency check of the arena's fields, for a watchdog or a test after
 * suspected memory corruption. True when all of these hold:
 *   - used <= capacity,
 *   - capacity and used are multiples of VERA_ALIGNMENT,
 *   - base is VERA_ALIGNMENT-aligned,
 *   - base is not NULL when capacity is not 0;
 * false for a NULL arena or when one of them is broken. Proved: true on every well-formed arena
 * (zero-initialised, or changed only through this API). It cannot check what C cannot: that the
 * buffer is still the one given to init, or that it is still writable. The corrupted value of
 * `base` must still be a pointer C can read (any address on the targets; WP states it as
 * `\object_pointer`, its precondition `base_readable`).
 */
/*@
  requires arena == \null || \valid_read(arena);
  requires base_readable: arena == \null || \object_pointer(arena->base);
  assigns \nothing;

  behavior null_arena:
    assumes arena == \null;
    ensures \result == \false;
  behavior well_formed:
    assumes arena != \null && vera_arena_well_formed(arena);
    ensures \result == \true;
  behavior not_well_formed:
    assumes arena != \null && !vera_arena_well_formed(arena);

  complete behaviors;
  disjoint behaviors;
*/
bool vera_arena_check(const vera_arena_t *arena);

#ifdef __cplusplus
}
#endif

#endif /* VERALLOC_ARENA_H */
