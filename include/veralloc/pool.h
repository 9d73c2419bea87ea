/*
 * veralloc pool: a fixed-block allocator with constant-time alloc and free, for memory that is
 * taken and given back all the time in blocks of one size (packet buffers, timers, connection
 * records), as Contiki's memb, Zephyr's k_mem_slab and lwIP's pools do.
 *
 * A pool manages N blocks of S bytes over a caller's buffer; S is rounded up to VERA_ALIGNMENT.
 *
 *     VERA_POOL_DEFINE(packet_pool, 100, 16);      // file scope: 16 blocks of 100 (-> 104) bytes
 *
 *     void setup(void)
 *     {
 *         if (VERA_POOL_INIT(packet_pool) != VERA_OK) { ... }
 *         void *packet = vera_pool_alloc(&packet_pool);
 *         ...
 *         vera_pool_free(&packet_pool, packet);
 *     }
 *
 * Guarantees
 *   - vera_pool_alloc returns a block that was free, and marks it used; no other block changes
 *     state. The block lies inside the buffer for its full size, is aligned to VERA_ALIGNMENT,
 *     and is disjoint from every other used block.
 *   - vera_pool_free marks exactly that block free. A pointer that is not a block of this pool,
 *     or a block that is not allocated, is rejected with an error (table below) and nothing
 *     changes.
 *   - alloc and free run in constant time: no loop, no recursion. vera_pool_alloc_zeroed adds
 *     a loop that clears the block: time proportional to the block size, not to the number of
 *     blocks. vera_pool_init is proportional to the number of blocks (it builds the free list).
 *     On cores without a divide instruction (Cortex-M0/M0+), free and init call the compiler's
 *     unsigned division helpers (__aeabi_uidivmod, __aeabi_uidiv in libgcc), whose time is
 *     bounded by the word width, independent of the number of blocks.
 *   - No metadata lives inside the blocks: the free list is a separate array of indices, so a
 *     block written past its end cannot corrupt the pool's own state (it can still corrupt the
 *     neighbouring block, or whatever follows the buffer).
 *   - The number of used blocks, the number of free blocks, the peak number of used blocks and
 *     the number of failed allocations are kept exactly: used + free == block count, peak >=
 *     used.
 *   - These guarantees are proved with Frama-C WP (the contracts below; docs/proofs.md).
 *   - Nothing is undefined behaviour except what C itself cannot detect: a buffer or metadata
 *     array smaller than announced, overlapping each other or the vera_pool_t, a vera_pool_t
 *     that holds garbage (neither zero-initialised nor initialised), or a dangling pointer value
 *     given to free/owns.
 *
 * Misuse and error table
 *   | call                      | situation                                   | result                     |
 *   |---------------------------|---------------------------------------------|----------------------------|
 *   | vera_pool_init            | pool, buffer or metadata NULL               | VERA_ERROR_NULL_POINTER    |
 *   | vera_pool_init            | block_size 0, or too large to round up      | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | block_count 0 or > VERA_POOL_MAX_BLOCKS     | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | buffer_size < rounded block_size * count    | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | metadata_entries < 2 * block_count          | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | buffer not VERA_ALIGNMENT-aligned           | VERA_ERROR_MISALIGNED      |
 *   | vera_pool_alloc / _zeroed | pool NULL                                   | NULL                       |
 *   | vera_pool_alloc / _zeroed | no free block (also: pool never initialised)| NULL, counted as failed    |
 *   | vera_pool_free            | pool NULL                                   | VERA_ERROR_NULL_POINTER    |
 *   | vera_pool_free            | block NULL                                  | VERA_OK, nothing happens   |
 *   | vera_pool_free            | pointer outside the pool's blocks           | VERA_ERROR_NOT_OWNED       |
 *   | vera_pool_free            | pointer inside a block, not at its start    | VERA_ERROR_NOT_BLOCK_START |
 *   | vera_pool_free            | block already free (double free, or a block | VERA_ERROR_DOUBLE_FREE     |
 *   |                           | never handed out)                           |                            |
 *   | vera_pool_owns            | pool NULL or pointer NULL                   | false                      |
 *   | queries (blocks_free, ...)| pool NULL                                   | 0                          |
 * The checks of vera_pool_init are made in the order of the table; the first that fails gives
 * the result. A failed call changes nothing: a failed init leaves pool, buffer and metadata
 * untouched, a failed free leaves the pool as it was; a failed allocation only increments
 * the failed-allocation counter.
 *
 * Rules a reader must not guess (each is tested in tests/semantics_test.c)
 *   - vera_pool_alloc does not zero the block (it holds what it held when it was last freed, or
 *     the buffer's initial contents); vera_pool_alloc_zeroed does.
 *   - failed_allocations counts every NULL from alloc/_zeroed on a non-NULL pool (including the
 *     zero-initialised pool); a rejected free or init changes no counter.
 *   - One call with several faults reports the first in the order of the table: for free, a NULL
 *     pool, then a NULL block (VERA_OK), then not owned, then not a block start, then already free.
 *   - A vera_pool_t must not be copied (assignment, memcpy, passing by value): copy and original
 *     would share the metadata and hand out the same blocks. Pass pointers.
 *   - Sharing across files: VERA_POOL_DECLARE in a header, VERA_POOL_DEFINE_DECLARED in one file.
 *
 * Interrupts and threads: init, alloc, alloc_zeroed and free take the lock of veralloc/lock.h
 * (a compile-time choice: none by default, PRIMASK on Cortex-M, or the application's own pair),
 * so a pool can be shared by a main loop and interrupt handlers once a lock is chosen. Without
 * one it is not safe: tests/interrupts shows the corruption. alloc_zeroed clears the block after
 * leaving the lock (the block is already the caller's).
 */
