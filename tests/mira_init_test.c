/*
 * A MiraMesh-like network-stack init on the mira_mem facade: several dozen allocations of mixed
 * sizes from a 14944-byte buffer. Checks usage, alignment, bounds and pairwise disjointness of
 * every block, then shrinks the buffer to the reported usage and runs the same init again.
 */
#include "src/mira_mem.c"

#include <string.h>

#include "tests/test_support.h"

#define FULL_BUFFER_SIZE 14944u
#define MAX_BLOCKS 64u

static void reset_facade(void)
{
    memset(&mira_mem_state, 0, sizeof mira_mem_state);
}

/* Sizes of the tables a mesh stack sets up: neighbour and routing tables, packet buffers,
 * crypto contexts, timers, queues. Odd sizes on purpose, so rounding is exercised. */
static const mira_size_t init_request_sizes[] = {
    232, 12, 12, 12, 12, 48, 48, 48, 48, 48, 48, 48, 48, 128, 128, 128, 128, 128, 128,
    130, 130, 130, 130, 20,  20, 20, 20, 20, 20, 20, 20, 64,  64,  64,  64,  1,   3,
    7,   600, 600, 600, 600, 96, 96, 96, 96, 256, 256, 180, 44, 44, 44, 44, 36, 36, 36,
};
#define REQUEST_COUNT (sizeof init_request_sizes / sizeof init_request_sizes[0])

static unsigned char *blocks[MAX_BLOCKS];

/* Runs the init against whatever buffer is set; returns how many allocations succeeded. */
static size_t run_stack_init(void)
{
    size_t index;
    size_t succeeded = 0u;
    for (index = 0u; index < REQUEST_COUNT; index++) {
        blocks[index] = mira_mem_alloc(init_request_sizes[index]);
        if (blocks[index] != NULL) {
            /* The stack writes its tables: fill every byte it was promised. */
            memset(blocks[index], (int)(index + 1u), init_request_sizes[index]);
            succeeded++;
        }
    }
    return succeeded;
}

static void check_blocks(const unsigned char *buffer, size_t buffer_size)
{
    size_t i;
    size_t j;
    size_t expected_usage = 0u;
    for (i = 0u; i < REQUEST_COUNT; i++) {
        const unsigned char *start = blocks[i];
        size_t size = init_request_sizes[i];
        size_t k;
        CHECK(start != NULL);
        if (start == NULL) {
            continue;
        }
        expected_usage += (size + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT;
        CHECK(test_is_aligned(start, MIRA_MEM_ALIGNMENT));
        CHECK(start >= buffer && start + size <= buffer + buffer_size);
        for (j = i + 1u; j < REQUEST_COUNT; j++) {
            const unsigned char *other = blocks[j];
            if (other != NULL) {
                CHECK(start + size <= other || other + init_request_sizes[j] <= start);
            }
        }
        /* Nothing else wrote into this block: its pattern is intact. */
        for (k = 0u; k < size; k++) {
            if (start[k] != (unsigned char)(i + 1u)) {
                CHECK(start[k] == (unsigned char)(i + 1u));
                break;
            }
        }
    }
    CHECK(mira_mem_buffer_get_usage() == expected_usage);
}

static union {
    long double long_double_member;
    unsigned char bytes[FULL_BUFFER_SIZE];
} shrunk_buffer;

static void test_mesh_init_then_shrink(void)
{
    mira_size_t needed;
    mira_mem_stats_t stats;

    reset_facade();
    MIRA_MEM_SET_BUFFER(FULL_BUFFER_SIZE);
    CHECK(REQUEST_COUNT >= 36u && REQUEST_COUNT <= MAX_BLOCKS);
    CHECK(run_stack_init() == REQUEST_COUNT);
    CHECK(mira_mem_seal() == MIRA_SUCCESS);
    CHECK(mira_mem_alloc(8u) == NULL); /* init phase over */
    CHECK(mira_mem_get_stats(&stats) == MIRA_SUCCESS);
    check_blocks((const unsigned char *)mira_mem_state.arena.base, FULL_BUFFER_SIZE);
    needed = mira_mem_buffer_get_usage();
    CHECK(needed > 0u && needed < FULL_BUFFER_SIZE);
    CHECK(stats.largest_request == 600u);
    CHECK(stats.failed_requests == 1u && stats.last_failure == MIRA_ERROR_SEALED);
    printf("mesh init: %u requests, %u bytes used of %u\n", (unsigned)REQUEST_COUNT,
           (unsigned)needed, FULL_BUFFER_SIZE);

    /* The same init from a buffer of exactly the reported usage. */
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(shrunk_buffer.bytes, needed) == MIRA_SUCCESS);
    CHECK(run_stack_init() == REQUEST_COUNT);
    check_blocks(shrunk_buffer.bytes, needed);
    CHECK(mira_mem_buffer_get_free() == 0u);

    /* One byte less and the init no longer fits: the usage reported is tight. */
    reset_facade();
    CHECK(mira_mem_set_alloc_buffer(shrunk_buffer.bytes, needed - 1u) == MIRA_SUCCESS);
    CHECK(run_stack_init() == REQUEST_COUNT - 1u);
}

int main(void)
{
    RUN_TEST(test_mesh_init_then_shrink);
    return test_finish();
}
