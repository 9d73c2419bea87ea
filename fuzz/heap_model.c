#include "fuzz/heap_model.h"

#include "fuzz/support/fuzz_check.h"
#include "fuzz/support/wide_integer.h"
#include "veralloc/heap.h"

#include <string.h>

#define GRANULE ((size_t)VERA_HEAP_GRANULE)

void vera_heap_model_reset(vera_heap_model_t *model)
{
    static const vera_heap_model_t empty; /* no granules, every counter 0, last error VERA_OK */
    *model = empty;
}

/* [a, a + a_size) and [b, b + b_size) share a byte (exact sums). */
static bool ranges_overlap(uintptr_t a, vera_wide_t a_size, uintptr_t b, vera_wide_t b_size)
{
    return (vera_wide_t)a < (vera_wide_t)b + b_size && (vera_wide_t)b < (vera_wide_t)a + a_size;
}

vera_status_t vera_heap_model_init(vera_heap_model_t *model, const vera_heap_model_init_t *arguments)
{
    /* The header's table, row by row and in its order. */
    vera_wide_t granules = (vera_wide_t)arguments->size / GRANULE;
    size_t granule;

    if (arguments->heap == 0u || arguments->buffer == 0u || arguments->map == 0u) {
        return VERA_ERROR_NULL_POINTER;
    }
    if (granules < VERA_HEAP_MIN_BLOCK_GRANULES || granules > VERA_HEAP_MAX_GRANULES ||
        (vera_wide_t)arguments->map_entries < granules) {
        return VERA_ERROR_INVALID_SIZE;
    }
    if (arguments->buffer % GRANULE != 0u || arguments->map % sizeof(vera_heap_word_t) != 0u) {
        return VERA_ERROR_MISALIGNED;
    }
    if (ranges_overlap(arguments->heap, arguments->heap_bytes, arguments->buffer, granules * GRANULE) ||
        ranges_overlap(arguments->heap, arguments->heap_bytes, arguments->map,
                       granules * sizeof(vera_heap_word_t)) ||
        ranges_overlap(arguments->map, granules * sizeof(vera_heap_word_t), arguments->buffer,
                       granules * GRANULE)) {
        return VERA_ERROR_OVERLAP;
    }
    if (model->live_blocks > 0u) {
        return VERA_ERROR_IN_USE;
    }
    VERA_FUZZ_CHECK(granules <= VERA_HEAP_MODEL_MAX_GRANULES,
                    "the model holds %u granules, the harness asked for more (harness bug)",
                    (unsigned)VERA_HEAP_MODEL_MAX_GRANULES);
    vera_heap_model_reset(model);
    model->base = arguments->buffer;
    model->granules = (size_t)granules;
    for (granule = 0u; granule < model->granules; granule++) {
        model->live[granule] = false;
        model->block_size[granule] = 0u;
    }
    return VERA_OK;
}

size_t vera_heap_model_rounded(size_t size)
{
    vera_wide_t granules = vera_wide_round_up(size, GRANULE) / GRANULE;
    vera_wide_t block = VERA_HEAP_MIN_BLOCK_GRANULES;
    if (size == 0u) {
        return 0u;
    }
    while (block < granules) {
        block *= 2u;
    }
    return block > VERA_HEAP_MAX_GRANULES ? 0u : (size_t)block;
}

/* floor(log2(x)), x > 0. */
static unsigned size_class(size_t x)
{
    unsigned result = 0u;
    while (x > 1u) {
        x /= 2u;
        result++;
    }
    return result;
}

/* The free run that starts at `granule` (which must be free): its length. */
static size_t run_length(const vera_heap_model_t *model, size_t granule)
{
    size_t end = granule;
    while (end < model->granules && !model->live[end]) {
        end++;
    }
    return end - granule;
}

static bool is_run_start(const vera_heap_model_t *model, size_t granule)
{
    return granule < model->granules && !model->live[granule] &&
           (granule == 0u || model->live[granule - 1u]);
}

