/* The dist firmware's scenarios of the arena (dist_firmware.c runs them). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dist_firmware_checks.h"
#include "tests/release/dist_firmware_scenarios.h" /* generated (BUILD) */
#include "veralloc.h"

/* ---- the instance API -------------------------------------------------------------------- */

#define ARENA_BYTES 4096u
static union {
    uint64_t alignment;
    unsigned char bytes[ARENA_BYTES + 1024u];
} arena_storage;

/* A 1024-aligned start inside arena_storage, so every alignment up to 1024 can be asked for. */
static unsigned char *arena_buffer(void)
{
    unsigned char *start = arena_storage.bytes;
    while (!dist_firmware_is_aligned(start, 1024u)) {
        start++;
    }
    return start;
}

static bool arena_fields_equal(const vera_arena_t *left, const vera_arena_t *right)
{
    return left->base == right->base && left->capacity == right->capacity &&
           left->used == right->used && left->sealed == right->sealed &&
           left->largest_request == right->largest_request &&
           left->failed_requests == right->failed_requests;
}

static bool allocation_state_equal(const vera_arena_t *left, const vera_arena_t *right)
{
    return left->base == right->base && left->capacity == right->capacity &&
           left->used == right->used && left->sealed == right->sealed;
}

void dist_firmware_scenario_arena(void)
{
    static vera_arena_t never_initialised; /* zero-initialised, as a static arena is */
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    unsigned char *buffer = arena_buffer();
    unsigned char *blocks[6];
    static const size_t sizes[6] = {1u, 7u, 8u, 9u, 100u, 3u};
    size_t index;
    size_t alignment;
    bool all_aligned = true;
    bool all_inside = true;
    bool all_intact = true;
    uintptr_t offset;
    bool all_misaligned_rejected = true;

    CHECK("arena target is 32-bit with 8-byte alignment",
          sizeof(void *) == 4u && VERA_ALIGNMENT == 8u && MIRA_MEM_ALIGNMENT == 8u);

    CHECK("zero-initialised arena refuses to allocate",
          vera_arena_alloc(&never_initialised, 1u) == NULL &&
              vera_arena_alloc_aligned(&never_initialised, 1u, 64u) == NULL &&
              vera_arena_capacity(&never_initialised) == 0u &&
              vera_arena_failed_requests(&never_initialised) == 2u);

    CHECK("init succeeds", vera_arena_init(&arena, buffer, ARENA_BYTES + 5u) == VERA_OK);
    CHECK("capacity is the size rounded down", vera_arena_capacity(&arena) == ARENA_BYTES);
    before = arena;
    CHECK("init with NULL arena or buffer: VERA_ERROR_NULL_POINTER",
          vera_arena_init(NULL, buffer, ARENA_BYTES) == VERA_ERROR_NULL_POINTER &&
              vera_arena_init(&arena, NULL, ARENA_BYTES) == VERA_ERROR_NULL_POINTER);
    CHECK("init with size < VERA_ALIGNMENT: VERA_ERROR_INVALID_SIZE",
          vera_arena_init(&arena, buffer, 0u) == VERA_ERROR_INVALID_SIZE &&
              vera_arena_init(&arena, buffer, VERA_ALIGNMENT - 1u) == VERA_ERROR_INVALID_SIZE);
    for (offset = 1u; offset < VERA_ALIGNMENT; offset++) {
        if (vera_arena_init(&arena, buffer + offset, ARENA_BYTES) != VERA_ERROR_MISALIGNED) {
            all_misaligned_rejected = false;
        }
    }
    CHECK("init with a misaligned buffer: VERA_ERROR_MISALIGNED", all_misaligned_rejected);
    CHECK("a failed init changes nothing", arena_fields_equal(&arena, &before));

    for (index = 0u; index < 6u; index++) {
        blocks[index] = vera_arena_alloc(&arena, sizes[index]);
        if (blocks[index] == NULL || !dist_firmware_is_aligned(blocks[index], VERA_ALIGNMENT)) {
            all_aligned = false;
        } else {
            if (blocks[index] < buffer || blocks[index] + sizes[index] > buffer + ARENA_BYTES) {
                all_inside = false;
            }
            dist_firmware_fill_pattern(blocks[index], sizes[index], (unsigned)index);
        }
    }
    CHECK("alloc: blocks aligned to VERA_ALIGNMENT", all_aligned);
    CHECK("alloc: blocks inside the buffer", all_inside);
    for (index = 0u; all_aligned && index < 6u; index++) {
        all_intact = all_intact && dist_firmware_pattern_intact(blocks[index], sizes[index], (unsigned)index);
    }
    CHECK("alloc: blocks disjoint (every pattern intact)", all_aligned && all_intact);
    CHECK("alloc: usage is the sum of rounded sizes",
          vera_arena_used(&arena) == 8u + 8u + 8u + 16u + 104u + 8u);

    all_aligned = true;
    for (alignment = 1u; alignment <= 1024u; alignment *= 2u) {
        size_t used_before;
        unsigned char *block;
        (void)vera_arena_alloc(&arena, 1u); /* move the watermark off larger alignments */
        used_before = vera_arena_used(&arena);
        block = vera_arena_alloc_aligned(&arena, 5u, alignment);
        if (block == NULL || !dist_firmware_is_aligned(block, alignment) || !dist_firmware_is_aligned(block, VERA_ALIGNMENT) ||
            block < buffer + used_before || block + 5u > buffer + vera_arena_used(&arena)) {
            all_aligned = false;
        }
    }
    CHECK("alloc_aligned: absolute address aligned, 1 to 1024", all_aligned);

    before = arena;
    CHECK("alloc_aligned with a bad alignment fails",
          vera_arena_alloc_aligned(&arena, 8u, 0u) == NULL &&
              vera_arena_alloc_aligned(&arena, 8u, 24u) == NULL &&
              vera_arena_alloc_aligned(&arena, 8u, (size_t)SIZE_MAX) == NULL);
    CHECK("alloc of size 0 fails",
          vera_arena_alloc(&arena, 0u) == NULL && vera_arena_alloc_aligned(&arena, 0u, 16u) == NULL);
    CHECK("alloc near SIZE_MAX fails, nothing wraps",
          vera_arena_alloc(&arena, (size_t)SIZE_MAX) == NULL &&
              vera_arena_alloc(&arena, (size_t)SIZE_MAX - VERA_ALIGNMENT + 1u) == NULL &&
              vera_arena_alloc_aligned(&arena, (size_t)SIZE_MAX - 3u, 256u) == NULL);
    CHECK("alloc one byte more than is free fails",
          vera_arena_alloc(&arena, vera_arena_available(&arena) + 1u) == NULL);
    CHECK("failed allocations change only the diagnostics",
          allocation_state_equal(&arena, &before) &&
              vera_arena_failed_requests(&arena) == before.failed_requests + 9u &&
              vera_arena_largest_request(&arena) == (size_t)SIZE_MAX);
    CHECK("alloc of exactly what is free succeeds",
          vera_arena_alloc(&arena, vera_arena_available(&arena)) != NULL &&
              vera_arena_available(&arena) == 0u && vera_arena_used(&arena) == ARENA_BYTES);

    CHECK("init again starts afresh",
          vera_arena_init(&arena, buffer, 64u) == VERA_OK && vera_arena_used(&arena) == 0u);
    vera_arena_seal(&arena);
    before = arena;
    CHECK("sealed arena refuses to allocate",
          vera_arena_is_sealed(&arena) && vera_arena_alloc(&arena, 8u) == NULL &&
              vera_arena_alloc_aligned(&arena, 8u, 8u) == NULL &&
              allocation_state_equal(&arena, &before));

    vera_arena_seal(NULL);
    CHECK("NULL arena: NULL, 0, false",
          vera_arena_alloc(NULL, 8u) == NULL && vera_arena_alloc_aligned(NULL, 8u, 8u) == NULL &&
              !vera_arena_is_sealed(NULL) && vera_arena_capacity(NULL) == 0u &&
              vera_arena_used(NULL) == 0u && vera_arena_available(NULL) == 0u &&
              vera_arena_largest_request(NULL) == 0u && vera_arena_failed_requests(NULL) == 0u);
}
