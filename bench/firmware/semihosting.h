/* Semihosting services used by the harness itself (output and exit are declared in bench.h). */
#ifndef BENCH_SEMIHOSTING_H
#define BENCH_SEMIHOSTING_H

#include <stddef.h>

/* Copies the command line QEMU was given (-semihosting-config arg=...) into `buffer`, NUL
 * terminated; returns its length, 0 if there is none. */
size_t bench_command_line(char *buffer, size_t capacity);

#endif /* BENCH_SEMIHOSTING_H */
