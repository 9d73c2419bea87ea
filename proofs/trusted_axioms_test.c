/*
 * Run-time checks of the trusted axioms of specs/vera_common.h (docs/proofs.md, trusted base).
 *
 * WP takes these three facts without proof. They are properties of the machine (axiom 1) and of
 * integer arithmetic (axioms 2 and 3) that the SMT solvers cannot derive; this test checks
 * them on the machine the tests run on, exhaustively where the range is small and at every
 * power of two otherwise. Axiom 1 is checked on a real buffer, for every offset and every
 * power-of-two alignment up to the buffer's size.
 */
#include <stdint.h>
#include <stdio.h>

#include "veralloc/config.h"

static int failures;

#define CHECK(condition)                                                                           \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            failures++;                                                                            \
            if (failures < 20) {                                                                   \
                printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #condition);                        \
            }                                                                                      \
        }                                                                                          \
    } while (0)

#define BUFFER_SIZE 8192u

static char buffer[BUFFER_SIZE];

/* The bit test of vera_is_power_of_two (specs/vera_common.h) and of the arena's code. */
static int is_power_of_two(uintmax_t value)
{
    return value > 0u && (value & (value - 1u)) == 0u;
}

/* Axiom 1, vera_address_arithmetic: for every power-of-two alignment up to UINTPTR_MAX,
 * p + k is aligned exactly when (uintptr_t)p + k is. Checked from several starting points
 * inside a real buffer (so p itself takes every alignment), for every offset inside it. */
static void check_address_arithmetic(void)
{
    size_t start;
    size_t offset;
    uintptr_t alignment;
    unsigned checked = 0u;

    for (start = 0u; start < 64u; start++) {
        char *p = buffer + start;
        for (offset = 0u; start + offset <= BUFFER_SIZE; offset += 1u + offset / 64u) {
            uintptr_t address = (uintptr_t)(p + offset);
            CHECK(address == (uintptr_t)p + offset); /* the stronger fact it abstracts */
            for (alignment = 1u; alignment != 0u; alignment <<= 1) {
                CHECK((address % alignment == 0u) == (((uintptr_t)p + offset) % alignment == 0u));
                checked++;
            }
        }
    }
    printf("axiom vera_address_arithmetic: %u (pointer, offset, alignment) triples checked\n",
           checked);
}

/* Axiom 2, vera_mask_is_remainder: for a power-of-two alignment, value & (alignment - 1) is in
 * [0, alignment) and value minus it is a multiple of alignment. Every value below 2^16 against
 * every power of two up to 2^16, then values around every power of two against every power of
 * two that fits in a uintmax_t. */
static void check_mask_is_remainder(void)
{
    uintmax_t alignment;
    uintmax_t value;
    unsigned checked = 0u;

    for (alignment = 1u; alignment <= 65536u; alignment <<= 1) {
        for (value = 0u; value < 65536u; value++) {
            uintmax_t mask = value & (alignment - 1u);
            CHECK(mask < alignment);
            CHECK((value - mask) % alignment == 0u);
            CHECK(mask == value % alignment);
            checked++;
        }
    }
    for (alignment = 1u; alignment != 0u; alignment <<= 1) {
        uintmax_t around;
        for (around = 1u; around != 0u; around <<= 1) {
            uintmax_t candidates[4];
            unsigned i;
            candidates[0] = around;
            candidates[1] = around - 1u;
            candidates[2] = around + 1u;
            candidates[3] = ~around; /* values near UINTMAX_MAX */
            for (i = 0u; i < 4u; i++) {
                uintmax_t mask = candidates[i] & (alignment - 1u);
                CHECK(mask < alignment);
                CHECK((candidates[i] - mask) % alignment == 0u);
                checked++;
            }
        }
    }
    printf("axiom vera_mask_is_remainder: %u (value, alignment) pairs checked\n", checked);
}

/* Axiom 3, vera_large_power_of_two_is_aligned: every power of two of at least VERA_ALIGNMENT is
 * a multiple of VERA_ALIGNMENT; and the bit test accepts exactly the powers of two (checked on
 * every value below 2^20 and around every power of two). */
static void check_powers_of_two(void)
{
    uintmax_t value;
    uintmax_t power;
    unsigned checked = 0u;

    for (power = 1u; power != 0u; power <<= 1) {
        CHECK(is_power_of_two(power));
        CHECK(power < 4u || !is_power_of_two(power - 1u));
        CHECK(power < 2u || !is_power_of_two(power + 1u));
        if (power >= VERA_ALIGNMENT) {
            CHECK(power % VERA_ALIGNMENT == 0u);
        }
        checked++;
    }
    for (value = 0u; value < (1u << 20); value++) {
        uintmax_t p = 1u;
        int really = 0;
        while (p != 0u && p <= value) {
            if (p == value) {
                really = 1;
            }
            p <<= 1;
        }
        CHECK(is_power_of_two(value) == really);
        checked++;
    }
    CHECK(is_power_of_two(VERA_ALIGNMENT));
    printf("axiom vera_large_power_of_two_is_aligned (and the bit test): %u values checked\n",
           checked);
}

int main(void)
{
    check_address_arithmetic();
    check_mask_is_remainder();
    check_powers_of_two();
    if (failures != 0) {
        printf("%d checks FAILED\n", failures);
        return 1;
    }
    printf("PASS: the trusted axioms hold on this machine\n");
    return 0;
}
