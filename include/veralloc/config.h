/*
 * veralloc: compile-time configuration shared by every allocator.
 */
#ifndef VERALLOC_CONFIG_H
#define VERALLOC_CONFIG_H

#include <stdint.h>

#include "veralloc/version.h"

/*
 * VERA_ALIGNMENT: the alignment of every block handed out by default, in bytes.
 *
 * It matches what `malloc` guarantees on the platform (the maximum fundamental alignment):
 * 8 bytes on 32-bit targets such as Cortex-M (AAPCS aligns 64-bit types and `long double` to 8),
 * 16 bytes on 64-bit hosts (x86-64 and AArch64 `max_align_t`). Override with
 * `-DVERA_ALIGNMENT=N` (a power of two, at least 4); every translation unit must see the same value.
 */
#ifndef VERA_ALIGNMENT
#if UINTPTR_MAX > 0xFFFFFFFFu
#define VERA_ALIGNMENT 16u
#else
#define VERA_ALIGNMENT 8u
#endif
#endif

/* C99 has no _Static_assert: a negative array size fails the build instead. */
#define VERA_STATIC_ASSERT(name, condition) typedef char vera_static_assert_##name[(condition) ? 1 : -1]

VERA_STATIC_ASSERT(alignment_is_power_of_two,
                   VERA_ALIGNMENT >= 4u && (VERA_ALIGNMENT & (VERA_ALIGNMENT - 1u)) == 0u);

/*
 * VERA_STORAGE_ALIGNED_TO(n): written before the byte array of the static storage that
 * VERA_POOL_DEFINE, VERA_POOL_DEFINE_ALIGNED and MIRA_MEM_SET_BUFFER define, it aligns that
 * array to `n` (a constant power of two); VERA_STORAGE_ALIGNED is VERA_STORAGE_ALIGNED_TO
 * (VERA_ALIGNMENT).
 * A union with every fundamental type is not enough on its own: on i386 (`gcc -m32`) 8-byte types
 * are only 4-aligned inside structs, and a VERA_ALIGNMENT of 16 or 32 (Cortex-M4 DMA, Cortex-M7
 * cache lines) is beyond any fundamental type. GCC and Clang (also arm-none-eabi-gcc and
 * armclang) take the `aligned` attribute in every language mode (MISRA C:2012 rule 1.2, a
 * language extension: docs/misra.md); C11 and C++11 compilers without it take _Alignas / alignas.
 * With none of these the union alone must do, and the static assertions in src/pool.c and
 * src/mira_mem.c stop the build where it does not; an alignment beyond the fundamental types
 * (VERA_POOL_DEFINE_ALIGNED) then depends on the linker, and VERA_POOL_INIT reports
 * VERA_ERROR_MISALIGNED where the storage does not meet it.
 */
#if defined(__GNUC__) || defined(__clang__)
#define VERA_STORAGE_ALIGNED_TO(alignment) __attribute__((aligned(alignment)))
#elif defined(__cplusplus) && (__cplusplus >= 201103L)
#define VERA_STORAGE_ALIGNED_TO(alignment) alignas(alignment)
#elif defined(__STDC_VERSION__) && (__STDC_VERSION__ >= 201112L)
#define VERA_STORAGE_ALIGNED_TO(alignment) _Alignas(alignment)
#else
#define VERA_STORAGE_ALIGNED_TO(alignment)
#endif
#define VERA_STORAGE_ALIGNED VERA_STORAGE_ALIGNED_TO(VERA_ALIGNMENT)

/* Storage aligned for any fundamental type (C99 has no max_align_t): the static storage that
 * VERA_POOL_DEFINE and MIRA_MEM_SET_BUFFER define is a union of this and a VERA_STORAGE_ALIGNED
 * byte array (src/vera_internal.h checks the result at compile time). */
union vera_max_align {
    long double long_double_member;
    long long long_long_member;
    double double_member;
    void *pointer_member;
    void (*function_pointer_member)(void);
};

#endif /* VERALLOC_CONFIG_H */
