/*
 * The benchmark firmware's main program. QEMU passes one command per boot through the
 * semihosting command line (bench/runner/qemu.py builds it):
 *
 *   list                        the allocators in this image: "allocator NAME free=0|1
 *                               workloads=W1,W2,...[,traces] realloc=0|1 alignment=N
 *                               alloc_function=ADDRESS free_function=ADDRESS realloc_function=ADDRESS"
 *   run ALLOCATOR WORKLOAD      one workload on a freshly started allocator; prints the
 *                               empty-call calibration and every timed call's SysTick ticks
 *   nops                        times the known instruction sequences of timing.S
 *   smoke                       functional check of every allocator; exit status 0 if all pass
 *   trace ALLOCATOR BYTES MODE PATH
 *                               replays the binary trace in host file PATH on a freshly started
 *                               allocator over BYTES bytes of heap; MODE `timed` prints every
 *                               call's ticks as it goes, `fit` only whether the trace fits
 *                               ("fit 1" / "fit 0": an allocation failed)
 *   exit STATUS                 exits with STATUS (checks that the exit status reaches the host)
 *
 * Exit status: 0 success (also for "fit 0"), 1 smoke check failed, 2 bad command, 3 workload
 * error, 5 a CPU exception.
 * The raw ticks are converted to instructions on the host (bench/runner/measure.py), which knows
 * the board's SysTick clock and QEMU's -icount shift.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "semihosting.h"
#include "traces.h"
#include "workloads.h"

#define EXIT_OK 0
#define EXIT_SMOKE_FAILED 1
#define EXIT_BAD_COMMAND 2
#define EXIT_WORKLOAD_ERROR 3
#define EXIT_EXCEPTION 5

/* Every allocator gets the same memory: 64 KiB, 8-byte aligned, in W1 to W4; a trace replay
 * gets as much of the region as its command asks for (at most 2 MiB). */
#define BENCH_HEAP_BYTES 65536u
#define BENCH_REGION_BYTES 2097152u
static union {
    uint64_t alignment;
    unsigned char bytes[BENCH_REGION_BYTES];
} heap __attribute__((section(".bench_heap")));

/* Collected by the linker script from BENCH_REGISTER_ALLOCATOR. */
extern const bench_allocator_t *const __bench_allocators_start[];
extern const bench_allocator_t *const __bench_allocators_end[];

/* SysTick, as QEMU emulates it: counts down at the board's system clock. */
#define SYSTICK_CONTROL (*(volatile uint32_t *)0xE000E010u)
#define SYSTICK_RELOAD (*(volatile uint32_t *)0xE000E014u)
#define SYSTICK_CURRENT (*(volatile uint32_t *)0xE000E018u)
#define SYSTICK_ENABLE_WITH_PROCESSOR_CLOCK 5u /* ENABLE | CLKSOURCE, no interrupt */

/* Recorded ticks of one run, by outcome. W4 has at most 5000 timed calls; W2 at most one per
 * 32 bytes of heap plus the failing one. */
#define BENCH_MAX_RECORDS 8192u
static uint32_t records[BENCH_OUTCOME_COUNT][BENCH_MAX_RECORDS];
static uint32_t record_counts[BENCH_OUTCOME_COUNT];
static bool records_overflowed;

static const char *const series_names[BENCH_OUTCOME_COUNT] = {"alloc", "alloc_failed", "free",
                                                               "realloc"};

bench_call_t bench_call1(uintptr_t function, uintptr_t argument0)
{
    bench_call_t call;
    call.function = function;
    call.arguments[0] = argument0;
    call.arguments[1] = 0u;
    call.arguments[2] = 0u;
    return call;
}

bench_call_t bench_call2(uintptr_t function, uintptr_t argument0, uintptr_t argument1)
{
    bench_call_t call = bench_call1(function, argument0);
    call.arguments[1] = argument1;
    return call;
}

bench_call_t bench_call3(uintptr_t function, uintptr_t argument0, uintptr_t argument1,
                         uintptr_t argument2)
{
    bench_call_t call = bench_call2(function, argument0, argument1);
    call.arguments[2] = argument2;
    return call;
}

