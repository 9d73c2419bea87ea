/* The dist firmware's scenario of the heap (dist_firmware.c runs it). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dist_firmware_checks.h"
#include "tests/release/dist_firmware_scenarios.h" /* generated (BUILD) */
#include "veralloc.h"

/* ---- the heap --------------------------------------------------------------------------------- */

#define HEAP_GRANULES 64u
#define GRANULE ((size_t)VERA_HEAP_GRANULE)
VERA_HEAP_DEFINE(firmware_heap, HEAP_GRANULES * VERA_HEAP_GRANULE);

static bool heap_fields_equal(const vera_heap_t *left, const vera_heap_t *right)
{
    size_t bin;
    for (bin = 0u; bin < VERA_HEAP_BINS; bin++) {
        if (left->bin_head[bin] != right->bin_head[bin]) {
            return false;
        }
    }
    return left->base == right->base && left->map == right->map && left->granules == right->granules &&
           left->capacity == right->capacity && left->nonempty == right->nonempty &&
           left->allocated == right->allocated && left->peak_allocated == right->peak_allocated &&
           left->largest_request == right->largest_request &&
           left->failed_requests == right->failed_requests && left->live_blocks == right->live_blocks &&
           left->free_blocks == right->free_blocks && left->last_error == right->last_error;
}

static size_t heap_free_blocks(void)
{
    vera_heap_stats_t stats;
    return vera_heap_get_stats(&firmware_heap, &stats) == VERA_OK ? stats.free_blocks : 9999u;
}

/* alloc_aligned, realloc (each row of its table) and the MiraOS callback, on the heap emptied and
 * initialised again. */
static void dist_firmware_scenario_heap_aligned_and_realloc(unsigned char *base)
{
    unsigned char *small;
    unsigned char *aligned;
    unsigned char *grown;
    unsigned char *moved;
    unsigned char *blocker;
    unsigned char *from_mira;
    vera_heap_t before;
    int outside = 0;

    CHECK("free the whole heap and initialise it again",
          vera_heap_free(&firmware_heap, base) == VERA_OK && VERA_HEAP_INIT(firmware_heap) == VERA_OK);
    small = (unsigned char *)vera_heap_alloc(&firmware_heap, 1u);
    aligned = (unsigned char *)vera_heap_alloc_aligned(&firmware_heap, 3u * GRANULE, 16u * GRANULE);
    CHECK("alloc_aligned: aligned, 4 granules, the padding before it a free block",
          small == base && aligned != NULL && dist_firmware_is_aligned(aligned, 16u * GRANULE) &&
              vera_heap_usable_size(&firmware_heap, aligned) == 4u * GRANULE &&
              (aligned == base + 4u * GRANULE || heap_free_blocks() == 2u));
    before = firmware_heap;
    CHECK("alloc_aligned with an alignment of 0, 3 granules or above the capacity: VERA_ERROR_INVALID_SIZE",
          vera_heap_alloc_aligned(&firmware_heap, 8u, 0u) == NULL &&
              vera_heap_alloc_aligned(&firmware_heap, 8u, 3u * GRANULE) == NULL &&
              vera_heap_alloc_aligned(&firmware_heap, 8u, 2u * HEAP_GRANULES * GRANULE) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_INVALID_SIZE &&
              firmware_heap.failed_requests == before.failed_requests + 3u);
    CHECK("free the aligned block: it merges with its free neighbours",
          vera_heap_free(&firmware_heap, aligned) == VERA_OK && heap_free_blocks() == 1u);

    /* realloc: small (4 granules at the start), the rest of the heap free after it. */
    dist_firmware_fill_pattern(small, 4u * GRANULE, 7u);
    grown = (unsigned char *)vera_heap_realloc(&firmware_heap, small, 8u * GRANULE);
    CHECK("realloc grows in place into the free right neighbour, the data kept",
          grown == small && vera_heap_usable_size(&firmware_heap, grown) == 8u * GRANULE &&
              dist_firmware_pattern_intact(grown, 4u * GRANULE, 7u));
    CHECK("realloc shrinks in place, the tail merged with the free block after it",
          vera_heap_realloc(&firmware_heap, grown, 1u) == grown &&
              vera_heap_usable_size(&firmware_heap, grown) == 4u * GRANULE && heap_free_blocks() == 1u &&
              dist_firmware_pattern_intact(grown, 4u * GRANULE, 7u));
    blocker = (unsigned char *)vera_heap_alloc(&firmware_heap, 1u);
    moved = (unsigned char *)vera_heap_realloc(&firmware_heap, grown, 16u * GRANULE);
    CHECK("realloc moves when the right neighbour is live: the data copied, the old block freed",
          blocker == base + 4u * GRANULE && moved != NULL && moved != grown &&
              dist_firmware_pattern_intact(moved, 4u * GRANULE, 7u) &&
              vera_heap_usable_size(&firmware_heap, grown) == 0u &&
              vera_heap_free(&firmware_heap, grown) == VERA_ERROR_DOUBLE_FREE);
    before = firmware_heap;
    CHECK("realloc of a foreign pointer, an interior one or a freed block: NULL, free's status",
          vera_heap_realloc(&firmware_heap, &outside, 8u) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_NOT_OWNED &&
              vera_heap_realloc(&firmware_heap, moved + 1, 8u) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_NOT_BLOCK_START &&
              vera_heap_realloc(&firmware_heap, grown, 8u) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_DOUBLE_FREE);
    CHECK("realloc to 0 or with no room: NULL, the block live and unchanged",
          vera_heap_realloc(&firmware_heap, moved, 0u) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_INVALID_SIZE &&
              vera_heap_realloc(&firmware_heap, moved, 40u * GRANULE) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_NO_MEMORY &&
              vera_heap_usable_size(&firmware_heap, moved) == 16u * GRANULE &&
              dist_firmware_pattern_intact(moved, 4u * GRANULE, 7u));
    before.failed_requests += 5u;
    before.last_error = VERA_ERROR_NO_MEMORY;
    before.largest_request = firmware_heap.largest_request;
    CHECK("a refused realloc changes nothing but its failure counters", heap_fields_equal(&firmware_heap, &before));

    /* The heap as MiraOS's allocation callback (one scenario per boot: mira_mem is unset here). */
    CHECK("vera_heap_mira_callback with NULL storage: NULL", vera_heap_mira_callback(8u, NULL) == NULL);
    from_mira = NULL;
    if (mira_mem_set_alloc_callback(vera_heap_mira_callback, &firmware_heap) == MIRA_SUCCESS) {
        from_mira = (unsigned char *)mira_mem_alloc(24u);
    }
    CHECK("mira_mem_alloc through vera_heap_mira_callback: a live block of the heap",
          from_mira != NULL && vera_heap_usable_size(&firmware_heap, from_mira) >= 24u &&
              vera_heap_free(&firmware_heap, from_mira) == VERA_OK && vera_heap_check(&firmware_heap));
}

