/* Unit tests for include/veralloc/arena.h: every row of its error table, and the guarantees. */
#include "veralloc/arena.h"

#include <stdint.h>
#include <string.h>

#include "tests/test_support.h"

#define BUFFER_SIZE 1024u

/* aligned_buffer() is 128-aligned, so tests can also start at chosen misalignments. */
static union {
    long double long_double_member;
    unsigned char bytes[BUFFER_SIZE + 256u];
} buffer_storage;

static unsigned char *aligned_buffer(void)
{
    unsigned char *start = buffer_storage.bytes;
    while (!test_is_aligned(start, 128u)) {
        start++;
    }
    return start;
}

/* A baseline that a rejected init must leave alone: an arena in use, with non-zero fields. */
static void make_used_arena(vera_arena_t *arena)
{
    static union {
        long double long_double_member;
        unsigned char bytes[64];
    } other_storage;
    (void)vera_arena_init(arena, other_storage.bytes, sizeof other_storage.bytes);
    (void)vera_arena_alloc(arena, 1u);
    (void)vera_arena_alloc(arena, 0u);
}

/* The arena's fields compared one by one: "unchanged" means every field. */
static int arena_equal(const vera_arena_t *a, const vera_arena_t *b)
{
    return a->base == b->base && a->capacity == b->capacity && a->used == b->used &&
           a->sealed == b->sealed && a->largest_request == b->largest_request &&
           a->failed_requests == b->failed_requests;
}

/* Allocation state only (what a failed allocation must not change). */
static int allocation_state_equal(const vera_arena_t *a, const vera_arena_t *b)
{
    return a->base == b->base && a->capacity == b->capacity && a->used == b->used &&
           a->sealed == b->sealed;
}

static void test_init_rejects_null_pointers(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    make_used_arena(&arena);
    before = arena;
    CHECK(vera_arena_init(NULL, aligned_buffer(), BUFFER_SIZE) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_arena_init(&arena, NULL, BUFFER_SIZE) == VERA_ERROR_NULL_POINTER);
    CHECK(arena_equal(&arena, &before));
}

static void test_init_rejects_bad_sizes(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    make_used_arena(&arena);
    before = arena;
    CHECK(vera_arena_init(&arena, aligned_buffer(), 0u) == VERA_ERROR_INVALID_SIZE);
    CHECK(vera_arena_init(&arena, aligned_buffer(), VERA_ALIGNMENT - 1u) == VERA_ERROR_INVALID_SIZE);
    CHECK(arena_equal(&arena, &before));
    CHECK(vera_arena_init(&arena, aligned_buffer(), VERA_ALIGNMENT) == VERA_OK);
    CHECK(vera_arena_capacity(&arena) == VERA_ALIGNMENT);
}

static void test_init_rejects_misaligned_buffer(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    uintptr_t offset;
    make_used_arena(&arena);
    before = arena;
    for (offset = 1u; offset < VERA_ALIGNMENT; offset++) {
        CHECK(vera_arena_init(&arena, aligned_buffer() + offset, BUFFER_SIZE) == VERA_ERROR_MISALIGNED);
    }
    CHECK(arena_equal(&arena, &before));
}

static void test_init_sets_empty_arena(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    CHECK(vera_arena_init(&arena, aligned_buffer(), BUFFER_SIZE + 3u) == VERA_OK);
    CHECK(vera_arena_capacity(&arena) == BUFFER_SIZE); /* rounded down to the alignment */
    CHECK(vera_arena_used(&arena) == 0u);
    CHECK(vera_arena_available(&arena) == BUFFER_SIZE);
    CHECK(!vera_arena_is_sealed(&arena));
    CHECK(vera_arena_largest_request(&arena) == 0u);
    CHECK(vera_arena_failed_requests(&arena) == 0u);
}

static void test_alloc_rounds_aligns_and_advances(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    unsigned char *buffer = aligned_buffer();
    unsigned char *first;
    unsigned char *second;
    CHECK(vera_arena_init(&arena, buffer, BUFFER_SIZE) == VERA_OK);
    first = vera_arena_alloc(&arena, 1u);
    CHECK(first == buffer);
    CHECK(vera_arena_used(&arena) == VERA_ALIGNMENT);
    second = vera_arena_alloc(&arena, VERA_ALIGNMENT + 1u);
    CHECK(second == buffer + VERA_ALIGNMENT);
    CHECK(test_is_aligned(second, VERA_ALIGNMENT));
    CHECK(vera_arena_used(&arena) == 3u * VERA_ALIGNMENT);
    CHECK(vera_arena_available(&arena) == BUFFER_SIZE - 3u * VERA_ALIGNMENT);
    CHECK(vera_arena_largest_request(&arena) == VERA_ALIGNMENT + 1u);
    CHECK(vera_arena_failed_requests(&arena) == 0u);
}

