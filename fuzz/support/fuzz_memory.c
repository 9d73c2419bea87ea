#include "fuzz/support/fuzz_memory.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz/support/fuzz_check.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VERA_FUZZ_WITH_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VERA_FUZZ_WITH_ASAN 1
#endif

#if defined(VERA_FUZZ_WITH_ASAN)
#include <sanitizer/asan_interface.h>
#endif

void vera_fuzz_poison(const volatile void *address, size_t size)
{
#if defined(VERA_FUZZ_WITH_ASAN)
    __asan_poison_memory_region(address, size);
#else
    (void)address;
    (void)size;
#endif
}

void vera_fuzz_unpoison(const volatile void *address, size_t size)
{
#if defined(VERA_FUZZ_WITH_ASAN)
    __asan_unpoison_memory_region(address, size);
#else
    (void)address;
    (void)size;
#endif
}

bool vera_fuzz_poisoning_enabled(void)
{
#if defined(VERA_FUZZ_WITH_ASAN)
    return true;
#else
    return false;
#endif
}

bool vera_fuzz_is_poisoned(const volatile void *address)
{
#if defined(VERA_FUZZ_WITH_ASAN)
    return __asan_address_is_poisoned(address) != 0;
#else
    (void)address;
    return false;
#endif
}

/* Length of the repeating part of a block's fill pattern. */
#define PATTERN_PERIOD 251u /* prime, so the pattern does not line up with power-of-two strides */

/* The fill pattern of the block with `serial`: PATTERN_PERIOD bytes, different for every serial,
 * repeated over the block. Built once per block so that filling and verifying run at memcpy /
 * memcmp speed (ASan checks those once per range instead of once per byte). */
static void make_pattern(uint32_t serial, unsigned char pattern[PATTERN_PERIOD])
{
    uint32_t state = serial * 0x9E3779B1u + 0x7F4A7C15u;
    for (size_t position = 0u; position < PATTERN_PERIOD; position++) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        pattern[position] = (unsigned char)(state >> 11);
    }
}

void vera_fuzz_tracker_reset(vera_fuzz_tracker_t *tracker, unsigned char *region, size_t region_size)
{
    VERA_FUZZ_CHECK(region_size <= VERA_FUZZ_REGION_MAX_BYTES, "region of %zu bytes", region_size);
    tracker->region = region;
    tracker->region_size = region_size;
    memset(tracker->owned, 0, region_size);
    tracker->block_count = 0u;
    tracker->next_serial = 1u;
}

void vera_fuzz_tracker_open(vera_fuzz_tracker_t *tracker, unsigned char *region, size_t region_size,
                            unsigned char canary)
{
    vera_fuzz_tracker_reset(tracker, region, region_size);
    vera_fuzz_unpoison(region, region_size);
    memset(region, canary, region_size);
    vera_fuzz_poison(region, region_size);
}

bool vera_fuzz_tracker_full(const vera_fuzz_tracker_t *tracker)
{
    return tracker->block_count >= VERA_FUZZ_MAX_BLOCKS;
}

/* The live block that owns `address`, for the failure message; -1 if none. */
static long owner_of(const vera_fuzz_tracker_t *tracker, uintptr_t address)
{
    for (size_t index = 0u; index < tracker->block_count; index++) {
        uintptr_t start = (uintptr_t)tracker->blocks[index].start;
        if (address >= start && address - start < tracker->blocks[index].size) {
            return (long)index;
        }
    }
    return -1;
}

