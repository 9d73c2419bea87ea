/*
 * Replay of a recorded allocation trace. The host (bench/runner/traces.py) turns a committed
 * trace into a binary file of little-endian 32-bit words: the header
 *
 *   TRACE_MAGIC, slot count, call count
 *
 * then three words per call: operation ('a' alloc, 'f' free, 'r' realloc), slot, size. A slot
 * names a live block (the host numbers them densely, reusing freed slots), so the firmware keeps
 * one pointer and one size per slot. The file is read through semihosting between calls: the
 * reading is never inside a timed window.
 */
#include "traces.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "semihosting.h"

#define TRACE_MAGIC 0x31525456u /* "VTR1" */
#define TRACE_MAX_SLOTS 16384u
#define TRACE_CALLS_PER_READ 256u
#define TRACE_WORDS_PER_CALL 3u
#define TRACE_ALLOC 'a'
#define TRACE_FREE 'f'
#define TRACE_REALLOC 'r'

static void *slot_blocks[TRACE_MAX_SLOTS];
static uint32_t slot_sizes[TRACE_MAX_SLOTS];
static uint32_t words[TRACE_CALLS_PER_READ * TRACE_WORDS_PER_CALL];

static void *timed_call(const bench_call_t *call, bench_outcome_t success, bench_outcome_t failure,
                        bench_record_t record)
{
    uintptr_t result = 0u;
    uint32_t ticks = bench_timed_call(call, &result);
    record(result != 0u ? success : failure, ticks);
    return (void *)result;
}

static void copy_bytes(unsigned char *target, const unsigned char *source, uint32_t bytes)
{
    uint32_t index;
    for (index = 0u; index < bytes; index++) {
        target[index] = source[index];
    }
}

/* realloc for an allocator that has none: alloc, copy, free (the two calls are timed). */
static void *emulated_realloc(const bench_allocator_t *allocator, void *block, uint32_t old_size,
                              uint32_t size, bench_record_t record)
{
    bench_call_t alloc = allocator->alloc_call(size);
    unsigned char *moved = timed_call(&alloc, BENCH_ALLOC_SUCCEEDED, BENCH_ALLOC_FAILED, record);
    bench_call_t release;
    if (moved == NULL) {
        return NULL;
    }
    copy_bytes(moved, block, old_size < size ? old_size : size);
    release = allocator->free_call(block);
    (void)timed_call(&release, BENCH_FREED, BENCH_FREED, record);
    return moved;
}

static bench_workload_error_t replay_call(const bench_allocator_t *allocator, const uint32_t *call,
                                          bench_record_t record, bool *out_of_memory)
{
    uint32_t operation = call[0];
    uint32_t slot = call[1];
    uint32_t size = call[2];
    bench_call_t timed;
    void *result;
    if (slot >= TRACE_MAX_SLOTS) {
        return "trace: a slot beyond the harness's table";
    }
    if (operation == TRACE_ALLOC) {
        timed = allocator->alloc_call(size);
        result = timed_call(&timed, BENCH_ALLOC_SUCCEEDED, BENCH_ALLOC_FAILED, record);
    } else if (operation == TRACE_FREE) {
        timed = allocator->free_call(slot_blocks[slot]);
        (void)timed_call(&timed, BENCH_FREED, BENCH_FREED, record);
        slot_blocks[slot] = NULL;
        return NULL;
    } else if (operation == TRACE_REALLOC) {
        if (allocator->realloc_call != NULL) {
            timed = allocator->realloc_call(slot_blocks[slot], size);
            result = timed_call(&timed, BENCH_REALLOCATED, BENCH_ALLOC_FAILED, record);
        } else {
            result = emulated_realloc(allocator, slot_blocks[slot], slot_sizes[slot], size, record);
        }
    } else {
        return "trace: an unknown operation";
    }
    if (result == NULL) {
        *out_of_memory = true;
        return "trace: an allocation failed (out of memory)";
    }
    slot_blocks[slot] = result;
    slot_sizes[slot] = size;
    return NULL;
}

static bench_workload_error_t replay(int handle, const bench_allocator_t *allocator,
                                     bench_record_t record, bool *out_of_memory)
{
    uint32_t header[3];
    uint32_t remaining;
    if (bench_file_read(handle, header, sizeof header) != sizeof header || header[0] != TRACE_MAGIC) {
        return "trace: not a trace file";
    }
    if (header[1] > TRACE_MAX_SLOTS) {
        return "trace: more live blocks than the harness's table holds";
    }
    remaining = header[2];
    while (remaining > 0u) {
        uint32_t calls = remaining < TRACE_CALLS_PER_READ ? remaining : TRACE_CALLS_PER_READ;
        size_t bytes = calls * TRACE_WORDS_PER_CALL * sizeof words[0];
        uint32_t index;
        if (bench_file_read(handle, words, bytes) != bytes) {
            return "trace: the file ends early";
        }
        for (index = 0u; index < calls; index++) {
            bench_workload_error_t error =
                replay_call(allocator, &words[index * TRACE_WORDS_PER_CALL], record, out_of_memory);
            if (error != NULL) {
                return error;
            }
        }
        remaining -= calls;
    }
    return NULL;
}

bench_workload_error_t bench_replay_trace(const char *path, const bench_allocator_t *allocator,
                                          unsigned char *heap, size_t heap_bytes,
                                          bench_record_t record, bool *out_of_memory)
{
    bench_workload_error_t error;
    int handle;
    *out_of_memory = false;
    if ((allocator->workloads & BENCH_TRACES) == 0u || allocator->free_call == NULL) {
        return "the allocator's adapter does not take part in the traces";
    }
    handle = bench_file_open(path);
    if (handle < 0) {
        return "trace: cannot open the file";
    }
    if (!allocator->start(heap, heap_bytes)) {
        bench_file_close(handle);
        *out_of_memory = true;
        return "the allocator did not start";
    }
    error = replay(handle, allocator, record, out_of_memory);
    bench_file_close(handle);
    return error;
}
