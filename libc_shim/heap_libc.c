/*
 * veralloc libc shim: newlib's malloc family over one veralloc heap (veralloc/heap_libc.h says
 * what every call does; docs/heap_design.md, section 6.5, why).
 *
 * Not part of the verified library and not in the two-file distribution: it is written in libc's
 * types (errno, struct _reent, struct mallinfo) and replaces libc's own names, which the
 * library's rules (freestanding C99, the `vera_` prefix, MISRA's reserved identifiers) exclude.
 * Every call is a few lines around a proved heap function; the QEMU firmware
 * //tests/libc_shim:libc_shim_firmware_test tests it with newlib and newlib-nano.
 *
 * Keeping newlib's allocator out of the link. An archive member is linked only to define a
 * symbol that is still undefined; this object is linked whole (//:heap_libc is alwayslink)
 * before libc, and defines every function that newlib's allocator members export, so no
 * reference can pull one of them. Found with `arm-none-eabi-nm` on newlib 3.3.0 (Debian
 * gcc-arm-none-eabi 12.2, Cortex-M3 multilib thumb/v7-m/nofp; the other multilibs have the same
 * members):
 *   libc.a (full newlib): lib_a-malloc.o (malloc free), lib_a-mallocr.o (_malloc_r),
 *     lib_a-freer.o (_free_r _malloc_trim_r), lib_a-reallocr.o (_realloc_r), lib_a-realloc.o
 *     (realloc), lib_a-callocr.o (_calloc_r), lib_a-calloc.o (calloc), lib_a-malignr.o
 *     (_memalign_r), lib_a-malign.o (memalign), lib_a-aligned_alloc.o (aligned_alloc),
 *     lib_a-msizer.o (_malloc_usable_size_r), lib_a-msize.o (malloc_usable_size),
 *     lib_a-mallinfor.o (_mallinfo_r __malloc_update_mallinfo), lib_a-mallstatsr.o
 *     (_malloc_stats_r), lib_a-malloptr.o (_mallopt_r), lib_a-mstats.o (mallinfo malloc_stats
 *     mallopt mstats _mstats_r), lib_a-mtrim.o (malloc_trim), lib_a-vallocr.o (_valloc_r),
 *     lib_a-pvallocr.o (_pvalloc_r), lib_a-valloc.o (valloc pvalloc), lib_a-cfreer.o (cfree),
 *     lib_a-reallocf.o (reallocf _reallocf_r), lib_a-reallocarray.o (reallocarray),
 *     lib_a-mlock.o (__malloc_lock __malloc_unlock).
 *   libc_nano.a (newlib-nano): the same non-reentrant members (malloc.o, realloc.o, calloc.o,
 *     malign.o, aligned_alloc.o, msize.o, mstats.o, mtrim.o, valloc.o, reallocf.o,
 *     reallocarray.o, mlock.o) and lib_a-nano-mallocr.o (_malloc_r), lib_a-nano-freer.o
 *     (_free_r), lib_a-nano-reallocr.o (_realloc_r), lib_a-nano-callocr.o (_calloc_r),
 *     lib_a-nano-malignr.o (_memalign_r), lib_a-nano-msizer.o (_malloc_usable_size_r),
 *     lib_a-nano-mallinfor.o (_mallinfo_r), lib_a-nano-mallstatsr.o (_malloc_stats_r),
 *     lib_a-nano-malloptr.o (_mallopt_r), lib_a-nano-vallocr.o (_valloc_r),
 *     lib_a-nano-pvallocr.o (_pvalloc_r), lib_a-nano-cfreer.o (_cfree_r).
 *   Data: mallocr.o also defines __malloc_av_ __malloc_current_mallinfo __malloc_max_sbrked_mem
 *     __malloc_max_total_mem __malloc_sbrk_base __malloc_top_pad __malloc_trim_threshold, and
 *     nano-mallocr.o / nano-mallinfor.o __malloc_free_list __malloc_sbrk_start
 *     __malloc_current_mallinfo. Those are not defined here: only the allocator members
 *     themselves refer to them (nm of every other member of libc.a and libc_nano.a), so with
 *     their functions defined here nothing asks for them.
 *   newlib defines no posix_memalign (aligned_alloc.o calls it): defined here too.
 * Every function above is defined strongly (but the two lock hooks), so a member pulled in anyway
 * would collide with this object and fail the link; tests/libc_shim/libc_shim_test.sh checks
 * the list against the installed newlib and the linked firmware against the members.
 */