size_t vera_fuzz_tracker_add(vera_fuzz_tracker_t *tracker, void *block, size_t size)
{
    uintptr_t region_start = (uintptr_t)tracker->region;
    uintptr_t start = (uintptr_t)block;
    unsigned char pattern[PATTERN_PERIOD];
    const uint8_t *first_owned;
    size_t offset;
    size_t index;
    vera_fuzz_block_t *entry;

    VERA_FUZZ_CHECK(block != NULL, "NULL block");
    VERA_FUZZ_CHECK(size != 0u, "empty block at %p", block);
    VERA_FUZZ_CHECK(start >= region_start && start - region_start <= tracker->region_size &&
                        size <= tracker->region_size - (size_t)(start - region_start),
                    "block [%p, +%zu) is not inside the region [%p, +%zu)", block, size,
                    (void *)tracker->region, tracker->region_size);
    VERA_FUZZ_CHECK(!vera_fuzz_tracker_full(tracker), "more than %u live blocks", VERA_FUZZ_MAX_BLOCKS);
    offset = (size_t)(start - region_start);
    first_owned = memchr(&tracker->owned[offset], 1, size);
    VERA_FUZZ_CHECK(first_owned == NULL, "block [%p, +%zu) overlaps live block #%ld at its byte %zu", block,
                    size, first_owned == NULL ? -1L : owner_of(tracker, region_start + (size_t)(first_owned - tracker->owned)),
                    first_owned == NULL ? 0u : (size_t)(first_owned - &tracker->owned[offset]));

    index = tracker->block_count++;
    entry = &tracker->blocks[index];
    entry->start = (unsigned char *)block;
    entry->size = size;
    entry->serial = tracker->next_serial++;
    memset(&tracker->owned[offset], 1, size);
    make_pattern(entry->serial, pattern);
    for (size_t position = 0u; position < size; position += PATTERN_PERIOD) {
        size_t chunk = size - position < PATTERN_PERIOD ? size - position : PATTERN_PERIOD;
        memcpy(entry->start + position, pattern, chunk);
    }
    return index;
}

static void verify_block(const vera_fuzz_tracker_t *tracker, size_t index)
{
    const vera_fuzz_block_t *entry = &tracker->blocks[index];
    unsigned char pattern[PATTERN_PERIOD];
    make_pattern(entry->serial, pattern);
    for (size_t position = 0u; position < entry->size; position += PATTERN_PERIOD) {
        size_t chunk = entry->size - position < PATTERN_PERIOD ? entry->size - position : PATTERN_PERIOD;
        if (memcmp(entry->start + position, pattern, chunk) != 0) {
            size_t byte = position;
            while (entry->start[byte] == pattern[byte - position]) {
                byte++;
            }
            VERA_FUZZ_CHECK(false, "block #%zu [%p, +%zu) corrupted at its byte %zu", index,
                            (void *)entry->start, entry->size, byte);
        }
    }
}

void vera_fuzz_tracker_verify_all(const vera_fuzz_tracker_t *tracker)
{
    for (size_t index = 0u; index < tracker->block_count; index++) {
        verify_block(tracker, index);
    }
}

void vera_fuzz_tracker_remove(vera_fuzz_tracker_t *tracker, size_t index)
{
    vera_fuzz_block_t *entry;
    size_t offset;

    VERA_FUZZ_CHECK(index < tracker->block_count, "no block #%zu", index);
    verify_block(tracker, index);
    entry = &tracker->blocks[index];
    offset = (size_t)((uintptr_t)entry->start - (uintptr_t)tracker->region);
    memset(&tracker->owned[offset], 0, entry->size);
    tracker->blocks[index] = tracker->blocks[tracker->block_count - 1u];
    tracker->block_count--;
}

unsigned char *vera_fuzz_take_foreign_object(vera_fuzz_input_t *input, void *allocator, const char *allocator_kind,
                                             void *metadata, const char *metadata_kind, const char **kind)
{
    static int other_object;
    switch (vera_fuzz_take_choice(input, 3u)) {
    case 0:
        *kind = "another object";
        return (unsigned char *)&other_object;
    case 1:
        *kind = allocator_kind;
        return (unsigned char *)allocator;
    default:
        *kind = metadata_kind;
        return (unsigned char *)metadata;
    }
}

