/* Uses the shared pool from a second file: only the declaration is seen here. */
#include "shared_pool.h"

void *take_in_other_file(void)
{
    return vera_pool_alloc(&shared_pool);
}

int give_back_in_other_file(void *block)
{
    return vera_pool_free(&shared_pool, block) == VERA_OK ? 0 : 1;
}

#if TEST_ALIGNED_POOLS
void *take_aligned_in_other_file(void)
{
    return vera_pool_alloc(&shared_dma_pool);
}
#endif
