/*
 * veralloc heap: blocks of any size, given back in any order, in constant time.
 *
 * STATUS (issue 13, docs/heap_design.md): init, alloc, alloc_aligned, realloc, free,
 * usable_size, get_stats, check, last_error and the MiraOS callback are built; the libc shim is
 * in libc_shim/ (optional, not proved). What is proved is in docs/proofs.md ("The heap"); in
 * short, memory safety whatever the metadata holds, the classification of every bad pointer, the
 * alignment asked, realloc keeping the block's bytes, but NOT yet the structural invariant
 * (blocks tile the heap, free lists hold exactly the free blocks, complete coalescing), which
 * the fuzzer checks against an independent model.
 *
 *     VERA_HEAP_DEFINE(app_heap, 16384);          // file scope: 16 KiB heap and its granule map
 *     ...
 *     if (VERA_HEAP_INIT(app_heap) != VERA_OK) { ... }
 *     char *text = vera_heap_alloc(&app_heap, 100);
 *     ...
 *     (void)vera_heap_free(&app_heap, text);
 *
 * Design (docs/heap_design.md): the buffer is cut into granules of VERA_HEAP_GRANULE bytes
 * (VERA_ALIGNMENT: 8 on Cortex-M, 16 on 64-bit hosts). A request is rounded up to a power of two
 * of granules, at least VERA_HEAP_MIN_BLOCK_GRANULES. Free blocks sit in 30 bins by the power of
 * two below their size, doubly linked, with a bitmap of non-empty bins: alloc takes the first
 * block of the lowest non-empty bin that guarantees a fit and splits off the rest; free merges the
 * block with free neighbours on both sides at once. Every piece of the heap's state lives out of
 * band: the struct and the granule map (one 32-bit word per granule, kept apart from the buffer),
 * so a write past the end of a block reaches the next block's bytes, never the heap's state.
 *
 * Guarantees
 *   - alloc, alloc_aligned, free, usable_size, get_stats: constant time (no loop). realloc:
 *     constant time apart from the copy when it must move (the old block's usable bytes).
 *     check: 30 iterations. init: proportional to the granules (it clears the map).
 *   - A block handed out lies in the buffer for at least the size asked (usable_size says how
 *     much), aligned to VERA_HEAP_GRANULE, and is not handed out again until it is freed.
 *   - Every bad free is detected, from the map alone, every time, with nothing changed: a pointer
 *     outside the buffer, not at a block start (interior, or a block merged into its neighbour),
 *     or at a free block (double free).
 *   - Metadata: 4 bytes per granule (VERA_HEAP_MAP_ENTRIES): 50 % of the buffer on Cortex-M
 *     (granule 8), 25 % on x86-64 (granule 16), plus the struct (about 170 bytes on Cortex-M).
 *   - Capacity: up to VERA_HEAP_MAX_GRANULES granules (8 GiB at granule 8): the whole RAM of a
 *     32-bit target, and far beyond 256 MiB on a 64-bit host.
 *   - Blocks are not zeroed: a block holds what it held before.
 *
 * Fragmentation bound (docs/heap_design.md, section 5): o1heap's bound for the same policy,
 * NOT proved for vera_heap. A buffer of
 *     H = 2 * M * (1 + ceil(log2 n)) bytes
 * never fails an allocation (for want of room or from fragmentation) of an application that never
 * has more than M bytes live nor asks for more than its largest request, where
 *   M = the most bytes live at once, each live block counted at its rounded size R(s): the request
 *       rounded up to whole granules, then to a power of two of granules, at least 4 granules
 *       (R(100) = 128 on Cortex-M). vera_heap_get_stats' allocated is the sum of R(s) plus at
 *       most 3 granules (a rest too small to split off; only a capacity that is not a multiple of
 *       4 granules has one). Knowing only the bytes asked: R(s) <= 2 * max(s, 4 granules).
 *   n = R(largest request) / (4 * VERA_HEAP_GRANULE), a power of two (1 if every request fits
 *       the smallest block).
 * Example: M = 8 KiB, largest request 256 bytes, Cortex-M: n = 8, H = 2 * 8 KiB * 4 = 64 KiB (and
 * its map, 32 KiB). The formula is o1heap's for its half-fit policy (power-of-two blocks, the
 * lowest bin that guarantees a fit, split from the low end, immediate coalescing: this heap's),
 * after Robson's analyses of dynamic storage allocation; it is a property of every request
 * sequence, which no contract states. tests/heap_fragmentation_test.c drives adversarial sequences
 * against it: none fails with H bytes, and the same driver does fail with H / 4.
 *
 * Error table (first matching row wins; a failed call changes nothing but the diagnostics)
 *   | call                 | situation                                        | result                     |
 *   |----------------------|--------------------------------------------------|----------------------------|
 *   | vera_heap_init       | heap, buffer or map NULL                         | VERA_ERROR_NULL_POINTER    |
 *   | vera_heap_init       | size / VERA_HEAP_GRANULE below 4 or above        | VERA_ERROR_INVALID_SIZE    |
 *   |                      | VERA_HEAP_MAX_GRANULES, or map_entries below it  |                            |
 *   | vera_heap_init       | buffer not VERA_HEAP_GRANULE-aligned, or map not | VERA_ERROR_MISALIGNED      |
 *   |                      | aligned to its words                             |                            |
 *   | vera_heap_init       | heap, buffer and map overlap                     | VERA_ERROR_OVERLAP         |
 *   | vera_heap_init       | heap has live blocks                             | VERA_ERROR_IN_USE          |
 *   | vera_heap_alloc      | heap NULL                                        | NULL                       |
 *   | vera_heap_alloc      | size 0, or above the heap's capacity or its      | NULL, counted, last error  |
 *   |                      | largest block (a power of two of granules); also | VERA_ERROR_INVALID_SIZE    |
 *   |                      | every size on a heap never initialised (its      |                            |
 *   |                      | capacity is 0)                                   |                            |
 *   | vera_heap_alloc      | no free block of the rounded size                | NULL, counted, last error  |
 *   |                      |                                                  | VERA_ERROR_NO_MEMORY       |
 *   | vera_heap_alloc      | corrupted metadata met on the way                | NULL, counted, last error  |
 *   |                      |                                                  | VERA_ERROR_CORRUPTED       |
 *   | vera_heap_alloc_aligned | as vera_heap_alloc, and: alignment not a power | NULL, counted, last error  |
 *   |                      | of two (0 included) or above the capacity        | VERA_ERROR_INVALID_SIZE    |
 *   | vera_heap_realloc    | see its own table below                          |                            |
 *   | vera_heap_free       | heap NULL                                        | VERA_ERROR_NULL_POINTER    |
 *   | vera_heap_free       | block NULL                                       | VERA_OK, nothing happens   |
 *   | vera_heap_free       | pointer outside the buffer                       | VERA_ERROR_NOT_OWNED       |
 *   | vera_heap_free       | inside, not at the start of a live block         | VERA_ERROR_NOT_BLOCK_START |
 *   |                      | (interior, or a block since merged away)         |                            |
 *   | vera_heap_free       | start of a free block (double free)              | VERA_ERROR_DOUBLE_FREE     |
 *   | vera_heap_free       | corrupted metadata met on the way                | VERA_ERROR_CORRUPTED       |
 *   | vera_heap_usable_size| heap or block NULL, or any case of free's rows   | 0                          |
 *   |                      | above (not owned, not a block start, free)       |                            |
 *   | vera_heap_get_stats  | heap or stats NULL                               | VERA_ERROR_NULL_POINTER    |
 *   | vera_heap_check      | heap NULL, or an inconsistency found             | false                      |
 *   | vera_heap_last_error | heap NULL                                        | VERA_ERROR_NULL_POINTER    |
 *
 * Corrupted metadata: the heap validates every index it reads from the granule map and its bins
 * (in range, tagged as expected) before it writes through it, so a stray write of the application
 * into the map (or the struct's bins) can never make the heap write outside its struct and map,
 * or hand out memory outside the buffer: proved, whatever the map holds. A call that meets
 * corrupted metadata fails as in the table; it may have updated part of the map before it met
 * it, so a heap that reported VERA_ERROR_CORRUPTED must be treated as lost (re-initialise it once
 * its blocks are no longer used).
 *
 * Rules a reader must not guess
 *   - failed_requests counts every NULL from alloc, alloc_aligned and realloc on a non-NULL heap;
 *     vera_heap_last_error says why the most recent one failed (VERA_OK until one has). A
 *     rejected free changes no counter.
 *   - A vera_heap_t must not be copied: copy and original would share the map.
 *   - Storage given to vera_heap_init yourself: keep the map below the buffer in memory, or in
 *     another section, so that running off the end of the last block cannot reach it.
 *     VERA_HEAP_DEFINE does this.
 *
 * Interrupts and threads: every function takes the lock of veralloc/lock.h around its access to
 * the heap's state, as the other allocators do.
 */