/* The lowest size class, among the free runs, that is at least `rounded`'s, or 64 if none. */
static unsigned lowest_fitting_class(const vera_heap_model_t *model, size_t rounded)
{
    unsigned wanted = size_class(rounded);
    unsigned best = 64u;
    size_t granule = 0u;
    while (granule < model->granules) {
        if (model->live[granule]) {
            granule += model->block_size[granule];
            continue;
        }
        {
            size_t length = run_length(model, granule);
            unsigned run_class = size_class(length);
            if (run_class >= wanted && run_class < best) {
                best = run_class;
            }
            granule += length;
        }
    }
    return best;
}

void vera_heap_model_count_failure(vera_heap_model_t *model, vera_status_t why)
{
    if (model->failed_requests != SIZE_MAX) {
        model->failed_requests++;
    }
    model->last_error = why;
}

vera_status_t vera_heap_model_alloc_expectation(vera_heap_model_t *model, size_t size)
{
    size_t rounded = vera_heap_model_rounded(size);
    if (size > model->largest_request) {
        model->largest_request = size;
    }
    if (size == 0u || (vera_wide_t)size > (vera_wide_t)model->granules * GRANULE || rounded == 0u ||
        rounded > model->granules) {
        vera_heap_model_count_failure(model, VERA_ERROR_INVALID_SIZE);
        return VERA_ERROR_INVALID_SIZE;
    }
    if (lowest_fitting_class(model, rounded) == 64u) {
        vera_heap_model_count_failure(model, VERA_ERROR_NO_MEMORY);
        return VERA_ERROR_NO_MEMORY;
    }
    return VERA_OK;
}

/* The granules the search asks for: the rounded request, and above the granule's alignment room
 * for the padding too (alignment / granule + 3 granules), as a power of two; 0 if no heap has it. */
static size_t wanted_granules(size_t size, size_t alignment)
{
    vera_wide_t wanted = vera_heap_model_rounded(size);
    vera_wide_t power = 1u;
    if (wanted == 0u || alignment <= GRANULE) {
        return (size_t)wanted;
    }
    wanted += alignment / GRANULE + VERA_HEAP_MIN_BLOCK_GRANULES - 1u;
    while (power < wanted) {
        power *= 2u;
    }
    return power > VERA_HEAP_MAX_GRANULES ? 0u : (size_t)power;
}

static bool is_power_of_two(size_t value)
{
    return value != 0u && (value & (value - 1u)) == 0u;
}

/* The outcome of a search for `wanted` granules: VERA_OK when it must succeed. */
static vera_status_t search_expectation(const vera_heap_model_t *model, size_t wanted)
{
    if (wanted == 0u || wanted > model->granules) {
        return VERA_ERROR_INVALID_SIZE;
    }
    return lowest_fitting_class(model, wanted) == 64u ? VERA_ERROR_NO_MEMORY : VERA_OK;
}

vera_status_t vera_heap_model_aligned_expectation(vera_heap_model_t *model, size_t size, size_t alignment)
{
    vera_wide_t capacity = (vera_wide_t)model->granules * GRANULE;
    vera_status_t expected;
    if (size > model->largest_request) {
        model->largest_request = size;
    }
    if (size == 0u || (vera_wide_t)size > capacity || !is_power_of_two(alignment) ||
        (vera_wide_t)alignment > capacity) {
        vera_heap_model_count_failure(model, VERA_ERROR_INVALID_SIZE);
        return VERA_ERROR_INVALID_SIZE;
    }
    expected = search_expectation(model, wanted_granules(size, alignment));
    if (expected != VERA_OK) {
        vera_heap_model_count_failure(model, expected);
    }
    return expected;
}

/* A block handed out for `size` bytes aligned to `alignment` (the granule's for alloc): it lies in
 * a free run of the lowest class that holds what the search asks for, after no padding or a
 * padding of 4 to alignment / granule + 3 granules, aligned, the rounded size or the whole rest
 * of the run. NULL and the block marked live, or why not. */