static void test_alloc_zero_size_fails_without_consuming(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    CHECK(vera_arena_init(&arena, aligned_buffer(), BUFFER_SIZE) == VERA_OK);
    before = arena;
    CHECK(vera_arena_alloc(&arena, 0u) == NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 0u, 64u) == NULL);
    CHECK(allocation_state_equal(&arena, &before));
    CHECK(vera_arena_failed_requests(&arena) == 2u);
}

static void test_alloc_exact_fit_then_full(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    CHECK(vera_arena_init(&arena, aligned_buffer(), BUFFER_SIZE) == VERA_OK);
    CHECK(vera_arena_alloc(&arena, BUFFER_SIZE + 1u) == NULL);
    CHECK(vera_arena_used(&arena) == 0u);
    CHECK(vera_arena_alloc(&arena, BUFFER_SIZE) == aligned_buffer());
    CHECK(vera_arena_available(&arena) == 0u);
    before = arena;
    CHECK(vera_arena_alloc(&arena, 1u) == NULL);
    CHECK(allocation_state_equal(&arena, &before));
    CHECK(vera_arena_failed_requests(&arena) == 2u);
}

static void test_alloc_near_size_max_never_wraps(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    size_t size;
    CHECK(vera_arena_init(&arena, aligned_buffer(), BUFFER_SIZE) == VERA_OK);
    CHECK(vera_arena_alloc(&arena, 8u) != NULL);
    before = arena;
    /* Every size whose rounding or addition could wrap around. */
    for (size = SIZE_MAX; size > SIZE_MAX - 2u * VERA_ALIGNMENT; size--) {
        CHECK(vera_arena_alloc(&arena, size) == NULL);
        CHECK(vera_arena_alloc_aligned(&arena, size, 4096u) == NULL);
    }
    CHECK(vera_arena_alloc(&arena, SIZE_MAX - vera_arena_used(&arena) + 1u) == NULL);
    CHECK(allocation_state_equal(&arena, &before));
    CHECK(vera_arena_largest_request(&arena) == SIZE_MAX);
}

static void test_seal_stops_allocation(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    CHECK(vera_arena_init(&arena, aligned_buffer(), BUFFER_SIZE) == VERA_OK);
    CHECK(vera_arena_alloc(&arena, 16u) != NULL);
    vera_arena_seal(&arena);
    CHECK(vera_arena_is_sealed(&arena));
    before = arena;
    CHECK(vera_arena_alloc(&arena, 16u) == NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 16u, 16u) == NULL);
    CHECK(allocation_state_equal(&arena, &before));
    vera_arena_seal(&arena); /* idempotent */
    CHECK(vera_arena_is_sealed(&arena));
}

static void test_zero_initialised_arena_is_empty(void)
{
    static vera_arena_t arena; /* never initialised */
    CHECK(vera_arena_alloc(&arena, 1u) == NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 1u, 64u) == NULL);
    CHECK(vera_arena_capacity(&arena) == 0u);
    CHECK(vera_arena_used(&arena) == 0u);
    CHECK(vera_arena_available(&arena) == 0u);
    CHECK(vera_arena_failed_requests(&arena) == 2u);
}

static void test_null_arena_everywhere(void)
{
    CHECK(vera_arena_alloc(NULL, 16u) == NULL);
    CHECK(vera_arena_alloc_aligned(NULL, 16u, 16u) == NULL);
    vera_arena_seal(NULL);
    CHECK(!vera_arena_is_sealed(NULL));
    CHECK(vera_arena_capacity(NULL) == 0u);
    CHECK(vera_arena_used(NULL) == 0u);
    CHECK(vera_arena_available(NULL) == 0u);
    CHECK(vera_arena_largest_request(NULL) == 0u);
    CHECK(vera_arena_failed_requests(NULL) == 0u);
}

