/*
 * ACSL logic for the fixed-block pool (include/veralloc/pool.h, src/pool.c).
 *
 * Read by Frama-C only: include/veralloc/pool.h includes this file under `#ifdef __FRAMAC__`,
 * right after the definition of vera_pool_t, so that the contracts on its declarations can use
 * these predicates. Nothing here is compiled into the library.
 *
 * The model, in words (src/pool.c explains the algorithm):
 *   - block b (0 <= b < block_count) is the byte range base + b * block_size, block_size bytes;
 *     block_size and the address of base are multiples of the pool's alignment (a power of two
 *     from VERA_ALIGNMENT to VERA_POOL_MAX_ALIGNMENT), so every block starts at one;
 *   - free_order[0 .. block_count-1] is a permutation of the block indices and block_position
 *     is its inverse; the first free_count entries of free_order are the free blocks, the others
 *     the used ones, so block b is used exactly when block_position[b] >= free_count;
 *   - hence the used blocks are exactly the blocks whose position lies in
 *     [free_count, block_count), and block_position maps them one-to-one onto that interval:
 *     the number of used blocks is block_count - free_count (which vera_pool_blocks_used
 *     returns), and the number of free blocks is free_count.
 *
 * How it is written: the predicates take the pool's field values as parameters rather than the
 * pool pointer, and the VERA_POOL_* macros below apply them to a pool's fields. After a write to
 * one field WP's simplifier then sees that the other parts of the invariant read exactly the same
 * values as before and discharges them itself; with predicates over the whole pool the SMT
 * solvers had to unfold and re-prove the entire invariant after every write, and timed out.
 *
 * No trusted base is introduced here: the pool relies on the shared axioms vera_address_arithmetic
 * and vera_large_power_of_two_is_aligned of specs/vera_common.h (through the lemma functions
 * pool_lemma_block_address_aligned and pool_lemma_default_alignment_follows in src/pool.c) and on
 * the assumed contract of pool_offset_in_blocks (docs/proofs.md, "Trusted base"). The arithmetic facts the proof needs are lemma functions in src/pool.c, each proved.
 */
#ifndef VERALLOC_SPECS_POOL_LOGIC_H
#define VERALLOC_SPECS_POOL_LOGIC_H

#include "specs/vera_common.h"

/*@
  // Sizes and counters: capacity is the total of the blocks, at most block_count blocks are
  // free, and the peak is at least the current use.
  predicate vera_pool_shape(integer block_size, integer block_count, integer capacity,
                            integer free_count, integer peak_used) =
      0 <= block_count <= VERA_POOL_MAX_BLOCKS &&
      0 <= block_size &&
      capacity == block_size * block_count &&
      (block_count > 0 ==> block_size > 0) &&
      0 <= free_count <= block_count &&
      block_count - free_count <= peak_used <= block_count;

  // The blocks and the two metadata arrays are writable, disjoint from each other and from the
  // pool object itself: writing a block cannot change the pool's state, nor the reverse.
  predicate vera_pool_memory{L}(vera_pool_t *pool, char *base, integer capacity,
                                vera_pool_index_t *order, vera_pool_index_t *position,
                                integer count) =
      \valid(pool) &&
      \object_pointer(base) &&    // null in a zero-initialised pool
      \valid(base + (0 .. capacity - 1)) &&
      \valid(order + (0 .. count - 1)) &&
      \valid(position + (0 .. count - 1)) &&
      \separated(pool, base + (0 .. capacity - 1), order + (0 .. count - 1),
                 position + (0 .. count - 1));

  // order[0 .. count-1] is a permutation of [0, count) and position its inverse. (Two pointers
  // rather than one array and offsets: every access is then pointer + index, which the solvers
  // match against the quantifiers directly; with offsets such as position = order + count they
  // had to do arithmetic inside the patterns and timed out.)
  predicate vera_pool_permutation{L}(vera_pool_index_t *order, vera_pool_index_t *position,
                                     integer count) =
      (\forall integer k; 0 <= k < count ==> order[k] < count && position[order[k]] == k) &&
      (\forall integer b; 0 <= b < count ==> position[b] < count && order[position[b]] == b);

  // An alignment a pool may have (vera_pool_init_aligned checks it).
  predicate vera_pool_alignment_valid(integer alignment) =
      vera_is_power_of_two(alignment) && VERA_ALIGNMENT <= alignment <= VERA_POOL_MAX_ALIGNMENT;

  // A pool with blocks has a valid alignment, its block size is a multiple of it and the address
  // of its first block too (vera_pool_init_aligned checks the address): so every block starts at
  // a multiple of it. (A zero-initialised pool has no blocks and alignment 0.)
  predicate vera_pool_aligned(char *base, integer block_size, integer block_count,
                              integer alignment) =
      block_count > 0 ==>
          vera_pool_alignment_valid(alignment) && block_size % alignment == 0 &&
          vera_address_aligned(base, alignment);

  // Block b is allocated: its position lies beyond the free part of the order.
  predicate vera_pool_used{L}(vera_pool_index_t *position, integer free_count, integer b) =
      position[b] >= free_count;

  // Blocks a and b (of block_size bytes, from base) share no byte.
  predicate vera_pool_separated_blocks(char *base, integer block_size, integer a, integer b) =
      \separated(base + a * block_size + (0 .. block_size - 1),
                 base + b * block_size + (0 .. block_size - 1));

  // p points to some byte of some block (used or free): it points into the same object as base,
  // at an offset below capacity.
  predicate vera_pool_in_range(char *base, integer capacity, char *p) =
      \base_addr(p) == \base_addr(base) && 0 <= p - base < capacity;

  // p points to the first byte of a block: in range, at a multiple of the block size.
  predicate vera_pool_at_start(char *base, integer block_size, integer capacity, char *p) =
      vera_pool_in_range(base, capacity, p) && (p - base) % block_size == 0;
*/



