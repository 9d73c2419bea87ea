/* Defines the shared pool, initialises it, and checks that the other file uses the same pool. */
#include "shared_pool.h"

#include <stdint.h>

VERA_POOL_DEFINE_DECLARED(shared_pool);
#if TEST_ALIGNED_POOLS
VERA_POOL_DEFINE_DECLARED(shared_dma_pool);
#endif

int use(void);

int main(void)
{
    void *here;
    void *there;

    if (VERA_POOL_INIT(shared_pool) != VERA_OK || vera_pool_block_count(&shared_pool) != 3u ||
        vera_pool_block_size(&shared_pool) != VERA_POOL_ROUNDED_BLOCK_SIZE(40)) {
        return 10;
    }
    here = vera_pool_alloc(&shared_pool);
    there = take_in_other_file();
    if (here == NULL || there == NULL || here == there || vera_pool_blocks_used(&shared_pool) != 2u ||
        !vera_pool_owns(&shared_pool, there)) {
        return 11;
    }
    if (give_back_in_other_file(there) != 0 || vera_pool_blocks_used(&shared_pool) != 1u) {
        return 12;
    }
#if TEST_ALIGNED_POOLS
    if (VERA_POOL_INIT(shared_dma_pool) != VERA_OK || vera_pool_alignment(&shared_dma_pool) != 64u ||
        vera_pool_block_size(&shared_dma_pool) != 64u) {
        return 13;
    }
    here = vera_pool_alloc(&shared_dma_pool);
    there = take_aligned_in_other_file();
    if (here == NULL || there == NULL || here == there || (uintptr_t)there % 64u != 0u ||
        !vera_pool_owns(&shared_dma_pool, there)) {
        return 14;
    }
#endif
    return use();
}