static const char *take_block(vera_heap_model_t *model, size_t size, size_t alignment, uintptr_t address,
                              size_t usable)
{
    size_t rounded = vera_heap_model_rounded(size);
    size_t kept_alignment = alignment > GRANULE ? alignment : GRANULE;
    size_t offset;
    size_t granule;
    size_t start;
    size_t skipped;
    size_t rest;
    size_t expected;
    size_t index;

    if (address < model->base || (address - model->base) / GRANULE >= model->granules) {
        return "the block is not in the buffer";
    }
    offset = address - model->base;
    if (offset % GRANULE != 0u) {
        return "the block does not start at a granule";
    }
    granule = offset / GRANULE;
    if (model->live[granule]) {
        return "the block starts in a live block";
    }
    start = granule;
    while (start > 0u && !model->live[start - 1u]) {
        start--;
    }
    skipped = granule - start;
    if (alignment <= GRANULE ? skipped != 0u
                             : (skipped != 0u && (skipped < VERA_HEAP_MIN_BLOCK_GRANULES ||
                                                  skipped > alignment / GRANULE + VERA_HEAP_MIN_BLOCK_GRANULES - 1u))) {
        return alignment <= GRANULE ? "the block is not the start of a free block"
                                    : "the padding in front of the block is neither 0 nor 4 to alignment / granule + 3 granules";
    }
    if (address % kept_alignment != 0u) {
        return "the block is not aligned as asked";
    }
    if (size_class(run_length(model, start)) != lowest_fitting_class(model, wanted_granules(size, alignment))) {
        return "the block is not from the lowest bin that guarantees a fit (for the request and its padding)";
    }
    rest = run_length(model, granule);
    if (rest < rounded) {
        return "the block does not fit in its free block";
    }
    expected = (rest - rounded >= VERA_HEAP_MIN_BLOCK_GRANULES) ? rounded : rest;
    if (usable != expected * GRANULE) {
        return "usable_size is not the rounded request (or the whole free block when less than 4 granules remain)";
    }
    for (index = granule; index < granule + expected; index++) {
        model->live[index] = true;
    }
    model->block_size[granule] = (uint32_t)expected;
    model->block_alignment[granule] = kept_alignment;
    model->allocated += expected * GRANULE;
    if (model->allocated > model->peak_allocated) {
        model->peak_allocated = model->allocated;
    }
    model->live_blocks++;
    return NULL;
}

const char *vera_heap_model_alloc(vera_heap_model_t *model, size_t size, uintptr_t address, size_t usable)
{
    return take_block(model, size, GRANULE, address, usable);
}

const char *vera_heap_model_alloc_aligned(vera_heap_model_t *model, size_t size, size_t alignment, uintptr_t address,
                                          size_t usable)
{
    return take_block(model, size, alignment, address, usable);
}

/* The granule of `pointer` if it is a granule start inside the buffer, else the status. */
static vera_status_t classify(const vera_heap_model_t *model, uintptr_t pointer, size_t *granule)
{
    if (pointer < model->base || (vera_wide_t)(pointer - model->base) >= (vera_wide_t)model->granules * GRANULE) {
        return VERA_ERROR_NOT_OWNED;
    }
    if ((pointer - model->base) % GRANULE != 0u) {
        return VERA_ERROR_NOT_BLOCK_START;
    }
    *granule = (pointer - model->base) / GRANULE;
    if (model->live[*granule]) {
        return model->block_size[*granule] != 0u ? VERA_OK : VERA_ERROR_NOT_BLOCK_START;
    }
    return is_run_start(model, *granule) ? VERA_ERROR_DOUBLE_FREE : VERA_ERROR_NOT_BLOCK_START;
}

vera_status_t vera_heap_model_free(vera_heap_model_t *model, uintptr_t pointer)
{
    size_t granule = 0u;
    size_t index;
    vera_status_t status;

    if (pointer == 0u) {
        return VERA_OK;
    }
    status = classify(model, pointer, &granule);
    if (status != VERA_OK) {
        return status;
    }
    for (index = granule; index < granule + model->block_size[granule]; index++) {
        model->live[index] = false;
    }
    model->allocated -= model->block_size[granule] * GRANULE;
    model->block_size[granule] = 0u;
    model->live_blocks--;
    return VERA_OK;
}

