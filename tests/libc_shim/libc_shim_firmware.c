/*
 * The libc shim (libc_shim/heap_libc.c) in a newlib firmware on QEMU's Cortex-M boards, built
 * with full newlib and with newlib-nano (tests/libc_shim/BUILD). It calls newlib's names --
 * malloc, calloc, realloc, free, aligned_alloc, memalign, posix_memalign, valloc, reallocf,
 * reallocarray, cfree, the _r family with _REENT -- and newlib functions that allocate on their
 * own (strdup, asprintf, printf's stdout buffer), and checks that every pointer they return is a
 * live block of the shim's heap, that the heap's counters move by exactly those blocks, that
 * data survives realloc, that the documented choices hold (malloc(0), realloc(p, 0), errno) and
 * that every bad free reaches the bad-free hook, which this firmware overrides.
 *
 * Built with -fno-builtin: gcc must not fold what it believes of malloc and calloc (a calloc'ed
 * byte is zero, a pointer from malloc aliases nothing) into the checks.
 *
 * Output: a line per check ("ok NAME" or "FAIL NAME line N"), the line printf writes through
 * newlib's stdio, then "summary checks=N failed=F". Exit status: the number of failed checks
 * (0: all passed), 5 for a CPU exception, 6 (or abort's status) if newlib calls _exit.
 * With LIBC_SHIM_CONTROL defined it is the control image instead: a few malloc calls without the
 * shim (newlib's own allocator, over a small _sbrk), which the test's link check must flag.
 */
#define _GNU_SOURCE 1    /* asprintf */
#define _DEFAULT_SOURCE 1 /* strdup, memalign, posix_memalign, reallocf, reallocarray, valloc */
#define _ISOC11_SOURCE 1 /* aligned_alloc (the file is C99) */

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "tests/release/dist_firmware_checks.h" /* CHECK, the patterns; bench_report_exception */

#ifndef LIBC_SHIM_CONTROL
#include "veralloc/heap.h"
#include "veralloc/heap_libc.h"
#endif

/* ---- what newlib's stdio needs of the system: output through semihosting -------------------- */

int _write(int file, const char *bytes, int length);
int _read(int file, char *bytes, int length);
int _close(int file);
int _lseek(int file, int offset, int whence);
int _fstat(int file, struct stat *status);
int _isatty(int file);
void _exit(int status);
int _kill(int process, int signal);
int _getpid(void);

int _write(int file, const char *bytes, int length)
{
    char chunk[33];
    int done = 0;
    (void)file;
    while (done < length) {
        size_t used = 0u;
        while (used < sizeof chunk - 1u && done < length) {
            chunk[used] = bytes[done];
            used++;
            done++;
        }
        chunk[used] = '\0';
        bench_print(chunk);
    }
    return length;
}

int _read(int file, char *bytes, int length)
{
    (void)file;
    (void)bytes;
    (void)length;
    return 0;
}

int _close(int file)
{
    (void)file;
    return -1;
}

int _lseek(int file, int offset, int whence)
{
    (void)file;
    (void)offset;
    (void)whence;
    return 0;
}

/* A character device, a terminal: stdout is line-buffered, with a buffer stdio allocates. */
int _fstat(int file, struct stat *status)
{
    (void)file;
    memset(status, 0, sizeof *status);
    status->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int file)
{
    (void)file;
    return 1;
}

/* Full newlib's vfprintf can reach assert, hence abort and raise: an abort ends the run. */
void _exit(int status)
{
    bench_print("FAIL _exit");
    bench_print_line_end();
    bench_exit(status == 0 ? 6 : status);
}

int _kill(int process, int signal)
{
    (void)process;
    (void)signal;
    return -1;
}

int _getpid(void)
{
    return 1;
}

#ifdef LIBC_SHIM_CONTROL
/* ---- the control image: newlib's own malloc, which needs _sbrk ------------------------------- */

void *_sbrk(ptrdiff_t increment);