#ifndef VERALLOC_POOL_H
#define VERALLOC_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veralloc/config.h"
#include "veralloc/status.h"

/* A block index in the pool's metadata. 16 bits keep the metadata at 4 bytes per block. */
typedef uint16_t vera_pool_index_t;

/* The largest number of blocks one pool can have. */
#define VERA_POOL_MAX_BLOCKS 65535u

/* `size` rounded up to a multiple of VERA_ALIGNMENT: the bytes each block really takes. */
#define VERA_POOL_ROUNDED_BLOCK_SIZE(size)                                                         \
    ((((size_t)(size) + (VERA_ALIGNMENT - 1u)) / VERA_ALIGNMENT) * VERA_ALIGNMENT)

/* Bytes of buffer a pool of `count` blocks of `size` bytes needs. */
#define VERA_POOL_BUFFER_SIZE(size, count) (VERA_POOL_ROUNDED_BLOCK_SIZE(size) * (size_t)(count))

/* Entries of metadata (vera_pool_index_t) a pool of `count` blocks needs: two per block. */
#define VERA_POOL_METADATA_ENTRIES(count) (2u * (size_t)(count))

/*
 * One pool. The fields are visible only so that a pool can be a static variable without any
 * dynamic allocation; read them through the functions below, never write them.
 * A zero-initialised vera_pool_t (e.g. a static one) is a valid pool with no blocks: every
 * allocation from it fails and it owns no pointer, until vera_pool_init succeeds.
 */
typedef struct vera_pool {
    char *base;                        /* first block; aligned to VERA_ALIGNMENT */
    size_t block_size;                 /* bytes per block, a multiple of VERA_ALIGNMENT */
    size_t block_count;                /* number of blocks */
    size_t capacity;                   /* block_size * block_count */
    vera_pool_index_t *free_order;     /* block_count entries (the first half of the caller's
                                        * metadata): every block index once, the free ones first;
                                        * free_order[0 .. free_count-1] is the free list */
    vera_pool_index_t *block_position; /* block_count entries (the second half): where each block
                                        * sits in free_order; block b is used iff its position is
                                        * >= free_count */
    size_t free_count;                 /* number of free blocks */
    size_t peak_used;                  /* most blocks ever used at the same time since init */
    size_t failed_allocations;         /* allocation calls that returned NULL (saturates) */
} vera_pool_t;

#ifdef __FRAMAC__
#include "specs/pool_logic.h"
#endif