static void record(bench_outcome_t outcome, uint32_t ticks)
{
    if (record_counts[outcome] == BENCH_MAX_RECORDS) {
        records_overflowed = true;
        return;
    }
    records[outcome][record_counts[outcome]] = ticks;
    record_counts[outcome]++;
}

static bool names_equal(const char *left, const char *right)
{
    while (*left != '\0' && *left == *right) {
        left++;
        right++;
    }
    return *left == *right;
}

static void start_systick(void)
{
    SYSTICK_CONTROL = 0u;
    SYSTICK_RELOAD = 0x00FFFFFFu;
    SYSTICK_CURRENT = 0u;
    SYSTICK_CONTROL = SYSTICK_ENABLE_WITH_PROCESSOR_CLOCK;
}

static uint32_t time_function(uintptr_t function)
{
    bench_call_t call = bench_call1(function, 0u);
    uintptr_t ignored = 0u;
    return bench_timed_call(&call, &ignored);
}

/* Times the empty function several times and prints the ticks. The host converts them to
 * instructions and checks that they agree (raw ticks may differ by one: 25.6 ticks per
 * instruction on most boards). */
#define CALIBRATION_REPEATS 5u
static void print_calibration(void)
{
    uint32_t repeat;
    bench_print("empty");
    for (repeat = 0u; repeat < CALIBRATION_REPEATS; repeat++) {
        bench_print(" ");
        bench_print_unsigned(time_function(BENCH_FUNCTION_ADDRESS(bench_empty_function)));
    }
    bench_print_line_end();
}

static void print_series(bench_outcome_t outcome)
{
    uint32_t index;
    for (index = 0u; index < record_counts[outcome]; index++) {
        if (index % 16u == 0u) {
            if (index > 0u) {
                bench_print_line_end();
            }
            bench_print("ticks ");
            bench_print(series_names[outcome]);
        }
        bench_print(" ");
        bench_print_unsigned(records[outcome][index]);
    }
    if (record_counts[outcome] > 0u) {
        bench_print_line_end();
    }
}

static int report_workload_error(bench_workload_error_t error)
{
    bench_print("error ");
    bench_print(error);
    bench_print_line_end();
    return EXIT_WORKLOAD_ERROR;
}

static void print_end(void)
{
    uint32_t outcome;
    bench_print("end");
    for (outcome = 0u; outcome < BENCH_OUTCOME_COUNT; outcome++) {
        bench_print(" ");
        bench_print(series_names[outcome]);
        bench_print("=");
        bench_print_unsigned(record_counts[outcome]);
    }
    bench_print_line_end();
}

static const bench_allocator_t *find_allocator(const char *name)
{
    const bench_allocator_t *const *entry;
    for (entry = __bench_allocators_start; entry < __bench_allocators_end; entry++) {
        if (names_equal((*entry)->name, name)) {
            return *entry;
        }
    }
    return NULL;
}

static int list_allocators(void)
{
    const bench_allocator_t *const *entry;
    for (entry = __bench_allocators_start; entry < __bench_allocators_end; entry++) {
        unsigned int flag;
        const char *separator = " workloads=";
        bench_print("allocator ");
        bench_print((*entry)->name);
        bench_print((*entry)->free_call != NULL ? " free=1" : " free=0");
        for (flag = BENCH_W1; flag <= BENCH_LAST_WORKLOAD; flag <<= 1u) {
            if (((*entry)->workloads & flag) != 0u && bench_workload_name(flag) != NULL) {
                bench_print(separator);
                bench_print(bench_workload_name(flag));
                separator = ",";
            }
        }
        if (((*entry)->workloads & BENCH_TRACES) != 0u && (*entry)->free_call != NULL) {
            bench_print(separator);
            bench_print("traces");
        }
        bench_print((*entry)->realloc_call != NULL ? " realloc=1" : " realloc=0");
        bench_print(" alignment=");
        bench_print_unsigned((uint32_t)(*entry)->alignment);
        /* The API functions the harness times, for the static bound (bench/runner/static_bound.py). */
        bench_print(" alloc_function=");
        bench_print_unsigned((uint32_t)(*entry)->alloc_call(1u).function);
        bench_print(" free_function=");
        bench_print_unsigned((*entry)->free_call != NULL ? (uint32_t)(*entry)->free_call(NULL).function : 0u);
        bench_print(" realloc_function=");
        bench_print_unsigned((*entry)->realloc_call != NULL
                                 ? (uint32_t)(*entry)->realloc_call(NULL, 1u).function
                                 : 0u);
        bench_print_line_end();
    }
    return EXIT_OK;
}

