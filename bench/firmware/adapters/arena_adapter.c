/* Benchmark adapter: veralloc's arena used directly (vera_arena_alloc), no free. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "veralloc/arena.h"

static vera_arena_t arena;

static bool arena_start(unsigned char *heap, size_t heap_bytes)
{
    return vera_arena_init(&arena, heap, heap_bytes) == VERA_OK;
}

static bench_call_t arena_alloc_call(size_t size)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(vera_arena_alloc), (uintptr_t)&arena,
                       (uintptr_t)size);
}

BENCH_REGISTER_ALLOCATOR(arena, "vera_arena_alloc", BENCH_WORKLOADS_WITHOUT_FREE, arena_start,
                         arena_alloc_call, NULL);
