/*
 * Benchmark adapter: umm_malloc (a peer, github.com/rhempel/umm_malloc), umm_malloc / umm_free,
 * with its default configuration (best fit, 8-byte blocks, no checks). Its sources come from
 * outside the repository (bench/peers.bzl). umm_init_heap keeps the heap's address, size and
 * block count in a static structure outside the heap (umm_malloc's .bss, counted as its
 * out-of-band metadata in the RAM figures).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "umm_malloc.h"

/* umm_malloc's block numbers are 15 bits: at most 32767 blocks of 8 bytes. */
#define UMM_LARGEST_HEAP_BYTES (32767u * 8u)

/* umm_init() (not used: umm_init_heap is) refers to the heap its configuration names. */
void *UMM_MALLOC_CFG_HEAP_ADDR;
uint32_t UMM_MALLOC_CFG_HEAP_SIZE;

/* umm_malloc hands out the body of an 8-byte block after its 4-byte header: starting the heap 4
 * bytes into the (8-aligned) region makes every block 8-aligned, as malloc's are on Cortex-M and
 * as the harness checks. */
#define UMM_HEAP_OFFSET 4u

static bool umm_start(unsigned char *heap, size_t heap_bytes)
{
    if (heap_bytes < UMM_HEAP_OFFSET) {
        return false;
    }
    heap_bytes -= UMM_HEAP_OFFSET;
    if (heap_bytes > UMM_LARGEST_HEAP_BYTES) {
        heap_bytes = UMM_LARGEST_HEAP_BYTES; /* the rest of the region stays unused */
    }
    umm_init_heap(heap + UMM_HEAP_OFFSET, heap_bytes);
    return true;
}

static bench_call_t umm_alloc_call(size_t size)
{
    return bench_call1(BENCH_FUNCTION_ADDRESS(umm_malloc), (uintptr_t)size);
}

static bench_call_t umm_free_call(void *block)
{
    return bench_call1(BENCH_FUNCTION_ADDRESS(umm_free), (uintptr_t)block);
}

static bench_call_t umm_realloc_call(void *block, size_t size)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(umm_realloc), (uintptr_t)block, (uintptr_t)size);
}

/* Every workload, and the heap worst cases W5 to W8 beside vera_heap's. */
BENCH_REGISTER_ALLOCATOR_WITH_REALLOC(umm_malloc, "umm_malloc",
                                      BENCH_EVERY_WORKLOAD | BENCH_HEAP_WORST_CASES |
                                          BENCH_HEAP_REALLOC_CASES, umm_start,
                                      umm_alloc_call, umm_free_call, umm_realloc_call, 8u);
