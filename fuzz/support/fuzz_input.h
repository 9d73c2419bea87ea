/*
 * Decodes a fuzzer's byte string into typed values for an operation sequence.
 *
 * Every function is total: once the bytes run out it returns zero (the "exhausted" value), so
 * every byte string is a valid program and libFuzzer's mutations (truncating, inserting,
 * splicing) keep producing meaningful ones. Multi-byte values are little-endian.
 *
 * Sizes and alignments are drawn from classes rather than uniformly, because the interesting
 * values of an allocator are few and far apart: 0, just below and above a multiple of the
 * alignment, exactly what is still free, and values near SIZE_MAX where arithmetic can wrap.
 */
#ifndef VERALLOC_FUZZ_INPUT_H
#define VERALLOC_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct vera_fuzz_input {
    const uint8_t *bytes;
    size_t size;
    size_t position;
} vera_fuzz_input_t;

void vera_fuzz_input_init(vera_fuzz_input_t *input, const uint8_t *bytes, size_t size);

/* True once every byte has been taken. */
bool vera_fuzz_input_exhausted(const vera_fuzz_input_t *input);

uint8_t vera_fuzz_take_byte(vera_fuzz_input_t *input);
uint16_t vera_fuzz_take_u16(vera_fuzz_input_t *input);
uint64_t vera_fuzz_take_u64(vera_fuzz_input_t *input);

/* One of `count` choices, 0 .. count - 1 (count 1..256), from one byte. */
unsigned vera_fuzz_take_choice(vera_fuzz_input_t *input, unsigned count);

/*
 * A size argument. A selector byte picks the class, the following bytes the value:
 *   0: tiny, 0..63 (around the multiples of the alignment)
 *   1: small, 0..255
 *   2: medium, 0..65535
 *   3: near `pivot` (typically the bytes still free): pivot - 128 .. pivot + 127, clamped
 *   4: near SIZE_MAX: SIZE_MAX - 255 .. SIZE_MAX
 *   5: any size_t (eight bytes, truncated to size_t)
 */
size_t vera_fuzz_take_size(vera_fuzz_input_t *input, size_t pivot);

/*
 * An alignment argument, valid or not. A selector byte picks the class:
 *   0: a power of two up to 4096 (the useful ones)
 *   1: any power of two that fits in size_t (up to 2^63 on 64-bit hosts)
 *   2: any value 0..255 (0 and most of these are not powers of two)
 *   3: any size_t
 */
size_t vera_fuzz_take_alignment(vera_fuzz_input_t *input);

#endif /* VERALLOC_FUZZ_INPUT_H */
