/*
 * The checks every scenario of the dist firmware uses (dist_firmware.c runs the scenario the
 * command line names; each module's scenarios are in dist_firmware_<module>.c), and the libc
 * shim's firmware (tests/libc_shim) too: //tests/release:firmware_checks, dist_firmware_checks.c.
 * It also defines bench_report_exception (a CPU exception prints a FAIL line and exits 5).
 */
#ifndef VERALLOC_DIST_FIRMWARE_CHECKS_H
#define VERALLOC_DIST_FIRMWARE_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Prints "ok NAME" or "FAIL NAME line N" and counts the check. */
void dist_firmware_report(bool passed, const char *name, uint32_t line);

#define CHECK(name, condition) dist_firmware_report((condition), (name), (uint32_t)__LINE__)

/* The checks reported so far, and how many of them failed. */
uint32_t dist_firmware_checks_run(void);
uint32_t dist_firmware_checks_failed(void);

bool dist_firmware_is_aligned(const void *pointer, uintptr_t alignment);

/* Fills `size` bytes at `block` with a pattern derived from `seed`; the other checks it. */
void dist_firmware_fill_pattern(unsigned char *block, size_t size, unsigned seed);
bool dist_firmware_pattern_intact(const unsigned char *block, size_t size, unsigned seed);

#endif
