/*
 * veralloc pool: fixed-size blocks with constant-time alloc and free.
 *
 * The algorithm. The pool's metadata is two arrays of block_count indices, kept outside the
 * blocks (the two halves of the caller's metadata array):
 *   - free_order holds every block index exactly once; its first free_count entries are the
 *     free blocks (a stack whose top is free_order[free_count - 1]), the rest are the used blocks;
 *   - block_position is the inverse permutation: free_order[block_position[b]] == b.
 * So block b is used exactly when block_position[b] >= free_count, and the pool knows the state
 * of every block without looking into any block.
 *
 * alloc pops the top of the stack: free_count - 1. The block at that position is now beyond the
 * free part, i.e. used; no array changes, no other block's state changes.
 * free(p) turns p into a block index with one division (rejecting pointers outside the blocks or
 * not at a block start), looks up its position (rejecting a block that is already free, in the
 * free part), and swaps it with the first used entry, free_order[free_count]; then free_count
 * grows by one so the block is in the free part. The swap keeps the two arrays inverse to each
 * other, and moves only one other (used) block within the used part.
 * Both are constant time: no loop, no search. Only init loops, to write the starting permutation.
 *
 * The metadata lives in the application's memory, where a stray write can reach it. So alloc and
 * free check every index they read from it before using it (below block_count, and the other
 * array agreeing at that entry); a bad one refuses the call (alloc: NULL, counted as a failed
 * request; free: VERA_ERROR_CORRUPTED) and changes nothing. Whatever the arrays hold, neither
 * writes outside the pool's fields and metadata entries (nor, for alloc_zeroed, outside the
 * block returned, which lies in the buffer): the `corrupted_metadata` behaviors, proved under
 * vera_pool_sane, which says nothing about the arrays' contents.
 *
 * Alignment is reasoned about as an offset: base is checked to be aligned to the pool's alignment
 * at init, and every block starts at a multiple of block_size, itself a multiple of that
 * alignment (a power of two at least VERA_ALIGNMENT, so the blocks are VERA_ALIGNMENT-aligned
 * too). vera_pool_init is vera_pool_init_aligned with VERA_ALIGNMENT.
 *
 * Deciding whether a foreign pointer belongs to the pool compares addresses of possibly
 * different objects, which C's relational operators do not define. pool_offset_in_blocks does it
 * on uintptr_t values (defined C; the mapping is implementation-defined and is the flat address
 * on every target veralloc supports) and is the only code whose contract is trusted rather than
 * proved (docs/proofs.md, trusted base). It never turns an integer back into a pointer: the
 * block pointer handed back is always computed as base + index * block_size.
 *
 * Freestanding C99: no libc, no dynamic allocation.
 */
#include "veralloc/pool.h"

#include "veralloc/lock.h"
#include "vera_internal.h"

#include <stdint.h>

/* The distance below converts uintptr_t to size_t: both are the address width on every target;
 * a target where uintptr_t is wider would lose the high bits of a foreign pointer's distance. */
VERA_STATIC_ASSERT(pool_address_fits_size_t, UINTPTR_MAX <= SIZE_MAX);

/*
 * The distance in bytes from `base` up to `pointer`, computed on addresses: it is below `size`
 * exactly when `pointer` points into the `size` bytes at `base`. A pointer before `base` gives
 * a distance that wraps around to at least `size` (the range [base, base + size) fits in the
 * address space); a pointer after the range, or into another object, gives at least `size`.
 * One subtraction, so that free's ownership check is a single comparison.
 *
 * TRUSTED (docs/proofs.md, trusted base, "address comparison across objects"): WP does not
 * prove this body (the Bazel target proofs:pool_proof skips it with -wp-skip-fct, as it skips
 * mira_mem's wrappers of indirect calls); its callers are proved against the contract. WP's
 * memory model cannot state it: it gives the integer value of a pointer no link to the pointer's
 * object and offset. The body converts both pointers to uintptr_t, which C defines, and
 * subtracts integers (unsigned: wrap-around is defined). The contract holds on a flat address
 * space where converting a pointer to uintptr_t gives its address, consecutive bytes of an
 * object have consecutive addresses, and distinct objects occupy disjoint address ranges: true
 * of Cortex-M, x86 and AArch64 with GCC and Clang. Unit tests and the pool fuzzer exercise both
 * outcomes with pointers into the pool, before and after it, into other objects and into the
 * same buffer beyond the pool's blocks.
 */