#ifndef VERALLOC_HEAP_H
#define VERALLOC_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veralloc/config.h"
#include "veralloc/status.h"

/* One word of the granule map: a tag (2 bits) over a payload (30 bits). */
typedef uint32_t vera_heap_word_t;

/* The unit of the heap: every block is a whole number of granules, and granule-aligned. */
#define VERA_HEAP_GRANULE VERA_ALIGNMENT

/* Map words: tag * VERA_HEAP_TAG_UNIT + payload. The tags: a granule that heads no block, the
 * head of a live block (payload: its size in granules), the head of a free block (its size), a
 * link slot (payload: a granule index, or VERA_HEAP_NIL). */
#define VERA_HEAP_TAG_UNIT 0x40000000u
#define VERA_HEAP_TAG_OTHER 0u
#define VERA_HEAP_TAG_LIVE 1u
#define VERA_HEAP_TAG_FREE 2u
#define VERA_HEAP_TAG_LINK 3u
#define VERA_HEAP_NIL 0x3FFFFFFFu

/* The most granules one heap can have (a granule index must fit in the 30-bit payload, NIL
 * apart), and the fewest a block has: a free block keeps its size, two list links and a
 * back-link in the map slots of its own granules. */
#define VERA_HEAP_MAX_GRANULES 0x3FFFFFFFu
#define VERA_HEAP_MIN_BLOCK_GRANULES 4u

