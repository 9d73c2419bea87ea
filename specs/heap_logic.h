/*
 * veralloc specs: the ACSL logic of the heap (include/veralloc/heap.h, src/heap.c).
 *
 * Read by Frama-C only (heap.h includes it under __FRAMAC__). What the heap's contracts prove
 * today (docs/proofs.md, "The heap"): no runtime error; every read and write of the heap stays in
 * its struct and granule map, and a block handed out lies in the buffer, aligned, for at least
 * the size asked, with its granule tagged live; every bad pointer given to free or usable_size is
 * classified from the map with nothing changed. These hold whatever the granule map holds (the
 * heap validates every index it reads from it), so they need only vera_heap_sane below: the
 * memory of the heap, not the structure of its blocks. The structural invariant (the blocks tile
 * the heap, the free lists hold exactly the free blocks, no two free blocks are adjacent) is
 * the next step of docs/heap_design.md and is NOT proved yet; the fuzzer checks it against an
 * independent model.
 *
 * As in specs/pool_logic.h, predicates take field values and macros apply them to a heap's
 * fields, so that WP's simplifier sees through them.
 */
#ifndef VERALLOC_SPECS_HEAP_LOGIC_H
#define VERALLOC_SPECS_HEAP_LOGIC_H

#include "specs/vera_common.h"

/*@
  // 2^k for 0 <= k < 32, as a table: the provers handle a table of constants where they cannot
  // handle 1 << k or a recursive power (docs/heap_design.md, section 8).
  logic integer vera_heap_power(integer k) =
      k == 0 ? 1 : k == 1 ? 2 : k == 2 ? 4 : k == 3 ? 8 : k == 4 ? 16 : k == 5 ? 32 :
      k == 6 ? 64 : k == 7 ? 128 : k == 8 ? 256 : k == 9 ? 512 : k == 10 ? 1024 :
      k == 11 ? 2048 : k == 12 ? 4096 : k == 13 ? 8192 : k == 14 ? 16384 : k == 15 ? 32768 :
      k == 16 ? 65536 : k == 17 ? 131072 : k == 18 ? 262144 : k == 19 ? 524288 :
      k == 20 ? 1048576 : k == 21 ? 2097152 : k == 22 ? 4194304 : k == 23 ? 8388608 :
      k == 24 ? 16777216 : k == 25 ? 33554432 : k == 26 ? 67108864 : k == 27 ? 134217728 :
      k == 28 ? 268435456 : k == 29 ? 536870912 : k == 30 ? 1073741824 :
      k == 31 ? 2147483648 : 0;

  // The two halves of a granule-map word: its tag (what the granule is) and its payload (a size
  // in granules or a granule index).
  logic integer vera_heap_tag(integer word) = word / VERA_HEAP_TAG_UNIT;
  logic integer vera_heap_payload(integer word) = word % VERA_HEAP_TAG_UNIT;

  // The buffer (granules * VERA_HEAP_GRANULE bytes), the granule map (granules words) and the
  // heap object are writable and pairwise disjoint: a write into a block cannot change the map
  // or the heap's fields, and the heap's own writes cannot reach a block.
  predicate vera_heap_memory{L}(vera_heap_t *heap, char *base, vera_heap_word_t *map,
                                integer granules) =
      \valid(heap) && \object_pointer(base) && \object_pointer(map) &&
      \valid(base + (0 .. granules * VERA_HEAP_GRANULE - 1)) &&
      \valid(map + (0 .. granules - 1)) &&
      \separated(heap, base + (0 .. granules * VERA_HEAP_GRANULE - 1), map + (0 .. granules - 1));

  // Sizes: at most VERA_HEAP_MAX_GRANULES granules, capacity their bytes, the live bytes within
  // it, counters that cannot wrap.
  predicate vera_heap_shape(integer granules, integer capacity, integer allocated) =
      0 <= granules <= VERA_HEAP_MAX_GRANULES &&
      capacity == granules * VERA_HEAP_GRANULE &&
      0 <= allocated <= capacity;

  // p points into the buffer: same object as base, offset below capacity.
  predicate vera_heap_in_buffer(char *base, integer capacity, char *p) =
      \base_addr(p) == \base_addr(base) && 0 <= p - base < capacity;
*/

/* The heap's memory is valid and separated and its sizes in range, whatever the granule map and
 * the bins hold: what every function needs to stay inside the struct and the map. A
 * zero-initialised heap (no granules) is sane, and so is every heap init, alloc and free leave. */
#define vera_heap_sane(heap)                                                                       \
    (vera_heap_memory((heap), (heap)->base, (heap)->map, (heap)->granules) &&                      \
     vera_heap_shape((heap)->granules, (heap)->capacity, (heap)->allocated) &&                     \
     vera_address_aligned((heap)->base, VERA_HEAP_GRANULE))

/* The tag and payload of the map word of granule g. */
#define VERA_HEAP_TAG_OF(heap, g) vera_heap_tag((heap)->map[g])
#define VERA_HEAP_SIZE_OF(heap, g) vera_heap_payload((heap)->map[g])

/* p is the first byte of granule g of the buffer (the offset computed as a macro, so that WP's
 * simplifier computes the granule). */
#define VERA_HEAP_GRANULE_OF(heap, p) (((p) - (heap)->base) / VERA_HEAP_GRANULE)
#define VERA_HEAP_AT_GRANULE(heap, p)                                                              \
    (vera_heap_in_buffer((heap)->base, (heap)->capacity, (p)) &&                                   \
     ((p) - (heap)->base) % VERA_HEAP_GRANULE == 0)