/* The predicates applied to a pool's fields (see "How it is written" above). */

/* The pool invariant: holds for a zero-initialised pool and after a successful vera_pool_init,
 * and every function of the pool preserves it. */
#define vera_pool_well_formed(pool)                                                                \
    (vera_pool_memory((pool), (pool)->base, (pool)->capacity, (pool)->free_order,                  \
                      (pool)->block_position, (pool)->block_count) &&                              \
     vera_pool_shape((pool)->block_size, (pool)->block_count, (pool)->capacity,                    \
                     (pool)->free_count, (pool)->peak_used) &&                                     \
     vera_pool_permutation((pool)->free_order, (pool)->block_position, (pool)->block_count) &&     \
     VERA_POOL_ALIGNED(pool))

/* The pool's fields are sane and its memory valid and separated, whatever the metadata arrays
 * hold: what alloc and free need to stay inside the buffer and the metadata even when a stray
 * write of the application has changed some metadata entry (their `corrupted_metadata`
 * behaviors). A well-formed pool is sane. */
#define vera_pool_sane(pool)                                                                       \
    (vera_pool_memory((pool), (pool)->base, (pool)->capacity, (pool)->free_order,                  \
                      (pool)->block_position, (pool)->block_count) &&                              \
     vera_pool_shape((pool)->block_size, (pool)->block_count, (pool)->capacity,                    \
                     (pool)->free_count, (pool)->peak_used) &&                                     \
     VERA_POOL_ALIGNED(pool))

/* The metadata arrays hold a permutation and its inverse: with vera_pool_sane, the invariant. */
#define vera_pool_intact(pool)                                                                     \
    vera_pool_permutation((pool)->free_order, (pool)->block_position, (pool)->block_count)

/* The pool's alignment facts (vera_pool_aligned) on its fields. */
#define VERA_POOL_ALIGNED(pool)                                                                    \
    vera_pool_aligned((pool)->base, (pool)->block_size, (pool)->block_count, (pool)->alignment)

/* Block b of the pool is allocated. */
#define VERA_POOL_BLOCK_USED(pool, b)                                                              \
    vera_pool_used((pool)->block_position, (pool)->free_count, (b))

/* The first byte of block b. */
#define VERA_POOL_BLOCK(pool, b) ((pool)->base + (b) * (pool)->block_size)

/* p points into one of the pool's blocks / to the first byte of one; the index of its block
 * (a macro rather than a logic function, so that WP's simplifier computes it). */
#define VERA_POOL_IN_BLOCKS(pool, p) vera_pool_in_range((pool)->base, (pool)->capacity, (p))
#define VERA_POOL_AT_BLOCK_START(pool, p)                                                          \
    vera_pool_at_start((pool)->base, (pool)->block_size, (pool)->capacity, (p))
#define VERA_POOL_INDEX(pool, p) (((p) - (pool)->base) / (pool)->block_size)

/* Number of blocks in use. */
#define VERA_POOL_USED_COUNT(pool) ((pool)->block_count - (pool)->free_count)