vera_heap_model_realloc_t vera_heap_model_realloc_expectation(vera_heap_model_t *model, uintptr_t pointer,
                                                              size_t size)
{
    vera_heap_model_realloc_t result;
    size_t granule = 0u;
    size_t old;
    size_t rounded;
    size_t right;

    memset(&result, 0, sizeof result);
    if (size > model->largest_request) {
        model->largest_request = size;
    }
    result.kind = VERA_HEAP_MODEL_REFUSED;
    result.status = classify(model, pointer, &granule);
    if (result.status == VERA_OK && (size == 0u || (vera_wide_t)size > (vera_wide_t)model->granules * GRANULE)) {
        result.status = VERA_ERROR_INVALID_SIZE;
    }
    if (result.status != VERA_OK) {
        vera_heap_model_count_failure(model, result.status);
        return result;
    }
    old = model->block_size[granule];
    result.old_usable = old * GRANULE;
    rounded = vera_heap_model_rounded(size);
    result.kind = VERA_HEAP_MODEL_IN_PLACE;
    if (rounded <= old) { /* smaller: a tail of 4 granules or more goes back */
        result.usable = (old - rounded >= VERA_HEAP_MIN_BLOCK_GRANULES ? rounded : old) * GRANULE;
        return result;
    }
    if (size <= old * GRANULE) { /* it fits already */
        result.usable = old * GRANULE;
        return result;
    }
    right = granule + old;
    if (right < model->granules && !model->live[right] && old + run_length(model, right) >= rounded) {
        size_t total = old + run_length(model, right);
        result.usable = (total - rounded >= VERA_HEAP_MIN_BLOCK_GRANULES ? rounded : total) * GRANULE;
        return result;
    }
    result.kind = VERA_HEAP_MODEL_MOVES;
    result.alignment = model->block_alignment[granule];
    result.status = search_expectation(model, wanted_granules(size, result.alignment));
    if (result.status == VERA_ERROR_INVALID_SIZE) {
        result.status = VERA_ERROR_NO_MEMORY; /* the table's row */
        result.status_may_be_invalid = true;  /* what the code answers: reported */
    }
    return result;
}

void vera_heap_model_resize(vera_heap_model_t *model, uintptr_t pointer, size_t usable)
{
    size_t granule = (pointer - model->base) / GRANULE;
    size_t old = model->block_size[granule];
    size_t now = usable / GRANULE;
    size_t index;
    for (index = granule + (old < now ? old : now); index < granule + (old < now ? now : old); index++) {
        model->live[index] = now > old;
    }
    model->block_size[granule] = (uint32_t)now;
    model->allocated = model->allocated - old * GRANULE + now * GRANULE;
    if (model->allocated > model->peak_allocated) {
        model->peak_allocated = model->allocated;
    }
}

const char *vera_heap_model_move(vera_heap_model_t *model, uintptr_t pointer, size_t size, size_t alignment,
                                 uintptr_t address, size_t usable)
{
    const char *why = take_block(model, size, alignment, address, usable);
    if (why == NULL) {
        (void)vera_heap_model_free(model, pointer);
    }
    return why;
}

size_t vera_heap_model_usable_size(const vera_heap_model_t *model, uintptr_t pointer)
{
    size_t granule = 0u;
    if (pointer == 0u || classify(model, pointer, &granule) != VERA_OK) {
        return 0u;
    }
    return model->block_size[granule] * GRANULE;
}

size_t vera_heap_model_free_blocks(const vera_heap_model_t *model)
{
    size_t runs = 0u;
    size_t granule;
    for (granule = 0u; granule < model->granules; granule++) {
        if (is_run_start(model, granule)) {
            runs++;
        }
    }
    return runs;
}

bool vera_heap_model_consistent(const vera_heap_model_t *model)
{
    size_t granule = 0u;
    size_t blocks = 0u;
    size_t bytes = 0u;
    while (granule < model->granules) {
        size_t size = model->block_size[granule];
        size_t index;
        if (!model->live[granule]) {
            if (size != 0u) {
                return false;
            }
            granule++;
            continue;
        }
        if (size < VERA_HEAP_MIN_BLOCK_GRANULES || size > model->granules - granule) {
            return false;
        }
        for (index = granule; index < granule + size; index++) {
            if (!model->live[index] || (index > granule && model->block_size[index] != 0u)) {
                return false;
            }
        }
        blocks++;
        bytes += size * GRANULE;
        granule += size;
    }
    return blocks == model->live_blocks && bytes == model->allocated &&
           model->peak_allocated >= model->allocated;
}
