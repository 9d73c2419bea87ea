/*
 * Reference model of the arena (include/veralloc/arena.h), written from the header's promises
 * and not from src/arena.c: a bump pointer over absolute addresses, computed with integers wider
 * than size_t (fuzz/support/wide_integer.h) so that no sum wraps around.
 *
 * What the model fixes that the header's table leaves open: when an init call has several
 * faults, the first of NULL pointer, size, misalignment (in that order) is reported; when an
 * allocation call has several, it fails either way, so order does not matter.
 */
#ifndef VERALLOC_FUZZ_ARENA_MODEL_H
#define VERALLOC_FUZZ_ARENA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veralloc/status.h"

typedef struct vera_arena_model {
    bool initialised;       /* an init succeeded (a zero-initialised arena hands out nothing) */
    uintptr_t base;         /* the buffer's address */
    size_t capacity;        /* the buffer size rounded down to VERA_ALIGNMENT */
    size_t used;            /* bytes consumed from base */
    bool sealed;
    size_t largest_request; /* largest size any allocation call asked for */
    size_t failed_requests; /* allocation calls that failed (saturating) */
} vera_arena_model_t;

/* What the model expects of one allocation call. */
typedef struct vera_arena_model_outcome {
    bool succeeds;
    size_t block_offset; /* the block's offset from base, when it succeeds */
} vera_arena_model_outcome_t;

/* The state of a zero-initialised vera_arena_t. */
void vera_arena_model_reset(vera_arena_model_t *model);

/* vera_arena_init(arena_is_null ? NULL : arena, buffer, size): the expected status, and the model
 * updated on success. */
vera_status_t vera_arena_model_init(vera_arena_model_t *model, bool arena_is_null, uintptr_t buffer,
                                    size_t size);

/* vera_arena_alloc_aligned(arena, size, alignment); vera_arena_alloc is alignment
 * VERA_ALIGNMENT. Updates the model (usage on success, diagnostics always). */
vera_arena_model_outcome_t vera_arena_model_alloc(vera_arena_model_t *model, size_t size, size_t alignment);

void vera_arena_model_seal(vera_arena_model_t *model);

/* capacity - used. */
size_t vera_arena_model_available(const vera_arena_model_t *model);

#endif /* VERALLOC_FUZZ_ARENA_MODEL_H */