/* Bins of free blocks: bin k holds the free blocks of 2^k to 2^(k+1) - 1 granules. */
#define VERA_HEAP_BINS 30u

/* Granules, and map entries, of a heap over `capacity_bytes` bytes. */
#define VERA_HEAP_GRANULES(capacity_bytes) ((size_t)(capacity_bytes) / VERA_HEAP_GRANULE)
#define VERA_HEAP_MAP_ENTRIES(capacity_bytes) VERA_HEAP_GRANULES(capacity_bytes)

/*
 * A heap. Read it through the functions below; its fields are not part of the API. A
 * zero-initialised vera_heap_t (static, or `= {0}`) is a heap with no granules: every allocation
 * fails (counted, VERA_ERROR_INVALID_SIZE: every size is above its capacity of 0) and every free of a non-NULL pointer is
 * VERA_ERROR_NOT_OWNED, until vera_heap_init succeeds.
 */
typedef struct vera_heap {
    char *base;                              /* first granule; VERA_HEAP_GRANULE-aligned */
    vera_heap_word_t *map;                   /* one word per granule, outside the buffer */
    size_t granules;                         /* granules in the buffer */
    size_t capacity;                         /* granules * VERA_HEAP_GRANULE bytes */
    uint32_t nonempty;                       /* bit k set: bin k holds a free block */
    uint32_t bin_head[VERA_HEAP_BINS];       /* first free block of each bin, or VERA_HEAP_NIL */
    size_t allocated;                        /* bytes in live blocks (whole blocks) */
    size_t peak_allocated;                   /* the most bytes live at once */
    size_t largest_request;                  /* the largest size asked of any alloc or realloc */
    size_t failed_requests;                  /* NULLs returned by alloc (saturating) */
    size_t live_blocks;                      /* blocks handed out and not freed */
    size_t free_blocks;                      /* free blocks (in the bins) */
    vera_status_t last_error;                /* why the most recent failed alloc failed */
} vera_heap_t;

/* A snapshot of a heap's counters (vera_heap_get_stats). */
typedef struct vera_heap_stats {
    size_t capacity;                         /* bytes of the buffer the heap manages */
    size_t allocated;                        /* bytes in live blocks */
    size_t free_bytes;                       /* capacity - allocated */
    size_t peak_allocated;
    size_t largest_request;
    size_t failed_requests;
    size_t live_blocks;
    size_t free_blocks;
    size_t metadata_bytes;                   /* bytes of the granule map */
} vera_heap_stats_t;