/*@
  assigns \nothing;
  ensures inside: vera_pool_in_range((char *)base, size, (char *)pointer) ==>
      \result < size && (char *)pointer == base + \result;
  ensures outside: !vera_pool_in_range((char *)base, size, (char *)pointer) ==> \result >= size;
*/
static size_t pool_offset_in_blocks(const char *base, size_t size, const void *pointer)
{
    (void)size; /* only the contract reads it */
    return (size_t)((uintptr_t)pointer - (uintptr_t)base);
}

/*
 * Lemma functions: ghost code (inside annotations, never compiled), each stating one arithmetic
 * fact about block offsets. WP proves each once (from its contract, helped by the proof-step
 * assertions some bodies hold), and every ghost call instantiates the fact at exactly the terms
 * where it is needed. The facts
 * multiply two variables (an index and the block size): hard for the SMT solvers inside a large
 * goal, easy in isolation. As global ACSL lemmas they would be offered to every goal and made
 * the solvers time out (tried).
 */
/*@ ghost
  /@ requires block < count;
     assigns \nothing;
     ensures block * size + size <= count * size; @/
  static void pool_lemma_block_fits(size_t block, size_t count, size_t size) {}

  /@ requires 0 < size;
     assigns \nothing;
     ensures (block * size) % size == 0; @/
  static void pool_lemma_offset_is_multiple(size_t block, size_t size)
  {
      /@ assert (block * size) / size * size + (block * size) % size == block * size; @/
  }

  /@ requires 0 < size;
     assigns \nothing;
     ensures (block * size) / size == block; @/
  static void pool_lemma_offset_quotient(size_t block, size_t size)
  {
      /@ assert (block * size) / size * size + (block * size) % size == block * size; @/
  }

  /@ requires 0 < divisor;
     assigns \nothing;
     ensures (divisor * factor) % divisor == 0; @/
  static void pool_lemma_product_is_multiple(size_t factor, size_t divisor) {}

  /@ requires 0 < divisor && first % divisor == 0 && second % divisor == 0;
     assigns \nothing;
     ensures (first + second) % divisor == 0; @/
  static void pool_lemma_sum_is_multiple(uintptr_t first, size_t second, size_t divisor) {}

  /@ requires 0 < alignment && 0 < size && size % alignment == 0 && block * size <= SIZE_MAX;
     assigns \nothing;
     ensures (block * size) % alignment == 0; @/
  static void pool_lemma_offset_aligned(size_t block, size_t size, size_t alignment)
  {
      /@ assert size == alignment * (size / alignment); @/
      /@ assert block * size == alignment * (block * (size / alignment)); @/
      pool_lemma_product_is_multiple(block * (size / alignment), alignment);
  }

  /@ requires 0 < size;
     assigns \nothing;
     ensures \forall integer other; 0 <= other && other != block ==>
         vera_pool_separated_blocks(base, size, block, other); @/
  static void pool_lemma_blocks_disjoint(char *base, size_t block, size_t size)
  {
      /@ assert below: \forall integer other; 0 <= other < block ==>
             other * size + size <= block * size; @/
      /@ assert above: \forall integer other; block < other ==>
             block * size + size <= other * size; @/
      /@ assert separated_below: \forall integer other; 0 <= other < block ==>
             vera_pool_separated_blocks(base, size, block, other); @/
      /@ assert separated_above: \forall integer other; block < other ==>
             vera_pool_separated_blocks(base, size, block, other); @/
  }

  /@ requires 0 < size && offset < count * size;
     assigns \nothing;
     ensures offset / size < count; @/
  static void pool_lemma_index_in_range(size_t offset, size_t count, size_t size) {}

  /@ requires \valid(order + (0 .. count - 1)) && \valid(position + (0 .. count - 1));
     requires \forall integer k; 0 <= k < count ==> order[k] == count - 1 - k;
     requires \forall integer b; 0 <= b < count ==> position[b] == count - 1 - b;
     assigns \nothing;
     ensures vera_pool_permutation(order, position, count); @/
  static void pool_lemma_reversal_is_permutation(vera_pool_index_t *order,
                                                 vera_pool_index_t *position, size_t count) {}

  /@ requires vera_pool_alignment_valid(alignment) && vera_address_aligned(base, alignment);
     requires 0 <= offset && offset % alignment == 0;
     assigns \nothing;
     ensures vera_address_aligned(base + offset, alignment); @/
  static void pool_lemma_block_address_aligned(char *base, size_t offset, size_t alignment)
  {
      pool_lemma_sum_is_multiple((uintptr_t)base, offset, alignment);
      /@ assert vera_is_power_of_two(alignment) && alignment <= UINTPTR_MAX; @/
  }

  /@ requires vera_pool_alignment_valid(alignment) && vera_address_aligned(p, alignment);
     assigns \nothing;
     ensures vera_address_aligned(p, VERA_ALIGNMENT); @/
  static void pool_lemma_default_alignment_follows(char *p, size_t alignment)
  {
      /@ assert alignment % VERA_ALIGNMENT == 0; @/
      /@ assert alignment == VERA_ALIGNMENT * (alignment / VERA_ALIGNMENT); @/
      /@ assert (uintptr_t)p == alignment * ((uintptr_t)p / alignment); @/
      /@ assert (uintptr_t)p ==
                VERA_ALIGNMENT * ((alignment / VERA_ALIGNMENT) * ((uintptr_t)p / alignment)); @/
  }

  /@ requires 0 < size && count <= bytes / size;
     assigns \nothing;
     ensures count * size <= bytes; @/
  static void pool_lemma_quotient_fits(size_t count, size_t bytes, size_t size) {}
*/