static void test_alloc_aligned_any_power_of_two(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    unsigned char *buffer = aligned_buffer();
    size_t alignment;
    CHECK(vera_arena_init(&arena, buffer, BUFFER_SIZE) == VERA_OK);
    for (alignment = 1u; alignment <= 256u; alignment *= 2u) {
        size_t used_before;
        unsigned char *block;
        /* Knock the watermark off every larger alignment first. */
        CHECK(vera_arena_alloc(&arena, 1u) != NULL);
        used_before = vera_arena_used(&arena);
        block = vera_arena_alloc_aligned(&arena, 3u, alignment);
        CHECK(block != NULL);
        CHECK(test_is_aligned(block, alignment));
        CHECK(test_is_aligned(block, VERA_ALIGNMENT));
        CHECK(block >= buffer + used_before);
        CHECK(block + 3u <= buffer + vera_arena_used(&arena));
        CHECK(vera_arena_used(&arena) % VERA_ALIGNMENT == 0u);
    }
    CHECK(vera_arena_used(&arena) <= BUFFER_SIZE);
}

static void test_alloc_aligned_padding_that_does_not_fit(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    unsigned char *buffer = aligned_buffer();
    /* 64-aligned buffer of 128 bytes: after one small block, a 64-aligned block of 64 bytes
     * needs padding up to offset 64 and fits exactly; one more byte of padding would not. */
    CHECK(vera_arena_init(&arena, buffer, 128u) == VERA_OK);
    CHECK(vera_arena_alloc(&arena, 1u) == buffer);
    before = arena;
    CHECK(vera_arena_alloc_aligned(&arena, 65u, 64u) == NULL);
    CHECK(allocation_state_equal(&arena, &before));
    CHECK(vera_arena_alloc_aligned(&arena, 64u, 64u) == buffer + 64);
    CHECK(vera_arena_available(&arena) == 0u);
    /* From an address that is 64 modulo 128, a 128-aligned block needs 64 bytes of padding:
     * more than a 64-byte arena can give. */
    CHECK(vera_arena_init(&arena, buffer + 64, 64u) == VERA_OK);
    CHECK(vera_arena_alloc_aligned(&arena, 8u, 128u) == NULL);
}

static void test_alloc_aligned_rejects_bad_alignment(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    static const size_t bad_alignments[] = {0u, 3u, 6u, 24u, 100u, (size_t)SIZE_MAX};
    size_t index;
    CHECK(vera_arena_init(&arena, aligned_buffer(), BUFFER_SIZE) == VERA_OK);
    before = arena;
    for (index = 0u; index < sizeof bad_alignments / sizeof bad_alignments[0]; index++) {
        CHECK(vera_arena_alloc_aligned(&arena, 16u, bad_alignments[index]) == NULL);
    }
    CHECK(allocation_state_equal(&arena, &before));
    CHECK(vera_arena_failed_requests(&arena) == sizeof bad_alignments / sizeof bad_alignments[0]);
}

static void test_arenas_are_independent(void)
{
    vera_arena_t first = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t second = {0}; /* zero-initialised: init reads its sealed flag */
    unsigned char *buffer = aligned_buffer();
    CHECK(vera_arena_init(&first, buffer, 256u) == VERA_OK);
    CHECK(vera_arena_init(&second, buffer + 256, 256u) == VERA_OK);
    CHECK(vera_arena_alloc(&first, 100u) == buffer);
    CHECK(vera_arena_alloc(&second, 10u) == buffer + 256);
    vera_arena_seal(&first);
    CHECK(vera_arena_alloc(&first, 1u) == NULL);
    CHECK(vera_arena_alloc(&second, 1u) != NULL);
    CHECK(vera_arena_used(&first) == (100u + VERA_ALIGNMENT - 1u) / VERA_ALIGNMENT * VERA_ALIGNMENT);
    CHECK(vera_arena_used(&second) ==
          (10u + VERA_ALIGNMENT - 1u) / VERA_ALIGNMENT * VERA_ALIGNMENT + VERA_ALIGNMENT);
}

/* No metadata lives in the buffer: no call, successful or not, writes a byte of it (the blocks
 * handed out are the caller's to write; this test never writes them). */