#ifdef __FRAMAC__
#include "specs/heap_logic.h"
#endif

/* C linkage for C++ callers (the library is C; its symbols are not mangled). */
#ifdef __cplusplus
extern "C" {
#endif

/*
 * VERA_HEAP_DEFINE(name, capacity_bytes): defines `static vera_heap_t name` with static storage
 * for its granule map and its buffer, the map first (so a write past the end of any block runs
 * into later blocks or past the storage, never into the map). capacity_bytes must be a constant
 * expression; a heap of fewer than 4 granules or more than VERA_HEAP_MAX_GRANULES fails the
 * build (VERA_HEAP_CHECK) with the rule's name in the message. VERA_HEAP_INIT(name) then
 * initialises it and returns vera_heap_init's status.
 */
#define VERA_HEAP_DEFINE(name, capacity_bytes)                                                     \
    VERA_HEAP_CHECK(name, capacity_bytes);                                                         \
    static struct {                                                                                \
        vera_heap_word_t map[VERA_HEAP_MAP_ENTRIES(capacity_bytes)];                               \
        union {                                                                                    \
            union vera_max_align alignment;                                                        \
            VERA_STORAGE_ALIGNED char bytes[VERA_HEAP_GRANULES(capacity_bytes) * VERA_HEAP_GRANULE]; \
        } buffer;                                                                                  \
    } name##_storage;                                                                              \
    static vera_heap_t name

/* The compile-time checks of VERA_HEAP_DEFINE (as VERA_POOL_CHECK: an enumeration constant per
 * rule that divides by zero when the rule is broken). */
#define VERA_HEAP_CHECK(name, capacity_bytes)                                                      \
    enum {                                                                                         \
        name##_heap_must_hold_at_least_4_granules = 1 / ((VERA_HEAP_GRANULES(capacity_bytes) >= VERA_HEAP_MIN_BLOCK_GRANULES) ? 1 : 0), \
        name##_heap_must_hold_at_most_VERA_HEAP_MAX_GRANULES = 1 / ((VERA_HEAP_GRANULES(capacity_bytes) <= VERA_HEAP_MAX_GRANULES) ? 1 : 0) \
    }

/* Initialises a heap defined with VERA_HEAP_DEFINE; evaluates to a vera_status_t. */
#define VERA_HEAP_INIT(name)                                                                       \
    vera_heap_init(&(name), name##_storage.buffer.bytes, sizeof(name##_storage.buffer.bytes),      \
                   name##_storage.map,                                                             \
                   sizeof(name##_storage.map) / sizeof(name##_storage.map[0]))

/*
 * Makes `heap` manage `size` bytes from `buffer` (whole granules: size / VERA_HEAP_GRANULE of
 * them; a remainder is not used) as one free block, with `map` (map_entries words, at least
 * VERA_HEAP_MAP_ENTRIES(size)) as its granule map. buffer must be VERA_HEAP_GRANULE-aligned.
 * heap, buffer and map must not overlap (checked on the addresses), and must stay valid and
 * unused by anything else while the heap is used. `heap` must be zero-initialised or
 * initialised before: a heap with live blocks is refused (VERA_ERROR_IN_USE); one without is
 * re-configured. Returns VERA_OK or an error of the table with heap, buffer and map unchanged.
 * Time: proportional to the granules.
 */
/*@
  requires heap == \null || \valid(heap);
  requires buffer != \null ==> \valid((char *)buffer + (0 .. size - 1));
  requires map != \null ==> \valid(map + (0 .. map_entries - 1));
  requires \separated(heap, (char *)buffer + (0 .. size - 1), map + (0 .. map_entries - 1));
  requires \separated((char *)buffer + (0 .. size - 1), map + (0 .. map_entries - 1));
  assigns *heap, map[0 .. map_entries - 1];

  behavior null_pointer:
    assumes !vera_heap_init_arguments_given(heap, buffer, map);
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
  behavior invalid_size:
    assumes vera_heap_init_arguments_given(heap, buffer, map);
    assumes !vera_heap_init_sizes_valid(size, map_entries);
    assigns \nothing;
    ensures \result == VERA_ERROR_INVALID_SIZE;
  behavior misaligned:
    assumes vera_heap_init_arguments_given(heap, buffer, map);
    assumes vera_heap_init_sizes_valid(size, map_entries);
    assumes !vera_heap_init_storage_aligned(buffer, map);
    assigns \nothing;
    ensures \result == VERA_ERROR_MISALIGNED;
  behavior overlap:
    assumes vera_heap_init_arguments_given(heap, buffer, map);
    assumes vera_heap_init_sizes_valid(size, map_entries);
    assumes vera_heap_init_storage_aligned(buffer, map);
    assumes vera_heap_init_storage_overlaps(heap, buffer, size, map);
    assigns \nothing;
    ensures \result == VERA_ERROR_OVERLAP;
  behavior in_use:
    assumes vera_heap_init_arguments_valid(heap, buffer, size, map, map_entries);
    assumes heap->live_blocks > 0;
    assigns \nothing;
    ensures \result == VERA_ERROR_IN_USE;
  behavior initialised:
    assumes vera_heap_init_arguments_valid(heap, buffer, size, map, map_entries);
    assumes heap->live_blocks == 0;
    assigns *heap, map[0 .. map_entries - 1];
    ensures \result == VERA_OK;
    ensures vera_heap_sane(heap);
    ensures heap->base == (char *)buffer && heap->map == map;
    ensures heap->granules == size / VERA_HEAP_GRANULE;
    ensures heap->allocated == 0 && heap->live_blocks == 0 && heap->free_blocks == 1;
    ensures heap->failed_requests == 0 && heap->last_error == VERA_OK;
    ensures vera_heap_tag(map[0]) == VERA_HEAP_TAG_FREE &&
            vera_heap_payload(map[0]) == heap->granules;
    ensures \forall integer g; 0 < g < heap->granules ==>
        vera_heap_tag(map[g]) != VERA_HEAP_TAG_LIVE && vera_heap_tag(map[g]) != VERA_HEAP_TAG_FREE;
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_heap_init(vera_heap_t *heap, void *buffer, size_t size, vera_heap_word_t *map,
                             size_t map_entries);

/*
 * Returns a block of at least `size` bytes (usable_size says how many), aligned to
 * VERA_HEAP_GRANULE, or NULL (table above; the reason in vera_heap_last_error). Constant time.
 */
/*@
  requires heap == \null || vera_heap_sane(heap);
  assigns *heap, heap->map[0 .. heap->granules - 1];

  behavior no_heap:
    assumes heap == \null;
    assigns \nothing;
    ensures \result == \null;
  behavior invalid_size:
    assumes heap != \null && (size == 0 || size > heap->capacity);
    assigns heap->failed_requests, heap->last_error, heap->largest_request;
    ensures \result == \null && vera_heap_sane(heap);
    ensures vera_heap_failure_counted(heap);
    ensures heap->last_error == VERA_ERROR_INVALID_SIZE;
  behavior may_allocate:
    assumes heap != \null && 0 < size <= heap->capacity;
    ensures vera_heap_sane(heap);
    ensures \result == \null ==> vera_heap_failure_counted(heap);
    ensures \result == \null ==> heap->last_error != VERA_OK;
    ensures \result != \null ==> vera_heap_block_handed_out(heap, (char *)\result, size);
    ensures \result != \null ==> heap->failed_requests == \old(heap->failed_requests);
  complete behaviors;
  disjoint behaviors;
*/
void *vera_heap_alloc(vera_heap_t *heap, size_t size);

/*
 * Returns a block of at least `size` bytes whose address is a multiple of `alignment` (a power of
 * two; VERA_HEAP_GRANULE or less gives VERA_HEAP_GRANULE), or NULL (table above). The block is
 * freed, resized and measured like any other, and vera_heap_realloc keeps its alignment. The
 * search asks for a block with room for the padding too (up to alignment / VERA_HEAP_GRANULE + 3
 * granules, given back as a free block in front of it), so it can fail where a plain alloc of the
 * same size would not. Constant time.
 */
/*@
  requires heap == \null || vera_heap_sane(heap);
  assigns *heap, heap->map[0 .. heap->granules - 1];

  behavior no_heap:
    assumes heap == \null;
    assigns \nothing;
    ensures \result == \null;
  behavior invalid_request:
    assumes heap != \null && !vera_heap_request_valid(heap, size, alignment);
    assigns heap->failed_requests, heap->last_error, heap->largest_request;
    ensures \result == \null && vera_heap_sane(heap);
    ensures vera_heap_failure_counted(heap);
    ensures heap->last_error == VERA_ERROR_INVALID_SIZE;
  behavior may_allocate:
    assumes heap != \null && vera_heap_request_valid(heap, size, alignment);
    ensures vera_heap_sane(heap);
    ensures \result == \null ==> vera_heap_failure_counted(heap);
    ensures \result == \null ==> heap->last_error != VERA_OK;
    ensures \result != \null ==> vera_heap_block_handed_out(heap, (char *)\result, size);
    ensures \result != \null ==>
        vera_address_aligned((char *)\result, vera_max(alignment, VERA_HEAP_GRANULE));
    ensures \result != \null ==>
        VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)\result) + 1) * VERA_HEAP_GRANULE ==
            vera_max(alignment, VERA_HEAP_GRANULE);
    ensures \result != \null ==> heap->failed_requests == \old(heap->failed_requests);
  complete behaviors;
  disjoint behaviors;
*/
void *vera_heap_alloc_aligned(vera_heap_t *heap, size_t size, size_t alignment);


/*
 * Gives back a block that vera_heap_alloc returned, merging it with its free neighbours.
 * Returns VERA_OK, or an error of the table with nothing changed. Constant time.
 */
/*@
  requires heap == \null || vera_heap_sane(heap);
  assigns *heap, heap->map[0 .. heap->granules - 1];

  behavior no_heap:
    assumes heap == \null;
    assigns \nothing;
    ensures \result == VERA_ERROR_NULL_POINTER;
  behavior no_block:
    assumes heap != \null && block == \null;
    assigns \nothing;
    ensures \result == VERA_OK;
  behavior not_owned:
    assumes heap != \null && block != \null;
    assumes !vera_heap_in_buffer(heap->base, heap->capacity, (char *)block);
    assigns \nothing;
    ensures \result == VERA_ERROR_NOT_OWNED;
  behavior not_block_start:
    assumes heap != \null && block != \null;
    assumes vera_heap_in_buffer(heap->base, heap->capacity, (char *)block);
    assumes !VERA_HEAP_AT_GRANULE(heap, (char *)block) ||
        (VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) != VERA_HEAP_TAG_LIVE &&
         VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) != VERA_HEAP_TAG_FREE);
    assigns \nothing;
    ensures \result == VERA_ERROR_NOT_BLOCK_START;
  behavior double_free:
    assumes heap != \null && block != \null;
    assumes VERA_HEAP_AT_GRANULE(heap, (char *)block);
    assumes VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) == VERA_HEAP_TAG_FREE;
    assigns \nothing;
    ensures \result == VERA_ERROR_DOUBLE_FREE;
  behavior released:
    assumes heap != \null && block != \null;
    assumes VERA_HEAP_AT_GRANULE(heap, (char *)block);
    assumes VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) == VERA_HEAP_TAG_LIVE;
    ensures vera_heap_sane(heap);
    ensures \result == VERA_OK || \result == VERA_ERROR_CORRUPTED;
    ensures \result == VERA_OK ==>
        VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) != VERA_HEAP_TAG_LIVE;
    ensures \result == VERA_OK ==>
        heap->allocated == \old(heap->allocated) -
            \old(VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block))) * VERA_HEAP_GRANULE &&
        heap->live_blocks == \old(heap->live_blocks) - 1;
  complete behaviors;
  disjoint behaviors;
*/
vera_status_t vera_heap_free(vera_heap_t *heap, void *block);

/*
 * Resizes the live block at `block` to hold `size` bytes, with C's realloc semantics and every
 * case defined (first matching row wins):
 *   | heap NULL                                     | NULL                                       |
 *   | block NULL                                    | vera_heap_alloc(heap, size)                |
 *   | block not a live block (any reason of free's  | NULL, counted, last error free's status,   |
 *   | rows: not owned, not a block start, free)     | nothing changed                            |
 *   | size 0 or above the capacity                  | NULL, counted, VERA_ERROR_INVALID_SIZE,    |
 *   |                                               | the block stays live (no hidden free)      |
 *   | smaller, or still fits                        | block, in place; a tail of 4 granules or   |
 *   |                                               | more goes back (merged on its right)       |
 *   | larger, the free right neighbour has room     | block, in place                            |
 *   | larger otherwise                              | a new block with the old one's alignment,  |
 *   |                                               | its usable bytes copied, the old one freed |
 *   | no room for the new block                     | NULL, counted, last error                  |
 *   |                                               | VERA_ERROR_NO_MEMORY (VERA_ERROR_INVALID_  |
 *   |                                               | SIZE if no block of this heap can ever be  |
 *   |                                               | that large, as alloc says), block unchanged|
 * The first min(old usable size, size) bytes are kept in every case. A moved block's bytes are
 * copied outside the lock (interrupts are not held off for the copy); if meanwhile another
 * context freed the old block (an application bug) or the map turned out corrupted, the new
 * block is still returned and vera_heap_last_error says why the old one was not freed.
 * Constant time apart from the copy.
 */
/*@
  requires heap == \null || vera_heap_sane(heap);
  assigns *heap, heap->map[0 .. heap->granules - 1], heap->base[0 .. heap->capacity - 1];

  behavior no_heap:
    assumes heap == \null;
    assigns \nothing;
    ensures \result == \null;
  behavior allocate:
    assumes heap != \null && block == \null;
    assigns *heap, heap->map[0 .. heap->granules - 1];
    ensures vera_heap_sane(heap);
    ensures \result == \null ==> vera_heap_failure_counted(heap) && heap->last_error != VERA_OK;
    ensures \result != \null ==> vera_heap_block_handed_out(heap, (char *)\result, size);
  behavior bad_block:
    assumes heap != \null && block != \null;
    assumes vera_heap_pointer_status(heap, (char *)block) != VERA_OK;
    assigns heap->failed_requests, heap->last_error, heap->largest_request;
    ensures \result == \null;
    ensures vera_heap_failure_counted(heap);
    ensures heap->last_error == vera_heap_pointer_status(heap, (char *)block);
  behavior invalid_size:
    assumes heap != \null && block != \null;
    assumes vera_heap_pointer_status(heap, (char *)block) == VERA_OK;
    assumes size == 0 || size > heap->capacity;
    assigns heap->failed_requests, heap->last_error, heap->largest_request;
    ensures \result == \null;
    ensures vera_heap_failure_counted(heap);
    ensures heap->last_error == VERA_ERROR_INVALID_SIZE;
  behavior resize:
    assumes heap != \null && block != \null;
    assumes vera_heap_pointer_status(heap, (char *)block) == VERA_OK;
    assumes 0 < size <= heap->capacity;
    ensures vera_heap_sane(heap);
    ensures \result == \null ==>
        heap->last_error != VERA_OK &&
        heap->failed_requests == vera_saturating_increment(\old(heap->failed_requests));
    ensures \result == \null ==>
        \forall integer i; 0 <= i < \old(VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block))) * VERA_HEAP_GRANULE ==>
            ((char *)block)[i] == \old(((char *)block)[i]);
    ensures \result != \null ==> vera_heap_block_in_buffer(heap, (char *)\result, size);
    ensures \result != \null ==>
        \forall integer i; 0 <= i < size &&
            i < \old(VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block))) * VERA_HEAP_GRANULE ==>
            ((char *)\result)[i] == \old(((char *)block)[i]);
    ensures \result != \null && \result != block ==>
        vera_address_aligned((char *)\result,
            \old(VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block) + 1)) * VERA_HEAP_GRANULE);
  complete behaviors;
  disjoint behaviors;
*/
void *vera_heap_realloc(vera_heap_t *heap, void *block, size_t size);

/*
 * The bytes of the live block that starts at `block` (at least what was asked of alloc), or 0
 * for NULL, a pointer that is not the start of a live block of this heap, or a NULL heap.
 * Constant time.
 */
/*@
  requires heap == \null || vera_heap_sane(heap);
  assigns \nothing;
  ensures heap != \null && block != \null && vera_heap_live_head(heap, (char *)block) ==>
      \result == VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) * VERA_HEAP_GRANULE;
  ensures heap == \null || block == \null ||
          !vera_heap_in_buffer(heap->base, heap->capacity, (char *)block) ||
          !VERA_HEAP_AT_GRANULE(heap, (char *)block) ||
          VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, (char *)block)) != VERA_HEAP_TAG_LIVE ==>
      \result == 0;
*/
size_t vera_heap_usable_size(const vera_heap_t *heap, const void *block);

/* Copies the heap's counters into *stats. Constant time. */
/*@
  requires heap == \null || vera_heap_sane(heap);
  requires stats == \null || (\valid(stats) && \separated(stats, heap));
  assigns *stats;
  ensures heap == \null || stats == \null ==> \result == VERA_ERROR_NULL_POINTER;
  ensures heap != \null && stats != \null ==>
      \result == VERA_OK && stats->capacity == heap->capacity &&
      stats->allocated == heap->allocated &&
      stats->free_bytes == heap->capacity - heap->allocated &&
      stats->live_blocks == heap->live_blocks && stats->free_blocks == heap->free_blocks &&
      stats->failed_requests == heap->failed_requests;
*/
vera_status_t vera_heap_get_stats(const vera_heap_t *heap, vera_heap_stats_t *stats);

/*
 * A check of the heap's state for a watchdog or a debug build, in at most 30 steps: true if
 * nothing wrong was found, false if heap is NULL or something is inconsistent. It checks the
 * counters (allocated a whole number of granules, within the peak and the capacity; block counts
 * within the granules), the bitmap (no bit above the bins) and each bin: its bitmap bit
 * set exactly when it has a first block, and that block a free block of the bin's size class,
 * inside the heap, first in its list. It cannot see a corruption elsewhere in the map in
 * constant time. Unlike the pool's check, it is NOT yet proved to return true on every state the
 * heap's functions leave (that needs the structural invariant, not proved yet); the unit tests and
 * the fuzzer check it after every operation.
 */
/*@
  requires heap == \null || vera_heap_sane(heap);
  assigns \nothing;
  ensures heap == \null ==> \result == \false;
*/
bool vera_heap_check(const vera_heap_t *heap);

/* Why the most recent vera_heap_alloc, vera_heap_alloc_aligned or vera_heap_realloc that returned
 * NULL failed (VERA_OK if none has since init), or why a realloc that moved a block could not free
 * the old one (see vera_heap_realloc); VERA_ERROR_NULL_POINTER for a NULL heap. */
/*@
  requires heap == \null || \valid_read(heap);
  assigns \nothing;
  ensures heap == \null ==> \result == VERA_ERROR_NULL_POINTER;
  ensures heap != \null ==> \result == heap->last_error;
*/
vera_status_t vera_heap_last_error(const vera_heap_t *heap);

/*
 * The heap as MiraOS's allocation callback ("map allocation to the system's allocator"):
 *     mira_mem_set_alloc_callback(vera_heap_mira_callback, &app_heap);
 * `storage` is the heap (a vera_heap_t *, or NULL: then every call returns NULL);
 * vera_heap_mira_callback(size, heap) is vera_heap_alloc(heap, size). Its type is
 * mira_mem_alloc_callback_t (mira_size_t is size_t), and its blocks are VERA_HEAP_GRANULE =
 * MIRA_MEM_ALIGNMENT aligned, so mira_mem's alignment check always passes. It runs inside
 * mira_mem's lock section and takes the lock again (the PRIMASK pair nests; an application lock
 * must be recursive).
 */
/*@
  requires storage == \null || vera_heap_sane((vera_heap_t *)storage);
  assigns *((vera_heap_t *)storage), ((vera_heap_t *)storage)->map[0 .. ((vera_heap_t *)storage)->granules - 1];
  ensures storage == \null ==> \result == \null;
  ensures storage != \null ==> vera_heap_sane((vera_heap_t *)storage);
  ensures \result != \null ==>
      vera_heap_block_handed_out((vera_heap_t *)storage, (char *)\result, size);
*/
void *vera_heap_mira_callback(size_t size, void *storage);

#ifdef __cplusplus
}
#endif

#endif /* VERALLOC_HEAP_H */