size_t vera_fuzz_tracker_index_of(const vera_fuzz_tracker_t *tracker, const void *block)
{
    size_t index;
    for (index = 0u; index < tracker->block_count; index++) {
        if (tracker->blocks[index].start == block) {
            return index;
        }
    }
    VERA_FUZZ_CHECK(false, "block %p is not live in the harness (harness bug)", block);
    return 0u;
}

/* Checks [start, start + size) of the region, owned by no block, against the canary: memcmp with
 * a canary-filled chunk, which ASan checks once per call instead of once per byte. */
static void verify_gap(const vera_fuzz_tracker_t *tracker, size_t start, size_t size, unsigned char canary)
{
    static unsigned char canary_chunk[4096];
    static int chunk_canary = -1;
    if (chunk_canary != (int)canary) {
        memset(canary_chunk, canary, sizeof canary_chunk);
        chunk_canary = (int)canary;
    }
    for (size_t done = 0u; done < size; done += sizeof canary_chunk) {
        size_t chunk = size - done < sizeof canary_chunk ? size - done : sizeof canary_chunk;
        if (memcmp(&tracker->region[start + done], canary_chunk, chunk) != 0) {
            size_t byte = start + done;
            while (tracker->region[byte] == canary) {
                byte++;
            }
            VERA_FUZZ_CHECK(false, "byte %zu of the region, owned by no block, was written (0x%02x)", byte,
                            (unsigned)tracker->region[byte]);
        }
    }
}

static int compare_block_starts(const void *left, const void *right)
{
    uintptr_t left_start = (uintptr_t)((const vera_fuzz_block_t *)left)->start;
    uintptr_t right_start = (uintptr_t)((const vera_fuzz_block_t *)right)->start;
    return left_start < right_start ? -1 : left_start > right_start ? 1 : 0;
}

void vera_fuzz_tracker_verify_unowned(const vera_fuzz_tracker_t *tracker, unsigned char canary)
{
    static vera_fuzz_block_t by_address[VERA_FUZZ_MAX_BLOCKS];
    size_t gap_start = 0u;

    memcpy(by_address, tracker->blocks, tracker->block_count * sizeof by_address[0]);
    qsort(by_address, tracker->block_count, sizeof by_address[0], compare_block_starts);
    /* Live blocks are disjoint (checked when added), so the gaps are simply between them. */
    for (size_t index = 0u; index < tracker->block_count; index++) {
        size_t block_start = (size_t)((uintptr_t)by_address[index].start - (uintptr_t)tracker->region);
        verify_gap(tracker, gap_start, block_start - gap_start, canary);
        gap_start = block_start + by_address[index].size;
    }
    verify_gap(tracker, gap_start, tracker->region_size - gap_start, canary);
}

void vera_fuzz_check_bump_block(vera_fuzz_tracker_t *tracker, unsigned char *block, size_t size,
                                size_t used_before, size_t used_after, size_t expected_offset)
{
    unsigned char *buffer = tracker->region;
    unsigned char *consumed_start = buffer + used_before;
    unsigned char *consumed_end = buffer + used_after;

    vera_fuzz_unpoison(consumed_start, (size_t)(consumed_end - consumed_start));
    (void)vera_fuzz_tracker_add(tracker, block, size);
    VERA_FUZZ_CHECK(block >= consumed_start && size <= (size_t)(consumed_end - block),
                    "block [%p, +%zu) is not inside the bytes this call consumed [%p, %p)", (void *)block,
                    size, (void *)consumed_start, (void *)consumed_end);
    VERA_FUZZ_CHECK(block == buffer + expected_offset, "block at offset %zu, model %zu",
                    (size_t)(block - buffer), expected_offset);
}

void vera_fuzz_set_near_saturation(size_t *counter, size_t *model_counter, size_t below_max)
{
    *counter = SIZE_MAX - below_max;
    *model_counter = *counter;
    vera_fuzz_trace("failed requests set to %zu\n", *counter);
}
