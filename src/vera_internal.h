/*
 * veralloc: private helpers shared by the allocator modules (src/ only; not installed, not part
 * of the API).
 *
 * Each helper is written and specified once here, and every module that needs it includes this
 * file. They are `static inline`: a module that calls vera_round_up_size with the constant
 * VERA_ALIGNMENT gets a mask, not a division (the arena's fast path depends on it), and WP proves
 * each helper's contract in every module's run that includes it (the goals appear in that
 * module's count; the contract text is this one).
 */
#ifndef VERALLOC_INTERNAL_H
#define VERALLOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "veralloc/config.h"

#ifdef __FRAMAC__
#include "specs/vera_common.h"
#endif

/* The largest size that vera_round_up_size can round up to a multiple of `alignment` without
 * wrapping around (SIZE_MAX rounds down to a multiple of every power of two). */
#define VERA_MAX_ROUNDABLE_SIZE(alignment) ((size_t)SIZE_MAX - ((size_t)(alignment) - 1u))

/* `value` is a power of two (0 is not). */
/*@
  assigns \nothing;
  ensures \result <==> vera_is_power_of_two(value);
*/
static inline bool vera_is_power_of_two_size(size_t value)
{
    return (value != 0u) && ((value & (value - 1u)) == 0u);
}

/* `size` rounded up to a multiple of `alignment` (a power of two, or any positive divisor).
 * Written as a division, not a mask: the provers reason about it linearly, and a compiler turns
 * a division by a constant power of two into a mask anyway. */
/*@
  requires alignment > 0;
  requires size <= VERA_MAX_ROUNDABLE_SIZE(alignment);
  assigns \nothing;
  ensures \result == vera_round_up_to(size, alignment);
  ensures size <= \result && \result % alignment == 0;
*/
static inline size_t vera_round_up_size(size_t size, size_t alignment)
{
    return ((size + (alignment - 1u)) / alignment) * alignment;
}

/* `counter` + 1, except that SIZE_MAX stays SIZE_MAX: a statistics counter that never wraps
 * around to a small, misleading value. */
/*@
  assigns \nothing;
  ensures \result == vera_saturating_increment(counter);
*/
static inline size_t vera_saturating_increment_size(size_t counter)
{
    return (counter == (size_t)SIZE_MAX) ? counter : (counter + 1u);
}

/* The address ranges [first, first + first_size) and [second, second + second_size) share a
 * byte (both sizes above 0): how an allocator finds its own state inside the storage it is given.
 * Compared as uintptr_t values (a flat address space, as on every target), because C's `<`
 * between pointers into different objects is undefined; without wrap-around: the smaller address
 * is subtracted from the larger. */
/*@
  requires first_size > 0 && second_size > 0;
  assigns \nothing;
  ensures \result <==> vera_address_ranges_overlap(first, first_size, second, second_size);
*/
static inline bool vera_ranges_overlap(uintptr_t first, size_t first_size, uintptr_t second,
                                       size_t second_size)
{
    return (first >= second) ? ((first - second) < second_size) : ((second - first) < first_size);
}

/* The padding that moves `address` (VERA_ALIGNMENT-aligned) up to the next multiple of
 * `alignment`, a power of two above VERA_ALIGNMENT: the arena's and the heap's aligned blocks.
 * It looks at the absolute address once, with a mask rather than a division (Cortex-M0 has no
 * divide instruction). The assertions are the
 * steps of the proof that the result is aligned; they cost nothing at run time. */
/*@
  requires vera_is_power_of_two(alignment) && VERA_ALIGNMENT < alignment;
  requires vera_address_aligned(address, VERA_ALIGNMENT);
  assigns \nothing;
  ensures \result == vera_alignment_padding(address, alignment);
  ensures 0 <= \result < alignment;
  ensures \result % VERA_ALIGNMENT == 0;
  ensures vera_address_aligned(address + \result, alignment);
*/
static inline size_t vera_padding_to_alignment(const char *address, size_t alignment)
{
    size_t padding = 0u;
    uintptr_t misalignment = (uintptr_t)address & (uintptr_t)(alignment - 1u);
    //@ assert misalignment == vera_misalignment(address, alignment);
    //@ assert 0 <= misalignment < alignment;
    /*@ assert mask_is_multiple: \let a = (integer)(uintptr_t)address;
            a - misalignment == ((a - misalignment) / alignment) * alignment; */
    //@ assert alignment_is_multiple: alignment == (alignment / VERA_ALIGNMENT) * VERA_ALIGNMENT;
    /*@ assert misalignment_is_multiple: \let a = (integer)(uintptr_t)address;
            misalignment == (a / VERA_ALIGNMENT
                             - ((a - misalignment) / alignment) * (alignment / VERA_ALIGNMENT))
                            * VERA_ALIGNMENT; */
    if (misalignment != 0u) {
        padding = alignment - (size_t)misalignment;
    }
    /*@ assert rounded_up: \let a = (integer)(uintptr_t)address;
            misalignment != 0 ==>
              a + padding == alignment * ((a - misalignment) / alignment + 1); */
    /*@ assert next_multiple: \let a = (integer)(uintptr_t)address;
            misalignment != 0 ==>
              (alignment * ((a - misalignment) / alignment + 1)) % alignment == 0; */
    //@ assert aligned: ((integer)(uintptr_t)address + padding) % alignment == 0;
    /*@ assert padding_is_product: \let a = (integer)(uintptr_t)address;
            padding == VERA_ALIGNMENT * (misalignment == 0 ? 0 :
                alignment / VERA_ALIGNMENT - (a / VERA_ALIGNMENT
                    - ((a - misalignment) / alignment) * (alignment / VERA_ALIGNMENT))); */
    //@ assert padding_is_multiple: padding % VERA_ALIGNMENT == 0;
    return padding;
}

/* Static storage defined by the public macros (VERA_POOL_DEFINE, MIRA_MEM_SET_BUFFER) is a union
 * of union vera_max_align and a VERA_STORAGE_ALIGNED byte array; it must start on a multiple of
 * VERA_ALIGNMENT, or init would reject it as misaligned. offsetof after a char is the union's
 * alignment in C99. */
struct vera_storage_alignment_probe {
    char first;
    union {
        union vera_max_align alignment;
        VERA_STORAGE_ALIGNED unsigned char bytes[1];
    } aligned;
};
VERA_STATIC_ASSERT(static_storage_is_aligned,
                   offsetof(struct vera_storage_alignment_probe, aligned) % VERA_ALIGNMENT == 0u);

#endif /* VERALLOC_INTERNAL_H */
