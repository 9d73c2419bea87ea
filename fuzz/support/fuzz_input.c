#include "fuzz/support/fuzz_input.h"

void vera_fuzz_input_init(vera_fuzz_input_t *input, const uint8_t *bytes, size_t size)
{
    input->bytes = bytes;
    input->size = bytes == NULL ? 0u : size;
    input->position = 0u;
}

bool vera_fuzz_input_exhausted(const vera_fuzz_input_t *input)
{
    return input->position >= input->size;
}

uint8_t vera_fuzz_take_byte(vera_fuzz_input_t *input)
{
    if (vera_fuzz_input_exhausted(input)) {
        return 0u;
    }
    return input->bytes[input->position++];
}

uint16_t vera_fuzz_take_u16(vera_fuzz_input_t *input)
{
    uint16_t low = vera_fuzz_take_byte(input);
    uint16_t high = vera_fuzz_take_byte(input);
    return (uint16_t)(low | (uint16_t)(high << 8));
}

uint64_t vera_fuzz_take_u64(vera_fuzz_input_t *input)
{
    uint64_t value = 0u;
    unsigned byte_index;
    for (byte_index = 0u; byte_index < 8u; byte_index++) {
        value |= (uint64_t)vera_fuzz_take_byte(input) << (8u * byte_index);
    }
    return value;
}

unsigned vera_fuzz_take_choice(vera_fuzz_input_t *input, unsigned count)
{
    return (unsigned)vera_fuzz_take_byte(input) % count;
}

size_t vera_fuzz_take_size(vera_fuzz_input_t *input, size_t pivot)
{
    switch (vera_fuzz_take_choice(input, 6u)) {
    case 0:
        return (size_t)(vera_fuzz_take_byte(input) % 64u);
    case 1:
        return (size_t)vera_fuzz_take_byte(input);
    case 2:
        return (size_t)vera_fuzz_take_u16(input);
    case 3: {
        int delta = (int)vera_fuzz_take_byte(input) - 128;
        if (delta < 0) {
            size_t below = (size_t)-delta;
            return pivot < below ? 0u : pivot - below;
        }
        return pivot > SIZE_MAX - (size_t)delta ? SIZE_MAX : pivot + (size_t)delta;
    }
    case 4:
        return SIZE_MAX - (size_t)vera_fuzz_take_byte(input);
    default:
        return (size_t)vera_fuzz_take_u64(input);
    }
}

size_t vera_fuzz_take_alignment(vera_fuzz_input_t *input)
{
    unsigned size_t_bits = (unsigned)(sizeof(size_t) * 8u);
    switch (vera_fuzz_take_choice(input, 4u)) {
    case 0:
        return (size_t)1u << (vera_fuzz_take_byte(input) % 13u);
    case 1:
        return (size_t)1u << (vera_fuzz_take_byte(input) % size_t_bits);
    case 2:
        return (size_t)vera_fuzz_take_byte(input);
    default:
        return (size_t)vera_fuzz_take_u64(input);
    }
}