/*
 * Named clauses: what several contracts state, written once. Macros over the pool's fields, like
 * the ones above (and for the same reason: a logic predicate over the whole pool would make WP
 * unfold and re-prove it after every write). Each is named after the requirement it states
 * (docs/requirements.md cites the labels the contracts give them). `p` is a char pointer; \old
 * and Pre refer to the state before the call of the function whose postcondition uses them.
 */

/* Every block other than block b is used after the call exactly when it was used before. */
#define vera_pool_other_blocks_unchanged(pool, b)                                                  \
    (\forall integer other; 0 <= other < (pool)->block_count && other != (b) ==>                   \
         (VERA_POOL_BLOCK_USED(pool, other) <==> \at(VERA_POOL_BLOCK_USED(pool, other), Pre)))

/* p is the first byte of a block that was free before the call and is used now, and no other
 * block changed state. */
#define vera_pool_hands_out_a_free_block(pool, p)                                                  \
    (VERA_POOL_AT_BLOCK_START(pool, p) &&                                                          \
     (\let b = VERA_POOL_INDEX(pool, p);                                                          \
      0 <= b < (pool)->block_count && (p) == VERA_POOL_BLOCK(pool, b) &&                           \
      !\at(VERA_POOL_BLOCK_USED(pool, b), Pre) && VERA_POOL_BLOCK_USED(pool, b)) &&                \
     vera_pool_other_blocks_unchanged(pool, VERA_POOL_INDEX(pool, p)))

/* The block at p lies inside the pool's blocks and is writable for the full block size. */
#define vera_pool_block_in_bounds(pool, p)                                                         \
    ((p) - (pool)->base + (pool)->block_size <= (pool)->capacity &&                                \
     \valid((p) + (0 .. (pool)->block_size - 1)))

/* Whatever the metadata holds, the block at p is one of the pool's blocks: p is a block start,
 * and the block lies inside the blocks. */
#define vera_pool_block_contained(pool, p)                                                         \
    (VERA_POOL_AT_BLOCK_START(pool, p) && vera_pool_block_in_bounds(pool, p))

/* The block at p is aligned to the pool's alignment: its offset from base, and (base being
 * aligned) its address; and so its address to VERA_ALIGNMENT too. */
#define vera_pool_block_aligned(pool, p)                                                           \
    (((p) - (pool)->base) % (pool)->alignment == 0 &&                                              \
     vera_address_aligned(p, (pool)->alignment) && vera_address_aligned(p, VERA_ALIGNMENT))

/* The block at p shares no byte with any other used block, nor with the pool and its metadata. */
#define vera_pool_block_separated(pool, p)                                                         \
    ((\forall integer b; 0 <= b < (pool)->block_count && VERA_POOL_BLOCK_USED(pool, b) &&          \
          b != VERA_POOL_INDEX(pool, p) ==>                                                        \
          vera_pool_separated_blocks((pool)->base, (pool)->block_size, VERA_POOL_INDEX(pool, p), b)) && \
     \separated((p) + (0 .. (pool)->block_size - 1), pool,                                         \
                (pool)->free_order + (0 .. (pool)->block_count - 1),                               \
                (pool)->block_position + (0 .. (pool)->block_count - 1)))

/* A successful allocation: one block fewer is free, the peak covers the blocks now used, no
 * failure is counted. */
#define vera_pool_allocation_counted(pool)                                                         \
    ((pool)->free_count == \old((pool)->free_count) - 1 &&                                         \
     (pool)->peak_used == \max(\old((pool)->peak_used), VERA_POOL_USED_COUNT(pool)) &&             \
     (pool)->failed_requests == \old((pool)->failed_requests))

/* The free count and both metadata arrays are as they were before the call. */
#define vera_pool_metadata_unchanged(pool)                                                         \
    ((pool)->free_count == \old((pool)->free_count) &&                                              \
     (\forall integer k; 0 <= k < (pool)->block_count ==>                                          \
          (pool)->free_order[k] == \old((pool)->free_order[k]) &&                                   \
          (pool)->block_position[k] == \old((pool)->block_position[k])))

/* A failed allocation: the failed-request counter grows by one, saturating at SIZE_MAX, and
 * nothing else changes. */
#define vera_pool_failure_counted(pool)                                                            \
    ((pool)->failed_requests == vera_saturating_increment(\old((pool)->failed_requests)) &&       \
     (pool)->free_count == \old((pool)->free_count) && (pool)->peak_used == \old((pool)->peak_used))

