/*
 * Uses of VERA_POOL_DEFINE(_ALIGNED), VERA_POOL_DECLARE(_ALIGNED), VERA_HEAP_DEFINE and
 * MIRA_MEM_SET_BUFFER, one per CASE, for
 * compile_time_test.sh: the BAD_* cases must fail to compile with the broken rule's name in the
 * compiler's message, the GOOD_* cases must compile warning-free (and the program run).
 * Built against include/ or, with -DVERALLOC_DIST, against dist/veralloc.h. TEST_ALIGNED_POOLS
 * is 1 except on a dist/ made before the aligned macros existed (compile_time_test.sh says so).
 */
#ifdef VERALLOC_DIST
#include "veralloc.h"
#else
#include "mira_mem.h"
#include "veralloc/heap.h"
#include "veralloc/pool.h"
#endif

#include <stdint.h>

#define BAD_POOL_SIZE_0 1
#define BAD_POOL_COUNT_0 2
#define BAD_POOL_COUNT_ABOVE_MAX 3
#define BAD_POOL_SIZE_NOT_ROUNDABLE 4
#define BAD_POOL_STORAGE_WRAPS 5
#define BAD_POOL_IN_FUNCTION_COUNT_0 6
#define BAD_DECLARED_POOL_SIZE_0 7
#define BAD_DECLARED_POOL_COUNT_ABOVE_MAX 8
#define BAD_BUFFER_SIZE_0 9
#define BAD_BUFFER_BELOW_ALIGNMENT 10
#define GOOD 11
#define BAD_ALIGNMENT_NOT_POWER_OF_TWO 12
#define BAD_ALIGNMENT_BELOW_VERA_ALIGNMENT 13
#define BAD_ALIGNMENT_ABOVE_MAX 14
#define BAD_DECLARED_ALIGNMENT_0 15
#define BAD_ALIGNMENT_IN_FUNCTION 16
#define BAD_HEAP_3_GRANULES 17
#define BAD_HEAP_IN_FUNCTION_BELOW_4_GRANULES 18

#if CASE == BAD_POOL_SIZE_0
VERA_POOL_DEFINE(bad_pool, 0, 4);
#elif CASE == BAD_POOL_COUNT_0
VERA_POOL_DEFINE(bad_pool, 16, 0);
#elif CASE == BAD_POOL_COUNT_ABOVE_MAX
VERA_POOL_DEFINE(bad_pool, 4, VERA_POOL_MAX_BLOCKS + 1u);
#elif CASE == BAD_POOL_SIZE_NOT_ROUNDABLE
VERA_POOL_DEFINE(bad_pool, SIZE_MAX - 1u, 1);
#elif CASE == BAD_POOL_STORAGE_WRAPS
VERA_POOL_DEFINE(bad_pool, SIZE_MAX / 4u, 8);
#elif CASE == BAD_DECLARED_POOL_SIZE_0
VERA_POOL_DECLARE(bad_pool, 0, 4);
#elif CASE == BAD_DECLARED_POOL_COUNT_ABOVE_MAX
VERA_POOL_DECLARE(bad_pool, 8, 70000);
#elif CASE == BAD_ALIGNMENT_NOT_POWER_OF_TWO
VERA_POOL_DEFINE_ALIGNED(bad_pool, 16, 4, 24);
#elif CASE == BAD_ALIGNMENT_BELOW_VERA_ALIGNMENT
VERA_POOL_DEFINE_ALIGNED(bad_pool, 16, 4, VERA_ALIGNMENT / 2u);
#elif CASE == BAD_ALIGNMENT_ABOVE_MAX
VERA_POOL_DEFINE_ALIGNED(bad_pool, 16, 4, 2u * VERA_POOL_MAX_ALIGNMENT);
#elif CASE == BAD_DECLARED_ALIGNMENT_0
VERA_POOL_DECLARE_ALIGNED(bad_pool, 16, 4, 0);
#elif CASE == BAD_HEAP_3_GRANULES
VERA_HEAP_DEFINE(bad_heap, 3 * VERA_HEAP_GRANULE);
#endif

