/* Benchmark adapter: the MiraOS facade in buffer mode (mira_mem_alloc over one arena), no free. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "mira_mem.h"

static bool mira_mem_start(unsigned char *heap, size_t heap_bytes)
{
    return mira_mem_set_alloc_buffer(heap, heap_bytes) == MIRA_SUCCESS;
}

static bench_call_t mira_mem_alloc_call(size_t size)
{
    return bench_call1(BENCH_FUNCTION_ADDRESS(mira_mem_alloc), (uintptr_t)size);
}

BENCH_REGISTER_ALLOCATOR(mira_mem, "mira_mem_alloc", BENCH_WORKLOADS_WITHOUT_FREE, mira_mem_start,
                         mira_mem_alloc_call, NULL);
