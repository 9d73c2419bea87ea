/*
 * The heap as MiraOS's allocation callback (vera_heap_mira_callback, include/veralloc/heap.h):
 * its type is mira_mem_alloc_callback_t, and mira_mem_alloc in callback mode serves its blocks
 * from the heap. A test of two modules (heap and mira_mem) in one process: mira_mem's state is
 * set once, so this is its own binary.
 */
#include "mira_mem.h"
#include "veralloc/heap.h"

#include <stdint.h>
#include <string.h>

#include "tests/test_support.h"

/* The type check: this line does not compile unless the callback has mira_mem's type. */
static const mira_mem_alloc_callback_t heap_callback = vera_heap_mira_callback;

VERA_HEAP_DEFINE(mira_heap, 64 * VERA_HEAP_GRANULE);

/* Called directly: vera_heap_alloc(storage, size); NULL storage gives NULL. */
static void test_callback_is_heap_alloc(void)
{
    vera_heap_stats_t stats;
    unsigned char *block;
    CHECK(VERA_HEAP_INIT(mira_heap) == VERA_OK);
    CHECK(heap_callback(16u, NULL) == NULL);
    CHECK(vera_heap_mira_callback(0u, NULL) == NULL);
    block = heap_callback(5u * VERA_HEAP_GRANULE, &mira_heap);
    CHECK(block == (unsigned char *)mira_heap_storage.buffer.bytes);
    CHECK(vera_heap_usable_size(&mira_heap, block) == 8u * VERA_HEAP_GRANULE);
    /* A failure is the heap's: counted, with its reason. */
    CHECK(heap_callback(0u, &mira_heap) == NULL);
    CHECK(vera_heap_last_error(&mira_heap) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_heap_get_stats(&mira_heap, &stats) == VERA_OK);
    CHECK(stats.live_blocks == 1u && stats.failed_requests == 1u);
    CHECK(vera_heap_free(&mira_heap, block) == VERA_OK);
    CHECK(vera_heap_check(&mira_heap));
}

/* mira_mem in callback mode over the heap: every block it hands out is a live block of the heap
 * (mira_mem has no free: MiraOS allocates once; the application frees through the heap). */
static void test_mira_mem_allocates_from_the_heap(void)
{
    unsigned char *blocks[5];
    size_t sizes[5] = {1u, 24u, 100u, 7u, 3u * VERA_HEAP_GRANULE};
    vera_heap_stats_t stats;
    mira_mem_stats_t mira_stats;
    size_t i;
    size_t requested = 0u;

    CHECK(VERA_HEAP_INIT(mira_heap) == VERA_OK);
    CHECK(mira_mem_set_alloc_callback(vera_heap_mira_callback, &mira_heap) == MIRA_SUCCESS);
    for (i = 0u; i < 5u; i++) {
        blocks[i] = mira_mem_alloc(sizes[i]);
        CHECK(blocks[i] != NULL);
        CHECK(test_is_aligned(blocks[i], MIRA_MEM_ALIGNMENT));
        CHECK(vera_heap_usable_size(&mira_heap, blocks[i]) >= sizes[i]);
        if (blocks[i] != NULL) {
            memset(blocks[i], (int)i, sizes[i]);
        }
        requested += sizes[i];
    }
    CHECK(vera_heap_get_stats(&mira_heap, &stats) == VERA_OK);
    CHECK(stats.live_blocks == 5u);
    CHECK(mira_mem_buffer_get_usage() == requested);
    /* The heap's failure is mira_mem's: NULL, RESOURCE_NOT_AVAILABLE in its statistics. */
    CHECK(mira_mem_alloc(64u * VERA_HEAP_GRANULE) == NULL);
    CHECK(vera_heap_last_error(&mira_heap) == VERA_ERROR_NO_MEMORY);
    CHECK(mira_mem_get_stats(&mira_stats) == MIRA_SUCCESS);
    CHECK(mira_stats.failed_requests == 1u && mira_stats.last_failure == MIRA_ERROR_RESOURCE_NOT_AVAILABLE);
    for (i = 0u; i < 5u; i++) {
        CHECK(vera_heap_free(&mira_heap, blocks[i]) == VERA_OK);
    }
    CHECK(vera_heap_get_stats(&mira_heap, &stats) == VERA_OK);
    CHECK(stats.live_blocks == 0u && stats.free_blocks == 1u);
    CHECK(vera_heap_check(&mira_heap));
}

int main(void)
{
    RUN_TEST(test_callback_is_heap_alloc);
    RUN_TEST(test_mira_mem_allocates_from_the_heap);
    return test_finish();
}
