/* Semihosting services used by the harness itself (output and exit are declared in bench.h). */
#ifndef BENCH_SEMIHOSTING_H
#define BENCH_SEMIHOSTING_H

#include <stddef.h>

/* Copies the command line QEMU was given (-semihosting-config arg=...) into `buffer`, NUL
 * terminated; returns its length, 0 if there is none. */
size_t bench_command_line(char *buffer, size_t capacity);

/* Opens the host file `path` for reading (binary); returns its handle, or -1. */
int bench_file_open(const char *path);

/* Reads up to `bytes` bytes of `handle` into `buffer`; returns how many were read (0 at the end
 * of the file or on an error). */
size_t bench_file_read(int handle, void *buffer, size_t bytes);

void bench_file_close(int handle);

#endif /* BENCH_SEMIHOSTING_H */
