/*
 * The checks of the QEMU firmware tests (dist_firmware_checks.h): the dist firmware
 * (dist_firmware.c) and the libc shim's firmware (tests/libc_shim) report through them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "dist_firmware_checks.h"

static uint32_t checks_run;
static uint32_t checks_failed;

void dist_firmware_report(bool passed, const char *name, uint32_t line)
{
    checks_run++;
    if (passed) {
        bench_print("ok ");
        bench_print(name);
    } else {
        checks_failed++;
        bench_print("FAIL ");
        bench_print(name);
        bench_print(" line ");
        bench_print_unsigned(line);
    }
    bench_print_line_end();
}

uint32_t dist_firmware_checks_run(void)
{
    return checks_run;
}

uint32_t dist_firmware_checks_failed(void)
{
    return checks_failed;
}

bool dist_firmware_is_aligned(const void *pointer, uintptr_t alignment)
{
    return ((uintptr_t)pointer % alignment) == 0u;
}

void dist_firmware_fill_pattern(unsigned char *block, size_t size, unsigned seed)
{
    size_t index;
    for (index = 0u; index < size; index++) {
        block[index] = (unsigned char)((seed * 31u + index) & 0xFFu);
    }
}

bool dist_firmware_pattern_intact(const unsigned char *block, size_t size, unsigned seed)
{
    size_t index;
    for (index = 0u; index < size; index++) {
        if (block[index] != (unsigned char)((seed * 31u + index) & 0xFFu)) {
            return false;
        }
    }
    return true;
}

/* startup.S calls it for any CPU exception: a crash is a failure, never a pass. */
void bench_report_exception(uint32_t exception_number)
{
    bench_print("FAIL CPU exception ");
    bench_print_unsigned(exception_number);
    bench_print_line_end();
    bench_exit(5);
}
