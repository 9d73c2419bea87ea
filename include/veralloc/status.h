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
    VERA_ERROR_MISALIGNED = 3,
    /** A pointer given back to an allocator does not point into that allocator's memory. */
    VERA_ERROR_NOT_OWNED = 4,
    /** A pointer given back points into the allocator's memory but not to the start of a block. */
    VERA_ERROR_NOT_BLOCK_START = 5,
    /** A pointer given back is the start of a block that is not allocated (freed twice, or never
     *  handed out). */
    VERA_ERROR_DOUBLE_FREE = 6,
    /** The allocator is sealed (vera_arena_seal): it hands out nothing more and cannot be
     *  re-initialised, because its blocks stay live for the life of the program. */
    VERA_ERROR_SEALED = 7,
    /** Re-initialising would discard blocks that are still allocated (a pool or heap with live
     *  blocks). */
    VERA_ERROR_IN_USE = 8,
    /** The storage handed over overlaps itself: the control structure or the metadata lies
     *  inside the buffer it manages, or the metadata overlaps the control structure. */
    VERA_ERROR_OVERLAP = 9,
    /** The allocator's metadata is inconsistent (a stray write of the application landed in
     *  it): the call did nothing. vera_<module>_check() reports the same condition. */
    VERA_ERROR_CORRUPTED = 10,
    /** No free block is large enough for the request (the heap: no free block of the size the
     *  request rounds up to; the request itself is valid). */
    VERA_ERROR_NO_MEMORY = 11
} vera_status_t;

#endif /* VERALLOC_STATUS_H */