/* The granule of p heads a live block of a size that fits in the heap. */
#define vera_heap_live_head(heap, p)                                                               \
    (VERA_HEAP_AT_GRANULE(heap, p) &&                                                              \
     VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) == VERA_HEAP_TAG_LIVE &&                 \
     VERA_HEAP_MIN_BLOCK_GRANULES <= VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) &&     \
     VERA_HEAP_GRANULE_OF(heap, p) + VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) <=     \
         (heap)->granules)

/* What vera_heap_alloc promises of a block p it hands out for `size` bytes: the granule map
 * records it as a live block of at least `size` bytes; it lies in the buffer, writable for its
 * whole size, its address aligned to VERA_HEAP_GRANULE. */
#define vera_heap_block_handed_out(heap, p, size)                                                  \
    (vera_heap_live_head(heap, p) &&                                                               \
     (size) <= VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) * VERA_HEAP_GRANULE &&        \
     \valid((p) + (0 .. VERA_HEAP_SIZE_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) *                     \
                           VERA_HEAP_GRANULE - 1)) &&                                              \
     vera_address_aligned((p), VERA_HEAP_GRANULE))

/* What vera_heap_realloc promises of a block p it returns for `size` bytes, whether it moved or
 * not: it lies in the buffer, writable for `size` bytes, aligned to VERA_HEAP_GRANULE. (Not the
 * map's record of it: after a move the old block's release rewrites the map, and without the
 * structural invariant the proof cannot tell that it leaves the new block's words alone.) */
#define vera_heap_block_in_buffer(heap, p, size)                                                   \
    (vera_heap_in_buffer((heap)->base, (heap)->capacity, (p)) &&                                   \
     \valid((p) + (0 .. (size) - 1)) && vera_address_aligned((p), VERA_HEAP_GRANULE))

/* A request alloc_aligned can serve at all: a size from 1 to the capacity, an alignment that is a
 * power of two no larger than the capacity. */
#define vera_heap_request_valid(heap, size, alignment)                                            \
    (0 < (size) && (size) <= (heap)->capacity && vera_is_power_of_two(alignment) &&                \
     (alignment) <= (heap)->capacity)

/* What free (and realloc) make of a pointer p != NULL, in the order of the header's error table:
 * VERA_OK for the start of a live block, else the status that rejects it. (A term: the first
 * test spells out vera_heap_in_buffer, as a predicate cannot be the condition of a term.) */
#define vera_heap_pointer_status(heap, p)                                                          \
    (!(\base_addr(p) == \base_addr((heap)->base) && 0 <= (p) - (heap)->base < (heap)->capacity)  \
         ? VERA_ERROR_NOT_OWNED                                                                    \
     : ((p) - (heap)->base) % VERA_HEAP_GRANULE != 0 ? VERA_ERROR_NOT_BLOCK_START                  \
     : VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) == VERA_HEAP_TAG_FREE                 \
         ? VERA_ERROR_DOUBLE_FREE                                                                  \
     : VERA_HEAP_TAG_OF(heap, VERA_HEAP_GRANULE_OF(heap, p)) != VERA_HEAP_TAG_LIVE                 \
         ? VERA_ERROR_NOT_BLOCK_START                                                              \
         : VERA_OK)

/* A failed allocation: counted (saturating), nothing but the diagnostics changes. */
#define vera_heap_failure_counted(heap)                                                            \
    ((heap)->failed_requests == vera_saturating_increment(\old((heap)->failed_requests)) &&       \
     (heap)->allocated == \old((heap)->allocated))

/* The checks of vera_heap_init, in their order (the header's error table). */
#define vera_heap_init_arguments_given(heap, buffer, map)                                          \
    ((heap) != \null && (buffer) != \null && (map) != \null)
#define vera_heap_init_sizes_valid(size, map_entries)                                              \
    (VERA_HEAP_MIN_BLOCK_GRANULES <= (size) / VERA_HEAP_GRANULE <= VERA_HEAP_MAX_GRANULES &&       \
     (map_entries) >= (size) / VERA_HEAP_GRANULE)
#define vera_heap_init_storage_aligned(buffer, map)                                                \
    ((uintptr_t)(buffer) % VERA_HEAP_GRANULE == 0 &&                                               \
     (uintptr_t)(map) % sizeof(vera_heap_word_t) == 0)
#define vera_heap_init_storage_overlaps(heap, buffer, size, map)                                   \
    (vera_address_ranges_overlap((uintptr_t)(heap), sizeof(vera_heap_t), (uintptr_t)(buffer),      \
                                 (size) / VERA_HEAP_GRANULE * VERA_HEAP_GRANULE) ||                \
     vera_address_ranges_overlap((uintptr_t)(heap), sizeof(vera_heap_t), (uintptr_t)(map),         \
                                 (size) / VERA_HEAP_GRANULE * sizeof(vera_heap_word_t)) ||         \
     vera_address_ranges_overlap((uintptr_t)(map),                                                 \
                                 (size) / VERA_HEAP_GRANULE * sizeof(vera_heap_word_t),            \
                                 (uintptr_t)(buffer),                                              \
                                 (size) / VERA_HEAP_GRANULE * VERA_HEAP_GRANULE))
#define vera_heap_init_arguments_valid(heap, buffer, size, map, map_entries)                       \
    (vera_heap_init_arguments_given(heap, buffer, map) &&                                          \
     vera_heap_init_sizes_valid(size, map_entries) &&                                              \
     vera_heap_init_storage_aligned(buffer, map) &&                                                \
     !vera_heap_init_storage_overlaps(heap, buffer, size, map))

#endif /* VERALLOC_SPECS_HEAP_LOGIC_H */
