/* The dist firmware's scenarios of the MiraOS facade (dist_firmware.c runs them). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dist_firmware_checks.h"
#include "tests/release/dist_firmware_scenarios.h" /* generated (BUILD) */
#include "veralloc.h"

/* ---- the MiraOS facade --------------------------------------------------------------------- */

static uint32_t hook_calls;
static mira_size_t hook_size;
static mira_status_t hook_reason;

static void recording_hook(mira_size_t size, mira_status_t reason)
{
    hook_calls++;
    hook_size = size;
    hook_reason = reason;
}

/* Fails `size` and checks the hook saw that size and `reason`. */
static bool fails_with(mira_size_t size, mira_status_t reason)
{
    uint32_t calls_before = hook_calls;
    return mira_mem_alloc(size) == NULL && hook_calls == calls_before + 1u && hook_size == size &&
           hook_reason == reason;
}

#define FACADE_BUFFER_BYTES 4096u

void dist_firmware_scenario_mira_buffer(void)
{
    static union {
        uint64_t alignment;
        unsigned char bytes[64];
    } spare;
    unsigned char *blocks[8];
    mira_size_t expected_usage = 0u;
    mira_size_t size;
    size_t index;
    bool all_aligned = true;
    bool all_intact = true;
    mira_mem_stats_t stats;

    CHECK("set_oom_hook", mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK("alloc before any set_*: MIRA_ERROR_NOT_SET", fails_with(16u, MIRA_ERROR_NOT_SET));
    CHECK("usage before any set_* is 0", mira_mem_buffer_get_usage() == 0u);
    CHECK("set_alloc_buffer(NULL): MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_buffer(NULL, 64u) == MIRA_ERROR_INVALID_VALUE);
    CHECK("set_alloc_buffer too small: MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_buffer(spare.bytes, 0u) == MIRA_ERROR_INVALID_VALUE &&
              mira_mem_set_alloc_buffer(spare.bytes, MIRA_MEM_ALIGNMENT - 1u) ==
                  MIRA_ERROR_INVALID_VALUE);
    CHECK("set_alloc_buffer misaligned: MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_buffer(spare.bytes + 4, 32u) == MIRA_ERROR_INVALID_VALUE);

    MIRA_MEM_SET_BUFFER(FACADE_BUFFER_BYTES);
    CHECK("MIRA_MEM_SET_BUFFER took effect",
          mira_mem_buffer_get_capacity() == FACADE_BUFFER_BYTES &&
              mira_mem_buffer_get_usage() == 0u);
    CHECK("a second set_*: MIRA_ERROR_ALREADY_SET, first kept",
          mira_mem_set_alloc_buffer(spare.bytes, 64u) == MIRA_ERROR_ALREADY_SET &&
              mira_mem_set_alloc_callback(NULL, NULL) == MIRA_ERROR_ALREADY_SET &&
              mira_mem_buffer_get_capacity() == FACADE_BUFFER_BYTES);

    for (index = 0u; index < 8u; index++) {
        size = (mira_size_t)(index * 37u + 1u);
        blocks[index] = mira_mem_alloc(size);
        if (blocks[index] == NULL || !dist_firmware_is_aligned(blocks[index], MIRA_MEM_ALIGNMENT)) {
            all_aligned = false;
        } else {
            dist_firmware_fill_pattern(blocks[index], size, (unsigned)index + 10u);
        }
        expected_usage += (size + MIRA_MEM_ALIGNMENT - 1u) / MIRA_MEM_ALIGNMENT * MIRA_MEM_ALIGNMENT;
    }
    CHECK("alloc: blocks aligned to MIRA_MEM_ALIGNMENT", all_aligned);
    for (index = 0u; all_aligned && index < 8u; index++) {
        all_intact = all_intact && dist_firmware_pattern_intact(blocks[index], (mira_size_t)(index * 37u + 1u),
                                                  (unsigned)index + 10u);
    }
    CHECK("alloc: blocks disjoint (every pattern intact)", all_aligned && all_intact);
    CHECK("usage is the sum of rounded sizes", mira_mem_buffer_get_usage() == expected_usage);
    CHECK("alloc(0): MIRA_ERROR_INVALID_VALUE", fails_with(0u, MIRA_ERROR_INVALID_VALUE));
    CHECK("alloc near SIZE_MAX: MIRA_ERROR_RESOURCE_NOT_AVAILABLE",
          fails_with((mira_size_t)SIZE_MAX, MIRA_ERROR_RESOURCE_NOT_AVAILABLE) &&
              fails_with((mira_size_t)SIZE_MAX - 2u, MIRA_ERROR_RESOURCE_NOT_AVAILABLE));
    CHECK("alloc one byte more than is free: MIRA_ERROR_RESOURCE_NOT_AVAILABLE",
          fails_with(mira_mem_buffer_get_free() + 1u, MIRA_ERROR_RESOURCE_NOT_AVAILABLE));
    CHECK("failed allocations leave usage unchanged", mira_mem_buffer_get_usage() == expected_usage);
    CHECK("alloc of exactly what is free succeeds",
          mira_mem_alloc(mira_mem_buffer_get_free()) != NULL && mira_mem_buffer_get_free() == 0u);

    CHECK("seal", mira_mem_seal() == MIRA_SUCCESS && mira_mem_seal() == MIRA_SUCCESS);
    CHECK("alloc after seal: MIRA_ERROR_SEALED", fails_with(8u, MIRA_ERROR_SEALED));
    CHECK("set_* after seal: MIRA_ERROR_SEALED",
          mira_mem_set_alloc_buffer(spare.bytes, 64u) == MIRA_ERROR_SEALED);
    CHECK("get_stats(NULL): MIRA_ERROR_INVALID_VALUE",
          mira_mem_get_stats(NULL) == MIRA_ERROR_INVALID_VALUE);
    CHECK("get_stats",
          mira_mem_get_stats(&stats) == MIRA_SUCCESS && stats.capacity == FACADE_BUFFER_BYTES &&
              stats.usage == FACADE_BUFFER_BYTES && stats.free == 0u &&
              stats.largest_request == (mira_size_t)SIZE_MAX && stats.failed_requests == 6u &&
              stats.last_failed_request == 8u && stats.last_failure == MIRA_ERROR_SEALED);
}

/* The application's allocator: hands out `answer`, counts its calls, remembers `storage`. */
struct scripted_allocator {
    void *answer;
    uint32_t calls;
    mira_size_t last_size;
};

static void *scripted_alloc(mira_size_t size, void *storage)
{
    struct scripted_allocator *script = storage;
    script->calls++;
    script->last_size = size;
    return script->answer;
}

void dist_firmware_scenario_mira_callback(void)
{
    static union {
        uint64_t alignment;
        unsigned char bytes[256];
    } application_heap;
    static struct scripted_allocator script;
    mira_size_t usage_before;
    uintptr_t offset;
    bool all_misaligned_rejected = true;

    CHECK("set_oom_hook", mira_mem_set_oom_hook(recording_hook) == MIRA_SUCCESS);
    CHECK("set_alloc_callback(NULL): MIRA_ERROR_INVALID_VALUE",
          mira_mem_set_alloc_callback(NULL, &script) == MIRA_ERROR_INVALID_VALUE);
    CHECK("set_alloc_callback", mira_mem_set_alloc_callback(scripted_alloc, &script) == MIRA_SUCCESS);
    CHECK("a second set_*: MIRA_ERROR_ALREADY_SET",
          mira_mem_set_alloc_buffer(application_heap.bytes, 64u) == MIRA_ERROR_ALREADY_SET &&
              mira_mem_set_alloc_callback(scripted_alloc, NULL) == MIRA_ERROR_ALREADY_SET);

    script.answer = application_heap.bytes;
    CHECK("alloc returns the callback's block, storage passed back",
          mira_mem_alloc(24u) == application_heap.bytes && script.calls == 1u &&
              script.last_size == 24u);
    CHECK("usage counts the bytes handed out", mira_mem_buffer_get_usage() == 24u);
    CHECK("free and capacity are 0 in callback mode",
          mira_mem_buffer_get_free() == 0u && mira_mem_buffer_get_capacity() == 0u);
    CHECK("alloc(0) is rejected before the callback is asked",
          fails_with(0u, MIRA_ERROR_INVALID_VALUE) && script.calls == 1u);

    usage_before = mira_mem_buffer_get_usage();
    script.answer = NULL;
    CHECK("callback returned NULL: MIRA_ERROR_RESOURCE_NOT_AVAILABLE",
          fails_with(16u, MIRA_ERROR_RESOURCE_NOT_AVAILABLE));
    for (offset = 1u; offset < MIRA_MEM_ALIGNMENT; offset++) {
        script.answer = application_heap.bytes + offset;
        if (!fails_with(16u, MIRA_ERROR_CALLBACK_MISALIGNED)) {
            all_misaligned_rejected = false;
        }
    }
    CHECK("callback returned a misaligned block: MIRA_ERROR_CALLBACK_MISALIGNED",
          all_misaligned_rejected);
    CHECK("failed allocations leave usage unchanged", mira_mem_buffer_get_usage() == usage_before);

    CHECK("seal", mira_mem_seal() == MIRA_SUCCESS);
    script.answer = application_heap.bytes;
    CHECK("alloc after seal: MIRA_ERROR_SEALED, callback not asked",
          fails_with(8u, MIRA_ERROR_SEALED) && script.calls == 1u + 1u + (MIRA_MEM_ALIGNMENT - 1u));
}