#define _DEFAULT_SOURCE 1 /* newlib's declarations of memalign, reallocf, posix_memalign ... */
#define _ISOC11_SOURCE 1  /* ... and aligned_alloc (this file is C99) */

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "veralloc/heap.h"
#include "veralloc/heap_libc.h"
#include "veralloc/lock.h"

/* newlib-nano's cfree entry point, which no newlib header declares. */
void _cfree_r(struct _reent *reent, void *ptr);
/* Called only by newlib's own malloc_stats (not linked); declared by no header. */
void __malloc_update_mallinfo(struct _reent *reent);

VERA_HEAP_DEFINE(vera_libc_heap, VERA_HEAP_LIBC_CAPACITY);

static bool libc_heap_ready;
static size_t libc_bad_frees;

/* ---- the heap, the errors -------------------------------------------------------------------- */

vera_status_t vera_heap_libc_init(void)
{
    vera_status_t status = VERA_OK;
    vera_lock_state_t lock = vera_lock_acquire();
    if (!libc_heap_ready) {
        status = VERA_HEAP_INIT(vera_libc_heap);
        libc_heap_ready = (status == VERA_OK);
    }
    vera_lock_release(lock);
    return status;
}

vera_heap_t *vera_heap_libc_heap(void)
{
    /* A failed init leaves the heap zero-initialised: every allocation then fails (ENOMEM). */
    (void)vera_heap_libc_init();
    return &vera_libc_heap;
}

__attribute__((weak)) void vera_heap_libc_bad_free(void *ptr, vera_status_t why)
{
    (void)ptr;
    (void)why; /* counted by the caller; firmware overrides this to log, trap or reset */
}

size_t vera_heap_libc_bad_free_count(void)
{
    return libc_bad_frees;
}

static void libc_report_bad_pointer(void *ptr, vera_status_t why)
{
    vera_lock_state_t lock = vera_lock_acquire();
    if (libc_bad_frees != SIZE_MAX) {
        libc_bad_frees++;
    }
    vera_lock_release(lock);
    vera_heap_libc_bad_free(ptr, why);
}

/* errno of the calling context: newlib's `errno` is the current reent's, the _r functions are
 * given theirs (NULL is taken as the current one). */
static void libc_set_errno(struct _reent *reent, int error)
{
    if (reent != NULL) {
        __errno_r(reent) = error;
    } else {
        errno = error;
    }
}

/* ---- the operations, once, with the reent to report errors to ------------------------------- */

static void *libc_malloc(struct _reent *reent, size_t size)
{
    void *block;
    if (size == 0u) {
        return NULL; /* documented: malloc(0) is NULL, errno unchanged */
    }
    block = vera_heap_alloc(vera_heap_libc_heap(), size);
    if (block == NULL) {
        libc_set_errno(reent, ENOMEM);
    }
    return block;
}

/* Frees `ptr`; a bad pointer is reported (hook, counter) and changes nothing. Returns whether
 * the pointer was NULL or a block that is now freed. */
static bool libc_free(void *ptr)
{
    vera_status_t status = vera_heap_free(vera_heap_libc_heap(), ptr);
    if (status != VERA_OK) {
        libc_report_bad_pointer(ptr, status);
        return false;
    }
    return true;
}

/* Why `ptr`, not NULL, is not a live block of the shim's heap (VERA_OK if it is one). usable_size
 * is 0 exactly for the pointers free refuses, and free of such a pointer changes nothing but
 * gives the reason: both under one lock, so that no other call changes the answer in between. */
static vera_status_t libc_pointer_status(void *ptr)
{
    vera_heap_t *heap = vera_heap_libc_heap();
    vera_status_t status = VERA_OK;
    vera_lock_state_t lock = vera_lock_acquire();
    if (vera_heap_usable_size(heap, ptr) == 0u) {
        status = vera_heap_free(heap, ptr);
        if (status == VERA_OK) {
            status = VERA_ERROR_CORRUPTED; /* free accepted what usable_size refused */
        }
    }
    vera_lock_release(lock);
    return status;
}

