/*
 * veralloc pool: a fixed-block allocator with constant-time alloc and free, for memory that is
 * taken and given back all the time in blocks of one size (packet buffers, timers, connection
 * records), as Contiki's memb, Zephyr's k_mem_slab and lwIP's pools do.
 *
 * A pool manages N blocks of S bytes over a caller's buffer; S is rounded up to the pool's
 * alignment: VERA_ALIGNMENT, or a larger power of two chosen per pool (vera_pool_init_aligned,
 * VERA_POOL_DEFINE_ALIGNED) for DMA buffers and cache-line blocks, without changing
 * VERA_ALIGNMENT for the rest of the library.
 *
 *     VERA_POOL_DEFINE(packet_pool, 100, 16);      // file scope: 16 blocks of 100 (-> 104) bytes
 *     VERA_POOL_DEFINE_ALIGNED(dma_pool, 100, 4, 32); // 4 blocks of 128 bytes, each 32-aligned
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
 *     state. The block lies inside the buffer for its full size, is aligned to the pool's
 *     alignment (and so to VERA_ALIGNMENT), and is disjoint from every other used block.
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
 *   - A stray write of the application into the metadata array cannot make alloc or free write
 *     outside the buffer and the metadata, or hand out memory outside the blocks: every index
 *     read from the metadata is checked before use (in range, and the two arrays agreeing at the
 *     entries touched). What such a write causes is a refused call (table below), found at the
 *     latest when alloc or free reaches the entry; vera_pool_check finds it at the top of the
 *     free stack and the first used entry. It cannot be undone by the pool: re-initialise it once
 *     its blocks are back (or abandon it). Proved: alloc and free only need the pool's fields
 *     sane (vera_pool_sane), whatever the metadata holds.
 *   - The number of used blocks, the number of free blocks, the peak number of used blocks and
 *     the number of failed requests (allocations that returned NULL) are kept exactly: used +
 *     free == block count, peak >= used.
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
 *   | vera_pool_init_aligned    | alignment not a power of two, below         | VERA_ERROR_INVALID_SIZE    |
 *   |                           | VERA_ALIGNMENT or above                     |                            |
 *   |                           | VERA_POOL_MAX_ALIGNMENT                     |                            |
 *   | vera_pool_init            | block_size 0, or too large to round up      | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | block_count 0 or > VERA_POOL_MAX_BLOCKS     | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | buffer_size < rounded block_size * count    | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | metadata_entries < 2 * block_count          | VERA_ERROR_INVALID_SIZE    |
 *   | vera_pool_init            | buffer not aligned to the pool's alignment, | VERA_ERROR_MISALIGNED      |
 *   |                           | or metadata not aligned to its entries      |                            |
 *   | vera_pool_init            | pool, blocks and metadata entries overlap   | VERA_ERROR_OVERLAP         |
 *   | vera_pool_init            | pool has blocks in use                      | VERA_ERROR_IN_USE          |
 *   | vera_pool_alloc / _zeroed | pool NULL                                   | NULL                       |
 *   | vera_pool_alloc / _zeroed | no free block (also: pool never initialised)| NULL, counted as failed    |
 *   | vera_pool_alloc / _zeroed | corrupted metadata at the top of the free   | NULL, counted as failed    |
 *   |                           | stack (index out of range, or the two       |                            |
 *   |                           | arrays disagree there)                      |                            |
 *   | vera_pool_free            | pool NULL                                   | VERA_ERROR_NULL_POINTER    |
 *   | vera_pool_free            | block NULL                                  | VERA_OK, nothing happens   |
 *   | vera_pool_free            | pointer outside the pool's blocks           | VERA_ERROR_NOT_OWNED       |
 *   | vera_pool_free            | pointer inside a block, not at its start    | VERA_ERROR_NOT_BLOCK_START |
 *   | vera_pool_free            | corrupted metadata at the block's entries   | VERA_ERROR_CORRUPTED       |
 *   |                           | (checked before double free) or at the      |                            |
 *   |                           | first used entry it swaps with              |                            |
 *   | vera_pool_free            | block already free (double free, or a block | VERA_ERROR_DOUBLE_FREE     |
 *   |                           | never handed out)                           |                            |
 *   | vera_pool_owns            | pool NULL or pointer NULL                   | false                      |
 *   | queries (blocks_free, ...)| pool NULL                                   | 0                          |
 *   | vera_pool_get_stats       | pool or stats NULL                          | VERA_ERROR_NULL_POINTER    |
 *   | vera_pool_check           | pool NULL                                   | false                      |
 * The rows of vera_pool_init hold for vera_pool_init_aligned too (vera_pool_init is
 * vera_pool_init_aligned with VERA_ALIGNMENT, so its alignment row never applies; "rounded" means
 * rounded up to the pool's alignment). The checks of both are made in the order of the table; the
 * first that fails gives the result. A failed call changes nothing: a failed init leaves pool, buffer and metadata
 * untouched, a failed free leaves the pool as it was; a failed allocation only increments
 * the failed-request counter.
 *
 * Rules a reader must not guess (each is tested in tests/semantics_test.c)
 *   - vera_pool_alloc does not zero the block (it holds what it held when it was last freed, or
 *     the buffer's initial contents); vera_pool_alloc_zeroed does.
 *   - failed_requests counts every NULL from alloc/_zeroed on a non-NULL pool (including the
 *     zero-initialised pool, and a refusal for corrupted metadata); a rejected free or init
 *     changes no counter.
 *   - One call with several faults reports the first in the order of the table: for free, a NULL
 *     pool, then a NULL block (VERA_OK), then not owned, then not a block start, then corrupted
 *     metadata at the block's entries, then already free, then corrupted metadata at the entry it
 *     swaps with.
 *   - A vera_pool_t must not be copied (assignment, memcpy, passing by value): copy and original
 *     would share the metadata and hand out the same blocks. Pass pointers.
 *   - Sharing across files: VERA_POOL_DECLARE (or VERA_POOL_DECLARE_ALIGNED) in a header,
 *     VERA_POOL_DEFINE_DECLARED in one file.
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

/*
 * The largest alignment one pool can have (vera_pool_init_aligned, VERA_POOL_DEFINE_ALIGNED):
 * 4096, a memory page. It covers what firmware asks of a block (cache lines of 32 or 64 bytes,
 * DMA descriptors and buffers, an MPU region of up to 4 KiB); beyond it every block would be a
 * page or more, which a fixed-block pool is not for, and toolchains and loaders do not promise to
 * honour a larger `aligned` attribute on static storage (ELF sections are commonly page-aligned
 * at most). Keeping it small also keeps the rounding of a block size far from wrapping around.
 */