static int run(const char *allocator_name, const char *workload_name)
{
    const bench_allocator_t *allocator = find_allocator(allocator_name);
    bench_workload_error_t error;
    bool found = false;
    uint32_t outcome;

    if (allocator == NULL) {
        bench_print("error no allocator named ");
        bench_print(allocator_name);
        bench_print_line_end();
        return EXIT_BAD_COMMAND;
    }
    bench_print("run ");
    bench_print(allocator->name);
    bench_print(" ");
    bench_print(workload_name);
    bench_print_line_end();
    print_calibration();
    error = bench_run_workload(workload_name, allocator, heap.bytes, BENCH_HEAP_BYTES, record,
                               &found);
    if (!found) {
        bench_print("error no workload named ");
        bench_print(workload_name);
        bench_print_line_end();
        return EXIT_BAD_COMMAND;
    }
    if (error == NULL && records_overflowed) {
        error = "more timed calls than the harness can record";
    }
    if (error != NULL) {
        return report_workload_error(error);
    }
    for (outcome = 0u; outcome < BENCH_OUTCOME_COUNT; outcome++) {
        print_series((bench_outcome_t)outcome);
    }
    print_end();
    return EXIT_OK;
}

/* Symbols of timing.S's known sequences. */
void bench_nops_1(void);
void bench_nops_2(void);
void bench_nops_7(void);
void bench_nops_100(void);
void bench_nops_1000(void);

static int time_known_sequences(void)
{
    static const struct {
        uint32_t nops;
        void (*function)(void);
    } sequences[] = {
        {1u, bench_nops_1},     {2u, bench_nops_2},       {7u, bench_nops_7},
        {100u, bench_nops_100}, {1000u, bench_nops_1000},
    };
    size_t index;
    print_calibration();
    for (index = 0u; index < sizeof sequences / sizeof sequences[0]; index++) {
        bench_print("nops ");
        bench_print_unsigned(sequences[index].nops);
        bench_print(" ");
        bench_print_unsigned(time_function(BENCH_FUNCTION_ADDRESS(sequences[index].function)));
        bench_print_line_end();
    }
    return EXIT_OK;
}

static int smoke(void)
{
    const bench_allocator_t *const *entry;
    int status = EXIT_OK;
    if (&__bench_allocators_start[0] == &__bench_allocators_end[0]) {
        bench_print("smoke FAILED: no allocator in this image");
        bench_print_line_end();
        return EXIT_SMOKE_FAILED;
    }
    for (entry = __bench_allocators_start; entry < __bench_allocators_end; entry++) {
        bench_workload_error_t error = bench_smoke_check(*entry, heap.bytes, BENCH_HEAP_BYTES);
        bench_print("smoke ");
        bench_print((*entry)->name);
        if (error == NULL) {
            bench_print(" ok");
        } else {
            bench_print(" FAILED: ");
            bench_print(error);
            status = EXIT_SMOKE_FAILED;
        }
        bench_print_line_end();
    }
    return status;
}

static int parse_unsigned(const char *text)
{
    int value = 0;
    while (*text >= '0' && *text <= '9' && value < 1000) {
        value = value * 10 + (*text - '0');
        text++;
    }
    return value;
}

/* A byte count of at most BENCH_REGION_BYTES; 0 if `text` is not one. */
static size_t parse_heap_bytes(const char *text)
{
    size_t value = 0u;
    if (*text == '\0') {
        return 0u;
    }
    while (*text >= '0' && *text <= '9') {
        value = value * 10u + (size_t)(*text - '0');
        if (value > BENCH_REGION_BYTES) {
            return 0u;
        }
        text++;
    }
    return *text == '\0' ? value : 0u;
}

/* Trace replays print each call's ticks as they go (a trace has more calls than `records`
 * holds): 16 per line and series, as print_series does. */
#define STREAM_LINE 16u
static uint32_t stream_buffer[BENCH_OUTCOME_COUNT][STREAM_LINE];
static uint32_t stream_fill[BENCH_OUTCOME_COUNT];