/* The pool object, its blocks and its metadata entries overlap in memory (vera_pool_init
 * rejects that: the first block handed out would be the pool's own state; vera_ranges_overlap
 * compares by address). */
/*@
  requires blocks_size > 0 && metadata_size > 0;
  assigns \nothing;
  ensures \result <==>
      vera_address_ranges_overlap((uintptr_t)pool, sizeof(vera_pool_t), (uintptr_t)buffer,
                                  blocks_size) ||
      vera_address_ranges_overlap((uintptr_t)pool, sizeof(vera_pool_t), (uintptr_t)metadata,
                                  metadata_size) ||
      vera_address_ranges_overlap((uintptr_t)metadata, metadata_size, (uintptr_t)buffer,
                                  blocks_size);
*/
static bool pool_storage_overlaps(const vera_pool_t *pool, const void *buffer, size_t blocks_size,
                                  const vera_pool_index_t *metadata, size_t metadata_size)
{
    uintptr_t pool_address = (uintptr_t)pool;
    uintptr_t metadata_address = (uintptr_t)metadata;

    return vera_ranges_overlap(pool_address, sizeof(vera_pool_t), (uintptr_t)buffer, blocks_size) ||
           vera_ranges_overlap(pool_address, sizeof(vera_pool_t), metadata_address, metadata_size) ||
           vera_ranges_overlap(metadata_address, metadata_size, (uintptr_t)buffer, blocks_size);
}

vera_status_t vera_pool_init(vera_pool_t *pool, void *buffer, size_t buffer_size, size_t block_size,
                             size_t block_count, vera_pool_index_t *metadata,
                             size_t metadata_entries)
{
    return vera_pool_init_aligned(pool, buffer, buffer_size, block_size, block_count,
                                  VERA_ALIGNMENT, metadata, metadata_entries);
}

