/*
 * Records a host program's calls to malloc, calloc, realloc, free (and the aligned variants) by
 * interposing on them (LD_PRELOAD) and forwarding to glibc's own implementation (__libc_malloc
 * and friends). bench/traces/record.py runs a program with it and turns the log into a trace.
 *
 * Log: the file named by $VERALLOC_TRACE_LOG, one fixed-size record per call, written with
 * write(2) from a static buffer (the recorder itself never allocates):
 *   uint64 operation ('a' alloc, 'f' free, 'r' realloc), block, size, result
 * A calloc is logged as an alloc of the product (the zeroing is the caller's cost). Only the
 * first thread that calls is logged; the programs recorded are single-threaded.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *block, size_t size);
void __libc_free(void *block);
void *__libc_memalign(size_t alignment, size_t size);

#define RECORDS_PER_WRITE 512u

static uint64_t pending[RECORDS_PER_WRITE][4];
static unsigned int pending_count;
static int log_descriptor = -2; /* -2: not opened yet; -1: no log wanted */
static int recording; /* guards against recording the recorder's own calls */

static void flush_log(void)
{
    const char *bytes = (const char *)pending;
    size_t remaining = pending_count * sizeof pending[0];
    while (remaining > 0u && log_descriptor >= 0) {
        ssize_t written = write(log_descriptor, bytes, remaining);
        if (written <= 0) {
            break;
        }
        bytes += written;
        remaining -= (size_t)written;
    }
    pending_count = 0u;
}

static void close_log(void) __attribute__((destructor));
static void close_log(void)
{
    flush_log();
}

static void log_call(uint64_t operation, const void *block, size_t size, const void *result)
{
    if (recording) {
        return;
    }
    recording = 1;
    if (log_descriptor == -2) {
        const char *path = getenv("VERALLOC_TRACE_LOG");
        log_descriptor = path != NULL ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
    }
    if (log_descriptor >= 0) {
        pending[pending_count][0] = operation;
        pending[pending_count][1] = (uint64_t)(uintptr_t)block;
        pending[pending_count][2] = (uint64_t)size;
        pending[pending_count][3] = (uint64_t)(uintptr_t)result;
        pending_count++;
        if (pending_count == RECORDS_PER_WRITE) {
            flush_log();
        }
    }
    recording = 0;
}

void *malloc(size_t size)
{
    void *result = __libc_malloc(size);
    log_call('a', NULL, size, result);
    return result;
}

void *calloc(size_t count, size_t size)
{
    void *result = __libc_calloc(count, size);
    log_call('a', NULL, count * size, result);
    return result;
}

void *realloc(void *block, size_t size)
{
    void *result = __libc_realloc(block, size);
    log_call('r', block, size, result);
    return result;
}

void free(void *block)
{
    if (block != NULL) {
        log_call('f', block, 0u, NULL);
    }
    __libc_free(block);
}

void *memalign(size_t alignment, size_t size)
{
    void *result = __libc_memalign(alignment, size);
    log_call('a', NULL, size, result);
    return result;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    return memalign(alignment, size);
}

int posix_memalign(void **block, size_t alignment, size_t size)
{
    void *result = __libc_memalign(alignment, size);
    log_call('a', NULL, size, result);
    if (result == NULL) {
        return 12; /* ENOMEM */
    }
    *block = result;
    return 0;
}
