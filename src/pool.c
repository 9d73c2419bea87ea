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
 * Alignment is reasoned about as an offset: base is checked to be VERA_ALIGNMENT-aligned at
 * init, and every block starts at a multiple of block_size, itself a multiple of VERA_ALIGNMENT.
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

#include <stdint.h>

/* Largest block size that can be rounded up to VERA_ALIGNMENT without wrapping around. */
#define POOL_MAX_ROUNDABLE_SIZE ((size_t)SIZE_MAX - ((size_t)VERA_ALIGNMENT - 1u))

/* `size` rounded up to a multiple of VERA_ALIGNMENT; requires size <= POOL_MAX_ROUNDABLE_SIZE.
 * A constant division: a mask for the compiler, linear arithmetic for the provers. */
/*@
  requires size <= SIZE_MAX - (VERA_ALIGNMENT - 1);
  assigns \nothing;
  ensures \result == (size + VERA_ALIGNMENT - 1) / VERA_ALIGNMENT * VERA_ALIGNMENT;
  ensures \result % VERA_ALIGNMENT == 0 && size <= \result;
*/
static size_t pool_round_up(size_t size)
{
    return ((size + (VERA_ALIGNMENT - 1u)) / VERA_ALIGNMENT) * VERA_ALIGNMENT;
}

/* The distance below converts uintptr_t to size_t: both are the address width on every target;
 * a target where uintptr_t is wider would lose the high bits of a foreign pointer's distance. */
VERA_STATIC_ASSERT(pool_address_fits_size_t, UINTPTR_MAX <= SIZE_MAX);

/* The storage VERA_POOL_DEFINE and VERA_POOL_DECLARE define must be VERA_ALIGNMENT-aligned, or
 * VERA_POOL_INIT would fail with VERA_ERROR_MISALIGNED. offsetof after a char is the alignment
 * of the macros' union (VERA_STORAGE_ALIGNED in include/veralloc/config.h). */
