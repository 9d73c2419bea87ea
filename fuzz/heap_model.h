/*
 * Reference model of the heap (include/veralloc/heap.h), written from the header's promises and
 * error table and not from src/heap.c:
 *   - the state is one flag per granule (live or free) and, at the first granule of each live
 *     block, its size; there are no lists, bins, bitmaps or links. The free blocks are the
 *     maximal runs of free granules: the heap promises complete coalescing (no two free blocks
 *     touch), so the model's runs must be exactly the heap's free blocks (their count, which
 *     pointer is a free block's start and so a double free, which is not);
 *   - alloc's outcome follows from the header alone: a request rounds up to a power of two of
 *     granules (at least VERA_HEAP_MIN_BLOCK_GRANULES); it is VERA_ERROR_INVALID_SIZE when 0, above
 *     the capacity or rounded above the heap's granules; otherwise it succeeds exactly when some
 *     free run is at least the rounded size (the segregated fit's success guarantee), and fails
 *     with VERA_ERROR_NO_MEMORY otherwise. Which run the heap takes is its own policy; the model
 *     checks the choice against the header's policy: the start of a run whose size class
 *     (floor(log2)) is the lowest class, among all runs, that is at least the rounded size's, and
 *     the block the rounded size, or the whole run when fewer than 4 granules would be left;
 *   - pointers are classified by their absolute address against the buffer, init's checks made
 *     in the order of the table, with integers twice as wide as size_t where a sum could wrap.
 */
#ifndef VERALLOC_FUZZ_HEAP_MODEL_H
#define VERALLOC_FUZZ_HEAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veralloc/status.h"

/* Most granules a model heap holds: the harness's buffers are at most 64 KiB, granules at least
 * 8 bytes. */
#define VERA_HEAP_MODEL_MAX_GRANULES 8192u

typedef struct vera_heap_model {
    uintptr_t base;            /* address of granule 0 (0 before a successful init) */
    size_t granules;           /* 0: a zero-initialised heap */
    bool live[VERA_HEAP_MODEL_MAX_GRANULES];          /* the granule is in a live block */
    uint32_t block_size[VERA_HEAP_MODEL_MAX_GRANULES]; /* at a live block's first granule: its size */
    size_t allocated;          /* bytes of the live blocks */
    size_t peak_allocated;
    size_t largest_request;
    size_t failed_requests;    /* saturates at SIZE_MAX */
    size_t live_blocks;
    vera_status_t last_error;
} vera_heap_model_t;

/* The arguments of one vera_heap_init call, as the model sees them (addresses, 0 for NULL). */
typedef struct vera_heap_model_init {
    uintptr_t heap;
    size_t heap_bytes;         /* sizeof(vera_heap_t) */
    uintptr_t buffer;
    size_t size;
    uintptr_t map;
    size_t map_entries;
} vera_heap_model_init_t;

/* The state of a zero-initialised vera_heap_t. */
void vera_heap_model_reset(vera_heap_model_t *model);

/* vera_heap_init: the status, and on VERA_OK the model is the fresh heap (otherwise unchanged). */
vera_status_t vera_heap_model_init(vera_heap_model_t *model, const vera_heap_model_init_t *arguments);

/* The block, in granules, a request of `size` bytes rounds to (0 if `size` is 0 or too large for
 * any heap). */
size_t vera_heap_model_rounded(size_t size);

/* vera_heap_alloc on a non-NULL heap, before the call: VERA_OK if it must succeed, or the status
 * vera_heap_last_error must give after its NULL. Counts the request (largest_request, and a
 * failure when it is not VERA_OK). */
vera_status_t vera_heap_model_alloc_expectation(vera_heap_model_t *model, size_t size);

/* The heap handed out `usable` bytes at `address` for `size` bytes: NULL if that is the block the
 * header allows (the model then marks it live), otherwise why not. */
const char *vera_heap_model_alloc(vera_heap_model_t *model, size_t size, uintptr_t address, size_t usable);

/* vera_heap_free(heap, pointer) on a non-NULL heap (pointer 0 for NULL): the status it must
 * return; on VERA_OK the model frees the block. */
vera_status_t vera_heap_model_free(vera_heap_model_t *model, uintptr_t pointer);

/* vera_heap_usable_size(heap, pointer) on a non-NULL heap. */
size_t vera_heap_model_usable_size(const vera_heap_model_t *model, uintptr_t pointer);

/* Free blocks (maximal free runs). */
size_t vera_heap_model_free_blocks(const vera_heap_model_t *model);

/* The model's own bookkeeping agrees with its granule flags (checked at the end of each epoch). */
bool vera_heap_model_consistent(const vera_heap_model_t *model);

#endif /* VERALLOC_FUZZ_HEAP_MODEL_H */