vera_status_t vera_pool_init_aligned(vera_pool_t *pool, void *buffer, size_t buffer_size,
                                     size_t block_size, size_t block_count, size_t alignment,
                                     vera_pool_index_t *metadata, size_t metadata_entries)
{
    size_t rounded_size;
    size_t index;
    vera_lock_state_t lock;

    if ((pool == NULL) || (buffer == NULL) || (metadata == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    if (!vera_is_power_of_two_size(alignment) || (alignment < VERA_ALIGNMENT) ||
        (alignment > VERA_POOL_MAX_ALIGNMENT)) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if ((block_size == 0u) || (block_size > VERA_MAX_ROUNDABLE_SIZE(alignment)) || (block_count == 0u) ||
        (block_count > VERA_POOL_MAX_BLOCKS)) {
        return VERA_ERROR_INVALID_SIZE;
    }
    rounded_size = vera_round_up_size(block_size, alignment);
    /* A division rather than rounded_size * block_count, which could wrap around; 2 * block_count
     * cannot (block_count <= VERA_POOL_MAX_BLOCKS). */
    if ((block_count > (buffer_size / rounded_size)) || (metadata_entries < (2u * block_count))) {
        return VERA_ERROR_INVALID_SIZE;
    }
    /*@ ghost pool_lemma_quotient_fits(block_count, buffer_size, rounded_size); */
    if ((((uintptr_t)buffer % alignment) != 0u) ||
        (((uintptr_t)metadata % sizeof(vera_pool_index_t)) != 0u)) {
        return VERA_ERROR_MISALIGNED;
    }
    if (pool_storage_overlaps(pool, buffer, rounded_size * block_count, metadata,
                              2u * block_count * sizeof(vera_pool_index_t))) {
        return VERA_ERROR_OVERLAP;
    }
    lock = vera_lock_acquire();
    if (pool->free_count < pool->block_count) {
        /* Blocks are in use: starting afresh would hand them out a second time. */
        return vera_lock_release_status(lock, VERA_ERROR_IN_USE);
    }

    /* The starting permutation reverses the indices, so that the top of the free stack is
     * block 0 and the first allocations return the blocks in address order. Reversal is its
     * own inverse: both halves of the metadata get the same contents. */
    /*@
      loop invariant 0 <= index <= block_count;
      loop invariant \forall integer k; 0 <= k < index ==> metadata[k] == block_count - 1 - k;
      loop invariant \forall integer j; block_count <= j < block_count + index ==>
          metadata[j] == 2 * block_count - 1 - j;
      loop assigns index, metadata[0 .. 2 * block_count - 1];
      loop variant block_count - index;
    */
    for (index = 0u; index < block_count; index++) {
        metadata[index] = (vera_pool_index_t)(block_count - 1u - index);
        metadata[block_count + index] = (vera_pool_index_t)(block_count - 1u - index);
    }
    /*@ ghost pool_lemma_reversal_is_permutation(metadata, metadata + block_count, block_count); */

    pool->base = (char *)buffer;
    pool->block_size = rounded_size;
    pool->alignment = alignment;
    pool->block_count = block_count;
    pool->capacity = rounded_size * block_count;
    pool->free_order = metadata;
    pool->block_position = metadata + block_count;
    pool->free_count = block_count;
    pool->peak_used = 0u;
    pool->failed_requests = 0u;
    /* Proof steps: the invariant, one part at a time (as one goal it is too large for the
     * provers). */
    /*@ assert vera_pool_shape(pool->block_size, pool->block_count, pool->capacity,
                               pool->free_count, pool->peak_used); */
    /*@ assert vera_pool_memory(pool, pool->base, pool->capacity, pool->free_order,
                                pool->block_position, pool->block_count); */
    /*@ assert vera_pool_permutation(pool->free_order, pool->block_position, pool->block_count); */
    vera_lock_release(lock);
    return VERA_OK;
}

/* Records an allocation that fails (no free block, or corrupted metadata): only the
 * diagnostics change. */
/*@
  requires \valid(pool);
  assigns pool->failed_requests;
  ensures vera_pool_failure_counted(pool);
*/
static void pool_count_failure(vera_pool_t *pool)
{
    pool->failed_requests = vera_saturating_increment_size(pool->failed_requests);
}

/*
 * The common path of both allocation functions: pops the top of the free stack. The index read
 * from the metadata is checked before it is used (below block_count, and block_position agrees
 * that the block sits on top): a stray write of the application into the metadata then makes
 * this return NULL, changing nothing, instead of handing out memory outside the blocks.
 */
/*@
  requires vera_pool_sane(pool) && pool->free_count > 0;
  assigns pool->free_count, pool->peak_used;

  behavior intact:
    assumes vera_pool_intact(pool);
    ensures vera_pool_well_formed(pool);
    ensures vera_pool_hands_out_a_free_block(pool, \result);
    ensures vera_pool_block_in_bounds(pool, \result);
    ensures vera_pool_block_aligned(pool, \result);
    ensures vera_pool_block_separated(pool, \result);
    ensures vera_pool_allocation_counted(pool);
  behavior corrupted:
    assumes !vera_pool_intact(pool);
    ensures vera_pool_sane(pool);
    ensures \result == \null ==>
        pool->free_count == \old(pool->free_count) && pool->peak_used == \old(pool->peak_used);
    ensures \result != \null ==> vera_pool_block_contained(pool, \result);
  complete behaviors;
  disjoint behaviors;
*/
static char *pool_take(vera_pool_t *pool)
{
    size_t top = pool->free_count - 1u;
    size_t block = pool->free_order[top];
    size_t used;
    size_t peak;

    if ((block >= pool->block_count) || (pool->block_position[block] != top)) {
        return NULL; /* corrupted metadata */
    }
    pool->free_count = top;
    /*@ ghost pool_lemma_block_fits(block, pool->block_count, pool->block_size); */
    /*@ ghost pool_lemma_offset_is_multiple(block, pool->block_size); */
    /*@ ghost pool_lemma_offset_quotient(block, pool->block_size); */
    /*@ ghost pool_lemma_offset_aligned(block, pool->block_size, pool->alignment); */
    /*@ ghost pool_lemma_blocks_disjoint(pool->base, block, pool->block_size); */
    /*@ ghost pool_lemma_block_address_aligned(pool->base, block * pool->block_size,
                                               pool->alignment); */
    /*@ ghost pool_lemma_default_alignment_follows(pool->base + block * pool->block_size,
                                                   pool->alignment); */
    used = pool->block_count - pool->free_count;
    peak = pool->peak_used;
    if (used > peak) {
        peak = used; /* a conditional move on Cortex-M3, not a branch */
    }
    pool->peak_used = peak;
    return pool->base + (block * pool->block_size);
}

void *vera_pool_alloc(vera_pool_t *pool)
{
    char *block;
    vera_lock_state_t lock;

    if (pool == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    /* No free block (also the zero-initialised pool, which has no blocks), or corrupted
     * metadata: the request fails and is counted. */
    block = (pool->free_count == 0u) ? NULL : pool_take(pool);
    if (block == NULL) {
        pool_count_failure(pool);
    }
    return vera_lock_release_pointer(lock, block);
}

void *vera_pool_alloc_zeroed(vera_pool_t *pool)
{
    /* The lock is released when vera_pool_alloc returns: the block is the caller's from there
     * on, and clearing it lets interrupts (or threads) in. */
    char *block;

    if (pool == NULL) {
        return NULL;
    }
    block = (char *)vera_pool_alloc(pool);
    if (block != NULL) {
        size_t index;
        /*@
          loop invariant 0 <= index <= pool->block_size;
          loop invariant \forall integer i; 0 <= i < index ==> block[i] == 0;
          loop assigns index, block[0 .. pool->block_size - 1];
          loop variant pool->block_size - index;
        */
        for (index = 0u; index < pool->block_size; index++) {
            block[index] = 0;
        }
    }
    return block;
}

/*
 * The heart of free: moves `block`, used, into the free part of the order by swapping it with
 * the first used entry, at position free_count (the caller then increments free_count). Only
 * that other entry moves, and it stays in the used part. A function of its own so that its proof
 * sees only the two arrays: the provers then need about a second for it. The caller has checked
 * the entries it touches (indices in range, the two arrays agreeing there), so it writes inside
 * the arrays whatever the rest of them holds.
 */
/*@
  requires 0 < count <= VERA_POOL_MAX_BLOCKS;
  requires \valid(order + (0 .. count - 1)) && \valid(position + (0 .. count - 1));
  requires \separated(order + (0 .. count - 1), position + (0 .. count - 1));
  requires block < count && free_count <= position[block] < count && order[position[block]] == block;
  requires free_count < count && order[free_count] < count && position[order[free_count]] == free_count;
  assigns order[0 .. count - 1], position[0 .. count - 1];

  behavior intact:
    assumes vera_pool_permutation(order, position, count);
    ensures vera_pool_permutation(order, position, count);
    ensures position[block] == free_count;
    ensures \forall integer b; 0 <= b < count && b != block ==>
        (position[b] >= free_count + 1 <==> \old(position[b]) >= free_count);
  behavior corrupted:
    assumes !vera_pool_permutation(order, position, count);
  complete behaviors;
  disjoint behaviors;
*/
static void pool_move_to_free_part(vera_pool_index_t *order, vera_pool_index_t *position,
                                   size_t count, size_t free_count, size_t block)
{
    size_t block_place = position[block];
    size_t displaced = order[free_count];

    (void)count; /* only the contract reads it */
    order[block_place] = (vera_pool_index_t)displaced;
    position[displaced] = (vera_pool_index_t)block_place;
    order[free_count] = (vera_pool_index_t)block;
    position[block] = (vera_pool_index_t)free_count;
}

vera_status_t vera_pool_free(vera_pool_t *pool, void *block)
{
    size_t offset;
    size_t index;
    size_t position;
    size_t displaced;
    vera_lock_state_t lock;

    if (pool == NULL) {
        return VERA_ERROR_NULL_POINTER;
    }
    if (block == NULL) {
        return VERA_OK;
    }
    lock = vera_lock_acquire();
    offset = pool_offset_in_blocks(pool->base, pool->capacity, block);
    if (offset >= pool->capacity) {
        return vera_lock_release_status(lock, VERA_ERROR_NOT_OWNED);
    }
    /*@ assert (char *)block == pool->base + offset; */
    if ((offset % pool->block_size) != 0u) {
        return vera_lock_release_status(lock, VERA_ERROR_NOT_BLOCK_START);
    }
    /*@ ghost pool_lemma_index_in_range(offset, pool->block_count, pool->block_size); */
    index = offset / pool->block_size;
    /* Every index read from the metadata is checked before it is used (in range, and the two
     * arrays agreeing at the entries touched), so a stray write into the metadata can make free
     * fail, never write outside the metadata. */
    position = pool->block_position[index];
    if ((position >= pool->block_count) || (pool->free_order[position] != index)) {
        return vera_lock_release_status(lock, VERA_ERROR_CORRUPTED);
    }
    if (position < pool->free_count) {
        return vera_lock_release_status(lock, VERA_ERROR_DOUBLE_FREE);
    }
    displaced = pool->free_order[pool->free_count];
    if ((displaced >= pool->block_count) || (pool->block_position[displaced] != pool->free_count)) {
        return vera_lock_release_status(lock, VERA_ERROR_CORRUPTED);
    }
    pool_move_to_free_part(pool->free_order, pool->block_position, pool->block_count,
                           pool->free_count, index);
    pool->free_count++;
    /* Proof steps: the invariant in two parts (as one goal it is too large for the provers). */
    /*@ assert vera_pool_sane(pool); */
    /*@ assert \at(vera_pool_intact(pool), Pre) ==> vera_pool_intact(pool); */
    vera_lock_release(lock);
    return VERA_OK;
}

bool vera_pool_owns(const vera_pool_t *pool, const void *pointer)
{
    if ((pool == NULL) || (pointer == NULL)) {
        return false;
    }
    return pool_offset_in_blocks(pool->base, pool->capacity, pointer) < pool->capacity;
}

size_t vera_pool_block_size(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->block_size;
}

size_t vera_pool_alignment(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->alignment;
}

size_t vera_pool_block_count(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->block_count;
}

size_t vera_pool_blocks_free(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->free_count;
}

size_t vera_pool_blocks_used(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : (pool->block_count - pool->free_count);
}

size_t vera_pool_peak_used(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->peak_used;
}

size_t vera_pool_failed_requests(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->failed_requests;
}

vera_status_t vera_pool_get_stats(const vera_pool_t *pool, vera_pool_stats_t *stats)
{
    vera_lock_state_t lock;

    if ((pool == NULL) || (stats == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    lock = vera_lock_acquire();
    stats->block_size = pool->block_size;
    stats->block_count = pool->block_count;
    stats->blocks_free = pool->free_count;
    stats->blocks_used = pool->block_count - pool->free_count;
    stats->peak_used = pool->peak_used;
    stats->failed_requests = pool->failed_requests;
    vera_lock_release(lock);
    return VERA_OK;
}

/* The counters and sizes of vera_pool_check (header): each in range, and consistent. */
/*@
  requires \valid_read(pool);
  assigns \nothing;
  ensures vera_pool_shape(pool->block_size, pool->block_count, pool->capacity, pool->free_count,
                          pool->peak_used) ==> \result == \true;
  ensures \result == \true ==> pool->free_count <= pool->block_count <= VERA_POOL_MAX_BLOCKS;
*/
static bool pool_counters_valid(const vera_pool_t *pool)
{
    size_t count = pool->block_count;

    if ((count > VERA_POOL_MAX_BLOCKS) || (pool->free_count > count) || (pool->peak_used > count) ||
        (pool->peak_used < (count - pool->free_count))) {
        return false;
    }
    if (count == 0u) {
        return pool->capacity == 0u;
    }
    /*@ ghost pool_lemma_offset_quotient(pool->block_size, count); */
    /*@ ghost pool_lemma_offset_is_multiple(pool->block_size, count); */
    return (pool->block_size != 0u) && ((pool->capacity % count) == 0u) &&
           ((pool->capacity / count) == pool->block_size);
}

/* The alignment of vera_pool_check (header): when the pool has blocks, its alignment is one init
 * accepts, and the block size and the address of the first block are multiples of it. */
/*@
  requires \valid_read(pool) && \object_pointer(pool->base);
  assigns \nothing;
  ensures VERA_POOL_ALIGNED(pool) ==> \result == \true;
*/
static bool pool_alignment_valid(const vera_pool_t *pool)
{
    size_t alignment = pool->alignment;

    if (pool->block_count == 0u) {
        return true;
    }
    return vera_is_power_of_two_size(alignment) && (alignment >= VERA_ALIGNMENT) &&
           (alignment <= VERA_POOL_MAX_ALIGNMENT) && ((pool->block_size % alignment) == 0u) &&
           (((uintptr_t)pool->base % alignment) == 0u);
}

/* The metadata entry at `place` of the order (place < count) names a block below count whose
 * position is `place`: the two arrays agree there. */
/*@
  requires place < count <= VERA_POOL_MAX_BLOCKS;
  requires \valid_read(order + (0 .. count - 1)) && \valid_read(position + (0 .. count - 1));
  assigns \nothing;
  ensures vera_pool_permutation(order, position, count) ==> \result == \true;
  ensures \result == \true ==> order[place] < count && position[order[place]] == place;
*/
static bool pool_entry_agrees(const vera_pool_index_t *order, const vera_pool_index_t *position,
                              size_t count, size_t place)
{
    size_t block = order[place];

    return (block < count) && (position[block] == place);
}

bool vera_pool_check(const vera_pool_t *pool)
{
    bool valid;
    vera_lock_state_t lock;

    if (pool == NULL) {
        return false;
    }
    lock = vera_lock_acquire();
    valid = pool_counters_valid(pool) && pool_alignment_valid(pool);
    if (valid && (pool->block_count > 0u)) {
        valid = (pool->base != NULL) && (pool->free_order != NULL) && (pool->block_position != NULL);
    }
    if (valid && (pool->block_count > 0u)) {
        /* The two places alloc and free touch next: the top of the free stack and the first
         * used entry. */
        valid = ((pool->free_count == 0u) ||
                 pool_entry_agrees(pool->free_order, pool->block_position, pool->block_count,
                                   pool->free_count - 1u)) &&
                ((pool->free_count == pool->block_count) ||
                 pool_entry_agrees(pool->free_order, pool->block_position, pool->block_count,
                                   pool->free_count));
    }
    vera_lock_release(lock);
    return valid;
}
