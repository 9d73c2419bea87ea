/* Replay of a recorded allocation trace (bench/traces/, docs/benchmarks.md). */
#ifndef BENCH_TRACES_H
#define BENCH_TRACES_H

#include <stddef.h>

#include "bench.h"
#include "workloads.h"

/*
 * Replays the binary trace in the host file `path` (bench/runner/traces.py writes it) on a
 * freshly started `allocator` over `heap_bytes` bytes at `heap`, timing every alloc, free and
 * realloc call (`record`). An allocator without realloc runs a trace's realloc as alloc, copy and
 * free (recorded as an alloc and a free). Returns NULL if every call succeeded; else why not.
 * `*out_of_memory` is true when the reason is an allocation that returned NULL.
 */
bench_workload_error_t bench_replay_trace(const char *path, const bench_allocator_t *allocator,
                                          unsigned char *heap, size_t heap_bytes,
                                          bench_record_t record, bool *out_of_memory);

#endif /* BENCH_TRACES_H */