#define VERA_POOL_MAX_ALIGNMENT 4096u

/* `size` rounded up to a multiple of `alignment` (a power of two): the bytes each block of a pool
 * with that alignment really takes. */
#define VERA_POOL_ROUNDED_BLOCK_SIZE_ALIGNED(size, alignment)                                      \
    ((((size_t)(size) + ((size_t)(alignment) - 1u)) / (size_t)(alignment)) * (size_t)(alignment))

/* `size` rounded up to a multiple of VERA_ALIGNMENT: the bytes each block really takes. */
#define VERA_POOL_ROUNDED_BLOCK_SIZE(size) VERA_POOL_ROUNDED_BLOCK_SIZE_ALIGNED(size, VERA_ALIGNMENT)

/* Bytes of buffer a pool of `count` blocks of `size` bytes needs (with the given alignment). */
#define VERA_POOL_BUFFER_SIZE_ALIGNED(size, count, alignment)                                      \
    (VERA_POOL_ROUNDED_BLOCK_SIZE_ALIGNED(size, alignment) * (size_t)(count))
#define VERA_POOL_BUFFER_SIZE(size, count) VERA_POOL_BUFFER_SIZE_ALIGNED(size, count, VERA_ALIGNMENT)

/* Entries of metadata (vera_pool_index_t) a pool of `count` blocks needs: two per block. */
#define VERA_POOL_METADATA_ENTRIES(count) (2u * (size_t)(count))

/*
 * One pool. The fields are visible only so that a pool can be a static variable without any
 * dynamic allocation; read them through the functions below, never write them.
 * A zero-initialised vera_pool_t (e.g. a static one) is a valid pool with no blocks: every
 * allocation from it fails and it owns no pointer, until vera_pool_init succeeds.
 */
typedef struct vera_pool {
    char *base;                        /* first block; aligned to `alignment` */
    size_t block_size;                 /* bytes per block, a multiple of `alignment` */
    size_t alignment;                  /* every block starts at a multiple of it: a power of two
                                        * from VERA_ALIGNMENT to VERA_POOL_MAX_ALIGNMENT, given to
                                        * init (0 in a zero-initialised pool, which has no
                                        * blocks) */
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
    size_t failed_requests;         /* allocation calls that returned NULL (saturates) */
} vera_pool_t;

