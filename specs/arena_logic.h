/*
 * veralloc specs: ACSL logic for the arena's contracts (include/veralloc/arena.h).
 *
 * Read by Frama-C only: include/veralloc/arena.h includes it under __FRAMAC__, after the
 * vera_arena_t type it talks about.
 *
 * The proof of the arena needs no ghost log of blocks: it uses the watermark argument. `used`
 * only grows, a new block lies in [old used, new used), every earlier block lies below old used,
 * so the new block is separated from every block handed out before.
 */
#ifndef VERALLOC_SPECS_ARENA_LOGIC_H
#define VERALLOC_SPECS_ARENA_LOGIC_H

#include "specs/vera_common.h"

/*@
  // What every vera_arena_t that the API can produce satisfies: a zero-initialised one (base
  // NULL, capacity 0), and every arena after a call of this API. The public functions require it
  // of a non-NULL arena argument (a caller meets it by not writing the fields) and ensure it.
  predicate vera_arena_well_formed(vera_arena_t *arena) =
       arena->used <= arena->capacity
    && arena->capacity % VERA_ALIGNMENT == 0
    && arena->used % VERA_ALIGNMENT == 0
    && vera_address_aligned(arena->base, VERA_ALIGNMENT)
    && (arena->capacity > 0 ==>
          \valid(arena->base + (0 .. arena->capacity - 1))
       && \separated(arena, arena->base + (0 .. arena->capacity - 1)));

  // The vera_arena_t lies (even partly) inside the buffer, by their addresses (what
  // vera_arena_init rejects).
  predicate vera_arena_inside_buffer(vera_arena_t *arena, void *buffer, integer size) =
      vera_address_ranges_overlap((uintptr_t)arena, sizeof(vera_arena_t), (uintptr_t)buffer,
                                  size);

  // Bytes still free.
  logic integer vera_arena_free_bytes(vera_arena_t *arena) = arena->capacity - arena->used;

  // Padding alloc_aligned inserts before a block at `address` so that the block is aligned to
  // `alignment`; none for alignments the arena meets anyway (VERA_ALIGNMENT or less).
  logic integer vera_arena_padding(char *address, integer alignment) =
      alignment <= VERA_ALIGNMENT ? 0 : vera_alignment_padding(address, alignment);

  // The padding the next block of alloc_aligned(arena, _, alignment) needs.
  logic integer vera_arena_next_padding(vera_arena_t *arena, integer alignment) =
      vera_arena_padding(arena->base + arena->used, alignment);

  // The alignment alloc_aligned actually guarantees: the one asked for, raised to VERA_ALIGNMENT.
  logic integer vera_effective_alignment(integer alignment) =
      alignment > VERA_ALIGNMENT ? alignment : VERA_ALIGNMENT;

  // Every field as it was (a failed init).
  predicate vera_arena_unchanged{Before, After}(vera_arena_t *arena) =
       \at(arena->base, After) == \at(arena->base, Before)
    && \at(arena->capacity, After) == \at(arena->capacity, Before)
    && \at(arena->used, After) == \at(arena->used, Before)
    && \at(arena->sealed, After) == \at(arena->sealed, Before)
    && \at(arena->largest_request, After) == \at(arena->largest_request, Before)
    && \at(arena->failed_requests, After) == \at(arena->failed_requests, Before);

  // What a failed allocation call does: the allocation state (base, capacity, used, sealed)
  // stays as it was; only the diagnostics record the call.
  predicate vera_arena_failure_recorded{Before, After}(vera_arena_t *arena, integer size) =
       \at(arena->base, After) == \at(arena->base, Before)
    && \at(arena->capacity, After) == \at(arena->capacity, Before)
    && \at(arena->used, After) == \at(arena->used, Before)
    && \at(arena->sealed, After) == \at(arena->sealed, Before)
    && \at(arena->failed_requests, After)
           == vera_saturating_increment(\at(arena->failed_requests, Before))
    && \at(arena->largest_request, After) == vera_max(\at(arena->largest_request, Before), size);

  // A failed allocation call: it returns NULL and only the diagnostics record it.
  predicate vera_arena_rejected{Before, After}(vera_arena_t *arena, void *result, integer size) =
       result == \null && vera_arena_failure_recorded{Before, After}(arena, size);

  // The diagnostics after a successful allocation of `size` bytes: the largest request is
  // updated, the failure count is as it was.
  predicate vera_arena_success_recorded{Before, After}(vera_arena_t *arena, integer size) =
       \at(arena->largest_request, After) == vera_max(\at(arena->largest_request, Before), size)
    && \at(arena->failed_requests, After) == \at(arena->failed_requests, Before);

  // What both allocation functions guarantee of the block they return (`size` bytes at `block`):
  // it is writable for its full size, ...
  predicate vera_arena_block_valid(char *block, integer size) = \valid(block + (0 .. size - 1));

  // ... it lies inside the arena's buffer, ...
  predicate vera_arena_block_inside(vera_arena_t *arena, char *block, integer size) =
      \subset(block + (0 .. size - 1), arena->base + (0 .. arena->capacity - 1));

  // ... it is apart from every block handed out before: those lie below the usage before the
  // call, `old_used` (the watermark argument), ...
  predicate vera_arena_block_fresh(vera_arena_t *arena, char *block, integer size,
                                   integer old_used) =
      \separated(block + (0 .. size - 1), arena->base + (0 .. old_used - 1));

  // ... and apart from the arena's own struct.
  predicate vera_arena_block_apart(vera_arena_t *arena, char *block, integer size) =
      \separated(block + (0 .. size - 1), arena);

  // What vera_arena_get_stats copies: every figure of the arena, as the queries report it.
  predicate vera_arena_stats_copied(vera_arena_stats_t *stats, vera_arena_t *arena) =
       stats->capacity == arena->capacity
    && stats->used == arena->used
    && stats->available == vera_arena_free_bytes(arena)
    && stats->largest_request == arena->largest_request
    && stats->failed_requests == arena->failed_requests
    && stats->sealed == arena->sealed;

  // A request of `size` bytes (after `padding`) fits in what is free. Mathematical integers:
  // a size near SIZE_MAX does not wrap around, it simply does not fit.
  predicate vera_arena_fits(vera_arena_t *arena, integer size, integer padding) =
      padding + vera_round_up(size) <= vera_arena_free_bytes(arena);
*/

#endif /* VERALLOC_SPECS_ARENA_LOGIC_H */