void dist_firmware_scenario_heap(void)
{
    static vera_heap_t never_initialised; /* zero-initialised, as a static heap is */
    static vera_heap_word_t spare_map[HEAP_GRANULES];
    unsigned char *blocks[4];
    unsigned char *base = (unsigned char *)firmware_heap_storage.buffer.bytes;
    vera_heap_t before;
    vera_heap_stats_t stats;
    size_t index;
    bool all_placed = true;
    bool all_intact = true;
    int outside = 0;

    CHECK("zero-initialised heap refuses to allocate, counted",
          vera_heap_alloc(&never_initialised, 8u) == NULL &&
              vera_heap_get_stats(&never_initialised, &stats) == VERA_OK && stats.failed_requests == 1u);
    CHECK("VERA_HEAP_INIT succeeds, the map below the buffer",
          VERA_HEAP_INIT(firmware_heap) == VERA_OK &&
              (uintptr_t)(firmware_heap_storage.map + HEAP_GRANULES) <= (uintptr_t)base);

    before = firmware_heap;
    CHECK("init with a NULL heap, buffer or map: VERA_ERROR_NULL_POINTER",
          vera_heap_init(NULL, base, HEAP_GRANULES * GRANULE, spare_map, HEAP_GRANULES) ==
                  VERA_ERROR_NULL_POINTER &&
              vera_heap_init(&firmware_heap, base, HEAP_GRANULES * GRANULE, NULL, HEAP_GRANULES) ==
                  VERA_ERROR_NULL_POINTER);
    CHECK("init with 3 granules or a map one word short: VERA_ERROR_INVALID_SIZE",
          vera_heap_init(&firmware_heap, base, 3u * GRANULE, spare_map, HEAP_GRANULES) ==
                  VERA_ERROR_INVALID_SIZE &&
              vera_heap_init(&firmware_heap, base, HEAP_GRANULES * GRANULE, spare_map,
                             HEAP_GRANULES - 1u) == VERA_ERROR_INVALID_SIZE);
    CHECK("init with a misaligned buffer: VERA_ERROR_MISALIGNED",
          vera_heap_init(&firmware_heap, base + 4, 8u * GRANULE, spare_map, HEAP_GRANULES) ==
              VERA_ERROR_MISALIGNED);
    CHECK("init with the map inside the buffer: VERA_ERROR_OVERLAP",
          vera_heap_init(&firmware_heap, base, HEAP_GRANULES * GRANULE,
                         (vera_heap_word_t *)(void *)(base + 8u * GRANULE), HEAP_GRANULES) ==
              VERA_ERROR_OVERLAP);
    CHECK("a failed init changes nothing", heap_fields_equal(&firmware_heap, &before));

    /* Four blocks of 16 granules tile the heap, in address order. */
    for (index = 0u; index < 4u; index++) {
        blocks[index] = (unsigned char *)vera_heap_alloc(&firmware_heap, 16u * GRANULE - 3u);
        if (blocks[index] != base + index * 16u * GRANULE ||
            vera_heap_usable_size(&firmware_heap, blocks[index]) != 16u * GRANULE) {
            all_placed = false;
            continue;
        }
        dist_firmware_fill_pattern(blocks[index], 16u * GRANULE, (unsigned)index);
    }
    CHECK("alloc: four 16-granule blocks tile the heap, aligned", all_placed &&
                                                                     dist_firmware_is_aligned(blocks[0], VERA_HEAP_GRANULE));
    if (!all_placed) {
        return; /* the checks below free the blocks, which needs them all */
    }
    CHECK("alloc from a full heap fails with VERA_ERROR_NO_MEMORY",
          vera_heap_alloc(&firmware_heap, 1u) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_NO_MEMORY);
    CHECK("alloc of 0 or above the capacity: VERA_ERROR_INVALID_SIZE",
          vera_heap_alloc(&firmware_heap, 0u) == NULL &&
              vera_heap_last_error(&firmware_heap) == VERA_ERROR_INVALID_SIZE &&
              vera_heap_alloc(&firmware_heap, HEAP_GRANULES * GRANULE + 1u) == NULL);

    before = firmware_heap;
    CHECK("free of a foreign pointer or past the buffer: VERA_ERROR_NOT_OWNED",
          vera_heap_free(&firmware_heap, &outside) == VERA_ERROR_NOT_OWNED &&
              vera_heap_free(&firmware_heap, base + HEAP_GRANULES * GRANULE) == VERA_ERROR_NOT_OWNED &&
              vera_heap_free(&firmware_heap, firmware_heap_storage.map) == VERA_ERROR_NOT_OWNED);
    CHECK("free inside a block: VERA_ERROR_NOT_BLOCK_START",
          vera_heap_free(&firmware_heap, blocks[1] + 1) == VERA_ERROR_NOT_BLOCK_START &&
              vera_heap_free(&firmware_heap, blocks[1] + GRANULE) == VERA_ERROR_NOT_BLOCK_START);
    CHECK("a rejected free changes nothing", heap_fields_equal(&firmware_heap, &before));

    CHECK("free a, c, then b between two free neighbours: one free block",
          vera_heap_free(&firmware_heap, blocks[0]) == VERA_OK &&
              vera_heap_free(&firmware_heap, blocks[2]) == VERA_OK && heap_free_blocks() == 2u &&
              vera_heap_free(&firmware_heap, blocks[1]) == VERA_OK && heap_free_blocks() == 1u);
    CHECK("double free: VERA_ERROR_DOUBLE_FREE; a block merged away: VERA_ERROR_NOT_BLOCK_START",
          vera_heap_free(&firmware_heap, blocks[0]) == VERA_ERROR_DOUBLE_FREE &&
              vera_heap_free(&firmware_heap, blocks[2]) == VERA_ERROR_NOT_BLOCK_START &&
              vera_heap_usable_size(&firmware_heap, blocks[1]) == 0u);
    all_intact = dist_firmware_pattern_intact(blocks[3], 16u * GRANULE, 3u);
    CHECK("the live block is untouched", all_intact);
    CHECK("the merged 48 granules serve a 32-granule request from their start",
          vera_heap_alloc(&firmware_heap, 32u * GRANULE) == blocks[0]);
    CHECK("free everything: one free block, a request of the whole heap succeeds",
          vera_heap_free(&firmware_heap, blocks[0]) == VERA_OK &&
              vera_heap_free(&firmware_heap, blocks[3]) == VERA_OK && heap_free_blocks() == 1u &&
              vera_heap_alloc(&firmware_heap, HEAP_GRANULES * GRANULE) == base);
    CHECK("stats: capacity, allocated, metadata, peak",
          vera_heap_get_stats(&firmware_heap, &stats) == VERA_OK &&
              stats.capacity == HEAP_GRANULES * GRANULE && stats.allocated == HEAP_GRANULES * GRANULE &&
              stats.free_bytes == 0u && stats.live_blocks == 1u &&
              stats.metadata_bytes == HEAP_GRANULES * sizeof(vera_heap_word_t) &&
              stats.peak_allocated == HEAP_GRANULES * GRANULE);
    CHECK("vera_heap_check accepts the heap", vera_heap_check(&firmware_heap));
    CHECK("NULL heap: NULL, VERA_ERROR_NULL_POINTER, 0, false",
          vera_heap_alloc(NULL, 8u) == NULL && vera_heap_free(NULL, base) == VERA_ERROR_NULL_POINTER &&
              vera_heap_usable_size(NULL, base) == 0u && !vera_heap_check(NULL) &&
              vera_heap_last_error(NULL) == VERA_ERROR_NULL_POINTER &&
              vera_heap_alloc_aligned(NULL, 8u, 8u) == NULL && vera_heap_realloc(NULL, base, 8u) == NULL);
    dist_firmware_scenario_heap_aligned_and_realloc(base);
}