static void test_arena_never_writes_its_buffer(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    unsigned char *buffer = aligned_buffer();
    size_t index;
    int intact = 1;
    memset(buffer, 0xA5, BUFFER_SIZE);
    CHECK(vera_arena_init(&arena, buffer + 1, BUFFER_SIZE - 8u) == VERA_ERROR_MISALIGNED);
    CHECK(vera_arena_init(&arena, buffer, BUFFER_SIZE) == VERA_OK);
    CHECK(vera_arena_alloc(&arena, 100u) != NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 10u, 64u) != NULL);
    CHECK(vera_arena_alloc(&arena, BUFFER_SIZE) == NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 8u, 3u) == NULL);
    CHECK(vera_arena_alloc(&arena, 0u) == NULL);
    CHECK(vera_arena_alloc(&arena, vera_arena_available(&arena)) != NULL);
    vera_arena_seal(&arena);
    CHECK(vera_arena_alloc(&arena, 8u) == NULL);
    for (index = 0u; index < BUFFER_SIZE; index++) {
        if (buffer[index] != 0xA5u) {
            intact = 0;
        }
    }
    CHECK(intact);
}

/* Sealing cannot be undone: init on a sealed arena is refused and changes nothing, so a live
 * block's bytes are never handed out again. */
static void test_init_on_sealed_arena_is_refused(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t before;
    unsigned char *block;
    unsigned char *other = aligned_buffer() + 512u;
    CHECK(vera_arena_init(&arena, aligned_buffer(), 256u) == VERA_OK);
    block = vera_arena_alloc(&arena, 16u);
    CHECK(block != NULL);
    vera_arena_seal(&arena);
    before = arena;
    CHECK(vera_arena_init(&arena, aligned_buffer(), 256u) == VERA_ERROR_SEALED);
    CHECK(vera_arena_init(&arena, other, 256u) == VERA_ERROR_SEALED);
    CHECK(vera_arena_init(&arena, other, 1u) == VERA_ERROR_SEALED); /* sealed before size */
    CHECK(arena_equal(&arena, &before));
    CHECK(vera_arena_is_sealed(&arena));
    CHECK(vera_arena_alloc(&arena, 16u) == NULL);
    /* NULL is still reported first. */
    CHECK(vera_arena_init(&arena, NULL, 256u) == VERA_ERROR_NULL_POINTER);
}

/* Re-init of an unsealed arena is an explicit reset: usage and diagnostics start again. */
static void test_reinit_of_unsealed_arena_resets_it(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    unsigned char *first;
    CHECK(vera_arena_init(&arena, aligned_buffer(), 256u) == VERA_OK);
    first = vera_arena_alloc(&arena, 16u);
    CHECK(vera_arena_alloc(&arena, 0u) == NULL);
    CHECK(vera_arena_init(&arena, aligned_buffer(), 128u) == VERA_OK);
    CHECK(vera_arena_used(&arena) == 0u);
    CHECK(vera_arena_capacity(&arena) == 128u);
    CHECK(vera_arena_failed_requests(&arena) == 0u);
    CHECK(vera_arena_largest_request(&arena) == 0u);
    CHECK(vera_arena_alloc(&arena, 16u) == first); /* the given-up block's bytes again */
}

static void test_get_stats_copies_every_figure(void)
{
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_stats_t stats;
    memset(&stats, 0x5A, sizeof stats);
    CHECK(vera_arena_get_stats(NULL, &stats) == VERA_ERROR_NULL_POINTER);
    CHECK(vera_arena_init(&arena, aligned_buffer(), 256u) == VERA_OK);
    CHECK(vera_arena_get_stats(&arena, NULL) == VERA_ERROR_NULL_POINTER);
    CHECK(stats.capacity == (size_t)0x5A5A5A5A5A5A5A5Aull); /* nothing written on error */
    CHECK(vera_arena_alloc(&arena, 10u) != NULL);
    CHECK(vera_arena_alloc(&arena, 1000u) == NULL);
    vera_arena_seal(&arena);
    CHECK(vera_arena_get_stats(&arena, &stats) == VERA_OK);
    CHECK(stats.capacity == vera_arena_capacity(&arena) && stats.capacity == 256u);
    CHECK(stats.used == vera_arena_used(&arena) && stats.used == ((10u + VERA_ALIGNMENT - 1u) / VERA_ALIGNMENT) * VERA_ALIGNMENT);
    CHECK(stats.available == vera_arena_available(&arena) && stats.available == 256u - stats.used);
    CHECK(stats.largest_request == 1000u);
    CHECK(stats.failed_requests == 1u);
    CHECK(stats.sealed);
}