static void *libc_realloc(struct _reent *reent, void *ptr, size_t size)
{
    vera_status_t status;
    void *block;
    if (ptr == NULL) {
        return libc_malloc(reent, size);
    }
    if (size == 0u) {
        (void)libc_free(ptr); /* documented: realloc(p, 0) frees p and returns NULL */
        return NULL;
    }
    status = libc_pointer_status(ptr);
    if (status != VERA_OK) {
        libc_report_bad_pointer(ptr, status);
        libc_set_errno(reent, EINVAL);
        return NULL;
    }
    block = vera_heap_realloc(vera_heap_libc_heap(), ptr, size);
    if (block == NULL) {
        libc_set_errno(reent, ENOMEM); /* the old block stays live and unchanged */
    }
    return block;
}

/* `count * size` in *product, or false if it does not fit in a size_t. */
static bool libc_multiply(size_t count, size_t size, size_t *product)
{
    if (size != 0u && count > SIZE_MAX / size) {
        return false;
    }
    *product = count * size;
    return true;
}

static void *libc_calloc(struct _reent *reent, size_t count, size_t size)
{
    size_t bytes;
    size_t index;
    unsigned char *block;
    if (!libc_multiply(count, size, &bytes)) {
        libc_set_errno(reent, ENOMEM);
        return NULL;
    }
    block = libc_malloc(reent, bytes);
    if (block != NULL) {
        /* A plain loop: memset would be newlib's, and this file needs nothing else of libc's
         * string functions. The heap's blocks are not zeroed (they hold what they held). */
        for (index = 0u; index < bytes; index++) {
            block[index] = 0u;
        }
    }
    return block;
}

static bool libc_is_power_of_two(size_t value)
{
    return value != 0u && (value & (value - 1u)) == 0u;
}

/* aligned_alloc and memalign: an alignment that is not a power of two is EINVAL. */
static void *libc_memalign(struct _reent *reent, size_t alignment, size_t size)
{
    void *block;
    if (!libc_is_power_of_two(alignment)) {
        libc_set_errno(reent, EINVAL);
        return NULL;
    }
    if (size == 0u) {
        return NULL;
    }
    block = vera_heap_alloc_aligned(vera_heap_libc_heap(), size, alignment);
    if (block == NULL) {
        libc_set_errno(reent, ENOMEM);
    }
    return block;
}

static void *libc_pvalloc(struct _reent *reent, size_t size)
{
    const size_t page = VERA_HEAP_LIBC_PAGE_SIZE;
    if (size > SIZE_MAX - (page - 1u)) {
        libc_set_errno(reent, ENOMEM);
        return NULL;
    }
    /* pvalloc(0) is one page, as in newlib and glibc. */
    return libc_memalign(reent, page, size == 0u ? page : (size + page - 1u) / page * page);
}

static void *libc_reallocf(struct _reent *reent, void *ptr, size_t size)
{
    void *block;
    if (ptr == NULL || size == 0u) {
        return libc_realloc(reent, ptr, size); /* realloc(p, 0) has freed p already */
    }
    if (libc_pointer_status(ptr) != VERA_OK) {
        return libc_realloc(reent, ptr, size); /* reported there, and nothing to free */
    }
    block = libc_realloc(reent, ptr, size);
    if (block == NULL) {
        (void)libc_free(ptr);
    }
    return block;
}

static struct mallinfo libc_mallinfo(void)
{
    struct mallinfo info = {0};
    vera_heap_stats_t stats;
    if (vera_heap_get_stats(vera_heap_libc_heap(), &stats) == VERA_OK) {
        info.arena = stats.capacity;
        info.ordblks = stats.free_blocks;
        info.uordblks = stats.allocated;
        info.fordblks = stats.free_bytes;
    }
    return info;
}

/* ---- C and POSIX ----------------------------------------------------------------------------- */

void *malloc(size_t size)
{
    return libc_malloc(NULL, size);
}

void free(void *ptr)
{
    (void)libc_free(ptr);
}

void *realloc(void *ptr, size_t size)
{
    return libc_realloc(NULL, ptr, size);
}

void *calloc(size_t count, size_t size)
{
    return libc_calloc(NULL, count, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    return libc_memalign(NULL, alignment, size);
}

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    void *block;
    if (!libc_is_power_of_two(alignment) || alignment % sizeof(void *) != 0u) {
        return EINVAL;
    }
    if (size == 0u) {
        *memptr = NULL;
        return 0;
    }
    block = vera_heap_alloc_aligned(vera_heap_libc_heap(), size, alignment);
    if (block == NULL) {
        return ENOMEM; /* errno unchanged, *memptr not written */
    }
    *memptr = block;
    return 0;
}

