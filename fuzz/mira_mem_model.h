/*
 * Reference model of the MiraOS memory facade (include/mira_mem.h), written from the header's
 * misuse and error table and not from src/mira_mem.c. Buffer mode uses the arena's reference
 * model (fuzz/arena_model.h) with the default alignment.
 *
 * Callbacks, their storage and out-of-memory hooks are opaque numbers here (0 for NULL): the
 * harness maps them to its own functions and pointers.
 *
 * Where the header's table does not say which error wins when a call has several faults, the
 * model fixes this order (and the fuzzer thereby checks that the code keeps it):
 *   set_*:          MIRA_ERROR_SEALED, then MIRA_ERROR_ALREADY_SET, then MIRA_ERROR_INVALID_VALUE
 *   mira_mem_alloc: MIRA_ERROR_SEALED, then MIRA_ERROR_NOT_SET, then MIRA_ERROR_INVALID_VALUE
 *                   (size 0), then what the buffer or the callback gives.
 */
#ifndef VERALLOC_FUZZ_MIRA_MEM_MODEL_H
#define VERALLOC_FUZZ_MIRA_MEM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz/arena_model.h"
#include "mira_mem.h"

typedef enum vera_mira_model_source {
    VERA_MIRA_MODEL_NO_SOURCE,
    VERA_MIRA_MODEL_BUFFER,
    VERA_MIRA_MODEL_CALLBACK
} vera_mira_model_source_t;

typedef struct vera_mira_mem_model {
    vera_mira_model_source_t source;
    bool sealed;
    vera_arena_model_t buffer;   /* buffer mode */
    unsigned callback;           /* callback mode: which callback (never 0 once set) */
    uintptr_t callback_storage;  /* callback mode: the storage pointer to pass back */
    size_t callback_bytes;       /* callback mode: sum of the sizes handed out, saturating */
    unsigned oom_hook;           /* 0: none */
    size_t largest_request;
    size_t failed_requests;
    size_t last_failed_request;
    mira_status_t last_failure;
} vera_mira_mem_model_t;

/* What the model expects of one mira_mem_alloc call. */
typedef struct vera_mira_model_outcome {
    bool succeeds;
    bool calls_callback;        /* the callback is asked (exactly once) */
    mira_status_t reason;       /* on failure: the reason given to the hook and the statistics */
    bool calls_oom_hook;        /* on failure with a hook set: the hook is called once */
    size_t block_offset;        /* buffer mode, on success: offset of the block in the buffer */
} vera_mira_model_outcome_t;

/* The state at startup: nothing set, not sealed, no hook, zero statistics. */
void vera_mira_model_reset(vera_mira_mem_model_t *model);

mira_status_t vera_mira_model_set_buffer(vera_mira_mem_model_t *model, uintptr_t buffer, size_t size);
mira_status_t vera_mira_model_set_callback(vera_mira_mem_model_t *model, unsigned callback, uintptr_t storage);
mira_status_t vera_mira_model_set_oom_hook(vera_mira_mem_model_t *model, unsigned hook);
mira_status_t vera_mira_model_seal(vera_mira_mem_model_t *model);

/* mira_mem_alloc(size), where the callback, if the facade asks it, answers `callback_answer`. */
vera_mira_model_outcome_t vera_mira_model_alloc(vera_mira_mem_model_t *model, size_t size,
                                                uintptr_t callback_answer);

size_t vera_mira_model_usage(const vera_mira_mem_model_t *model);
size_t vera_mira_model_free(const vera_mira_mem_model_t *model);
size_t vera_mira_model_capacity(const vera_mira_mem_model_t *model);

/* What mira_mem_get_stats copies out. */
mira_mem_stats_t vera_mira_model_stats(const vera_mira_mem_model_t *model);

#endif /* VERALLOC_FUZZ_MIRA_MEM_MODEL_H */