static void flush_stream(bench_outcome_t outcome)
{
    uint32_t index;
    if (stream_fill[outcome] == 0u) {
        return;
    }
    bench_print("ticks ");
    bench_print(series_names[outcome]);
    for (index = 0u; index < stream_fill[outcome]; index++) {
        bench_print(" ");
        bench_print_unsigned(stream_buffer[outcome][index]);
    }
    bench_print_line_end();
    stream_fill[outcome] = 0u;
}

static void stream_record(bench_outcome_t outcome, uint32_t ticks)
{
    stream_buffer[outcome][stream_fill[outcome]] = ticks;
    stream_fill[outcome]++;
    record_counts[outcome]++;
    if (stream_fill[outcome] == STREAM_LINE) {
        flush_stream(outcome);
    }
}

static void count_only(bench_outcome_t outcome, uint32_t ticks)
{
    (void)ticks;
    record_counts[outcome]++;
}

static int replay_trace(const char *allocator_name, const char *bytes_text, const char *mode,
                        const char *path)
{
    const bench_allocator_t *allocator = find_allocator(allocator_name);
    size_t heap_bytes = parse_heap_bytes(bytes_text);
    bool timed = names_equal(mode, "timed");
    bool out_of_memory = false;
    bench_workload_error_t error;
    uint32_t outcome;

    if (allocator == NULL || heap_bytes == 0u || (!timed && !names_equal(mode, "fit"))) {
        bench_print("error usage: trace ALLOCATOR BYTES timed|fit PATH (BYTES at most ");
        bench_print_unsigned(BENCH_REGION_BYTES);
        bench_print(")");
        bench_print_line_end();
        return EXIT_BAD_COMMAND;
    }
    if (timed) {
        bench_print("run ");
        bench_print(allocator->name);
        bench_print(" trace");
        bench_print_line_end();
        print_calibration();
    }
    error = bench_replay_trace(path, allocator, heap.bytes, heap_bytes,
                               timed ? stream_record : count_only, &out_of_memory);
    if (!timed) {
        bench_print(out_of_memory ? "fit 0" : "fit 1");
        bench_print_line_end();
        if (out_of_memory) {
            return EXIT_OK;
        }
    }
    if (error != NULL) {
        return report_workload_error(error);
    }
    for (outcome = 0u; outcome < BENCH_OUTCOME_COUNT; outcome++) {
        flush_stream((bench_outcome_t)outcome);
    }
    print_end();
    return EXIT_OK;
}

/* Splits `line` at spaces into at most `capacity` words. */
static size_t split_words(char *line, const char **words, size_t capacity)
{
    size_t count = 0u;
    while (*line != '\0' && count < capacity) {
        while (*line == ' ') {
            *line = '\0';
            line++;
        }
        if (*line == '\0') {
            break;
        }
        words[count] = line;
        count++;
        while (*line != '\0' && *line != ' ') {
            line++;
        }
    }
    return count;
}

void bench_report_exception(uint32_t exception_number)
{
    bench_print("error CPU exception ");
    bench_print_unsigned(exception_number);
    bench_print_line_end();
    bench_exit(EXIT_EXCEPTION);
}

int bench_main(void)
{
    static char command_line[1024];
    const char *words[5] = {NULL, NULL, NULL, NULL, NULL};
    size_t word_count;

    start_systick();
    (void)bench_command_line(command_line, sizeof command_line);
    word_count = split_words(command_line, words, 5u);

    if (word_count == 1u && names_equal(words[0], "list")) {
        return list_allocators();
    }
    if (word_count == 3u && names_equal(words[0], "run")) {
        return run(words[1], words[2]);
    }
    if (word_count == 5u && names_equal(words[0], "trace")) {
        return replay_trace(words[1], words[2], words[3], words[4]);
    }
    if (word_count == 1u && names_equal(words[0], "nops")) {
        return time_known_sequences();
    }
    if (word_count == 1u && names_equal(words[0], "smoke")) {
        return smoke();
    }
    if (word_count == 2u && names_equal(words[0], "exit")) {
        return parse_unsigned(words[1]);
    }
    bench_print("error usage: list | run ALLOCATOR WORKLOAD | trace ALLOCATOR BYTES MODE PATH | "
                "nops | smoke | exit STATUS");
    bench_print_line_end();
    return EXIT_BAD_COMMAND;
}
