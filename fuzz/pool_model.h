/*
 * Reference model of the fixed-block pool (include/veralloc/pool.h), written from the header's
 * promises and error table and not from src/pool.c:
 *   - the state of every block is a flag (used or free), and the free blocks form an explicit
 *     stack of block numbers: "the most recently freed block is handed out first", and a fresh
 *     pool hands out its blocks in address order (the stack starts with block 0 on top);
 *   - pointers are classified by their absolute address against [base, base + capacity), with
 *     integers twice as wide as size_t (fuzz/support/wide_integer.h), so no sum wraps around;
 *   - init's checks are made in the order of the header's table, each computed exactly (the
 *     product rounded block size * block count is never formed in size_t).
 * The pool keeps a permutation of block indices and their inverse instead; the two only agree if
 * both implement the header's behaviour.
 */
#ifndef VERALLOC_FUZZ_POOL_MODEL_H
#define VERALLOC_FUZZ_POOL_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veralloc/status.h"

/* Most blocks a model pool can hold. The harness's buffers are at most 64 KiB and a block takes
 * at least VERA_ALIGNMENT (8 or 16) bytes, so no pool it can initialise has more than 8192. */
#define VERA_POOL_MODEL_MAX_BLOCKS 8192u

typedef struct vera_pool_model {
    bool initialised;          /* an init succeeded (a zero-initialised pool has no blocks) */
    uintptr_t base;            /* address of block 0 */
    size_t alignment;          /* the alignment init was given (0 before any init succeeded) */
    size_t block_size;         /* the requested size rounded up to the alignment */
    size_t block_count;
    bool used[VERA_POOL_MODEL_MAX_BLOCKS];
    size_t free_stack[VERA_POOL_MODEL_MAX_BLOCKS]; /* free blocks; the top is the last entry */
    size_t free_count;         /* entries of free_stack */
    size_t used_count;         /* blocks flagged used (vera_pool_model_check recounts them) */
    size_t peak_used;
    size_t failed_requests; /* saturates at SIZE_MAX */
} vera_pool_model_t;

/* The arguments of one vera_pool_init_aligned call (vera_pool_init: alignment VERA_ALIGNMENT), as
 * the model sees them. */
typedef struct vera_pool_model_init {
    bool pool_is_null;
    uintptr_t buffer; /* 0 for NULL */
    size_t buffer_size;
    size_t block_size;
    size_t block_count;
    size_t alignment;
    bool metadata_is_null;
    size_t metadata_entries;
    bool blocks_in_use; /* the pool (the model) has blocks handed out and not freed */
} vera_pool_model_init_t;

/* The state of a zero-initialised vera_pool_t. */
void vera_pool_model_reset(vera_pool_model_t *model);

/* The status vera_pool_init_aligned returns for `arguments` (the model does not change). */
vera_status_t vera_pool_model_init_status(const vera_pool_model_init_t *arguments);

/* vera_pool_init_aligned: the status, and on VERA_OK the model becomes the fresh pool (otherwise it is
 * unchanged). */
vera_status_t vera_pool_model_init(vera_pool_model_t *model, const vera_pool_model_init_t *arguments);

/* vera_pool_alloc / _zeroed on a non-NULL pool: true and the block's number in *block, or false
 * (no free block; counted as a failed allocation). */
bool vera_pool_model_alloc(vera_pool_model_t *model, size_t *block);

/* vera_pool_free(pool, pointer) on a non-NULL pool, `pointer` given as its address (0 for NULL):
 * the status, and on VERA_OK the block is free and on top of the stack. */
vera_status_t vera_pool_model_free(vera_pool_model_t *model, uintptr_t pointer);

/* vera_pool_owns(pool, pointer) on a non-NULL pool. */
bool vera_pool_model_owns(const vera_pool_model_t *model, uintptr_t pointer);

/* The model's own consistency, checked by the harness at the end of every init epoch: the
 * flags, the stack and the counters agree (a stack entry is a free block, no block twice). */
bool vera_pool_model_consistent(const vera_pool_model_t *model);

#endif /* VERALLOC_FUZZ_POOL_MODEL_H */