/* The checks of vera_pool_init_aligned (and vera_pool_init, with VERA_ALIGNMENT), in their order
 * (the header's error table): the three pointers given; the alignment and the sizes usable
 * (alignment valid, block size roundable to it, count in range, buffer and metadata large
 * enough); buffer and metadata aligned; the pool, the blocks and the metadata entries the pool
 * will use at disjoint addresses. */
#define vera_pool_init_arguments_given(pool, buffer, metadata)                                     \
    ((pool) != \null && (buffer) != \null && (metadata) != \null)
#define vera_pool_init_sizes_valid(buffer_size, block_size, block_count, alignment,                \
                                   metadata_entries)                                               \
    (vera_pool_alignment_valid(alignment) &&                                                       \
     0 < (block_size) <= SIZE_MAX - ((alignment) - 1) &&                                           \
     0 < (block_count) <= VERA_POOL_MAX_BLOCKS &&                                                  \
     (block_count) <= (buffer_size) / vera_round_up_to(block_size, alignment) &&                   \
     (metadata_entries) >= 2 * (block_count))
#define vera_pool_init_storage_aligned(buffer, alignment, metadata)                                \
    ((uintptr_t)(buffer) % (alignment) == 0 &&                                                     \
     (uintptr_t)(metadata) % sizeof(vera_pool_index_t) == 0)
#define vera_pool_init_storage_overlaps(pool, buffer, block_size, block_count, alignment, metadata) \
    (vera_address_ranges_overlap((uintptr_t)(pool), sizeof(vera_pool_t), (uintptr_t)(buffer),      \
                                 vera_round_up_to(block_size, alignment) * (block_count)) ||       \
     vera_address_ranges_overlap((uintptr_t)(pool), sizeof(vera_pool_t), (uintptr_t)(metadata),    \
                                 2 * (block_count) * sizeof(vera_pool_index_t)) ||                 \
     vera_address_ranges_overlap((uintptr_t)(metadata),                                            \
                                 2 * (block_count) * sizeof(vera_pool_index_t),                    \
                                 (uintptr_t)(buffer),                                              \
                                 vera_round_up_to(block_size, alignment) * (block_count)))

/* A refused init changed neither the pool nor the metadata (stated as a postcondition, besides the
 * `assigns \nothing` of each refusal, so that vera_pool_init, which calls vera_pool_init_aligned,
 * can prove it too: a caller sees only the callee's assigns outside its behaviors). */
#define vera_pool_init_changed_nothing(pool, metadata, metadata_entries)                           \
    (((pool) != \null ==> *(pool) == \old(*(pool))) &&                                              \
     ((metadata) != \null ==> vera_pool_metadata_kept(metadata, 0, metadata_entries)))

/* The metadata entries from `first` up to `end` are as they were before the call (a successful
 * init writes only the first 2 * block_count; stated as a postcondition for the same reason). */
#define vera_pool_metadata_kept(metadata, first, end)                                              \
    (\forall integer k; (first) <= k < (end) ==> (metadata)[k] == \old((metadata)[k]))

/* Every argument check of vera_pool_init_aligned passes (what remains is the state of the pool). */
#define vera_pool_init_arguments_valid(pool, buffer, buffer_size, block_size, block_count,         \
                                       alignment, metadata, metadata_entries)                      \
    (vera_pool_init_arguments_given(pool, buffer, metadata) &&                                     \
     vera_pool_init_sizes_valid(buffer_size, block_size, block_count, alignment,                   \
                                metadata_entries) &&                                               \
     vera_pool_init_storage_aligned(buffer, alignment, metadata) &&                                \
     !vera_pool_init_storage_overlaps(pool, buffer, block_size, block_count, alignment, metadata))

/* What vera_pool_check may read, whatever the counters hold: the pool object, and the two
 * metadata arrays for the block count the pool states (when that count is in range and the
 * pointers are not NULL); its pointers hold pointer values (NULL, or into some object). A
 * corrupted pool whose array pointers are NULL or still point to its metadata satisfies it. */
#define vera_pool_readable(pool)                                                                   \
    (\valid_read(pool) && \object_pointer((pool)->base) &&                                         \
     \object_pointer((pool)->free_order) && \object_pointer((pool)->block_position) &&              \
     ((pool)->block_count <= VERA_POOL_MAX_BLOCKS && (pool)->free_order != \null &&                \
      (pool)->block_position != \null ==>                                                          \
          \valid_read((pool)->free_order + (0 .. (pool)->block_count - 1)) &&                      \
          \valid_read((pool)->block_position + (0 .. (pool)->block_count - 1))))

#endif /* VERALLOC_SPECS_POOL_LOGIC_H */
