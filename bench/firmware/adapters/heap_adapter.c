/*
 * Benchmark adapter: veralloc's heap, vera_heap_alloc / vera_heap_free / vera_heap_realloc.
 *
 * The heap's struct, the granule map and the buffer all come from the benchmark heap, as newlib's
 * chunk headers do, so the heap uses no memory the other allocators do not get: the struct first,
 * then as many granules as fit together with their map word (4 bytes each), the map (below the
 * buffer, as VERA_HEAP_DEFINE places it), the buffer after it at the next VERA_HEAP_GRANULE
 * boundary. With 8-byte granules that is
 * two thirds of the bytes for blocks, one third for the map: the price of the out-of-band
 * metadata, visible in W2's block count.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "veralloc/heap.h"

static vera_heap_t *heap;

/* The struct's bytes, rounded up to whole granules so that the map after it stays aligned. */
#define HEAP_STRUCT_BYTES \
    (((sizeof(vera_heap_t) + VERA_HEAP_GRANULE - 1u) / VERA_HEAP_GRANULE) * VERA_HEAP_GRANULE)

static bool heap_start(unsigned char *memory, size_t memory_bytes)
{
    static const vera_heap_t empty_heap;
    size_t granules;
    size_t buffer_offset;

    if (memory_bytes < HEAP_STRUCT_BYTES + VERA_HEAP_GRANULE ||
        ((uintptr_t)memory % VERA_HEAP_GRANULE) != 0u) {
        return false;
    }
    heap = (vera_heap_t *)(void *)memory;
    memory += HEAP_STRUCT_BYTES;
    memory_bytes -= HEAP_STRUCT_BYTES;
    /* One granule of the bytes is kept for aligning the buffer after the map. */
    granules = (memory_bytes - VERA_HEAP_GRANULE) / (VERA_HEAP_GRANULE + sizeof(vera_heap_word_t));
    buffer_offset = ((granules * sizeof(vera_heap_word_t) + VERA_HEAP_GRANULE - 1u) / VERA_HEAP_GRANULE) *
                    VERA_HEAP_GRANULE;
    /* Each run starts over on a fresh memory and abandons the blocks of the run before, which
     * vera_heap_init refuses to do for a heap with live blocks: start from an empty heap. */
    *heap = empty_heap;
    return vera_heap_init(heap, memory + buffer_offset, granules * VERA_HEAP_GRANULE,
                          (vera_heap_word_t *)(void *)memory, granules) == VERA_OK;
}

static bench_call_t heap_alloc_call(size_t size)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(vera_heap_alloc), (uintptr_t)heap, (uintptr_t)size);
}

static bench_call_t heap_free_call(void *block)
{
    return bench_call2(BENCH_FUNCTION_ADDRESS(vera_heap_free), (uintptr_t)heap, (uintptr_t)block);
}

static bench_call_t heap_realloc_call(void *block, size_t size)
{
    return bench_call3(BENCH_FUNCTION_ADDRESS(vera_heap_realloc), (uintptr_t)heap, (uintptr_t)block,
                       (uintptr_t)size);
}

/* W1-W4: the heap serves any size and fails a request of the whole heap (above its capacity);
 * W5 and W6: its own worst cases, the split of the one huge free block and the free between two
 * free neighbours; W7 and W8: realloc growing in place and moving; the traces, now that realloc
 * is there (which also finds the smallest heap that serves each trace). */
BENCH_REGISTER_ALLOCATOR_WITH_REALLOC(heap, "vera_heap",
                                      BENCH_W1 | BENCH_W2 | BENCH_W3 | BENCH_W4 |
                                          BENCH_HEAP_WORST_CASES | BENCH_HEAP_REALLOC_CASES | BENCH_TRACES,
                                      heap_start, heap_alloc_call, heap_free_call,
                                      heap_realloc_call, VERA_HEAP_GRANULE);