/* A copy of a pool's diagnostics (vera_pool_get_stats), taken at one instant. */
typedef struct vera_pool_stats {
    size_t block_size;      /* bytes per block (rounded up) */
    size_t block_count;     /* number of blocks */
    size_t blocks_free;     /* blocks free now */
    size_t blocks_used;     /* blocks handed out and not yet freed */
    size_t peak_used;       /* most blocks used at the same time since init */
    size_t failed_requests; /* allocation calls that returned NULL (saturates at SIZE_MAX) */
} vera_pool_stats_t;

#ifdef __FRAMAC__
#include "specs/pool_logic.h"
#endif

/* C linkage for C++ callers (the library is C; its symbols are not mangled). */
#ifdef __cplusplus
extern "C" {
#endif

/*
 * VERA_POOL_DEFINE(name, block_size, block_count): at file scope (or inside a function), defines
 * `static vera_pool_t name` together with static storage for its blocks (aligned to
 * VERA_ALIGNMENT, see VERA_STORAGE_ALIGNED) and its metadata, kept in separate objects.
 * VERA_POOL_INIT(name) then initialises the pool over that storage and returns vera_pool_init's
 * status; until then `name` is a pool with no blocks (every alloc fails). block_size and
 * block_count must be constant expressions; a block_size of 0, a block_count of 0 or above
 * VERA_POOL_MAX_BLOCKS, or a pool too large for size_t fails the build (VERA_POOL_CHECK), with
 * the broken rule in the error message, instead of failing later in VERA_POOL_INIT.
 *
 * VERA_POOL_DEFINE_ALIGNED(name, block_size, block_count, alignment) does the same for a pool
 * whose blocks start at multiples of `alignment` (a constant power of two from VERA_ALIGNMENT to
 * VERA_POOL_MAX_ALIGNMENT; anything else fails the build, naming the rule): block_size is rounded
 * up to a multiple of it and the storage is aligned to it (VERA_STORAGE_ALIGNED_TO).
 * VERA_POOL_DEFINE is VERA_POOL_DEFINE_ALIGNED with VERA_ALIGNMENT. Both also define the
 * enumeration constant name##_pool_alignment, which VERA_POOL_INIT passes to
 * vera_pool_init_aligned.
 */
#define VERA_POOL_DEFINE_ALIGNED(name, block_size, block_count, block_alignment)                    \
    VERA_POOL_CHECK_ALIGNED(name, block_size, block_count, block_alignment);                       \
    static vera_pool_index_t name##_metadata[VERA_POOL_METADATA_ENTRIES(block_count)];             \
    static union {                                                                                 \
        union vera_max_align alignment;                                                            \
        VERA_STORAGE_ALIGNED_TO(block_alignment)                                                   \
        char bytes[VERA_POOL_BUFFER_SIZE_ALIGNED(block_size, block_count, block_alignment)];        \
    } name##_blocks;                                                                               \
    static vera_pool_t name

#define VERA_POOL_DEFINE(name, block_size, block_count)                                            \
    VERA_POOL_DEFINE_ALIGNED(name, block_size, block_count, VERA_ALIGNMENT)

/*
 * A pool shared by several files: VERA_POOL_DECLARE(name, block_size, block_count) (or
 * VERA_POOL_DECLARE_ALIGNED(name, block_size, block_count, alignment)) in a header declares it
 * (with the same compile-time checks as VERA_POOL_DEFINE), and VERA_POOL_DEFINE_DECLARED(name) in
 * exactly one .c file that includes that header defines its storage (sizes and alignment taken
 * from the declaration, so they cannot disagree). Every file that includes the header may then
 * call VERA_POOL_INIT(name) (once, in one place) and use `&name`.
 */
#define VERA_POOL_DECLARE_ALIGNED(name, block_size, block_count, block_alignment)                   \
    VERA_POOL_CHECK_ALIGNED(name, block_size, block_count, block_alignment);                       \
    union name##_pool_storage {                                                                    \
        union vera_max_align alignment;                                                            \
        VERA_STORAGE_ALIGNED_TO(block_alignment)                                                   \
        char bytes[VERA_POOL_BUFFER_SIZE_ALIGNED(block_size, block_count, block_alignment)];        \
    };                                                                                             \
    extern vera_pool_index_t name##_metadata[VERA_POOL_METADATA_ENTRIES(block_count)];             \
    extern union name##_pool_storage name##_blocks;                                                \
    extern vera_pool_t name

#define VERA_POOL_DECLARE(name, block_size, block_count)                                           \
    VERA_POOL_DECLARE_ALIGNED(name, block_size, block_count, VERA_ALIGNMENT)

