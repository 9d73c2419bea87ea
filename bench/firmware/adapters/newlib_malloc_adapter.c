/*
 * Benchmark adapter: newlib's malloc/free, the baseline. The same source is linked into two
 * images: one with newlib's libc (dlmalloc-based mallocr.c) and one with --specs=nano.specs
 * (newlib-nano's nano-mallocr.c); BENCH_NEWLIB_NAME tells them apart in the tables.
 * malloc takes its memory from _sbrk (newlib_sbrk.c), limited to the benchmark heap.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"
#include "newlib_sbrk.h"

#ifndef BENCH_NEWLIB_NAME
#error "BENCH_NEWLIB_NAME must name the newlib variant"
#endif
/* The workloads of the variant (bench/firmware/BUILD says why newlib-nano leaves out W5 to W8). */
#ifndef BENCH_NEWLIB_WORKLOADS
#error "BENCH_NEWLIB_WORKLOADS must list the variant's workloads"
#endif

static bool newlib_start(unsigned char *heap, size_t heap_bytes)
{
    return bench_sbrk_set_heap(heap, heap_bytes);
}

static bench_call_t newlib_alloc_call(size_t size)
{
    return bench_call1(BENCH_FUNCTION_ADDRESS(malloc), (uintptr_t)size);
}

static bench_call_t newlib_free_call(void *block)
{
    return bench_call1(BENCH_FUNCTION_ADDRESS(free), (uintptr_t)block);
}

static bench_call_t newlib_realloc_call(void *block, size_t size)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(realloc), (uintptr_t)block, (uintptr_t)size);
}

BENCH_REGISTER_ALLOCATOR_WITH_REALLOC(newlib, BENCH_NEWLIB_NAME, BENCH_NEWLIB_WORKLOADS,
                                      newlib_start, newlib_alloc_call, newlib_free_call,
                                      newlib_realloc_call, 8u);
