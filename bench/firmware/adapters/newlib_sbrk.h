/* The memory newlib's malloc grows into: the benchmark heap, and nothing beyond it. */
#ifndef BENCH_NEWLIB_SBRK_H
#define BENCH_NEWLIB_SBRK_H

#include <stdbool.h>
#include <stddef.h>

/* Makes _sbrk hand out `heap_bytes` bytes from `heap`; only once per boot (newlib's malloc
 * cannot be reset). Returns false on a second call. */
bool bench_sbrk_set_heap(unsigned char *heap, size_t heap_bytes);

#endif /* BENCH_NEWLIB_SBRK_H */
