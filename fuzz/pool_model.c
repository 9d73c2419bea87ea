#include "fuzz/pool_model.h"

#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/wide_integer.h"
#include "veralloc/config.h"
#include "veralloc/pool.h"

void vera_pool_model_reset(vera_pool_model_t *model)
{
    static const vera_pool_model_t empty; /* all zero: not initialised, every field and count 0 */
    *model = empty;
}

/* An alignment the header allows: a power of two from VERA_ALIGNMENT to VERA_POOL_MAX_ALIGNMENT
 * (written as a search over the powers of two, not as the pool's bit test). */
static bool alignment_allowed(size_t alignment)
{
    size_t power;
    for (power = VERA_ALIGNMENT; power <= VERA_POOL_MAX_ALIGNMENT; power *= 2u) {
        if (alignment == power) {
            return true;
        }
    }
    return false;
}

/* The requested block size rounded up to the alignment, exactly (it may exceed SIZE_MAX). */
static vera_wide_t rounded_block_size(const vera_pool_model_init_t *arguments)
{
    return vera_wide_round_up(arguments->block_size, arguments->alignment);
}

vera_status_t vera_pool_model_init_status(const vera_pool_model_init_t *arguments)
{
    /* The header's table, row by row and in its order; the first row that applies decides. */
    vera_wide_t rounded;

    if (arguments->pool_is_null || arguments->buffer == 0u || arguments->metadata_is_null) {
        return VERA_ERROR_NULL_POINTER;
    }
    if (!alignment_allowed(arguments->alignment)) {
        return VERA_ERROR_INVALID_SIZE;
    }
    rounded = rounded_block_size(arguments);
    /* "block_size 0, or too large to round up": rounding up must not exceed SIZE_MAX. */
    if (arguments->block_size == 0u || rounded > (vera_wide_t)SIZE_MAX) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if (arguments->block_count == 0u || arguments->block_count > VERA_POOL_MAX_BLOCKS) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if ((vera_wide_t)arguments->buffer_size < rounded * arguments->block_count) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if ((vera_wide_t)arguments->metadata_entries < (vera_wide_t)2u * arguments->block_count) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if (arguments->buffer % arguments->alignment != 0u) {
        return VERA_ERROR_MISALIGNED;
    }
    /* The harness keeps the pool, its region and its metadata apart: never VERA_ERROR_OVERLAP. */
    if (arguments->blocks_in_use) {
        return VERA_ERROR_IN_USE;
    }
    return VERA_OK;
}

vera_status_t vera_pool_model_init(vera_pool_model_t *model, const vera_pool_model_init_t *arguments)
{
    vera_status_t status = vera_pool_model_init_status(arguments);
    size_t block;

    if (status != VERA_OK) {
        return status;
    }
    VERA_FUZZ_CHECK(arguments->block_count <= VERA_POOL_MODEL_MAX_BLOCKS,
                    "the model holds %u blocks, the harness asked for %zu (harness bug)",
                    VERA_POOL_MODEL_MAX_BLOCKS, arguments->block_count);
    model->initialised = true;
    model->base = arguments->buffer;
    model->alignment = arguments->alignment;
    model->block_size = (size_t)rounded_block_size(arguments);
    model->block_count = arguments->block_count;
    /* Every block free; block 0 on top, so that the first allocations go up in address order. */
    for (block = 0u; block < model->block_count; block++) {
        model->used[block] = false;
        model->free_stack[block] = model->block_count - 1u - block;
    }
    model->free_count = model->block_count;
    model->used_count = 0u;
    model->peak_used = 0u;
    model->failed_requests = 0u;
    return VERA_OK;
}

bool vera_pool_model_alloc(vera_pool_model_t *model, size_t *block)
{
    if (model->free_count == 0u) {
        if (model->failed_requests != SIZE_MAX) {
            model->failed_requests++;
        }
        return false;
    }
    model->free_count--;
    *block = model->free_stack[model->free_count];
    VERA_FUZZ_CHECK(!model->used[*block], "model: block %zu on the free stack is used", *block);
    model->used[*block] = true;
    model->used_count++;
    if (model->used_count > model->peak_used) {
        model->peak_used = model->used_count;
    }
    return true;
}

/* The block `pointer` points into, or false if it points outside the blocks; *offset_in_block is
 * its distance from that block's start. */
static bool locate(const vera_pool_model_t *model, uintptr_t pointer, size_t *block, size_t *offset_in_block)
{
    vera_wide_t start = model->base;
    vera_wide_t end = start + (vera_wide_t)model->block_size * model->block_count;
    vera_wide_t address = pointer;
    if (!model->initialised || pointer == 0u || address < start || address >= end) {
        return false;
    }
    *block = (size_t)((address - start) / model->block_size);
    *offset_in_block = (size_t)((address - start) % model->block_size);
    return true;
}

vera_status_t vera_pool_model_free(vera_pool_model_t *model, uintptr_t pointer)
{
    size_t block;
    size_t offset_in_block;

    if (pointer == 0u) {
        return VERA_OK;
    }
    if (!locate(model, pointer, &block, &offset_in_block)) {
        return VERA_ERROR_NOT_OWNED;
    }
    if (offset_in_block != 0u) {
        return VERA_ERROR_NOT_BLOCK_START;
    }
    if (!model->used[block]) {
        return VERA_ERROR_DOUBLE_FREE;
    }
    model->used[block] = false;
    model->used_count--;
    model->free_stack[model->free_count] = block;
    model->free_count++;
    return VERA_OK;
}

bool vera_pool_model_owns(const vera_pool_model_t *model, uintptr_t pointer)
{
    size_t block;
    size_t offset_in_block;
    return locate(model, pointer, &block, &offset_in_block);
}

bool vera_pool_model_consistent(const vera_pool_model_t *model)
{
    static bool on_stack[VERA_POOL_MODEL_MAX_BLOCKS];
    size_t used = 0u;
    size_t index;
    bool consistent = model->free_count + model->used_count == model->block_count &&
                      model->peak_used >= model->used_count;

    for (index = 0u; index < model->block_count; index++) {
        on_stack[index] = false;
        used += model->used[index] ? 1u : 0u;
    }
    for (index = 0u; consistent && index < model->free_count; index++) {
        size_t block = model->free_stack[index];
        consistent = block < model->block_count && !model->used[block] && !on_stack[block];
        if (consistent) {
            on_stack[block] = true;
        }
    }
    return consistent && used == model->used_count;
}
