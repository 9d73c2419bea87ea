/*
 * Benchmark adapter: veralloc's fixed-block pool, vera_pool_alloc / vera_pool_free.
 *
 * Blocks of 256 bytes, the largest size W4 asks for, so every W4 request fits a block (the pool
 * ignores the size). Blocks and metadata both come from the benchmark heap, as newlib's chunk
 * headers do, so the pool uses no memory the other allocators do not get: as many blocks as fit
 * together with their metadata (4 bytes each), blocks first (8-aligned like the heap), metadata
 * after them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "veralloc/pool.h"

#define POOL_BLOCK_SIZE 256u

static vera_pool_t pool;

static bool pool_start(unsigned char *heap, size_t heap_bytes)
{
    size_t per_block = VERA_POOL_ROUNDED_BLOCK_SIZE(POOL_BLOCK_SIZE) +
                       VERA_POOL_METADATA_ENTRIES(1u) * sizeof(vera_pool_index_t);
    size_t block_count = heap_bytes / per_block;
    size_t buffer_bytes = VERA_POOL_BUFFER_SIZE(POOL_BLOCK_SIZE, block_count);
    /* The buffer's size is a multiple of 8, so the metadata after it is aligned for its type. */
    vera_pool_index_t *metadata = (vera_pool_index_t *)(void *)(heap + buffer_bytes);
    static const vera_pool_t empty_pool;

    /* Each run starts over on a fresh heap and abandons the blocks of the run before, which
     * vera_pool_init refuses to do for a pool with blocks in use: start from an empty pool. */
    pool = empty_pool;
    return vera_pool_init(&pool, heap, buffer_bytes, POOL_BLOCK_SIZE, block_count, metadata,
                          VERA_POOL_METADATA_ENTRIES(block_count)) == VERA_OK;
}

static bench_call_t pool_alloc_call(size_t size)
{
    (void)size; /* fixed-size blocks */
    return bench_call1(BENCH_FUNCTION_ADDRESS(vera_pool_alloc), (uintptr_t)&pool);
}

static bench_call_t pool_free_call(void *block)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(vera_pool_free), (uintptr_t)&pool, (uintptr_t)block);
}

/* W1 asks for 512-byte blocks, more than a block holds; W3 expects a request of the whole heap
 * to fail, which an allocator that ignores the size does not do. Both are left out. W2's
 * 32-byte requests each take a 256-byte block: the pool's alloc does not depend on the size. */
BENCH_REGISTER_ALLOCATOR(pool, "vera_pool", BENCH_W2 | BENCH_W4, pool_start, pool_alloc_call,
                         pool_free_call);
