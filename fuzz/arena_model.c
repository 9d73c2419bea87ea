#include "fuzz/arena_model.h"

#include "fuzz/support/wide_integer.h"
#include "veralloc/config.h"

void vera_arena_model_reset(vera_arena_model_t *model)
{
    static const vera_arena_model_t empty; /* all zero: not initialised, not sealed, every count 0 */
    *model = empty;
}

vera_status_t vera_arena_model_init(vera_arena_model_t *model, bool arena_is_null, uintptr_t buffer,
                                    size_t size)
{
    if (arena_is_null || buffer == 0u) {
        return VERA_ERROR_NULL_POINTER;
    }
    if (model->sealed) {
        return VERA_ERROR_SEALED; /* sealing cannot be undone */
    }
    if (size < VERA_ALIGNMENT) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if (buffer % VERA_ALIGNMENT != 0u) {
        return VERA_ERROR_MISALIGNED;
    }
    vera_arena_model_reset(model);
    model->initialised = true;
    model->base = buffer;
    model->capacity = size - size % VERA_ALIGNMENT;
    return VERA_OK;
}

/* A power of two has exactly one bit set; counted bit by bit rather than with the x & (x - 1)
 * trick the arena uses. */
static bool has_exactly_one_bit(size_t value)
{
    unsigned bits_set = 0u;
    while (value != 0u) {
        bits_set += (unsigned)(value & 1u);
        value >>= 1;
    }
    return bits_set == 1u;
}

static vera_arena_model_outcome_t model_failure(vera_arena_model_t *model)
{
    vera_arena_model_outcome_t failure = {false, 0u};
    if (model->failed_requests != SIZE_MAX) {
        model->failed_requests++;
    }
    return failure;
}

vera_arena_model_outcome_t vera_arena_model_alloc(vera_arena_model_t *model, size_t size, size_t alignment)
{
    vera_arena_model_outcome_t success = {true, 0u};
    vera_wide_t effective_alignment;
    vera_wide_t block_start;
    vera_wide_t consumed_end;

    if (size > model->largest_request) {
        model->largest_request = size;
    }
    if (!model->initialised || model->sealed || size == 0u || !has_exactly_one_bit(alignment)) {
        return model_failure(model);
    }
    effective_alignment = alignment < VERA_ALIGNMENT ? (vera_wide_t)VERA_ALIGNMENT : (vera_wide_t)alignment;
    /* The first address at or after the free space that has the requested alignment... */
    block_start = vera_wide_round_up((vera_wide_t)model->base + model->used, effective_alignment);
    /* ...and the request rounded up to VERA_ALIGNMENT from there must end inside the capacity. */
    consumed_end = block_start + vera_wide_round_up(size, VERA_ALIGNMENT);
    if (consumed_end > (vera_wide_t)model->base + model->capacity) {
        return model_failure(model);
    }
    success.block_offset = (size_t)(block_start - model->base);
    model->used = (size_t)(consumed_end - model->base);
    return success;
}

void vera_arena_model_seal(vera_arena_model_t *model)
{
    model->sealed = true;
}

size_t vera_arena_model_available(const vera_arena_model_t *model)
{
    return model->capacity - model->used;
}
