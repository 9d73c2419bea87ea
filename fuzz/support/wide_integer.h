/*
 * An unsigned integer type at least twice as wide as size_t and uintptr_t, for the reference
 * models: they compute sums of addresses and sizes exactly, without the care the allocators take
 * to avoid wrap-around, so an overflow bug in an allocator cannot be mirrored by the same bug in
 * its model.
 */
#ifndef VERALLOC_FUZZ_WIDE_INTEGER_H
#define VERALLOC_FUZZ_WIDE_INTEGER_H

#include <stdint.h>

#if SIZE_MAX <= 0xFFFFFFFFu && UINTPTR_MAX <= 0xFFFFFFFFu
typedef uint64_t vera_wide_t;
#elif defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 vera_wide_t;
#else
#error "the reference models need an integer type twice as wide as size_t"
#endif

/* `value` rounded up to a multiple of `multiple` (> 0), exactly. */
static inline vera_wide_t vera_wide_round_up(vera_wide_t value, vera_wide_t multiple)
{
    vera_wide_t remainder = value % multiple;
    return remainder == 0u ? value : value + (multiple - remainder);
}

#endif /* VERALLOC_FUZZ_WIDE_INTEGER_H */