/* C linkage for C++ callers (the library is C; its symbols are not mangled). */
#ifdef __cplusplus
extern "C" {
#endif

/* Storage aligned for any fundamental type (C99 has no max_align_t), used by VERA_POOL_DEFINE. */
union vera_pool_alignment_unit {
    long double long_double_member;
    long long long_long_member;
    double double_member;
    void *pointer_member;
    void (*function_pointer_member)(void);
};

/*
 * VERA_POOL_DEFINE(name, block_size, block_count): at file scope (or inside a function), defines
 * `static vera_pool_t name` together with static storage for its blocks (aligned to
 * VERA_ALIGNMENT, see VERA_STORAGE_ALIGNED) and its metadata, kept in separate objects.
 * VERA_POOL_INIT(name) then initialises the pool over that storage and returns vera_pool_init's
 * status; until then `name` is a pool with no blocks (every alloc fails). block_size and
 * block_count must be constant expressions; a block_size of 0, a block_count of 0 or above
 * VERA_POOL_MAX_BLOCKS, or a pool too large for size_t fails the build (VERA_POOL_CHECK), with
 * the broken rule in the error message, instead of failing later in VERA_POOL_INIT.
 */
#define VERA_POOL_DEFINE(name, block_size, block_count)                                            \
    VERA_POOL_CHECK(name, block_size, block_count);                                                \
    static vera_pool_index_t name##_metadata[VERA_POOL_METADATA_ENTRIES(block_count)];             \
    static union {                                                                                 \
        union vera_pool_alignment_unit alignment;                                                  \
        VERA_STORAGE_ALIGNED char bytes[VERA_POOL_BUFFER_SIZE(block_size, block_count)];           \
    } name##_blocks;                                                                               \
    static vera_pool_t name

/*
 * A pool shared by several files: VERA_POOL_DECLARE(name, block_size, block_count) in a header
 * declares it (with the same compile-time checks as VERA_POOL_DEFINE), and
 * VERA_POOL_DEFINE_DECLARED(name) in exactly one .c file that includes that header defines its
 * storage (sizes taken from the declaration, so they cannot disagree). Every file that includes
 * the header may then call VERA_POOL_INIT(name) (once, in one place) and use `&name`.
 */
#define VERA_POOL_DECLARE(name, block_size, block_count)                                           \
    VERA_POOL_CHECK(name, block_size, block_count);                                                \
    union name##_pool_storage {                                                                    \
        union vera_pool_alignment_unit alignment;                                                  \
        VERA_STORAGE_ALIGNED char bytes[VERA_POOL_BUFFER_SIZE(block_size, block_count)];           \
    };                                                                                             \
    extern vera_pool_index_t name##_metadata[VERA_POOL_METADATA_ENTRIES(block_count)];             \
    extern union name##_pool_storage name##_blocks;                                                \
    extern vera_pool_t name

#define VERA_POOL_DEFINE_DECLARED(name)                                                            \
    vera_pool_index_t name##_metadata[sizeof(name##_metadata) / sizeof(name##_metadata[0])];      \
    union name##_pool_storage name##_blocks;                                                       \
    vera_pool_t name

/*
 * The compile-time checks of VERA_POOL_DEFINE and VERA_POOL_DECLARE: one enumeration constant
 * per rule, named after the rule, whose value divides by zero (an error that names it) when the
 * rule is broken. An enumeration costs nothing, is allowed at file and block scope in C and C++,
 * and draws no unused-declaration warning.
 */
#define VERA_POOL_CHECK(name, block_size, block_count)                                             \
    enum {                                                                                         \
        name##_block_size_must_be_above_0 = 1 / (VERA_POOL_SIZE_OK(block_size) ? 1 : 0),           \
        name##_block_count_must_be_1_to_VERA_POOL_MAX_BLOCKS = 1 / (VERA_POOL_COUNT_OK(block_count) ? 1 : 0), \
        name##_pool_storage_must_fit_size_t = 1 / (VERA_POOL_STORAGE_OK(block_size, block_count) ? 1 : 0) \
    }
#define VERA_POOL_SIZE_OK(block_size) ((block_size) > 0)
#define VERA_POOL_COUNT_OK(block_count)                                                            \
    ((block_count) > 0 && (size_t)(block_count) <= VERA_POOL_MAX_BLOCKS)