struct pool_storage_alignment_probe {
    char first;
    union {
        union vera_pool_alignment_unit alignment;
        VERA_STORAGE_ALIGNED char bytes[1];
    } aligned;
};
VERA_STATIC_ASSERT(pool_storage_is_aligned,
                   offsetof(struct pool_storage_alignment_probe, aligned) % VERA_ALIGNMENT == 0u);

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

  /@ requires 0 < size && size % VERA_ALIGNMENT == 0;
     assigns \nothing;
     ensures (block * size) % VERA_ALIGNMENT == 0; @/
  static void pool_lemma_offset_aligned(size_t block, size_t size)
  {
      /@ assert size == VERA_ALIGNMENT * (size / VERA_ALIGNMENT); @/
      /@ assert (block * size) / VERA_ALIGNMENT * VERA_ALIGNMENT +
                (block * size) % VERA_ALIGNMENT == block * size; @/
      /@ assert block * size == VERA_ALIGNMENT * (block * (size / VERA_ALIGNMENT)); @/
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

  /@ requires vera_pool_aligned(base) && 0 <= offset && offset % VERA_ALIGNMENT == 0;
     assigns \nothing;
     ensures vera_pool_aligned(base + offset); @/
  static void pool_lemma_block_address_aligned(char *base, size_t offset)
  {
      /@ assert vera_is_power_of_two(VERA_ALIGNMENT) && VERA_ALIGNMENT <= UINTPTR_MAX; @/
      /@ assert ((uintptr_t)base + offset) % VERA_ALIGNMENT == 0; @/
  }

  /@ requires 0 < size && count <= bytes / size;
     assigns \nothing;
     ensures count * size <= bytes; @/
  static void pool_lemma_quotient_fits(size_t count, size_t bytes, size_t size) {}
*/

vera_status_t vera_pool_init(vera_pool_t *pool, void *buffer, size_t buffer_size, size_t block_size,
                             size_t block_count, vera_pool_index_t *metadata,
                             size_t metadata_entries)
{
    size_t rounded_size;
    size_t index;
    vera_lock_state_t lock;

    if ((pool == NULL) || (buffer == NULL) || (metadata == NULL)) {
        return VERA_ERROR_NULL_POINTER;
    }
    if ((block_size == 0u) || (block_size > POOL_MAX_ROUNDABLE_SIZE) || (block_count == 0u) ||
        (block_count > VERA_POOL_MAX_BLOCKS)) {
        return VERA_ERROR_INVALID_SIZE;
    }
    rounded_size = pool_round_up(block_size);
    /* A division rather than rounded_size * block_count, which could wrap around; 2 * block_count
     * cannot (block_count <= VERA_POOL_MAX_BLOCKS). */
    if ((block_count > (buffer_size / rounded_size)) || (metadata_entries < (2u * block_count))) {
        return VERA_ERROR_INVALID_SIZE;
    }
    /*@ ghost pool_lemma_quotient_fits(block_count, buffer_size, rounded_size); */
    if (((uintptr_t)buffer % VERA_ALIGNMENT) != 0u) {
        return VERA_ERROR_MISALIGNED;
    }
    lock = vera_lock_acquire();

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
    pool->block_count = block_count;
    pool->capacity = rounded_size * block_count;
    pool->free_order = metadata;
    pool->block_position = metadata + block_count;
    pool->free_count = block_count;
    pool->peak_used = 0u;
    pool->failed_allocations = 0u;
    vera_lock_release(lock);
    return VERA_OK;
}

/* Records an allocation that fails for want of a free block: only the diagnostics change. */
/*@
  requires \valid(pool);
  assigns pool->failed_allocations;
  assigns \result \from \nothing;
  ensures pool->failed_allocations == (\old(pool->failed_allocations) == SIZE_MAX ?
                                       SIZE_MAX : \old(pool->failed_allocations) + 1);
  ensures \result == \null;
*/
static void *pool_count_failure(vera_pool_t *pool)
{
    if (pool->failed_allocations != (size_t)SIZE_MAX) {
        pool->failed_allocations++;
    }
    return NULL;
}

/* The common path of both allocation functions: pops the top of the free stack. */
/*@
  requires vera_pool_well_formed(pool) && pool->free_count > 0;
  assigns pool->free_count, pool->peak_used;
  assigns \result \from pool->base, pool->block_size, pool->free_count, pool->free_order,
                        pool->free_order[0 .. pool->block_count - 1];
  ensures vera_pool_well_formed(pool);
  ensures VERA_POOL_AT_BLOCK_START(pool, \result) &&
      (\let b = VERA_POOL_INDEX(pool, \result);
       0 <= b < pool->block_count &&
       !\at(VERA_POOL_BLOCK_USED(pool, b), Pre) && VERA_POOL_BLOCK_USED(pool, b));
  ensures \forall integer b; 0 <= b < pool->block_count && b != VERA_POOL_INDEX(pool, \result) ==>
      (VERA_POOL_BLOCK_USED(pool, b) <==> \at(VERA_POOL_BLOCK_USED(pool, b), Pre));
  ensures \result - pool->base + pool->block_size <= pool->capacity;
  ensures \valid(\result + (0 .. pool->block_size - 1));
  ensures (\result - pool->base) % VERA_ALIGNMENT == 0;
  ensures vera_pool_aligned(\result);
  ensures \result == VERA_POOL_BLOCK(pool, VERA_POOL_INDEX(pool, \result));
  ensures \forall integer b; 0 <= b < pool->block_count && VERA_POOL_BLOCK_USED(pool, b) &&
      b != VERA_POOL_INDEX(pool, \result) ==>
      vera_pool_separated_blocks(pool->base, pool->block_size, VERA_POOL_INDEX(pool, \result), b);
  ensures \separated(\result + (0 .. pool->block_size - 1), pool,
                     pool->free_order + (0 .. pool->block_count - 1),
                     pool->block_position + (0 .. pool->block_count - 1));
  ensures pool->free_count == \old(pool->free_count) - 1;
  ensures pool->peak_used == \max(\old(pool->peak_used), VERA_POOL_USED_COUNT(pool));
*/
static char *pool_take(vera_pool_t *pool)
{
    size_t block;
    size_t used;
    size_t peak;

    pool->free_count--;
    block = pool->free_order[pool->free_count];
    /*@ ghost pool_lemma_block_fits(block, pool->block_count, pool->block_size); */
    /*@ ghost pool_lemma_offset_is_multiple(block, pool->block_size); */
    /*@ ghost pool_lemma_offset_quotient(block, pool->block_size); */
    /*@ ghost pool_lemma_offset_aligned(block, pool->block_size); */
    /*@ ghost pool_lemma_blocks_disjoint(pool->base, block, pool->block_size); */
    /*@ ghost pool_lemma_block_address_aligned(pool->base, block * pool->block_size); */
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
    vera_lock_state_t lock;

    if (pool == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    if (pool->free_count == 0u) {
        /* Also the zero-initialised pool, which has no blocks. */
        return vera_lock_release_pointer(lock, pool_count_failure(pool));
    }
    return vera_lock_release_pointer(lock, pool_take(pool));
}

void *vera_pool_alloc_zeroed(vera_pool_t *pool)
{
    char *block;
    size_t index;
    vera_lock_state_t lock;

    if (pool == NULL) {
        return NULL;
    }
    lock = vera_lock_acquire();
    if (pool->free_count == 0u) {
        return vera_lock_release_pointer(lock, pool_count_failure(pool));
    }
    block = pool_take(pool);
    /* The block is the caller's from here on: clear it with interrupts (or threads) let in. */
    vera_lock_release(lock);
    /*@
      loop invariant 0 <= index <= pool->block_size;
      loop invariant \forall integer i; 0 <= i < index ==> block[i] == 0;
      loop assigns index, block[0 .. pool->block_size - 1];
      loop variant pool->block_size - index;
    */
    for (index = 0u; index < pool->block_size; index++) {
        block[index] = 0;
    }
    return block;
}

/*
 * The heart of free: moves `block`, used, into the free part of the order by swapping it with
 * the first used entry, at position free_count (the caller then increments free_count). Only
 * that other entry moves, and it stays in the used part. A function of its own so that its proof
 * sees only the two arrays: the provers then need about a second for it.
 */
/*@
  requires 0 < count <= VERA_POOL_MAX_BLOCKS;
  requires \valid(order + (0 .. count - 1)) && \valid(position + (0 .. count - 1));
  requires \separated(order + (0 .. count - 1), position + (0 .. count - 1));
  requires vera_pool_permutation(order, position, count);
  requires block < count && free_count <= position[block];
  assigns order[0 .. count - 1], position[0 .. count - 1];
  ensures vera_pool_permutation(order, position, count);
  ensures position[block] == free_count;
  ensures \forall integer b; 0 <= b < count && b != block ==>
      (position[b] >= free_count + 1 <==> \old(position[b]) >= free_count);
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
    position = pool->block_position[index];
    /*@ assert position < pool->block_count; */
    if (position < pool->free_count) {
        return vera_lock_release_status(lock, VERA_ERROR_DOUBLE_FREE);
    }
    pool_move_to_free_part(pool->free_order, pool->block_position, pool->block_count,
                           pool->free_count, index);
    pool->free_count++;
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

size_t vera_pool_failed_allocations(const vera_pool_t *pool)
{
    return (pool == NULL) ? 0u : pool->failed_allocations;
}
