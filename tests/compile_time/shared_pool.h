/* Pools shared by two files (compile_time_test.sh): declared here, defined in shared_pool_a.c. */
#ifndef SHARED_POOL_H
#define SHARED_POOL_H

#ifdef VERALLOC_DIST
#include "veralloc.h"
#else
#include "veralloc/pool.h"
#endif

VERA_POOL_DECLARE(shared_pool, 40, 3);
#if TEST_ALIGNED_POOLS
/* The aligned form: 3 blocks of 40 (-> 64) bytes, each 64-aligned. */
VERA_POOL_DECLARE_ALIGNED(shared_dma_pool, 40, 3, 64);
#endif

void *take_in_other_file(void);
int give_back_in_other_file(void *block);
#if TEST_ALIGNED_POOLS
void *take_aligned_in_other_file(void);
#endif

#endif
