/*
 * Benchmark adapter: o1heap (a peer, github.com/pavel-kirienko/o1heap v2.2), o1heapAllocate /
 * o1heapFree. Its sources come from outside the repository (bench/peers.bzl). o1heap keeps its
 * instance at the start of the region it is given, so it uses no memory outside the heap.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "o1heap.h"

static O1HeapInstance *instance;

static bool o1heap_start(unsigned char *heap, size_t heap_bytes)
{
    /* o1heapInit wants its base aligned to O1HEAP_ALIGNMENT (16 on 32-bit cores); the heap is
     * aligned to 8, so the first bytes up to the next multiple of 16 are given up. */
    size_t skip = (O1HEAP_ALIGNMENT - (uintptr_t)heap % O1HEAP_ALIGNMENT) % O1HEAP_ALIGNMENT;
    if (heap_bytes < skip) {
        return false;
    }
    instance = o1heapInit(heap + skip, heap_bytes - skip);
    return instance != NULL;
}

static bench_call_t o1heap_alloc_call(size_t size)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(o1heapAllocate), (uintptr_t)instance, (uintptr_t)size);
}

static bench_call_t o1heap_free_call(void *block)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(o1heapFree), (uintptr_t)instance, (uintptr_t)block);
}

/* Every workload, and the heap worst cases W5 and W6 beside vera_heap's; not W7 and W8, the
 * realloc cases: o1heap has no realloc. */
BENCH_REGISTER_ALLOCATOR(o1heap, "o1heap", BENCH_EVERY_WORKLOAD | BENCH_HEAP_WORST_CASES,
                         o1heap_start, o1heap_alloc_call, o1heap_free_call);
