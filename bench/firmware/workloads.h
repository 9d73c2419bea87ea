/* The benchmark workloads (docs/benchmarks.md describes each). */
#ifndef BENCH_WORKLOADS_H
#define BENCH_WORKLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"

/* What happened to one timed call; each kind is reported as its own series. */
typedef enum bench_outcome {
    BENCH_ALLOC_SUCCEEDED = 0,
    BENCH_ALLOC_FAILED,
    BENCH_FREED,
    BENCH_REALLOCATED,
    BENCH_OUTCOME_COUNT
} bench_outcome_t;

/* Receives every timed call of a workload, in order. */
typedef void (*bench_record_t)(bench_outcome_t outcome, uint32_t ticks);

/* A workload's result: 0 if it ran as defined, else a reason for the log. */
typedef const char *bench_workload_error_t;

/* The name ("W1".."W8") of a workload flag (BENCH_W1..BENCH_W8), NULL for anything else. */
const char *bench_workload_name(unsigned int flag);

/* Runs workload `name` ("W1".."W8") on a freshly started `allocator` over `heap`; `*found` is
 * false if there is no such workload. Returns NULL on success, else what went wrong (also when
 * the allocator's adapter leaves the workload out). */
bench_workload_error_t bench_run_workload(const char *name, const bench_allocator_t *allocator,
                                          unsigned char *heap, size_t heap_bytes,
                                          bench_record_t record, bool *found);

/* A short functional check of `allocator` (not timed): 30 blocks of 8..256 bytes are non-NULL,
 * aligned to 8, inside the heap, disjoint and keep their contents; for allocators in W3, a
 * request larger than the heap fails; with free, freed blocks can be allocated again.
 * Returns NULL if every check passed. */
bench_workload_error_t bench_smoke_check(const bench_allocator_t *allocator, unsigned char *heap,
                                         size_t heap_bytes);

#endif /* BENCH_WORKLOADS_H */
