/*
 * veralloc libc shim: newlib's malloc family over one veralloc heap (libc_shim/heap_libc.c).
 *
 * OPTIONAL, and NOT part of the verified library: link //:heap_libc into a newlib firmware
 * (full newlib or newlib-nano, --specs=nano.specs) and every malloc, free, realloc, calloc,
 * aligned_alloc, memalign, posix_memalign, strdup, stdio buffer ... is served by
 * vera_heap_alloc / vera_heap_free / vera_heap_realloc from one heap, `vera_libc_heap`, of
 * VERA_HEAP_LIBC_CAPACITY bytes. The heap's functions are proved (docs/proofs.md); this shim is
 * not: it is thin glue in libc types (errno, struct _reent, struct mallinfo), tested by the QEMU
 * firmware //tests/libc_shim:libc_shim_firmware_test (docs/heap_design.md, section 6.5).
 *
 * Linking: the shim defines every function newlib's allocator archive members export (the list
 * is in heap_libc.c), so the linker never pulls newlib's malloc; the library is alwayslink so
 * that it is linked even when only libc itself (printf, strdup) calls _malloc_r. newlib's _sbrk
 * is then not needed by the allocator.
 *
 * Choices where C leaves room (each one is the same through the _r entry points):
 *   - malloc(0), calloc with a zero count or size, aligned_alloc/memalign of 0 bytes: NULL, errno
 *     unchanged (C allows NULL or a unique pointer; the heap has no zero-sized block, and NULL
 *     costs no memory). posix_memalign(&p, a, 0) stores NULL in p and returns 0.
 *   - realloc(p, 0) with p a live block: frees p and returns NULL (as glibc and newlib do);
 *     realloc(NULL, n) is malloc(n).
 *   - free(NULL): nothing happens.
 *   - Allocation failure: NULL and errno = ENOMEM (the reent's _errno for the _r functions);
 *     calloc / reallocarray whose count * size overflows: NULL, ENOMEM.
 *   - aligned_alloc / memalign with an alignment that is not a power of two: NULL, EINVAL;
 *     posix_memalign with such an alignment, or one that is not a multiple of sizeof(void *):
 *     returns EINVAL; out of memory: returns ENOMEM; on failure *memptr is not written.
 *   - A bad pointer given to free, realloc, reallocf or cfree (not from this heap, not the start of
 *     a block, already free, or met corrupted metadata) is never silent: the call changes
 *     nothing, the shim counts it (vera_heap_libc_bad_free_count) and calls
 *     vera_heap_libc_bad_free(ptr, why) with the heap's reason (VERA_ERROR_NOT_OWNED,
 *     VERA_ERROR_NOT_BLOCK_START, VERA_ERROR_DOUBLE_FREE or VERA_ERROR_CORRUPTED); realloc then
 *     returns NULL with errno EINVAL. malloc_usable_size of such a pointer is 0 (a query: no hook).
 *   - mallinfo reports the heap (arena = capacity, uordblks = bytes in live blocks, fordblks =
 *     free bytes, ordblks = free blocks, the rest 0); mallopt accepts no option (returns 0);
 *     malloc_trim releases nothing (returns 0); malloc_stats and mstats print nothing (they would
 *     pull in stdio: read vera_heap_get_stats instead).
 *
 * Threads and interrupts: every call takes the veralloc lock (veralloc/lock.h) as the heap does;
 * build the shim with the same VERA_LOCK as the heap. __malloc_lock / __malloc_unlock are weak
 * no-ops (newlib's allocator, their only caller in libc, is not linked); firmware that defines
 * them keeps its own.
 */
#ifndef VERALLOC_HEAP_LIBC_H
#define VERALLOC_HEAP_LIBC_H

#include <stddef.h>

#include "veralloc/heap.h"
#include "veralloc/status.h"

/* The bytes of the shim's heap (its granule map comes on top: 4 bytes per VERA_HEAP_GRANULE).
 * Override with -DVERA_HEAP_LIBC_CAPACITY=N when compiling heap_libc.c. */
#ifndef VERA_HEAP_LIBC_CAPACITY
#define VERA_HEAP_LIBC_CAPACITY 65536u
#endif

/* The "page" of valloc and pvalloc (newlib's is 4096 bytes too): a 4 KiB-aligned block. */
#ifndef VERA_HEAP_LIBC_PAGE_SIZE
#define VERA_HEAP_LIBC_PAGE_SIZE 4096u
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Initialises the shim's heap if it is not yet (the first malloc does the same); returns VERA_OK,
 * or VERA_HEAP_INIT's error (then every allocation fails with ENOMEM). Calling it again changes
 * nothing and returns VERA_OK: it never discards live blocks. The first call clears the granule
 * map (one step per granule, inside the veralloc lock): call it at start-up so that the first
 * malloc of a time-critical path does not pay for it.
 */
vera_status_t vera_heap_libc_init(void);

/* The shim's heap, initialised: for vera_heap_get_stats, vera_heap_check, vera_heap_usable_size
 * (is this pointer a live block of the shim?). Allocate and free through the libc names. */
vera_heap_t *vera_heap_libc_heap(void);

/*
 * Called once for every bad pointer given to free, realloc, reallocf or cfree (the reasons are
 * listed above), after the shim has counted it and with nothing changed. The shim's definition
 * is weak and does nothing more; firmware may define its own to log, trap or reset. It runs
 * outside the veralloc lock and must not free `ptr`.
 */
void vera_heap_libc_bad_free(void *ptr, vera_status_t why);

/* How many bad pointers free, realloc, reallocf and cfree have been given (saturating), whether
 * or not vera_heap_libc_bad_free is overridden. */
size_t vera_heap_libc_bad_free_count(void);

#ifdef __cplusplus
}
#endif

#endif /* VERALLOC_HEAP_LIBC_H */