#if CASE == GOOD && TEST_ALIGNED_POOLS
/* Every block of a pool defined with an alignment starts at a multiple of it. */
static int aligned_pool_works(vera_pool_t *pool, size_t alignment, size_t count)
{
    size_t i;
    if (vera_pool_alignment(pool) != alignment || vera_pool_block_count(pool) != count ||
        vera_pool_block_size(pool) % alignment != 0u) {
        return 0;
    }
    for (i = 0u; i < count; i++) {
        void *block = vera_pool_alloc(pool);
        if (block == NULL || (uintptr_t)block % alignment != 0u) {
            return 0;
        }
    }
    return vera_pool_alloc(pool) == NULL;
}
#endif

int use(void);
int use(void)
{
#if CASE == BAD_POOL_IN_FUNCTION_COUNT_0
    VERA_POOL_DEFINE(bad_pool, 8, 0);
    return VERA_POOL_INIT(bad_pool);
#elif CASE == BAD_ALIGNMENT_IN_FUNCTION
    VERA_POOL_DEFINE_ALIGNED(bad_pool, 8, 2, 48);
    return VERA_POOL_INIT(bad_pool);
#elif CASE == BAD_HEAP_IN_FUNCTION_BELOW_4_GRANULES
    VERA_HEAP_DEFINE(bad_heap, 4 * VERA_HEAP_GRANULE - 1);
    return (int)VERA_HEAP_INIT(bad_heap);
#elif CASE == BAD_BUFFER_SIZE_0
    MIRA_MEM_SET_BUFFER(0);
#elif CASE == BAD_BUFFER_BELOW_ALIGNMENT
    MIRA_MEM_SET_BUFFER(MIRA_MEM_ALIGNMENT - 1u);
#elif CASE == GOOD
    /* The smallest and largest uses each rule allows. */
    VERA_POOL_DEFINE(smallest_pool, 1, 1);
    VERA_POOL_DEFINE(largest_count_pool, 1, VERA_POOL_MAX_BLOCKS);
    VERA_HEAP_DEFINE(smallest_heap, 4 * VERA_HEAP_GRANULE);
    MIRA_MEM_SET_BUFFER(MIRA_MEM_ALIGNMENT);
    if (VERA_HEAP_INIT(smallest_heap) != VERA_OK || vera_heap_alloc(&smallest_heap, 1u) == NULL ||
        vera_heap_alloc(&smallest_heap, 1u) != NULL) {
        return 4;
    }
    if (VERA_POOL_INIT(smallest_pool) != VERA_OK || VERA_POOL_INIT(largest_count_pool) != VERA_OK) {
        return 1;
    }
    if (vera_pool_block_count(&largest_count_pool) != VERA_POOL_MAX_BLOCKS ||
        vera_pool_alloc(&smallest_pool) == NULL || vera_pool_alloc(&smallest_pool) != NULL) {
        return 2;
    }
    if (mira_mem_buffer_get_capacity() != MIRA_MEM_ALIGNMENT || mira_mem_alloc(1) == NULL) {
        return 3;
    }
#if TEST_ALIGNED_POOLS
    {
        /* The smallest and largest alignments, and a Cortex-M7 cache line. */
        VERA_POOL_DEFINE_ALIGNED(default_aligned_pool, 1, 2, VERA_ALIGNMENT);
        VERA_POOL_DEFINE_ALIGNED(cache_line_pool, 100, 4, 32);
        VERA_POOL_DEFINE_ALIGNED(page_pool, 1, 2, VERA_POOL_MAX_ALIGNMENT);
        if (VERA_POOL_INIT(default_aligned_pool) != VERA_OK || VERA_POOL_INIT(cache_line_pool) != VERA_OK ||
            VERA_POOL_INIT(page_pool) != VERA_OK) {
            return 4;
        }
        if (!aligned_pool_works(&default_aligned_pool, VERA_ALIGNMENT, 2u) ||
            !aligned_pool_works(&cache_line_pool, 32u, 4u) ||
            vera_pool_block_size(&cache_line_pool) != 128u ||
            !aligned_pool_works(&page_pool, VERA_POOL_MAX_ALIGNMENT, 2u) ||
            vera_pool_block_size(&page_pool) != VERA_POOL_MAX_ALIGNMENT) {
            return 5;
        }
    }
#endif
#endif
    return 0;
}