void *_sbrk(ptrdiff_t increment)
{
    static unsigned char arena[8192] __attribute__((aligned(8)));
    static size_t used;
    void *previous = &arena[used];
    if (increment < 0 || (size_t)increment > sizeof arena - used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    used += (size_t)increment;
    return previous;
}

int bench_main(void)
{
    char *copy = strdup("control");
    void *block = malloc(24);
    bench_print(copy != NULL && block != NULL ? "control: newlib's malloc served" : "FAIL control");
    bench_print_line_end();
    free(block);
    free(copy);
    return 0;
}

#else
/* ---- the checks ------------------------------------------------------------------------------ */

/* Each test function runs once (the requirements name them: docs/requirements/heap.md). */
#define RUN_TEST(test_function) test_function()

/* The bad-free hook, overridden: what the shim reported last, and how often. */
static void *bad_pointer;
static vera_status_t bad_reason;
static uint32_t bad_calls;

void vera_heap_libc_bad_free(void *ptr, vera_status_t why)
{
    bad_pointer = ptr;
    bad_reason = why;
    bad_calls++;
}

static bool bad_free_reported(const void *pointer, vera_status_t why, uint32_t calls_before)
{
    return bad_calls == calls_before + 1u && bad_pointer == pointer && bad_reason == why &&
           vera_heap_libc_bad_free_count() == bad_calls;
}

/* A pointer or size the compiler cannot follow: gcc 12 warns about a pointer used after free
 * (the double free below is the point) and about sizes above the largest object. */
static void *opaque_pointer(void *pointer)
{
    void *volatile copy = pointer;
    return copy;
}

static size_t opaque_size(size_t size)
{
    volatile size_t copy = size;
    return copy;
}

static vera_heap_stats_t stats(void)
{
    vera_heap_stats_t snapshot = {0};
    (void)vera_heap_get_stats(vera_heap_libc_heap(), &snapshot);
    return snapshot;
}

/* `pointer` is the start of a live block of the shim's heap with room for `size` bytes. */
static bool live_block(const void *pointer, size_t size)
{
    return pointer != NULL && vera_heap_usable_size(vera_heap_libc_heap(), pointer) >= size;
}

/* The counters moved by one block of `bytes` (positive: allocated; negative: freed). */
static bool moved_by(const vera_heap_stats_t *before, long blocks, long bytes)
{
    vera_heap_stats_t after = stats();
    return (long)after.live_blocks - (long)before->live_blocks == blocks &&
           (long)after.allocated - (long)before->allocated == bytes;
}

static bool unchanged(const vera_heap_stats_t *before)
{
    return moved_by(before, 0, 0);
}

static void test_malloc_and_free(void)
{
    /* The firmware's first call of the shim: it initialises the heap. */
    unsigned char *block = malloc(100);
    size_t usable = malloc_usable_size(block);
    vera_heap_stats_t before = stats();

    CHECK("the first malloc(100) initialises the heap and gets a live block, 8-aligned, counted",
          before.capacity == VERA_HEAP_LIBC_CAPACITY && before.live_blocks == 1u &&
              before.allocated == usable && live_block(block, 100u) && usable >= 100u &&
              dist_firmware_is_aligned(block, 8u));
    CHECK("vera_heap_libc_init after it: VERA_OK, nothing discarded",
          vera_heap_libc_init() == VERA_OK && unchanged(&before) && live_block(block, 100u));
    dist_firmware_fill_pattern(block, usable, 1u);
    free(block);
    CHECK("free: the block is no longer live, the heap is empty",
          vera_heap_usable_size(vera_heap_libc_heap(), opaque_pointer(block)) == 0u &&
              moved_by(&before, -1, -(long)usable) && stats().live_blocks == 0u);
    before = stats();

    errno = 0;
    CHECK("malloc(0) is NULL, errno unchanged, nothing allocated",
          malloc(opaque_size(0u)) == NULL && errno == 0 && unchanged(&before));
    errno = 0;
    CHECK("malloc beyond the heap: NULL, ENOMEM",
          malloc(opaque_size(VERA_HEAP_LIBC_CAPACITY + 1u)) == NULL && errno == ENOMEM &&
              unchanged(&before));
    errno = 0;
    CHECK("malloc(SIZE_MAX): NULL, ENOMEM",
          malloc(opaque_size(SIZE_MAX)) == NULL && errno == ENOMEM);

    free(NULL);
    CHECK("free(NULL): nothing happens, no bad free", bad_calls == 0u && unchanged(&before));
}

static void test_bad_frees_reach_the_hook(void)
{
    vera_heap_stats_t before;
    unsigned char *block = malloc(64);
    unsigned char *neighbour = malloc(64);
    int on_the_stack = 0;
    uint32_t calls;

    dist_firmware_fill_pattern(neighbour, 64u, 2u);
    free(block);
    before = stats();
    calls = bad_calls;
    free(opaque_pointer(block));
    CHECK("double free reaches the hook with VERA_ERROR_DOUBLE_FREE, nothing changed",
          bad_free_reported(block, VERA_ERROR_DOUBLE_FREE, calls) && unchanged(&before));
    calls = bad_calls;
    free(neighbour + 8);
    CHECK("free inside a block: the hook with VERA_ERROR_NOT_BLOCK_START",
          bad_free_reported(neighbour + 8, VERA_ERROR_NOT_BLOCK_START, calls) &&
              unchanged(&before));
    calls = bad_calls;
    free(&on_the_stack);
    CHECK("free of a pointer outside the heap: the hook with VERA_ERROR_NOT_OWNED",
          bad_free_reported(&on_the_stack, VERA_ERROR_NOT_OWNED, calls) && unchanged(&before));
    calls = bad_calls;
    errno = 0;
    CHECK("realloc of a freed block: NULL, EINVAL, the hook with VERA_ERROR_DOUBLE_FREE",
          realloc(opaque_pointer(block), 128) == NULL && errno == EINVAL &&
              bad_free_reported(block, VERA_ERROR_DOUBLE_FREE, calls) && unchanged(&before));
    calls = bad_calls;
    cfree(opaque_pointer(block));
    CHECK("cfree of a freed block reaches the hook",
          bad_free_reported(block, VERA_ERROR_DOUBLE_FREE, calls) && unchanged(&before));
    CHECK("the live neighbour is untouched",
          dist_firmware_pattern_intact(neighbour, 64u, 2u) && live_block(neighbour, 64u));
    free(neighbour);
    calls = bad_calls;
    CHECK("malloc_usable_size of a bad pointer is 0, no hook",
          malloc_usable_size(&on_the_stack) == 0u && malloc_usable_size(neighbour + 8) == 0u &&
              malloc_usable_size(NULL) == 0u && bad_calls == calls);
}

static void test_calloc(void)
{
    vera_heap_stats_t before;
    unsigned char *dirty = malloc(200);
    unsigned char *zeroed;
    size_t index;
    bool all_zero = true;

    /* The heap does not zero: calloc must, on memory that held data. */
    dist_firmware_fill_pattern(dirty, 200u, 3u);
    free(dirty);
    before = stats();
    zeroed = calloc(10, 20);
    for (index = 0u; zeroed != NULL && index < 200u; index++) {
        all_zero = all_zero && zeroed[index] == 0u;
    }
    CHECK("calloc(10, 20): a live block of 200 zero bytes, on memory that held data",
          live_block(zeroed, 200u) && zeroed == dirty && all_zero &&
              moved_by(&before, 1, (long)malloc_usable_size(zeroed)));
    free(zeroed);
    errno = 0;
    CHECK("calloc whose count * size overflows: NULL, ENOMEM, nothing allocated",
          calloc(opaque_size(SIZE_MAX / 2u + 1u), 2) == NULL && errno == ENOMEM &&
              calloc(opaque_size(65536u), opaque_size(65537u)) == NULL && unchanged(&before));
    errno = 0;
    CHECK("calloc(0, n) and calloc(n, 0) are NULL, errno unchanged",
          calloc(opaque_size(0u), 8) == NULL && calloc(8, opaque_size(0u)) == NULL && errno == 0 &&
              unchanged(&before));
}

static void test_realloc(void)
{
    vera_heap_stats_t before = stats();
    unsigned char *block = realloc(NULL, 40);
    unsigned char *grown;
    unsigned char *shrunk;
    uint32_t calls = bad_calls;

    CHECK("realloc(NULL, 40) allocates a live block",
          live_block(block, 40u) && moved_by(&before, 1, (long)malloc_usable_size(block)));
    dist_firmware_fill_pattern(block, 40u, 4u);
    grown = realloc(block, 400);
    CHECK("realloc grows to a live block of 400 bytes, the 40 bytes kept, one block live",
          live_block(grown, 400u) && dist_firmware_pattern_intact(grown, 40u, 4u) &&
              moved_by(&before, 1, (long)malloc_usable_size(grown)));
    dist_firmware_fill_pattern(grown, 400u, 5u);
    shrunk = realloc(grown, 16);
    CHECK("realloc shrinks to a live block, the first 16 bytes kept",
          live_block(shrunk, 16u) && dist_firmware_pattern_intact(shrunk, 16u, 5u) &&
              moved_by(&before, 1, (long)malloc_usable_size(shrunk)));
    dist_firmware_fill_pattern(shrunk, 16u, 6u);
    errno = 0;
    CHECK("realloc beyond the heap: NULL, ENOMEM, the block live and unchanged",
          realloc(shrunk, opaque_size(2u * VERA_HEAP_LIBC_CAPACITY)) == NULL && errno == ENOMEM &&
              live_block(shrunk, 16u) && dist_firmware_pattern_intact(shrunk, 16u, 6u));
    errno = 0;
    CHECK("realloc(p, 0) frees p and returns NULL, errno unchanged, no bad free",
          realloc(shrunk, opaque_size(0u)) == NULL && errno == 0 && bad_calls == calls &&
              vera_heap_usable_size(vera_heap_libc_heap(), opaque_pointer(shrunk)) == 0u &&
              unchanged(&before));
    CHECK("realloc(NULL, 0) is NULL, nothing allocated",
          realloc(NULL, opaque_size(0u)) == NULL && unchanged(&before));

    block = malloc(32);
    dist_firmware_fill_pattern(block, 32u, 7u);
    errno = 0;
    CHECK("reallocarray whose count * size overflows: NULL, ENOMEM, the block kept",
          reallocarray(block, opaque_size(SIZE_MAX / 4u), 8) == NULL && errno == ENOMEM &&
              dist_firmware_pattern_intact(block, 32u, 7u));
    grown = reallocarray(block, 16, 8);
    CHECK("reallocarray(p, 16, 8) grows to 128 bytes, data kept",
          live_block(grown, 128u) && dist_firmware_pattern_intact(grown, 32u, 7u));
    errno = 0;
    CHECK("reallocf beyond the heap: NULL, ENOMEM, and the block is freed",
          reallocf(grown, opaque_size(2u * VERA_HEAP_LIBC_CAPACITY)) == NULL && errno == ENOMEM &&
              vera_heap_usable_size(vera_heap_libc_heap(), opaque_pointer(grown)) == 0u &&
              unchanged(&before) && bad_calls == calls);
}

static void test_aligned(void)
{
    vera_heap_stats_t before = stats();
    void *block;
    void *out = &before; /* a sentinel: a failed posix_memalign must not write it */
    void *sentinel = out;
    uint32_t shift;
    bool all_aligned = true;

    for (shift = 0u; shift <= 10u; shift++) {
        size_t alignment = (size_t)1u << shift;
        void *aligned = aligned_alloc(alignment, 24);
        void *by_memalign = memalign(alignment, 40);
        all_aligned = all_aligned && live_block(aligned, 24u) &&
                      dist_firmware_is_aligned(aligned, alignment) &&
                      live_block(by_memalign, 40u) && dist_firmware_is_aligned(by_memalign, alignment);
        free(aligned);
        free(by_memalign);
    }
    CHECK("aligned_alloc and memalign, alignments 1 to 1024: live blocks, aligned, all freed",
          all_aligned && unchanged(&before));
    errno = 0;
    CHECK("aligned_alloc with an alignment not a power of two: NULL, EINVAL",
          aligned_alloc(opaque_size(24u), 48) == NULL && errno == EINVAL &&
              aligned_alloc(opaque_size(0u), 8) == NULL && unchanged(&before));
    errno = 0;
    CHECK("memalign with an alignment not a power of two: NULL, EINVAL",
          memalign(opaque_size(6u), 8) == NULL && errno == EINVAL && unchanged(&before));
    errno = 0;
    CHECK("aligned_alloc beyond the heap: NULL, ENOMEM",
          aligned_alloc(64, opaque_size(VERA_HEAP_LIBC_CAPACITY + 1u)) == NULL && errno == ENOMEM);

    CHECK("posix_memalign(&p, 128, 200): 0, a live 128-aligned block",
          posix_memalign(&out, 128, 200) == 0 && live_block(out, 200u) &&
              dist_firmware_is_aligned(out, 128u) &&
              moved_by(&before, 1, (long)malloc_usable_size(out)));
    free(out);
    out = sentinel;
    CHECK("posix_memalign with alignment 24, 0 or 2 (below sizeof(void *)): EINVAL, p not written",
          posix_memalign(&out, opaque_size(24u), 8) == EINVAL &&
              posix_memalign(&out, opaque_size(0u), 8) == EINVAL &&
              posix_memalign(&out, opaque_size(2u), 8) == EINVAL && out == sentinel);
    errno = 0;
    CHECK("posix_memalign beyond the heap: ENOMEM, p not written, errno unchanged",
          posix_memalign(&out, 8, opaque_size(VERA_HEAP_LIBC_CAPACITY + 1u)) == ENOMEM &&
              out == sentinel && errno == 0 && unchanged(&before));

    block = valloc(10);
    CHECK("valloc: a live block aligned to VERA_HEAP_LIBC_PAGE_SIZE",
          live_block(block, 10u) && dist_firmware_is_aligned(block, VERA_HEAP_LIBC_PAGE_SIZE));
    free(block);
    block = pvalloc(1);
    CHECK("pvalloc(1): a live block of a whole page, page-aligned",
          live_block(block, VERA_HEAP_LIBC_PAGE_SIZE) &&
              dist_firmware_is_aligned(block, VERA_HEAP_LIBC_PAGE_SIZE));
    free(block);
    CHECK("every aligned block freed", unchanged(&before));
}

static void test_reentrant_family(void)
{
    vera_heap_stats_t before = stats();
    struct _reent *reent = _REENT;
    unsigned char *block = _malloc_r(reent, 48);
    unsigned char *zeroed;
    size_t index;
    bool all_zero = true;
    uint32_t calls;

    CHECK("_malloc_r(_REENT, 48): a live block, counted",
          live_block(block, 48u) && _malloc_usable_size_r(reent, block) >= 48u &&
              moved_by(&before, 1, (long)malloc_usable_size(block)));
    dist_firmware_fill_pattern(block, 48u, 8u);
    block = _realloc_r(reent, block, 300);
    CHECK("_realloc_r grows it, data kept",
          live_block(block, 300u) && dist_firmware_pattern_intact(block, 48u, 8u));
    _free_r(reent, block);
    CHECK("_free_r frees it", unchanged(&before));
    calls = bad_calls;
    _free_r(reent, opaque_pointer(block));
    CHECK("_free_r of a freed block reaches the hook",
          bad_free_reported(block, VERA_ERROR_DOUBLE_FREE, calls) && unchanged(&before));

    reent->_errno = 0;
    CHECK("_malloc_r beyond the heap: NULL, the reent's errno ENOMEM",
          _malloc_r(reent, opaque_size(VERA_HEAP_LIBC_CAPACITY + 1u)) == NULL &&
              reent->_errno == ENOMEM);
    reent->_errno = 0;
    CHECK("_calloc_r overflowing: NULL, the reent's errno ENOMEM",
          _calloc_r(reent, opaque_size(SIZE_MAX / 2u + 1u), 4) == NULL && reent->_errno == ENOMEM);
    zeroed = _calloc_r(reent, 4, 25);
    for (index = 0u; zeroed != NULL && index < 100u; index++) {
        all_zero = all_zero && zeroed[index] == 0u;
    }
    CHECK("_calloc_r(_REENT, 4, 25): a live zeroed block", live_block(zeroed, 100u) && all_zero);
    _free_r(reent, zeroed);
    block = _memalign_r(reent, 512, 20);
    CHECK("_memalign_r(_REENT, 512, 20): a live 512-aligned block",
          live_block(block, 20u) && dist_firmware_is_aligned(block, 512u));
    _free_r(reent, block);
    reent->_errno = 0;
    CHECK("_memalign_r with alignment 12: NULL, the reent's errno EINVAL",
          _memalign_r(reent, opaque_size(12u), 20) == NULL && reent->_errno == EINVAL);
    CHECK("the reentrant family freed everything", unchanged(&before));
}

/* newlib's own functions that allocate call _malloc_r / _realloc_r themselves. */
static void test_newlib_callers(void)
{
    vera_heap_stats_t before = stats();
    char *copy = strdup("veralloc heap");
    char *text = NULL;
    int length;
    struct mallinfo info;

    CHECK("strdup: a live block of the heap holding the copy",
          live_block(copy, sizeof "veralloc heap") && strcmp(copy, "veralloc heap") == 0 &&
              moved_by(&before, 1, (long)malloc_usable_size(copy)));
    free(copy);
    length = asprintf(&text, "asprintf %d %s %08x", 1234, "grows its buffer with _realloc_r",
                      0xC0FFEEu);
    CHECK("asprintf: a live block of the heap holding the text",
          length > 0 && live_block(text, (size_t)length + 1u) &&
              strcmp(text, "asprintf 1234 grows its buffer with _realloc_r 00c0ffee") == 0 &&
              moved_by(&before, 1, (long)malloc_usable_size(text)));
    free(text);
    CHECK("strdup and asprintf blocks freed", unchanged(&before));

    printf("libc shim: printf %d through newlib's stdio\n", 42);
    (void)fflush(stdout);
    CHECK("printf: stdout's buffer is a live block of the heap",
          live_block(stdout->_bf._base, 1u) && stats().live_blocks >= before.live_blocks + 1u);

    before = stats();
    info = mallinfo();
    CHECK("mallinfo reports the heap's counters",
          info.arena == before.capacity && info.uordblks == before.allocated &&
              info.fordblks == before.free_bytes && info.ordblks == before.free_blocks);
    CHECK("mallopt accepts no option, malloc_trim releases nothing",
          mallopt(M_TRIM_THRESHOLD, 0) == 0 && malloc_trim(0) == 0 && unchanged(&before));
}

int bench_main(void)
{
    RUN_TEST(test_malloc_and_free);
    RUN_TEST(test_bad_frees_reach_the_hook);
    RUN_TEST(test_calloc);
    RUN_TEST(test_realloc);
    RUN_TEST(test_aligned);
    RUN_TEST(test_reentrant_family);
    RUN_TEST(test_newlib_callers);
    CHECK("vera_heap_check accepts the shim's heap after everything",
          vera_heap_check(vera_heap_libc_heap()));
    bench_print("summary checks=");
    bench_print_unsigned(dist_firmware_checks_run());
    bench_print(" failed=");
    bench_print_unsigned(dist_firmware_checks_failed());
    bench_print_line_end();
    return (int)dist_firmware_checks_failed();
}
#endif
