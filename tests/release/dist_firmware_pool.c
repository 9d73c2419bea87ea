/* The dist firmware's scenarios of the fixed-block pool (dist_firmware.c runs them). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dist_firmware_checks.h"
#include "tests/release/dist_firmware_scenarios.h" /* generated (BUILD) */
#include "veralloc.h"

/* ---- the fixed-block pool ------------------------------------------------------------------ */

#define POOL_BLOCK_SIZE 20u /* rounded up to 24 on the target */
#define POOL_BLOCKS 6u
VERA_POOL_DEFINE(firmware_pool, POOL_BLOCK_SIZE, POOL_BLOCKS);

static bool pool_fields_equal(const vera_pool_t *left, const vera_pool_t *right)
{
    return left->base == right->base && left->block_size == right->block_size &&
           left->block_count == right->block_count && left->capacity == right->capacity &&
           left->free_order == right->free_order &&
           left->block_position == right->block_position &&
           left->free_count == right->free_count && left->peak_used == right->peak_used &&
           left->failed_requests == right->failed_requests;
}

void dist_firmware_scenario_pool(void)
{
    static vera_pool_t never_initialised; /* zero-initialised, as a static pool is */
    static vera_pool_index_t spare_metadata[VERA_POOL_METADATA_ENTRIES(POOL_BLOCKS)];
    unsigned char *blocks[POOL_BLOCKS];
    unsigned char *base;
    vera_pool_t before;
    size_t block_size;
    size_t index;
    bool all_aligned = true;
    bool all_inside = true;
    bool all_intact = true;
    bool all_zero = true;
    int outside = 0;

    CHECK("zero-initialised pool refuses to allocate",
          vera_pool_alloc(&never_initialised) == NULL &&
              vera_pool_failed_requests(&never_initialised) == 1u);
    CHECK("VERA_POOL_INIT succeeds", VERA_POOL_INIT(firmware_pool) == VERA_OK);
    block_size = vera_pool_block_size(&firmware_pool);
    CHECK("block size rounded up to VERA_ALIGNMENT, block count as defined",
          block_size == 24u && vera_pool_block_count(&firmware_pool) == POOL_BLOCKS);

    before = firmware_pool;
    CHECK("init with a NULL pool, buffer or metadata: VERA_ERROR_NULL_POINTER",
          vera_pool_init(NULL, firmware_pool_blocks.bytes, sizeof firmware_pool_blocks.bytes,
                         POOL_BLOCK_SIZE, POOL_BLOCKS, spare_metadata,
                         VERA_POOL_METADATA_ENTRIES(POOL_BLOCKS)) == VERA_ERROR_NULL_POINTER &&
              vera_pool_init(&firmware_pool, firmware_pool_blocks.bytes,
                             sizeof firmware_pool_blocks.bytes, POOL_BLOCK_SIZE, POOL_BLOCKS,
                             NULL, 0u) == VERA_ERROR_NULL_POINTER);
    CHECK("init with a buffer one byte short: VERA_ERROR_INVALID_SIZE",
          vera_pool_init(&firmware_pool, firmware_pool_blocks.bytes,
                         sizeof firmware_pool_blocks.bytes - 1u, POOL_BLOCK_SIZE, POOL_BLOCKS,
                         spare_metadata, VERA_POOL_METADATA_ENTRIES(POOL_BLOCKS)) ==
              VERA_ERROR_INVALID_SIZE);
    CHECK("init with a misaligned buffer: VERA_ERROR_MISALIGNED",
          vera_pool_init(&firmware_pool, firmware_pool_blocks.bytes + 4, 24u, 8u, 2u,
                         spare_metadata, 4u) == VERA_ERROR_MISALIGNED);
    CHECK("a failed init changes nothing", pool_fields_equal(&firmware_pool, &before));

    base = (unsigned char *)firmware_pool_blocks.bytes;
    for (index = 0u; index < POOL_BLOCKS; index++) {
        blocks[index] = (unsigned char *)vera_pool_alloc(&firmware_pool);
        if (blocks[index] == NULL || !dist_firmware_is_aligned(blocks[index], VERA_ALIGNMENT)) {
            all_aligned = false;
            continue;
        }
        if (blocks[index] < base ||
            blocks[index] + block_size > base + sizeof firmware_pool_blocks.bytes) {
            all_inside = false;
            continue;
        }
        dist_firmware_fill_pattern(blocks[index], block_size, (unsigned)index);
    }
    for (index = 0u; index < POOL_BLOCKS && all_aligned && all_inside; index++) {
        if (!dist_firmware_pattern_intact(blocks[index], block_size, (unsigned)index)) {
            all_intact = false;
        }
    }
    CHECK("alloc: every block aligned to VERA_ALIGNMENT", all_aligned);
    CHECK("alloc: every block inside the pool's storage", all_inside);
    CHECK("alloc: blocks disjoint (every pattern intact)", all_aligned && all_inside && all_intact);
    CHECK("counters: all used, peak, none free",
          vera_pool_blocks_used(&firmware_pool) == POOL_BLOCKS &&
              vera_pool_peak_used(&firmware_pool) == POOL_BLOCKS &&
              vera_pool_blocks_free(&firmware_pool) == 0u);
    CHECK("alloc from an exhausted pool fails and is counted",
          vera_pool_alloc(&firmware_pool) == NULL &&
              vera_pool_failed_requests(&firmware_pool) == 1u);

    if (!all_aligned || !all_inside) {
        return; /* the checks below free the blocks, which needs them all */
    }
    before = firmware_pool;
    CHECK("free of a foreign pointer: VERA_ERROR_NOT_OWNED",
          vera_pool_free(&firmware_pool, &outside) == VERA_ERROR_NOT_OWNED &&
              vera_pool_free(&firmware_pool, base + sizeof firmware_pool_blocks.bytes) ==
                  VERA_ERROR_NOT_OWNED);
    CHECK("free inside a block: VERA_ERROR_NOT_BLOCK_START",
          vera_pool_free(&firmware_pool, blocks[2] + 1) == VERA_ERROR_NOT_BLOCK_START &&
              vera_pool_free(&firmware_pool, blocks[2] + block_size - 1u) ==
                  VERA_ERROR_NOT_BLOCK_START);
    CHECK("a rejected free changes nothing", pool_fields_equal(&firmware_pool, &before));
    CHECK("free of a used block, then of the same block: VERA_ERROR_DOUBLE_FREE",
          vera_pool_free(&firmware_pool, blocks[3]) == VERA_OK &&
              vera_pool_free(&firmware_pool, blocks[3]) == VERA_ERROR_DOUBLE_FREE);
    CHECK("free(NULL) does nothing", vera_pool_free(&firmware_pool, NULL) == VERA_OK &&
                                         vera_pool_blocks_free(&firmware_pool) == 1u);
    CHECK("the other blocks are untouched",
          dist_firmware_pattern_intact(blocks[2], block_size, 2u) && dist_firmware_pattern_intact(blocks[4], block_size, 4u));
    CHECK("alloc_zeroed hands back the freed block, cleared",
          vera_pool_alloc_zeroed(&firmware_pool) == blocks[3]);
    for (index = 0u; index < block_size; index++) {
        if (blocks[3][index] != 0u) {
            all_zero = false;
        }
    }
    CHECK("alloc_zeroed: every byte zero, neighbours intact",
          all_zero && dist_firmware_pattern_intact(blocks[2], block_size, 2u) &&
              dist_firmware_pattern_intact(blocks[4], block_size, 4u));
    CHECK("owns: every block, not the byte past the last",
          vera_pool_owns(&firmware_pool, blocks[0]) &&
              vera_pool_owns(&firmware_pool, blocks[5] + block_size - 1u) &&
              !vera_pool_owns(&firmware_pool, base + sizeof firmware_pool_blocks.bytes) &&
              !vera_pool_owns(&firmware_pool, &outside));
    for (index = 0u; index < POOL_BLOCKS; index++) {
        (void)vera_pool_free(&firmware_pool, blocks[index]);
    }
    CHECK("all freed: counters back to empty, peak kept",
          vera_pool_blocks_free(&firmware_pool) == POOL_BLOCKS &&
              vera_pool_blocks_used(&firmware_pool) == 0u &&
              vera_pool_peak_used(&firmware_pool) == POOL_BLOCKS);
    CHECK("NULL pool: NULL, VERA_ERROR_NULL_POINTER, false, 0",
          vera_pool_alloc(NULL) == NULL &&
              vera_pool_free(NULL, blocks[0]) == VERA_ERROR_NULL_POINTER &&
              !vera_pool_owns(NULL, blocks[0]) && vera_pool_blocks_used(NULL) == 0u);
}
