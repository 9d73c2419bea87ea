/*
 * Benchmark adapter: TLSF 3.1 (a peer, github.com/mattconte/tlsf), tlsf_malloc / tlsf_free.
 * Its sources come from outside the repository (bench/peers.bzl). tlsf_create_with_pool puts the
 * TLSF control structure at the start of the region and the pool after it, so it uses no memory
 * outside the heap.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "tlsf.h"

static tlsf_t control;

static bool tlsf_start(unsigned char *heap, size_t heap_bytes)
{
    control = tlsf_create_with_pool(heap, heap_bytes);
    return control != NULL;
}

static bench_call_t tlsf_alloc_call(size_t size)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(tlsf_malloc), (uintptr_t)control, (uintptr_t)size);
}

static bench_call_t tlsf_free_call(void *block)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(tlsf_free), (uintptr_t)control, (uintptr_t)block);
}

static bench_call_t tlsf_realloc_call(void *block, size_t size)
{
    return bench_call3(BENCH_FUNCTION_ADDRESS(tlsf_realloc), (uintptr_t)control, (uintptr_t)block,
                       (uintptr_t)size);
}

/* TLSF 3.1 aligns blocks to 4 bytes on 32-bit cores (ALIGN_SIZE), by design. */
#define TLSF_BLOCK_ALIGNMENT 4u

/* Every workload, and the heap worst cases W5 to W8 beside vera_heap's. */
BENCH_REGISTER_ALLOCATOR_WITH_REALLOC(tlsf, "TLSF", BENCH_EVERY_WORKLOAD | BENCH_HEAP_WORST_CASES |
                                          BENCH_HEAP_REALLOC_CASES,
                                      tlsf_start, tlsf_alloc_call, tlsf_free_call,
                                      tlsf_realloc_call, TLSF_BLOCK_ALIGNMENT);
