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
 *   - alloc_aligned(size, alignment): VERA_ERROR_INVALID_SIZE when the contract calls the request
 *     invalid (size 0 or above the capacity, alignment not a power of two or above the capacity);
 *     otherwise the header's search "asks for a block with room for the padding too" (alignment /
 *     granule + 3 granules above the rounded request when the alignment is above the granule),
 *     which with the bins' policy is the power of two at or above that sum ("wanted"): the call
 *     must succeed when a free run of `wanted` granules exists, and fails otherwise (NO_MEMORY
 *     when `wanted` fits the heap, INVALID_SIZE when it does not, as alloc's rows say for the
 *     rounded size). A block handed out starts in a free run of the lowest class that holds
 *     `wanted`, is aligned, leaves in front of it nothing or a free block of 4 to alignment /
 *     granule + 3 granules, and is the rounded size or the whole rest of the run. The model
 *     records each block's alignment (the granule for alloc's blocks);
 *   - realloc follows the header's table, row by row: NULL block is alloc; a bad pointer is
 *     free's status; size 0 or above the capacity is INVALID_SIZE; smaller (or still fitting):
 *     in place, a tail of 4 granules or more given back; larger with a free right neighbour that
 *     makes the rounded size: in place, the rest given back when 4 granules or more; otherwise a
 *     move, which is alloc_aligned with the block's recorded alignment, made while the old block
 *     is still live, then the old block freed. A move that fails is NO_MEMORY (the table) or, when
 *     no block of this heap could hold the new one, INVALID_SIZE (what the code answers; the
 *     table says NO_MEMORY: reported, the model accepts either there and nowhere else);
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
    size_t block_alignment[VERA_HEAP_MODEL_MAX_GRANULES]; /* there: the alignment it keeps (bytes) */
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

/* vera_heap_alloc_aligned on a non-NULL heap, before the call, as vera_heap_model_alloc_expectation.
 * VERA_OK: it must succeed. */
vera_status_t vera_heap_model_aligned_expectation(vera_heap_model_t *model, size_t size, size_t alignment);

/* The heap handed out `usable` bytes at `address` for alloc_aligned(size, alignment): NULL if the
 * header allows that block (the model then marks it live), otherwise why not. */
const char *vera_heap_model_alloc_aligned(vera_heap_model_t *model, size_t size, size_t alignment, uintptr_t address,
                                          size_t usable);

/* What vera_heap_realloc(heap, pointer, size) must do, pointer != 0, decided before the call. */
typedef enum vera_heap_model_realloc_kind {
    VERA_HEAP_MODEL_REFUSED,  /* NULL with `status` (counted by the model already) */
    VERA_HEAP_MODEL_IN_PLACE, /* returns pointer, its usable size `usable` */
    VERA_HEAP_MODEL_MOVES     /* a new block (status VERA_OK) or NULL with `status` */
} vera_heap_model_realloc_kind_t;

typedef struct vera_heap_model_realloc {
    vera_heap_model_realloc_kind_t kind;
    vera_status_t status;       /* REFUSED: the status; MOVES: VERA_OK if the move must succeed */
    bool status_may_be_invalid; /* MOVES that fail: INVALID_SIZE accepted too (see above) */
    size_t old_usable;          /* the block's usable size before the call */
    size_t usable;              /* IN_PLACE: the usable size after */
    size_t alignment;           /* MOVES: the alignment the new block keeps */
} vera_heap_model_realloc_t;

/* Counts the request (largest_request; a refusal as a failure) and says what realloc must do. */
vera_heap_model_realloc_t vera_heap_model_realloc_expectation(vera_heap_model_t *model, uintptr_t pointer,
                                                              size_t size);

/* Applies an in-place realloc the model predicted. */
void vera_heap_model_resize(vera_heap_model_t *model, uintptr_t pointer, size_t usable);

/* A move: the new block (checked as alloc_aligned's with the old block still live), then the old
 * block freed. NULL if the header allows it, otherwise why not. */
const char *vera_heap_model_move(vera_heap_model_t *model, uintptr_t pointer, size_t size, size_t alignment,
                                 uintptr_t address, size_t usable);

/* A failure the model accepted with the heap's own status (counted). */
void vera_heap_model_count_failure(vera_heap_model_t *model, vera_status_t why);

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
