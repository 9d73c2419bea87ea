/*
 * _sbrk for newlib's malloc, over the benchmark heap. It is called from inside malloc, so its
 * instructions are part of what malloc is measured to cost; it is kept to the minimum a real
 * firmware's _sbrk does (bounds check, move the break).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "newlib_sbrk.h"

void *_sbrk(ptrdiff_t increment);

static unsigned char *heap_start;
static size_t heap_size;
static size_t heap_break;

bool bench_sbrk_set_heap(unsigned char *heap, size_t heap_bytes)
{
    if (heap_start != NULL) {
        return false;
    }
    heap_start = heap;
    heap_size = heap_bytes;
    heap_break = 0u;
    return true;
}

void *_sbrk(ptrdiff_t increment)
{
    unsigned char *previous_break = heap_start + heap_break;
    bool fits = increment >= 0 ? (size_t)increment <= heap_size - heap_break
                               : (size_t)0 - (size_t)increment <= heap_break;
    if (!fits) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_break = (size_t)((ptrdiff_t)heap_break + increment);
    return previous_break;
}
