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

#endif /* VERALLOC_CONFIG_H */