/* ---- the rest of newlib's non-reentrant family ---------------------------------------------- */

void *memalign(size_t alignment, size_t size)
{
    return libc_memalign(NULL, alignment, size);
}

size_t malloc_usable_size(void *ptr)
{
    return vera_heap_usable_size(vera_heap_libc_heap(), ptr);
}

void *valloc(size_t size)
{
    return libc_memalign(NULL, VERA_HEAP_LIBC_PAGE_SIZE, size);
}

void *pvalloc(size_t size)
{
    return libc_pvalloc(NULL, size);
}

void cfree(void *ptr)
{
    (void)libc_free(ptr);
}

void *reallocf(void *ptr, size_t size)
{
    return libc_reallocf(NULL, ptr, size);
}

void *reallocarray(void *ptr, size_t count, size_t size)
{
    size_t bytes;
    if (!libc_multiply(count, size, &bytes)) {
        errno = ENOMEM; /* ptr untouched */
        return NULL;
    }
    return libc_realloc(NULL, ptr, bytes);
}

struct mallinfo mallinfo(void)
{
    return libc_mallinfo();
}

void malloc_stats(void)
{
    /* Prints nothing: newlib's prints through stdio, which this shim does not pull in. */
}

int mallopt(int parameter, int value)
{
    (void)parameter;
    (void)value;
    return 0; /* no option is supported */
}

int malloc_trim(size_t pad)
{
    (void)pad;
    return 0; /* the heap is static storage: there is nothing to give back to the system */
}

void mstats(char *title)
{
    (void)title; /* prints nothing, as malloc_stats */
}

/* ---- newlib's reentrant family -------------------------------------------------------------- */

void *_malloc_r(struct _reent *reent, size_t size)
{
    return libc_malloc(reent, size);
}

void _free_r(struct _reent *reent, void *ptr)
{
    (void)reent;
    (void)libc_free(ptr);
}

void *_realloc_r(struct _reent *reent, void *ptr, size_t size)
{
    return libc_realloc(reent, ptr, size);
}

void *_calloc_r(struct _reent *reent, size_t count, size_t size)
{
    return libc_calloc(reent, count, size);
}

void *_memalign_r(struct _reent *reent, size_t alignment, size_t size)
{
    return libc_memalign(reent, alignment, size);
}

size_t _malloc_usable_size_r(struct _reent *reent, void *ptr)
{
    (void)reent;
    return malloc_usable_size(ptr);
}

void *_valloc_r(struct _reent *reent, size_t size)
{
    return libc_memalign(reent, VERA_HEAP_LIBC_PAGE_SIZE, size);
}

void *_pvalloc_r(struct _reent *reent, size_t size)
{
    return libc_pvalloc(reent, size);
}

void _cfree_r(struct _reent *reent, void *ptr)
{
    (void)reent;
    (void)libc_free(ptr);
}

void *_reallocf_r(struct _reent *reent, void *ptr, size_t size)
{
    return libc_reallocf(reent, ptr, size);
}

struct mallinfo _mallinfo_r(struct _reent *reent)
{
    (void)reent;
    return libc_mallinfo();
}

void _malloc_stats_r(struct _reent *reent)
{
    (void)reent;
}

int _mallopt_r(struct _reent *reent, int parameter, int value)
{
    (void)reent;
    return mallopt(parameter, value);
}

int _malloc_trim_r(struct _reent *reent, size_t pad)
{
    (void)reent;
    return malloc_trim(pad);
}

void _mstats_r(struct _reent *reent, char *title)
{
    (void)reent;
    (void)title;
}

void __malloc_update_mallinfo(struct _reent *reent)
{
    (void)reent; /* mallinfo reads the heap's counters when it is called */
}

/* The lock newlib's allocator takes around its state. The shim takes the veralloc lock inside
 * every call instead; these stay for code that calls them, weak so that firmware that defines
 * them (an RTOS port) keeps its own. */
__attribute__((weak)) void __malloc_lock(struct _reent *reent)
{
    (void)reent;
}

__attribute__((weak)) void __malloc_unlock(struct _reent *reent)
{
    (void)reent;
}