#define VERA_POOL_DEFINE_DECLARED(name)                                                            \
    vera_pool_index_t name##_metadata[sizeof(name##_metadata) / sizeof(name##_metadata[0])];      \
    union name##_pool_storage name##_blocks;                                                       \
    vera_pool_t name

/*
 * The compile-time checks of the DEFINE and DECLARE macros: one enumeration constant per rule,
 * named after the rule, whose value divides by zero (an error that names it) when the rule is
 * broken; and name##_pool_alignment, the pool's alignment for VERA_POOL_INIT. An enumeration
 * costs nothing, is allowed at file and block scope in C and C++, and draws no
 * unused-declaration warning.
 */
#define VERA_POOL_CHECK_ALIGNED(name, block_size, block_count, block_alignment)                     \
    enum {                                                                                         \
        name##_block_size_must_be_above_0 = 1 / (VERA_POOL_SIZE_OK(block_size) ? 1 : 0),           \
        name##_block_count_must_be_1_to_VERA_POOL_MAX_BLOCKS = 1 / (VERA_POOL_COUNT_OK(block_count) ? 1 : 0), \
        name##_alignment_must_be_a_power_of_two = 1 / (VERA_POOL_ALIGNMENT_POWER_OF_TWO(block_alignment) ? 1 : 0), \
        name##_alignment_must_be_at_least_VERA_ALIGNMENT = 1 / (((size_t)(block_alignment) >= VERA_ALIGNMENT) ? 1 : 0), \
        name##_alignment_must_be_at_most_VERA_POOL_MAX_ALIGNMENT = 1 / (((size_t)(block_alignment) <= VERA_POOL_MAX_ALIGNMENT) ? 1 : 0), \
        name##_pool_storage_must_fit_size_t = 1 / (VERA_POOL_STORAGE_OK(block_size, block_count, block_alignment) ? 1 : 0), \
        name##_pool_alignment = (int)(block_alignment)                                             \
    }
#define VERA_POOL_CHECK(name, block_size, block_count)                                             \
    VERA_POOL_CHECK_ALIGNED(name, block_size, block_count, VERA_ALIGNMENT)
#define VERA_POOL_SIZE_OK(block_size) ((block_size) > 0)
#define VERA_POOL_COUNT_OK(block_count)                                                            \
    ((block_count) > 0 && (size_t)(block_count) <= VERA_POOL_MAX_BLOCKS)
#define VERA_POOL_ALIGNMENT_POWER_OF_TWO(alignment)                                                \
    ((alignment) > 0 && ((size_t)(alignment) & ((size_t)(alignment) - 1u)) == 0u)
/* The rounded size does not wrap, and neither does its product with the count (a size of 0 is
 * reported by the rule above; here it counts as 1, and a bad alignment as VERA_ALIGNMENT, so that
 * the division is defined). */
#define VERA_POOL_STORAGE_OK(block_size, block_count, alignment)                                   \
    VERA_POOL_STORAGE_FITS(block_size, block_count,                                                \
                           VERA_POOL_ALIGNMENT_POWER_OF_TWO(alignment) ? (size_t)(alignment)       \
                                                                       : VERA_ALIGNMENT)
#define VERA_POOL_STORAGE_FITS(block_size, block_count, alignment)                                 \
    ((size_t)(block_size) <= SIZE_MAX - ((alignment) - 1u) &&                                      \
     (size_t)(block_count) <=                                                                      \
         SIZE_MAX / VERA_POOL_ROUNDED_BLOCK_SIZE_ALIGNED(                                          \
                        (size_t)(block_size) + ((block_size) > 0 ? 0u : 1u), alignment))

