/*
 * The Cortex-M benchmark harness: what an allocator adapter provides, and the services the
 * harness offers to workloads.
 *
 * Adding an allocator (the pool, later the heap) takes one adapter file in
 * bench/firmware/adapters/ and a few BUILD lines (bench/firmware/adapters/README.md). An adapter
 * says how to start the allocator over the benchmark heap and which API call allocates or frees;
 * the harness times that API function itself (the address in bench_call_t), never the adapter.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One call to time: the function's address (Thumb bit set, as the linker gives it) and the
 * values of r0..r2. Layout shared with timing.S. */
typedef struct bench_call {
    uintptr_t function;
    uintptr_t arguments[3];
} bench_call_t;

/* Workloads (bench/firmware/workloads.c), as a set of flags. W4 to W8 need free_call, W7 and W8
 * realloc_call. */
#define BENCH_W1 0x1u
#define BENCH_W2 0x2u
#define BENCH_W3 0x4u
#define BENCH_W4 0x8u
#define BENCH_WORKLOADS_WITHOUT_FREE (BENCH_W1 | BENCH_W2 | BENCH_W3)
/* The recorded traces of real programs (bench/traces/, bench/firmware/traces.c): any sizes, with
 * free and realloc. */
#define BENCH_TRACES 0x10u
#define BENCH_EVERY_WORKLOAD (BENCH_WORKLOADS_WITHOUT_FREE | BENCH_W4 | BENCH_TRACES)
/* The worst cases of a coalescing heap (issue 13), each a workload of its own so that their
 * calls do not mix with W1-W4's: W5, a small request split from one huge free block (and its free,
 * merged back); W6, a free between two free neighbours. */
#define BENCH_W5 0x20u
#define BENCH_W6 0x40u
#define BENCH_HEAP_WORST_CASES (BENCH_W5 | BENCH_W6)
/* The realloc cases of issue 13, series "realloc": W7, a realloc that grows in place into its free
 * right neighbour; W8, a realloc that must move (its right neighbour is live), copy included. */
#define BENCH_W7 0x80u
#define BENCH_W8 0x100u
#define BENCH_HEAP_REALLOC_CASES (BENCH_W7 | BENCH_W8)
/* The last workload flag (bench_main.c's `list` walks the flags up to it). */
#define BENCH_LAST_WORKLOAD BENCH_W8

/* One allocator under test. */
typedef struct bench_allocator {
    /* Name in the tables, e.g. "mira_mem_alloc". */
    const char *name;
    /* The workloads it runs (BENCH_W1 | ...): a fixed-block pool, say, cannot serve W1's
     * 512-byte requests and leaves W1 out. */
    unsigned int workloads;
    /* Starts a fresh, empty allocator that hands out memory from `heap_bytes` bytes at `heap`
     * (aligned to 8). Called once per QEMU run, untimed. Returns false if that fails. */
    bool (*start)(unsigned char *heap, size_t heap_bytes);
    /* The call that allocates `size` bytes; its r0 result is the block or NULL. */
    bench_call_t (*alloc_call)(size_t size);
    /* The call that frees `block`, or NULL if the allocator cannot free (W4 is then skipped). */
    bench_call_t (*free_call)(void *block);
    /* The call that resizes `block` to `size` bytes (its r0 result: the block or NULL), or NULL
     * if the allocator has no realloc: a trace's realloc then runs as alloc, copy, free. */
    bench_call_t (*realloc_call)(void *block, size_t size);
    /* The alignment its blocks have (8, malloc's on Cortex-M, unless the allocator's design
     * says otherwise: TLSF 3.1 aligns to 4 on 32-bit cores). */
    size_t alignment;
} bench_allocator_t;

/* The image built with the Cortex-M lock (//bench/firmware:veralloc_locked, compiled with
 * BENCH_LOCKED and VERA_LOCK=VERA_LOCK_CORTEX_M_PRIMASK) registers its allocators as
 * "<name>+lock", so that one run measures each operation with and without the lock and the report
 * shows what the lock costs per call. `display_name` must be a string literal. */
#ifdef BENCH_LOCKED
#define BENCH_DISPLAY_NAME(display_name) display_name "+lock"
#else
#define BENCH_DISPLAY_NAME(display_name) display_name
#endif

/* Registers an allocator: the linker script collects these pointers between
 * __bench_allocators_start and __bench_allocators_end, so an image holds exactly the adapters
 * it links (the adapter libraries are alwayslink). */
#define BENCH_REGISTER_ALLOCATOR_WITH_REALLOC(identifier, display_name, workload_set,             \
                                              start_function, alloc_function, free_function,     \
                                              realloc_function, block_alignment)                 \
    static const bench_allocator_t bench_allocator_##identifier = {                              \
        BENCH_DISPLAY_NAME(display_name), workload_set, start_function, alloc_function,          \
        free_function, realloc_function, block_alignment};                                       \
    const bench_allocator_t *const bench_registered_##identifier                                 \
        __attribute__((section(".bench_allocators"), used)) = &bench_allocator_##identifier

/* An allocator without realloc whose blocks are aligned to 8. */
#define BENCH_REGISTER_ALLOCATOR(identifier, display_name, workload_set, start_function,         \
                                 alloc_function, free_function)                                  \
    BENCH_REGISTER_ALLOCATOR_WITH_REALLOC(identifier, display_name, workload_set, start_function, \
                                          alloc_function, free_function, NULL, 8u)

/* Builders for bench_call_t. A function of any prototype is passed as its address; the
 * arguments it does not take are ignored by the AAPCS calling convention. */
#define BENCH_FUNCTION_ADDRESS(function) ((uintptr_t)(function))
bench_call_t bench_call1(uintptr_t function, uintptr_t argument0);
bench_call_t bench_call2(uintptr_t function, uintptr_t argument0, uintptr_t argument1);
bench_call_t bench_call3(uintptr_t function, uintptr_t argument0, uintptr_t argument1,
                         uintptr_t argument2);

/* timing.S: runs `call` between two SysTick reads; returns the ticks elapsed, stores r0. */
uint32_t bench_timed_call(const bench_call_t *call, uintptr_t *result);
void bench_empty_function(void);

/* Output over semihosting (bench/firmware/semihosting.c). */
void bench_print(const char *text);
void bench_print_unsigned(uint32_t value);
void bench_print_line_end(void);

/* Ends the QEMU run with `status` as QEMU's exit status. */
void bench_exit(int status);

/* Called by startup.S: the program, and the report of a CPU exception (never returns). */
int bench_main(void);
void bench_report_exception(uint32_t exception_number);

#endif /* BENCH_H */
