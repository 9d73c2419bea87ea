/*
 * veralloc: status codes shared by every allocator.
 *
 * Every veralloc function that can fail either returns one of these codes or returns NULL and
 * documents which code the failure corresponds to. VERA_OK is zero so that `if (status)` reads
 * as "if it failed".
 */
#ifndef VERALLOC_STATUS_H
#define VERALLOC_STATUS_H

typedef enum vera_status {
    VERA_OK = 0,
    /** A required pointer argument was NULL. */
    VERA_ERROR_NULL_POINTER = 1,
    /** A size or alignment argument is outside what the function accepts (zero, too small,
     *  not a power of two). */
    VERA_ERROR_INVALID_SIZE = 2,
    /** A buffer handed over does not start at the required alignment. */
    VERA_ERROR_MISALIGNED = 3
} vera_status_t;

#endif /* VERALLOC_STATUS_H */