/* vera_arena_check: true on every state the API produces, false on each kind of corruption. */
static void test_check_finds_corruption(void)
{
    static vera_arena_t zeroed; /* never initialised */
    vera_arena_t arena = {0}; /* zero-initialised: init reads its sealed flag */
    vera_arena_t broken;
    CHECK(!vera_arena_check(NULL));
    CHECK(vera_arena_check(&zeroed));
    CHECK(vera_arena_init(&arena, aligned_buffer(), 256u) == VERA_OK);
    CHECK(vera_arena_check(&arena));
    CHECK(vera_arena_alloc(&arena, 3u) != NULL);
    CHECK(vera_arena_alloc_aligned(&arena, 3u, 64u) != NULL);
    CHECK(vera_arena_alloc(&arena, 100000u) == NULL);
    CHECK(vera_arena_check(&arena));
    vera_arena_seal(&arena);
    CHECK(vera_arena_check(&arena));

    broken = arena;
    broken.used = broken.capacity + VERA_ALIGNMENT; /* used > capacity */
    CHECK(!vera_arena_check(&broken));
    broken = arena;
    broken.used += 1u; /* used not a multiple of VERA_ALIGNMENT */
    CHECK(!vera_arena_check(&broken));
    broken = arena;
    broken.capacity -= 1u; /* capacity not a multiple */
    CHECK(!vera_arena_check(&broken));
    broken = arena;
    broken.base += 1; /* misaligned base */
    CHECK(!vera_arena_check(&broken));
    broken = arena;
    broken.base = NULL; /* no buffer, but a capacity */
    CHECK(!vera_arena_check(&broken));
}

/* A vera_arena_t inside its own buffer is rejected (its first block would be its own state);
 * one just before or just after the buffer is accepted. */
static void test_init_rejects_arena_inside_its_buffer(void)
{
    unsigned char *buffer = aligned_buffer();
    vera_arena_t *inside = (vera_arena_t *)(void *)(buffer + 64);
    vera_arena_t *at_start = (vera_arena_t *)(void *)buffer;
    vera_arena_t *overlapping_end = (vera_arena_t *)(void *)(buffer + 256 - VERA_ALIGNMENT);
    vera_arena_t *after = (vera_arena_t *)(void *)(buffer + 256);
    vera_arena_t before;
    memset(buffer, 0, BUFFER_SIZE);
    before = *inside;
    CHECK(vera_arena_init(inside, buffer, 256u) == VERA_ERROR_OVERLAP);
    CHECK(arena_equal(inside, &before));
    CHECK(vera_arena_init(at_start, buffer, 256u) == VERA_ERROR_OVERLAP);
    CHECK(vera_arena_init(overlapping_end, buffer, 256u) == VERA_ERROR_OVERLAP);
    CHECK(vera_arena_init(after, buffer, 256u) == VERA_OK); /* adjacent, not inside */
    CHECK(vera_arena_alloc(after, 256u) == buffer);
    /* The arena before the buffer, adjacent to it. */
    CHECK(vera_arena_init(at_start, buffer + 128, 128u) == VERA_OK);
}

int main(void)
{
    RUN_TEST(test_init_rejects_null_pointers);
    RUN_TEST(test_init_rejects_bad_sizes);
    RUN_TEST(test_init_rejects_misaligned_buffer);
    RUN_TEST(test_init_sets_empty_arena);
    RUN_TEST(test_alloc_rounds_aligns_and_advances);
    RUN_TEST(test_alloc_zero_size_fails_without_consuming);
    RUN_TEST(test_alloc_exact_fit_then_full);
    RUN_TEST(test_alloc_near_size_max_never_wraps);
    RUN_TEST(test_seal_stops_allocation);
    RUN_TEST(test_zero_initialised_arena_is_empty);
    RUN_TEST(test_null_arena_everywhere);
    RUN_TEST(test_alloc_aligned_any_power_of_two);
    RUN_TEST(test_alloc_aligned_padding_that_does_not_fit);
    RUN_TEST(test_alloc_aligned_rejects_bad_alignment);
    RUN_TEST(test_arenas_are_independent);
    RUN_TEST(test_arena_never_writes_its_buffer);
    RUN_TEST(test_init_on_sealed_arena_is_refused);
    RUN_TEST(test_reinit_of_unsealed_arena_resets_it);
    RUN_TEST(test_get_stats_copies_every_figure);
    RUN_TEST(test_check_finds_corruption);
    RUN_TEST(test_init_rejects_arena_inside_its_buffer);
    return test_finish();
}
