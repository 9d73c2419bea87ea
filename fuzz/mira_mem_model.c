#include "fuzz/mira_mem_model.h"

#include "fuzz/support/wide_integer.h"

void vera_mira_model_reset(vera_mira_mem_model_t *model)
{
    /* All zero: VERA_MIRA_MODEL_NO_SOURCE (the enum's first value), not sealed, an empty arena
     * model, no callback or hook, zero statistics, last_failure MIRA_SUCCESS (0). */
    static const vera_mira_mem_model_t empty;
    *model = empty;
}

/* The rows every set_* shares: after seal, and after a successful set_* of either kind. */
static mira_status_t source_can_be_set(const vera_mira_mem_model_t *model)
{
    if (model->sealed) {
        return MIRA_ERROR_SEALED;
    }
    if (model->source != VERA_MIRA_MODEL_NO_SOURCE) {
        return MIRA_ERROR_ALREADY_SET;
    }
    return MIRA_SUCCESS;
}

mira_status_t vera_mira_model_set_buffer(vera_mira_mem_model_t *model, uintptr_t buffer, size_t size)
{
    mira_status_t status = source_can_be_set(model);
    if (status != MIRA_SUCCESS) {
        return status;
    }
    /* NULL, size below MIRA_MEM_ALIGNMENT (0 included) and misalignment are all the same row. */
    if (buffer == 0u || size < MIRA_MEM_ALIGNMENT || buffer % MIRA_MEM_ALIGNMENT != 0u) {
        return MIRA_ERROR_INVALID_VALUE;
    }
    (void)vera_arena_model_init(&model->buffer, false, buffer, size);
    model->source = VERA_MIRA_MODEL_BUFFER;
    return MIRA_SUCCESS;
}

mira_status_t vera_mira_model_set_callback(vera_mira_mem_model_t *model, unsigned callback, uintptr_t storage)
{
    mira_status_t status = source_can_be_set(model);
    if (status != MIRA_SUCCESS) {
        return status;
    }
    if (callback == 0u) {
        return MIRA_ERROR_INVALID_VALUE;
    }
    model->source = VERA_MIRA_MODEL_CALLBACK;
    model->callback = callback;
    model->callback_storage = storage;
    model->callback_bytes = 0u;
    return MIRA_SUCCESS;
}

mira_status_t vera_mira_model_set_oom_hook(vera_mira_mem_model_t *model, unsigned hook)
{
    model->oom_hook = hook;
    return MIRA_SUCCESS;
}

mira_status_t vera_mira_model_seal(vera_mira_mem_model_t *model)
{
    model->sealed = true;
    return MIRA_SUCCESS;
}

static vera_mira_model_outcome_t model_failure(vera_mira_mem_model_t *model, size_t size, mira_status_t reason,
                                               bool called_callback)
{
    vera_mira_model_outcome_t failure;
    failure.succeeds = false;
    failure.calls_callback = called_callback;
    failure.reason = reason;
    failure.calls_oom_hook = model->oom_hook != 0u;
    failure.block_offset = 0u;
    if (model->failed_requests != SIZE_MAX) {
        model->failed_requests++;
    }
    model->last_failed_request = size;
    model->last_failure = reason;
    return failure;
}

vera_mira_model_outcome_t vera_mira_model_alloc(vera_mira_mem_model_t *model, size_t size,
                                                uintptr_t callback_answer)
{
    vera_mira_model_outcome_t success = {true, false, MIRA_SUCCESS, false, 0u};

    if (size > model->largest_request) {
        model->largest_request = size;
    }
    if (model->sealed) {
        return model_failure(model, size, MIRA_ERROR_SEALED, false);
    }
    if (model->source == VERA_MIRA_MODEL_NO_SOURCE) {
        return model_failure(model, size, MIRA_ERROR_NOT_SET, false);
    }
    if (size == 0u) {
        return model_failure(model, size, MIRA_ERROR_INVALID_VALUE, false);
    }
    if (model->source == VERA_MIRA_MODEL_BUFFER) {
        vera_arena_model_outcome_t block = vera_arena_model_alloc(&model->buffer, size, MIRA_MEM_ALIGNMENT);
        if (!block.succeeds) {
            return model_failure(model, size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE, false);
        }
        success.block_offset = block.block_offset;
        return success;
    }
    success.calls_callback = true;
    if (callback_answer == 0u) {
        return model_failure(model, size, MIRA_ERROR_RESOURCE_NOT_AVAILABLE, true);
    }
    if (callback_answer % MIRA_MEM_ALIGNMENT != 0u) {
        return model_failure(model, size, MIRA_ERROR_CALLBACK_MISALIGNED, true);
    }
    {
        vera_wide_t total = (vera_wide_t)model->callback_bytes + size;
        model->callback_bytes = total > SIZE_MAX ? SIZE_MAX : (size_t)total;
    }
    return success;
}

size_t vera_mira_model_usage(const vera_mira_mem_model_t *model)
{
    switch (model->source) {
    case VERA_MIRA_MODEL_BUFFER:
        return model->buffer.used;
    case VERA_MIRA_MODEL_CALLBACK:
        return model->callback_bytes;
    default:
        return 0u;
    }
}

size_t vera_mira_model_free(const vera_mira_mem_model_t *model)
{
    return model->source == VERA_MIRA_MODEL_BUFFER ? vera_arena_model_available(&model->buffer) : 0u;
}

size_t vera_mira_model_capacity(const vera_mira_mem_model_t *model)
{
    return model->source == VERA_MIRA_MODEL_BUFFER ? model->buffer.capacity : 0u;
}

mira_mem_stats_t vera_mira_model_stats(const vera_mira_mem_model_t *model)
{
    mira_mem_stats_t stats;
    stats.capacity = vera_mira_model_capacity(model);
    stats.usage = vera_mira_model_usage(model);
    stats.free = vera_mira_model_free(model);
    stats.largest_request = model->largest_request;
    stats.failed_requests = model->failed_requests;
    stats.last_failed_request = model->last_failed_request;
    stats.last_failure = model->last_failure;
    return stats;
}
