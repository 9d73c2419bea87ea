/*
 * The application side of vendoring veralloc as two files (docs/integration.md): it includes
 * only "veralloc.h" and links veralloc.c. The same file is built by the Makefile, by
 * CMakeLists.txt and by the BUILD file next to it, and each build runs it as a test: it exits 0
 * only if the allocator behaves as documented.
 */
#include <stdio.h>

#include "veralloc.h"

static int failures;

#define EXPECT(condition)                                                                  \
    do {                                                                                   \
        if (!(condition)) {                                                                \
            (void)printf("%s:%d: expected %s\n", __FILE__, __LINE__, #condition);          \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

/* `size` rounded up to the block alignment: what one allocation consumes. */
static mira_size_t rounded(mira_size_t size)
{
    return (size + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT;
}

/* What a network stack's init would do: take its tables from the buffer, then end the phase. */
static void network_stack_init(void)
{
    void *neighbour_table = mira_mem_alloc(100u);
    void *packet_queue = mira_mem_alloc(300u);
    EXPECT(neighbour_table != NULL);
    EXPECT(packet_queue != NULL);
    EXPECT(neighbour_table != packet_queue);
}

int main(void)
{
    static union {
        long double alignment;
        unsigned char bytes[256];
    } arena_buffer;
    vera_arena_t arena = {0};

    /* The MiraOS API over a static buffer. */
    MIRA_MEM_SET_BUFFER(1024);
    network_stack_init();
    (void)mira_mem_seal();
    EXPECT(mira_mem_buffer_get_usage() == rounded(100u) + rounded(300u));
    EXPECT(mira_mem_alloc(8u) == NULL); /* sealed: a defined failure */

    /* The instance API: an arena of its own. */
    EXPECT(vera_arena_init(&arena, arena_buffer.bytes, sizeof arena_buffer.bytes) == VERA_OK);
    EXPECT(vera_arena_alloc_aligned(&arena, 10u, 64u) != NULL);
    EXPECT(vera_arena_alloc(&arena, 1000u) == NULL); /* does not fit: a defined failure */
    EXPECT(vera_arena_failed_requests(&arena) == 1u);

    (void)printf("veralloc %s (%u.%u.%u): %s\n", VERA_VERSION_STRING, VERA_VERSION_MAJOR,
                 VERA_VERSION_MINOR, VERA_VERSION_PATCH, failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
