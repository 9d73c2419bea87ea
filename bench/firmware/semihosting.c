/*
 * Semihosting services for the benchmark firmware: text output, the command line QEMU passes
 * (-semihosting-config arg=...), and the exit status.
 *
 * The firmware talks to QEMU directly through the semihosting trap instead of newlib's stdio
 * (rdimon): stdio allocates its buffers from the heap (initialise_monitor_handles), which would
 * put foreign blocks into the heap that newlib's malloc is measured on. Nothing here allocates.
 */
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "semihosting.h"

/* Arm semihosting operation numbers. */
#define SEMIHOSTING_SYS_OPEN 0x01u
#define SEMIHOSTING_SYS_CLOSE 0x02u
#define SEMIHOSTING_SYS_WRITE0 0x04u
#define SEMIHOSTING_SYS_READ 0x06u
#define SEMIHOSTING_OPEN_MODE_READ_BINARY 1u
#define SEMIHOSTING_SYS_GET_CMDLINE 0x15u
#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20u
#define SEMIHOSTING_ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* startup.S */
uintptr_t bench_semihosting_call(uintptr_t operation, uintptr_t argument);

/* Output is collected into lines so that one trap prints one line. */
static char line[256];
static size_t line_length;

static void flush_line(void)
{
    line[line_length] = '\0';
    (void)bench_semihosting_call(SEMIHOSTING_SYS_WRITE0, (uintptr_t)line);
    line_length = 0u;
}

static void put_character(char character)
{
    if (line_length == sizeof line - 1u) {
        flush_line();
    }
    line[line_length] = character;
    line_length++;
}

void bench_print(const char *text)
{
    while (*text != '\0') {
        put_character(*text);
        text++;
    }
}

void bench_print_unsigned(uint32_t value)
{
    char digits[10];
    size_t count = 0u;
    do {
        digits[count] = (char)('0' + (value % 10u));
        count++;
        value /= 10u;
    } while (value != 0u);
    while (count > 0u) {
        count--;
        put_character(digits[count]);
    }
}

void bench_print_line_end(void)
{
    put_character('\n');
    flush_line();
}

void bench_exit(int status)
{
    uintptr_t block[2];
    if (line_length > 0u) {
        flush_line();
    }
    block[0] = SEMIHOSTING_ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uintptr_t)status;
    (void)bench_semihosting_call(SEMIHOSTING_SYS_EXIT_EXTENDED, (uintptr_t)block);
    for (;;) {
        /* Not reached: QEMU has exited. */
    }
}

size_t bench_command_line(char *buffer, size_t capacity)
{
    uintptr_t block[2];
    block[0] = (uintptr_t)buffer;
    block[1] = (uintptr_t)capacity;
    if (capacity == 0u) {
        return 0u;
    }
    if (bench_semihosting_call(SEMIHOSTING_SYS_GET_CMDLINE, (uintptr_t)block) != 0u) {
        return 0u;
    }
    /* On success QEMU stores the length (without the terminator) in the second word. */
    return (size_t)block[1] < capacity ? (size_t)block[1] : capacity - 1u;
}

int bench_file_open(const char *path)
{
    uintptr_t block[3];
    size_t length = 0u;
    while (path[length] != '\0') {
        length++;
    }
    block[0] = (uintptr_t)path;
    block[1] = SEMIHOSTING_OPEN_MODE_READ_BINARY;
    block[2] = (uintptr_t)length;
    return (int)bench_semihosting_call(SEMIHOSTING_SYS_OPEN, (uintptr_t)block);
}

size_t bench_file_read(int handle, void *buffer, size_t bytes)
{
    uintptr_t block[3];
    uintptr_t not_read;
    block[0] = (uintptr_t)handle;
    block[1] = (uintptr_t)buffer;
    block[2] = (uintptr_t)bytes;
    /* SYS_READ returns the number of bytes it did not read. */
    not_read = bench_semihosting_call(SEMIHOSTING_SYS_READ, (uintptr_t)block);
    return not_read <= bytes ? bytes - (size_t)not_read : 0u;
}

void bench_file_close(int handle)
{
    uintptr_t block[1];
    block[0] = (uintptr_t)handle;
    (void)bench_semihosting_call(SEMIHOSTING_SYS_CLOSE, (uintptr_t)block);
}
