// A C++ translation unit that uses every public function of veralloc, for the strict-build test:
// it must compile warning-free as C++ and link with the library's C objects (extern "C" in every
// header), and every call must give the documented result. Built against include/ (the default)
// and against the two-file distribution (-DVERALLOC_DIST, dist/veralloc.h).
#ifdef VERALLOC_DIST
#include "veralloc.h"
#else
#include "mira_mem.h"
#include "veralloc/arena.h"
#include "veralloc/pool.h"
#endif

#include <cstdint>
#include <cstdio>

namespace {

int failures = 0;

void check(bool condition, const char *what)
{
    if (!condition) {
        std::printf("FAIL: %s\n", what);
        failures++;
    }
}

bool aligned(const void *pointer)
{
    return reinterpret_cast<std::uintptr_t>(pointer) % VERA_ALIGNMENT == 0u;
}

VERA_POOL_DEFINE(cxx_pool, 24, 3);

void use_arena()
{
    static union {
        union vera_max_align alignment;
        VERA_STORAGE_ALIGNED char bytes[256];
    } storage;
    vera_arena_t arena{}; // zero-initialised: init reads its sealed flag
    check(vera_arena_init(&arena, storage.bytes, sizeof storage.bytes) == VERA_OK, "arena init");
    void *block = vera_arena_alloc(&arena, 10);
    check(block != nullptr && aligned(block), "arena alloc");
    void *wide = vera_arena_alloc_aligned(&arena, 8, 64);
    check(wide != nullptr && reinterpret_cast<std::uintptr_t>(wide) % 64u == 0u, "arena aligned");
    check(vera_arena_capacity(&arena) == 256u, "arena capacity");
    check(vera_arena_used(&arena) + vera_arena_available(&arena) == 256u, "arena used + available");
    check(vera_arena_alloc(&arena, 100000) == nullptr, "arena too large");
    check(vera_arena_largest_request(&arena) == 100000u, "arena largest request");
    check(vera_arena_failed_requests(&arena) == 1u, "arena failed requests");
    vera_arena_seal(&arena);
    check(vera_arena_is_sealed(&arena), "arena sealed");
}

void use_pool()
{
    check(VERA_POOL_INIT(cxx_pool) == VERA_OK, "pool init");
    check(vera_pool_block_count(&cxx_pool) == 3u, "pool block count");
    check(vera_pool_block_size(&cxx_pool) == VERA_POOL_ROUNDED_BLOCK_SIZE(24), "pool block size");
    void *first = vera_pool_alloc(&cxx_pool);
    void *zeroed = vera_pool_alloc_zeroed(&cxx_pool);
    check(first != nullptr && aligned(first) && zeroed != nullptr, "pool alloc");
    check(vera_pool_owns(&cxx_pool, first), "pool owns");
    check(vera_pool_blocks_used(&cxx_pool) == 2u && vera_pool_blocks_free(&cxx_pool) == 1u,
          "pool counts");
    check(vera_pool_free(&cxx_pool, first) == VERA_OK, "pool free");
    check(vera_pool_free(&cxx_pool, first) == VERA_ERROR_DOUBLE_FREE, "pool double free");
    check(vera_pool_peak_used(&cxx_pool) == 2u, "pool peak");
    check(vera_pool_failed_requests(&cxx_pool) == 0u, "pool failed requests");
    vera_pool_t other;
    check(vera_pool_init(&other, nullptr, 0, 8, 1, nullptr, 0) == VERA_ERROR_NULL_POINTER,
          "pool init NULL");
}

void count_failure(mira_size_t, mira_status_t) {}

void use_mira_mem()
{
    check(mira_mem_set_oom_hook(count_failure) == MIRA_SUCCESS, "mira hook");
    MIRA_MEM_SET_BUFFER(128);
    check(mira_mem_buffer_get_capacity() == 128u, "mira capacity");
    void *block = mira_mem_alloc(20);
    check(block != nullptr && aligned(block), "mira alloc");
    check(mira_mem_buffer_get_usage() + mira_mem_buffer_get_free() == 128u, "mira usage + free");
    check(mira_mem_set_alloc_buffer(block, 16) == MIRA_ERROR_ALREADY_SET, "mira already set");
    check(mira_mem_set_alloc_callback(nullptr, nullptr) != MIRA_SUCCESS, "mira callback");
    check(mira_mem_seal() == MIRA_SUCCESS, "mira seal");
    check(mira_mem_alloc(8) == nullptr, "mira alloc after seal");
    mira_mem_stats_t stats;
    check(mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.failed_requests == 1u, "mira stats");
}

} // namespace

int main()
{
    use_arena();
    use_pool();
    use_mira_mem();
    if (failures == 0) {
        std::printf("PASS: C++ caller\n");
    }
    return failures == 0 ? 0 : 1;
}