/* The block count and rounded block size of a pool defined with VERA_POOL_DEFINE(_ALIGNED). */
#define VERA_POOL_DEFINED_BLOCK_COUNT(name)                                                        \
    (sizeof(name##_metadata) / sizeof(name##_metadata[0]) / 2u)
#define VERA_POOL_DEFINED_BLOCK_SIZE(name)                                                         \
    (sizeof(name##_blocks.bytes) / VERA_POOL_DEFINED_BLOCK_COUNT(name))

/* Initialises a pool defined with a DEFINE (or DECLARE + DEFINE_DECLARED) macro, with the
 * alignment it was defined with; evaluates to a vera_status_t. */
#define VERA_POOL_INIT(name)                                                                       \
    vera_pool_init_aligned(&(name), name##_blocks.bytes, sizeof(name##_blocks.bytes),              \
                           VERA_POOL_DEFINED_BLOCK_SIZE(name), VERA_POOL_DEFINED_BLOCK_COUNT(name), \
                           (size_t)(name##_pool_alignment), name##_metadata,                       \
                           sizeof(name##_metadata) / sizeof(name##_metadata[0]))

/*
 * Makes `pool` hand out `block_count` blocks of `block_size` bytes (rounded up to a multiple of
 * `alignment`) from `buffer`, which holds `buffer_size` bytes and must start at a multiple of
 * `alignment`, so that every block does. `alignment` is a power of two from VERA_ALIGNMENT to
 * VERA_POOL_MAX_ALIGNMENT (e.g. 32 for Cortex-M7 cache lines or a DMA engine); anything else is
 * VERA_ERROR_INVALID_SIZE. `metadata` holds `metadata_entries` entries, at least
 * VERA_POOL_METADATA_ENTRIES(block_count); the pool keeps its free list there. Buffer, metadata
 * and pool must not overlap, and must stay valid and unused by anything else while the pool is
 * used. All blocks start free; the first allocations return them in address order.
 * `pool` must be zero-initialised (a static vera_pool_t, or `= {0}`) or initialised before: init
 * reads its counters. Re-initialising a pool whose blocks are all free is allowed and
 * re-configures it (new buffer, sizes, alignment and metadata; peak and failed requests back to
 * 0); a pool with blocks in use is refused with VERA_ERROR_IN_USE, as re-initialising it would
 * hand those blocks out a second time. (A vera_pool_t holding garbage may be refused as in use,
 * or re-configured.)
 * Overlap is checked where it is cheap, on the addresses (uintptr_t): the vera_pool_t, the blocks
 * (block_count rounded blocks from buffer) and the metadata entries the pool uses
 * (2 * block_count) must be disjoint; storage that overlaps in other ways (e.g. two pools sharing
 * a buffer) is not detected.
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
    assumes !vera_pool_init_arguments_given(pool, buffer, metadata);
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior invalid_size:
    assumes vera_pool_init_arguments_given(pool, buffer, metadata);
    assumes !vera_pool_init_sizes_valid(buffer_size, block_size, block_count, alignment,
                                        metadata_entries);
    assigns \nothing;
    ensures \result == VERA_ERROR_INVALID_SIZE;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior misaligned:
    assumes vera_pool_init_arguments_given(pool, buffer, metadata);
    assumes vera_pool_init_sizes_valid(buffer_size, block_size, block_count, alignment,
                                       metadata_entries);
    assumes !vera_pool_init_storage_aligned(buffer, alignment, metadata);
    assigns \nothing;
    ensures \result == VERA_ERROR_MISALIGNED;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior overlap:
    assumes vera_pool_init_arguments_given(pool, buffer, metadata);
    assumes vera_pool_init_sizes_valid(buffer_size, block_size, block_count, alignment,
                                       metadata_entries);
    assumes vera_pool_init_storage_aligned(buffer, alignment, metadata);
    assumes vera_pool_init_storage_overlaps(pool, buffer, block_size, block_count, alignment,
                                            metadata);
    assigns \nothing;
    ensures \result == VERA_ERROR_OVERLAP;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior in_use:
    assumes vera_pool_init_arguments_valid(pool, buffer, buffer_size, block_size, block_count,
                                           alignment, metadata, metadata_entries);
    assumes pool->free_count < pool->block_count;
    assigns \nothing;
    ensures \result == VERA_ERROR_IN_USE;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior initialised:
    assumes vera_pool_init_arguments_valid(pool, buffer, buffer_size, block_size, block_count,
                                           alignment, metadata, metadata_entries);
    assumes pool->free_count >= pool->block_count;
    assigns *pool, metadata[0 .. 2 * block_count - 1];
    ensures \result == VERA_OK;
    ensures metadata_kept: vera_pool_metadata_kept(metadata, 2 * block_count, metadata_entries);
    ensures vera_pool_well_formed(pool);
    ensures pool->base == (char *)buffer && pool->alignment == alignment;
    ensures pool->block_size == vera_round_up_to(block_size, alignment);
    ensures pool->block_count == block_count && pool->free_count == block_count;
    ensures pool->peak_used == 0 && pool->failed_requests == 0;
    ensures \forall integer b; 0 <= b < block_count ==> !VERA_POOL_BLOCK_USED(pool, b);
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_pool_init_aligned(vera_pool_t *pool, void *buffer, size_t buffer_size,
                                     size_t block_size, size_t block_count, size_t alignment,
                                     vera_pool_index_t *metadata, size_t metadata_entries);

/*
 * vera_pool_init_aligned with the alignment VERA_ALIGNMENT: the same checks, in the same order,
 * and the same results (its alignment is always valid). Its contract is that one's with
 * VERA_ALIGNMENT for `alignment`, proved from it; a refusal states "nothing changed" as the
 * postcondition `unchanged`, and a success the metadata entries it does not use as
 * `metadata_kept` (a caller cannot use the `assigns` of a callee's behavior).
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
    assumes !vera_pool_init_arguments_given(pool, buffer, metadata);
    ensures \result == VERA_ERROR_NULL_POINTER;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior invalid_size:
    assumes vera_pool_init_arguments_given(pool, buffer, metadata);
    assumes !vera_pool_init_sizes_valid(buffer_size, block_size, block_count, VERA_ALIGNMENT,
                                        metadata_entries);
    ensures \result == VERA_ERROR_INVALID_SIZE;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior misaligned:
    assumes vera_pool_init_arguments_given(pool, buffer, metadata);
    assumes vera_pool_init_sizes_valid(buffer_size, block_size, block_count, VERA_ALIGNMENT,
                                       metadata_entries);
    assumes !vera_pool_init_storage_aligned(buffer, VERA_ALIGNMENT, metadata);
    ensures \result == VERA_ERROR_MISALIGNED;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior overlap:
    assumes vera_pool_init_arguments_given(pool, buffer, metadata);
    assumes vera_pool_init_sizes_valid(buffer_size, block_size, block_count, VERA_ALIGNMENT,
                                       metadata_entries);
    assumes vera_pool_init_storage_aligned(buffer, VERA_ALIGNMENT, metadata);
    assumes vera_pool_init_storage_overlaps(pool, buffer, block_size, block_count,
                                            VERA_ALIGNMENT, metadata);
    ensures \result == VERA_ERROR_OVERLAP;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior in_use:
    assumes vera_pool_init_arguments_valid(pool, buffer, buffer_size, block_size, block_count,
                                           VERA_ALIGNMENT, metadata, metadata_entries);
    assumes pool->free_count < pool->block_count;
    ensures \result == VERA_ERROR_IN_USE;
    ensures unchanged: vera_pool_init_changed_nothing(pool, metadata, metadata_entries);
  behavior initialised:
    assumes vera_pool_init_arguments_valid(pool, buffer, buffer_size, block_size, block_count,
                                           VERA_ALIGNMENT, metadata, metadata_entries);
    assumes pool->free_count >= pool->block_count;
    ensures \result == VERA_OK;
    ensures metadata_kept: vera_pool_metadata_kept(metadata, 2 * block_count, metadata_entries);
    ensures vera_pool_well_formed(pool);
    ensures pool->base == (char *)buffer && pool->alignment == VERA_ALIGNMENT;
    ensures pool->block_size == vera_round_up(block_size);
    ensures pool->block_count == block_count && pool->free_count == block_count;
    ensures pool->peak_used == 0 && pool->failed_requests == 0;
    ensures \forall integer b; 0 <= b < block_count ==> !VERA_POOL_BLOCK_USED(pool, b);
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_pool_init(vera_pool_t *pool, void *buffer, size_t buffer_size, size_t block_size,
                             size_t block_count, vera_pool_index_t *metadata,
                             size_t metadata_entries);

/*
 * Returns a free block of vera_pool_block_size(pool) bytes, aligned to vera_pool_alignment(pool)
 * (and so to VERA_ALIGNMENT), and marks it used; or NULL (table above). The most recently freed block is handed out first.
 * Constant time.
 */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns pool->free_count, pool->peak_used, pool->failed_requests;

  behavior no_pool:
    assumes pool == \null;
    assigns \nothing;
    ensures \result == \null;
  behavior exhausted:
    assumes pool != \null && vera_pool_intact(pool) && pool->free_count == 0;
    assigns pool->failed_requests;
    ensures \result == \null;
    ensures vera_pool_well_formed(pool) && vera_pool_failure_counted(pool);
  behavior allocated:
    assumes pool != \null && vera_pool_intact(pool) && pool->free_count > 0;
    assigns pool->free_count, pool->peak_used;
    ensures vera_pool_well_formed(pool);
    ensures hands_out_a_free_block: vera_pool_hands_out_a_free_block(pool, (char *)\result);
    ensures in_bounds: vera_pool_block_in_bounds(pool, (char *)\result);
    ensures aligned: vera_pool_block_aligned(pool, (char *)\result);
    ensures separated: vera_pool_block_separated(pool, (char *)\result);
    ensures counted: vera_pool_allocation_counted(pool);
  behavior corrupted_metadata:
    assumes pool != \null && !vera_pool_intact(pool);
    ensures vera_pool_sane(pool);
    ensures contained: \result == \null || vera_pool_block_contained(pool, (char *)\result);
  complete behaviors;
  disjoint behaviors;
*/
void *vera_pool_alloc(vera_pool_t *pool);

/*
 * As vera_pool_alloc, whose contract this one builds on (success first; what each behavior
 * leaves unchanged is in its postconditions), and the block's bytes are all zero. The clearing
 * takes time proportional to the block size (a plain loop: the library does not call memset).
 */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns pool->free_count, pool->peak_used, pool->failed_requests,
          pool->base[0 .. pool->capacity - 1];

  behavior allocated:
    assumes pool != \null && vera_pool_intact(pool) && pool->free_count > 0;
    ensures vera_pool_well_formed(pool);
    ensures hands_out_a_free_block: vera_pool_hands_out_a_free_block(pool, (char *)\result);
    ensures in_bounds: vera_pool_block_in_bounds(pool, (char *)\result);
    ensures aligned: vera_pool_block_aligned(pool, (char *)\result);
    ensures zeroed: \forall integer i; 0 <= i < pool->block_size ==> ((char *)\result)[i] == 0;
    ensures other_bytes_unchanged:
        \forall integer i; 0 <= i < pool->capacity &&
            (i < (char *)\result - pool->base ||
             (char *)\result - pool->base + pool->block_size <= i) ==>
            pool->base[i] == \at(pool->base[i], Pre);
    ensures separated: vera_pool_block_separated(pool, (char *)\result);
    ensures counted: vera_pool_allocation_counted(pool);
  behavior exhausted:
    assumes pool != \null && vera_pool_intact(pool) && pool->free_count == 0;
    ensures \result == \null;
    ensures vera_pool_well_formed(pool) && vera_pool_failure_counted(pool);
  behavior corrupted_metadata:
    assumes pool != \null && !vera_pool_intact(pool);
    ensures vera_pool_sane(pool);
    ensures contained: \result == \null || vera_pool_block_contained(pool, (char *)\result);
  behavior no_pool:
    assumes pool == \null;
    assigns \nothing;
    ensures \result == \null;
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
  requires pool == \null || vera_pool_sane(pool);
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
    assumes vera_pool_intact(pool) && !VERA_POOL_BLOCK_USED(pool, VERA_POOL_INDEX(pool, (char *)block));
    assigns \nothing;
    ensures \result == VERA_ERROR_DOUBLE_FREE;
  behavior released:
    assumes pool != \null && block != \null && VERA_POOL_AT_BLOCK_START(pool, (char *)block);
    assumes vera_pool_intact(pool) && VERA_POOL_BLOCK_USED(pool, VERA_POOL_INDEX(pool, (char *)block));
    ensures \result == VERA_OK;
    ensures vera_pool_well_formed(pool);
    ensures the_block_is_now_free: !VERA_POOL_BLOCK_USED(pool, VERA_POOL_INDEX(pool, (char *)block));
    ensures every_other_block_unchanged:
        vera_pool_other_blocks_unchanged(pool, VERA_POOL_INDEX(pool, (char *)block));
    ensures used_count: pool->free_count == \old(pool->free_count) + 1;
  behavior corrupted_metadata:
    assumes pool != \null && block != \null && VERA_POOL_AT_BLOCK_START(pool, (char *)block);
    assumes !vera_pool_intact(pool);
    ensures vera_pool_sane(pool);
    ensures \result == VERA_OK || \result == VERA_ERROR_DOUBLE_FREE ||
            \result == VERA_ERROR_CORRUPTED;
    ensures unchanged_when_rejected: \result != VERA_OK ==> vera_pool_metadata_unchanged(pool);
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_pool_free(vera_pool_t *pool, void *block);

/*
 * True if `pointer` points to any byte of any block of `pool` (used or free), false otherwise.
 * Constant time.
 */
/*@
  requires pool == \null || vera_pool_sane(pool);
  requires pointer == \null || \object_pointer((char *)pointer);
  assigns \nothing;
  ensures \result <==> (pool != \null && pointer != \null &&
                        VERA_POOL_IN_BLOCKS(pool, (char *)pointer));
*/
bool vera_pool_owns(const vera_pool_t *pool, const void *pointer);

/* Bytes per block: the block_size given to init, rounded up to the pool's alignment. */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->block_size);
*/
size_t vera_pool_block_size(const vera_pool_t *pool);

/* The pool's alignment: every block starts at a multiple of it (VERA_ALIGNMENT for a pool made by
 * vera_pool_init or VERA_POOL_DEFINE; 0 for a pool never initialised). */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->alignment);
*/
size_t vera_pool_alignment(const vera_pool_t *pool);

/* Number of blocks. */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->block_count);
*/
size_t vera_pool_block_count(const vera_pool_t *pool);

/* Number of free blocks: block count - blocks used. */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->free_count);
*/
size_t vera_pool_blocks_free(const vera_pool_t *pool);

/* Number of blocks handed out and not yet freed. */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : VERA_POOL_USED_COUNT(pool));
*/
size_t vera_pool_blocks_used(const vera_pool_t *pool);

/* The largest number of blocks used at the same time since init: size the pool with it. */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->peak_used);
*/
size_t vera_pool_peak_used(const vera_pool_t *pool);

/* How many allocation calls returned NULL since init (saturates at SIZE_MAX). */
/*@
  requires pool == \null || vera_pool_sane(pool);
  assigns \nothing;
  ensures \result == (pool == \null ? 0 : pool->failed_requests);
*/
size_t vera_pool_failed_requests(const vera_pool_t *pool);

/*
 * Copies the pool's diagnostics into *stats, all taken at one instant (under the lock of
 * veralloc/lock.h): what the queries above return one by one. Constant time.
 * Returns VERA_OK, or VERA_ERROR_NULL_POINTER if pool or stats is NULL (nothing is written).
 */
/*@
  requires pool == \null || vera_pool_sane(pool);
  requires stats == \null || \valid(stats);
  requires pool != \null && stats != \null ==>
      \separated(stats, pool, pool->free_order + (0 .. pool->block_count - 1),
                 pool->block_position + (0 .. pool->block_count - 1));
  assigns *stats;

  behavior null_pointer:
    assumes pool == \null || stats == \null;
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
  behavior copied:
    assumes pool != \null && stats != \null;
    ensures \result == VERA_OK;
    ensures stats->block_size == pool->block_size && stats->block_count == pool->block_count;
    ensures stats->blocks_free == pool->free_count &&
            stats->blocks_used == VERA_POOL_USED_COUNT(pool);
    ensures stats->peak_used == pool->peak_used &&
            stats->failed_requests == pool->failed_requests;
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_pool_get_stats(const vera_pool_t *pool, vera_pool_stats_t *stats);

/*
 * A constant-time check of the pool's state, for a watchdog or a debug build: true if nothing
 * wrong was found, false if pool is NULL or the state is corrupted. Proved to return true on
 * every valid pool (the invariant vera_pool_well_formed: a zero-initialised pool, or any pool
 * init, alloc and free leave). It checks
 *   - the counters: block_count <= VERA_POOL_MAX_BLOCKS, block_size not 0 when there are
 *     blocks, capacity == block_size * block_count, free_count <= block_count,
 *     block_count - free_count <= peak_used <= block_count;
 *   - the alignment, when there are blocks: a power of two from VERA_ALIGNMENT to
 *     VERA_POOL_MAX_ALIGNMENT, with block_size and the address of base multiples of it;
 *   - the pointers: when there are blocks, base and both metadata arrays not NULL (where the
 *     arrays point is not checked: see below);
 *   - the metadata at the two places alloc and free touch next: the top of the free stack
 *     (free_order[free_count - 1], when a block is free) and the first used entry
 *     (free_order[free_count], when a block is used) each name a block index below block_count
 *     whose block_position entry points back to that place.
 * It cannot check, in constant time, the rest of the permutation (the other entries of the two
 * arrays): a stray write there is found only when alloc or free reaches it (each of them checks
 * the entries it uses). It reads the metadata through the pool's pointers, so those must still
 * point to readable memory: a vera_pool_t overwritten with arbitrary pointers cannot be checked.
 * Takes the lock of veralloc/lock.h.
 */
/*@
  requires pool == \null || vera_pool_readable(pool);
  assigns \nothing;

  behavior no_pool:
    assumes pool == \null;
    ensures \result == \false;
  behavior valid_pool:
    assumes pool != \null && vera_pool_well_formed(pool);
    ensures \result == \true;
*/
bool vera_pool_check(const vera_pool_t *pool);

#ifdef __cplusplus
}
#endif

#endif /* VERALLOC_POOL_H */