/* The rounded size does not wrap, and neither does its product with the count (a size of 0 is
 * reported by the rule above; here it counts as 1 so that the division is defined). */
#define VERA_POOL_STORAGE_OK(block_size, block_count)                                              \
    ((size_t)(block_size) <= SIZE_MAX - (VERA_ALIGNMENT - 1u) &&                                   \
     (size_t)(block_count) <=                                                                      \
         SIZE_MAX / VERA_POOL_ROUNDED_BLOCK_SIZE((size_t)(block_size) + ((block_size) > 0 ? 0u : 1u)))

/* The block count and rounded block size of a pool defined with VERA_POOL_DEFINE. */
#define VERA_POOL_DEFINED_BLOCK_COUNT(name)                                                        \
    (sizeof(name##_metadata) / sizeof(name##_metadata[0]) / 2u)
#define VERA_POOL_DEFINED_BLOCK_SIZE(name)                                                         \
    (sizeof(name##_blocks.bytes) / VERA_POOL_DEFINED_BLOCK_COUNT(name))

/* Initialises a pool defined with VERA_POOL_DEFINE; evaluates to a vera_status_t. */
#define VERA_POOL_INIT(name)                                                                       \
    vera_pool_init(&(name), name##_blocks.bytes, sizeof(name##_blocks.bytes),                      \
                   VERA_POOL_DEFINED_BLOCK_SIZE(name), VERA_POOL_DEFINED_BLOCK_COUNT(name),         \
                   name##_metadata, sizeof(name##_metadata) / sizeof(name##_metadata[0]))

/*
 * Makes `pool` hand out `block_count` blocks of `block_size` bytes (rounded up to
 * VERA_ALIGNMENT) from `buffer`, which holds `buffer_size` bytes and must start at a multiple of
 * VERA_ALIGNMENT. `metadata` holds `metadata_entries` entries, at least
 * VERA_POOL_METADATA_ENTRIES(block_count); the pool keeps its free list there. Buffer, metadata
 * and pool must not overlap, and must stay valid and unused by anything else while the pool is
 * used. All blocks start free; the first allocations return them in address order.
 * Re-initialising a pool starts it afresh (blocks handed out before are forgotten).
 * Returns VERA_OK, or an error from the table above with pool, buffer and metadata unchanged.
 * Time: proportional to block_count.
 */
/*@
  requires pool == \null || \valid(pool);
  requires buffer != \null ==> \valid((char *)buffer + (0 .. buffer_size - 1));
  requires metadata != \null ==> \valid(metadata + (0 .. metadata_entries - 1));
  requires \separated(pool, (char *)buffer + (0 .. buffer_size - 1),
                      metadata + (0 .. metadata_entries - 1));
  requires \separated((char *)buffer + (0 .. buffer_size - 1),
                      metadata + (0 .. metadata_entries - 1));
  assigns *pool, metadata[0 .. metadata_entries - 1];

  behavior null_pointer:
    assumes pool == \null || buffer == \null || metadata == \null;
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
  behavior invalid_size:
    assumes pool != \null && buffer != \null && metadata != \null;
    assumes block_size == 0 || block_size > SIZE_MAX - (VERA_ALIGNMENT - 1) ||
            block_count == 0 || block_count > VERA_POOL_MAX_BLOCKS ||
            block_count > buffer_size / ((block_size + VERA_ALIGNMENT - 1) / VERA_ALIGNMENT
                                         * VERA_ALIGNMENT) ||
            metadata_entries < 2 * block_count;
    assigns \nothing;
    ensures \result == VERA_ERROR_INVALID_SIZE;
  behavior misaligned:
    assumes pool != \null && buffer != \null && metadata != \null;
    assumes 0 < block_size <= SIZE_MAX - (VERA_ALIGNMENT - 1) &&
            0 < block_count <= VERA_POOL_MAX_BLOCKS &&
            block_count <= buffer_size / ((block_size + VERA_ALIGNMENT - 1) / VERA_ALIGNMENT
                                          * VERA_ALIGNMENT) &&
            metadata_entries >= 2 * block_count;
    assumes (uintptr_t)buffer % VERA_ALIGNMENT != 0;
    assigns \nothing;
    ensures \result == VERA_ERROR_MISALIGNED;
  behavior initialised:
    assumes pool != \null && buffer != \null && metadata != \null;
    assumes 0 < block_size <= SIZE_MAX - (VERA_ALIGNMENT - 1) &&
            0 < block_count <= VERA_POOL_MAX_BLOCKS &&
            block_count <= buffer_size / ((block_size + VERA_ALIGNMENT - 1) / VERA_ALIGNMENT
                                          * VERA_ALIGNMENT) &&
            metadata_entries >= 2 * block_count;
    assumes (uintptr_t)buffer % VERA_ALIGNMENT == 0;
    assigns *pool, metadata[0 .. 2 * block_count - 1];
    ensures \result == VERA_OK;
    ensures vera_pool_well_formed(pool);
    ensures pool->base == (char *)buffer;
    ensures pool->block_size == (block_size + VERA_ALIGNMENT - 1) / VERA_ALIGNMENT * VERA_ALIGNMENT;
    ensures pool->block_count == block_count;
    ensures pool->free_count == block_count;
    ensures pool->peak_used == 0 && pool->failed_allocations == 0;
    ensures \forall integer b; 0 <= b < block_count ==> !VERA_POOL_BLOCK_USED(pool, b);
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_pool_init(vera_pool_t *pool, void *buffer, size_t buffer_size, size_t block_size,
                             size_t block_count, vera_pool_index_t *metadata,
                             size_t metadata_entries);

/*
 * Returns a free block of vera_pool_block_size(pool) bytes, aligned to VERA_ALIGNMENT, and marks
 * it used; or NULL (table above). The most recently freed block is handed out first.
 * Constant time.
 */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns pool->free_count, pool->peak_used, pool->failed_allocations;
  assigns \result \from pool, pool->base, pool->block_size, pool->free_count, pool->free_order,
                        pool->free_order[0 .. pool->block_count - 1];

  behavior no_pool:
    assumes pool == \null;
    assigns \nothing;
    ensures \result == \null;
  behavior exhausted:
    assumes pool != \null && pool->free_count == 0;
    assigns pool->failed_allocations;
    ensures \result == \null;
    ensures vera_pool_well_formed(pool);
    ensures pool->failed_allocations == (\old(pool->failed_allocations) == SIZE_MAX ?
                                         SIZE_MAX : \old(pool->failed_allocations) + 1);
  behavior allocated:
    assumes pool != \null && pool->free_count > 0;
    assigns pool->free_count, pool->peak_used;
    ensures vera_pool_well_formed(pool);
    ensures returns_a_block_that_was_free_and_is_now_used:
        VERA_POOL_AT_BLOCK_START(pool, (char *)\result) &&
        (\let b = VERA_POOL_INDEX(pool, (char *)\result);
         0 <= b < pool->block_count &&
         !\at(VERA_POOL_BLOCK_USED(pool, b), Pre) && VERA_POOL_BLOCK_USED(pool, b));
    ensures every_other_block_unchanged:
        \forall integer b; 0 <= b < pool->block_count &&
            b != VERA_POOL_INDEX(pool, (char *)\result) ==>
            (VERA_POOL_BLOCK_USED(pool, b) <==> \at(VERA_POOL_BLOCK_USED(pool, b), Pre));
    ensures inside_the_blocks:
        (char *)\result - pool->base + pool->block_size <= pool->capacity;
    ensures valid_for_the_block_size: \valid((char *)\result + (0 .. pool->block_size - 1));
    ensures offset_aligned: ((char *)\result - pool->base) % VERA_ALIGNMENT == 0;
    ensures address_aligned: vera_pool_aligned((char *)\result);
    ensures is_its_block_start:
        (char *)\result == VERA_POOL_BLOCK(pool, VERA_POOL_INDEX(pool, (char *)\result));
    ensures separated_from_other_used_blocks:
        \forall integer b; 0 <= b < pool->block_count && VERA_POOL_BLOCK_USED(pool, b) &&
            b != VERA_POOL_INDEX(pool, (char *)\result) ==>
            vera_pool_separated_blocks(pool->base, pool->block_size,
                                       VERA_POOL_INDEX(pool, (char *)\result), b);
    ensures separated_from_metadata:
        \separated((char *)\result + (0 .. pool->block_size - 1), pool,
                   pool->free_order + (0 .. pool->block_count - 1),
                   pool->block_position + (0 .. pool->block_count - 1));
    ensures used_count: pool->free_count == \old(pool->free_count) - 1;
    ensures peak: pool->peak_used == \max(\old(pool->peak_used), VERA_POOL_USED_COUNT(pool));
  complete behaviors;
  disjoint behaviors;
*/
void *vera_pool_alloc(vera_pool_t *pool);

/*
 * As vera_pool_alloc, and the block's bytes are all zero. The clearing takes time proportional
 * to the block size (a plain loop: the library does not call memset).
 */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns pool->free_count, pool->peak_used, pool->failed_allocations,
          pool->base[0 .. pool->capacity - 1];
  assigns \result \from pool, pool->base, pool->block_size, pool->free_count, pool->free_order,
                        pool->free_order[0 .. pool->block_count - 1];

  behavior no_pool:
    assumes pool == \null;
    assigns \nothing;
    ensures \result == \null;
  behavior exhausted:
    assumes pool != \null && pool->free_count == 0;
    assigns pool->failed_allocations;
    ensures \result == \null;
    ensures vera_pool_well_formed(pool);
    ensures pool->failed_allocations == (\old(pool->failed_allocations) == SIZE_MAX ?
                                         SIZE_MAX : \old(pool->failed_allocations) + 1);
  behavior allocated:
    assumes pool != \null && pool->free_count > 0;
    assigns pool->free_count, pool->peak_used, pool->base[0 .. pool->capacity - 1];
    ensures vera_pool_well_formed(pool);
    ensures returns_a_block_that_was_free_and_is_now_used:
        VERA_POOL_AT_BLOCK_START(pool, (char *)\result) &&
        (\let b = VERA_POOL_INDEX(pool, (char *)\result);
         0 <= b < pool->block_count &&
         !\at(VERA_POOL_BLOCK_USED(pool, b), Pre) && VERA_POOL_BLOCK_USED(pool, b));
    ensures every_other_block_unchanged:
        \forall integer b; 0 <= b < pool->block_count &&
            b != VERA_POOL_INDEX(pool, (char *)\result) ==>
            (VERA_POOL_BLOCK_USED(pool, b) <==> \at(VERA_POOL_BLOCK_USED(pool, b), Pre));
    ensures inside_the_blocks:
        (char *)\result - pool->base + pool->block_size <= pool->capacity;
    ensures valid_for_the_block_size: \valid((char *)\result + (0 .. pool->block_size - 1));
    ensures offset_aligned: ((char *)\result - pool->base) % VERA_ALIGNMENT == 0;
    ensures address_aligned: vera_pool_aligned((char *)\result);
    ensures is_its_block_start:
        (char *)\result == VERA_POOL_BLOCK(pool, VERA_POOL_INDEX(pool, (char *)\result));
    ensures separated_from_other_used_blocks:
        \forall integer b; 0 <= b < pool->block_count && VERA_POOL_BLOCK_USED(pool, b) &&
            b != VERA_POOL_INDEX(pool, (char *)\result) ==>
            vera_pool_separated_blocks(pool->base, pool->block_size,
                                       VERA_POOL_INDEX(pool, (char *)\result), b);
    ensures separated_from_metadata:
        \separated((char *)\result + (0 .. pool->block_size - 1), pool,
                   pool->free_order + (0 .. pool->block_count - 1),
                   pool->block_position + (0 .. pool->block_count - 1));
    ensures zeroed: \forall integer i; 0 <= i < pool->block_size ==> ((char *)\result)[i] == 0;
    ensures other_bytes_unchanged:
        \forall integer i; 0 <= i < pool->capacity &&
            (i < (char *)\result - pool->base ||
             (char *)\result - pool->base + pool->block_size <= i) ==>
            pool->base[i] == \at(pool->base[i], Pre);
    ensures used_count: pool->free_count == \old(pool->free_count) - 1;
    ensures peak: pool->peak_used == \max(\old(pool->peak_used), VERA_POOL_USED_COUNT(pool));
  complete behaviors;
  disjoint behaviors;
*/
void *vera_pool_alloc_zeroed(vera_pool_t *pool);

/*
 * Gives `block` back to the pool. `block` must be a pointer vera_pool_alloc(_zeroed) returned
 * for this pool and not yet freed; anything else is rejected (table above) and changes nothing.
 * free(NULL) does nothing and returns VERA_OK. Constant time.
 */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  requires block == \null || \object_pointer((char *)block);
  assigns pool->free_count, pool->free_order[0 .. pool->block_count - 1],
          pool->block_position[0 .. pool->block_count - 1];

  behavior no_pool:
    assumes pool == \null;
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
  behavior no_block:
    assumes pool != \null && block == \null;
    assigns \nothing;
    ensures \result == VERA_OK;
  behavior not_owned:
    assumes pool != \null && block != \null && !VERA_POOL_IN_BLOCKS(pool, (char *)block);
    assigns \nothing;
    ensures \result == VERA_ERROR_NOT_OWNED;
  behavior interior:
    assumes pool != \null && block != \null && VERA_POOL_IN_BLOCKS(pool, (char *)block);
    assumes !VERA_POOL_AT_BLOCK_START(pool, (char *)block);
    assigns \nothing;
    ensures \result == VERA_ERROR_NOT_BLOCK_START;
  behavior not_allocated:
    assumes pool != \null && block != \null && VERA_POOL_AT_BLOCK_START(pool, (char *)block);
    assumes !VERA_POOL_BLOCK_USED(pool, VERA_POOL_INDEX(pool, (char *)block));
    assigns \nothing;
    ensures \result == VERA_ERROR_DOUBLE_FREE;
  behavior released:
    assumes pool != \null && block != \null && VERA_POOL_AT_BLOCK_START(pool, (char *)block);
    assumes VERA_POOL_BLOCK_USED(pool, VERA_POOL_INDEX(pool, (char *)block));
    ensures \result == VERA_OK;
    ensures vera_pool_well_formed(pool);
    ensures the_block_is_now_free: !VERA_POOL_BLOCK_USED(pool, VERA_POOL_INDEX(pool, (char *)block));
    ensures every_other_block_unchanged:
        \forall integer b; 0 <= b < pool->block_count && b != VERA_POOL_INDEX(pool, (char *)block) ==>
            (VERA_POOL_BLOCK_USED(pool, b) <==> \at(VERA_POOL_BLOCK_USED(pool, b), Pre));
    ensures used_count: pool->free_count == \old(pool->free_count) + 1;
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_pool_free(vera_pool_t *pool, void *block);

/*
 * True if `pointer` points to any byte of any block of `pool` (used or free), false otherwise.
 * Constant time.
 */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  requires pointer == \null || \object_pointer((char *)pointer);
  assigns \nothing;
  ensures \result <==> (pool != \null && pointer != \null &&
                        VERA_POOL_IN_BLOCKS(pool, (char *)pointer));
*/
bool vera_pool_owns(const vera_pool_t *pool, const void *pointer);

/* Bytes per block: the block_size given to init, rounded up to VERA_ALIGNMENT. */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->block_size);
*/
size_t vera_pool_block_size(const vera_pool_t *pool);

/* Number of blocks. */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->block_count);
*/
size_t vera_pool_block_count(const vera_pool_t *pool);

/* Number of free blocks: block count - blocks used. */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->free_count);
*/
size_t vera_pool_blocks_free(const vera_pool_t *pool);

/* Number of blocks handed out and not yet freed. */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : VERA_POOL_USED_COUNT(pool));
*/
size_t vera_pool_blocks_used(const vera_pool_t *pool);

/* The largest number of blocks used at the same time since init: size the pool with it. */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->peak_used);
*/
size_t vera_pool_peak_used(const vera_pool_t *pool);

/* How many allocation calls returned NULL since init (saturates at SIZE_MAX). */
/*@
  requires pool == \null || vera_pool_well_formed(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->failed_allocations);
*/
size_t vera_pool_failed_allocations(const vera_pool_t *pool);

#ifdef __cplusplus
}
#endif

#endif /* VERALLOC_POOL_H */
