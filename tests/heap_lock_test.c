/*
 * vera_heap_realloc's two lock sections (include/veralloc/heap.h: a moved block's bytes are
 * copied outside the lock): the heap compiled with VERA_LOCK_APPLICATION and this file's lock
 * functions, which count the sections and can run "another context" (an interrupt handler, a
 * thread) when a call enters a section. Checked: every call leaves the lock released as often as
 * it took it; the copy runs with the lock released; and if another context frees the old block
 * (an application bug) or corrupts its map word between the sections, realloc still returns the
 * new block, with the data, and vera_heap_last_error says why the old one was not freed.
 */
#define VERA_LOCK VERA_LOCK_APPLICATION
#include "src/heap.c"

#include <stdint.h>
#include <string.h>

#include "tests/test_support.h"

#define G ((size_t)VERA_HEAP_GRANULE)
#define GRANULES 64u

static vera_heap_word_t map[GRANULES];
static union {
    long double long_double_member;
    unsigned char bytes[GRANULES * VERA_HEAP_GRANULE];
} buffer;
static vera_heap_t heap;

/* The lock: its depth, the sections entered, and the other context's action. */
static int depth;
static unsigned sections;
static unsigned interfere_at;      /* run `interference` when section number interfere_at starts */
static void (*interference)(void);
static int depth_when_interfering;

vera_lock_state_t vera_lock_acquire(void)
{
    sections++;
    if (interference != NULL && sections == interfere_at) {
        void (*action)(void) = interference;
        interference = NULL; /* the other context's own calls take the lock normally */
        depth_when_interfering = depth;
        action();
    }
    depth++;
    return 0u;
}

void vera_lock_release(vera_lock_state_t state)
{
    (void)state;
    depth--;
}

static unsigned char *old_block;

static void free_the_old_block(void)
{
    CHECK(vera_heap_free(&heap, old_block) == VERA_OK);
}

static void corrupt_the_old_block(void)
{
    heap.map[(size_t)(old_block - buffer.bytes) / G] = VERA_HEAP_TAG_LIVE * VERA_HEAP_TAG_UNIT + 1u;
}

static void fresh_heap(void)
{
    memset(&heap, 0, sizeof heap);
    CHECK(vera_heap_init(&heap, buffer.bytes, sizeof buffer.bytes, map, GRANULES) == VERA_OK);
    sections = 0u;
    interference = NULL;
}

static void fill(unsigned char *block, size_t bytes)
{
    size_t i;
    for (i = 0u; i < bytes; i++) {
        block[i] = (unsigned char)(i * 13u + 1u);
    }
}

static int kept(const unsigned char *block, size_t bytes)
{
    size_t i;
    for (i = 0u; i < bytes; i++) {
        if (block[i] != (unsigned char)(i * 13u + 1u)) {
            return 0;
        }
    }
    return 1;
}

/* Every call balances the lock; a move takes it twice, the rest once (or not at all). */
static void test_sections_balanced(void)
{
    unsigned char *a;
    unsigned char *b;
    unsigned char *moved;
    vera_heap_stats_t stats;
    fresh_heap();
    sections = 0u;
    a = vera_heap_alloc(&heap, 16u * G);
    b = vera_heap_alloc_aligned(&heap, 1u, 4u * G);
    CHECK(depth == 0 && sections == 2u);
    CHECK(vera_heap_realloc(&heap, a, 8u * G) == a); /* in place */
    CHECK(depth == 0 && sections == 3u);
    CHECK(vera_heap_realloc(&heap, a, 0u) == NULL);
    CHECK(vera_heap_realloc(&heap, a + 1, 8u) == NULL);
    CHECK(depth == 0 && sections == 5u);
    fill(a, 8u * G);
    moved = vera_heap_realloc(&heap, a, 20u * G); /* b is in the way: it moves */
    CHECK(moved != NULL && moved != a && kept(moved, 8u * G));
    CHECK(depth == 0 && sections == 7u);
    CHECK(vera_heap_realloc(&heap, moved, 64u * G) == NULL); /* no room */
    CHECK(depth == 0 && sections == 8u);
    CHECK(vera_heap_usable_size(&heap, b) > 0u && vera_heap_get_stats(&heap, &stats) == VERA_OK);
    CHECK(vera_heap_check(&heap) && vera_heap_free(&heap, b) == VERA_OK);
    CHECK(depth == 0 && sections == 12u);
}

/* Another context frees the old block while its bytes are copied: the new block is returned,
 * the old one is not freed twice, last_error says so (a double free, or not a block start when
 * the freed block merged into a free left neighbour). */
static void test_old_block_freed_meanwhile(void)
{
    unsigned char *left;
    unsigned char *blocker;
    unsigned char *moved;
    vera_heap_stats_t stats;
    int with_free_left;
    for (with_free_left = 0; with_free_left <= 1; with_free_left++) {
        fresh_heap();
        left = vera_heap_alloc(&heap, 4u * G);          /* 0..3 */
        old_block = vera_heap_alloc(&heap, 4u * G);     /* 4..7 */
        blocker = vera_heap_alloc(&heap, 8u * G);       /* 8..15: the old block must move */
        CHECK(left != NULL && blocker != NULL && old_block == buffer.bytes + 4u * G);
        if (with_free_left) {
            CHECK(vera_heap_free(&heap, left) == VERA_OK);
        }
        fill(old_block, 4u * G);
        sections = 0u;
        interfere_at = 2u; /* realloc's second section, after the copy */
        interference = free_the_old_block;
        moved = vera_heap_realloc(&heap, old_block, 5u * G);
        CHECK(interference == NULL && depth_when_interfering == 0); /* the copy ran unlocked */
        CHECK(moved != NULL && moved != old_block && kept(moved, 4u * G));
        CHECK(vera_heap_usable_size(&heap, moved) == 8u * G);
        CHECK(vera_heap_last_error(&heap) ==
              (with_free_left ? VERA_ERROR_NOT_BLOCK_START : VERA_ERROR_DOUBLE_FREE));
        CHECK(vera_heap_get_stats(&heap, &stats) == VERA_OK);
        CHECK(stats.failed_requests == 0u);
        CHECK(stats.live_blocks == (with_free_left ? 2u : 3u));
        CHECK(stats.allocated == (with_free_left ? 16u : 20u) * G);
        CHECK(vera_heap_check(&heap) && depth == 0);
    }
}

/* Another context corrupts the old block's map word meanwhile: the new block is returned and
 * last_error is VERA_ERROR_CORRUPTED. */
static void test_old_block_corrupted_meanwhile(void)
{
    unsigned char *moved;
    fresh_heap();
    old_block = vera_heap_alloc(&heap, 4u * G);
    CHECK(vera_heap_alloc(&heap, 4u * G) != NULL);
    fill(old_block, 4u * G);
    sections = 0u;
    interfere_at = 2u;
    interference = corrupt_the_old_block;
    moved = vera_heap_realloc(&heap, old_block, 5u * G);
    CHECK(moved != NULL && moved != old_block && kept(moved, 4u * G));
    CHECK(vera_heap_last_error(&heap) == VERA_ERROR_CORRUPTED);
    CHECK(depth == 0);
}

int main(void)
{
    RUN_TEST(test_sections_balanced);
    RUN_TEST(test_old_block_freed_meanwhile);
    RUN_TEST(test_old_block_corrupted_meanwhile);
    return test_finish();
}
