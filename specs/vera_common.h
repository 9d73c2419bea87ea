/*
 * veralloc specs: ACSL logic shared by the contracts of every allocator.
 *
 * Read by Frama-C only (the public headers include it under __FRAMAC__); a compiler never sees
 * it. Holds the vocabulary the contracts use (alignment, rounding, powers of two) and the
 * trusted base of the alignment proofs: three named axioms, each justified below and listed in
 * docs/proofs.md. Nothing here is specific to one allocator, so the pool and later heaps reuse it.
 */
#ifndef VERALLOC_SPECS_VERA_COMMON_H
#define VERALLOC_SPECS_VERA_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "veralloc/config.h"

/*@
  // Proved: two facts about multiples that the provers use as stepping stones when the divisor
  // is a variable (an alignment argument), where they cannot reason about `%` unaided.
  lemma vera_product_is_multiple:
    \forall integer factor, divisor; divisor > 0 ==> (divisor * factor) % divisor == 0;
  lemma vera_next_product_is_multiple:
    \forall integer factor, divisor; divisor > 0 ==> (divisor * (factor + 1)) % divisor == 0;
  lemma vera_multiple_is_product:
    \forall integer value, divisor; divisor > 0 && value % divisor == 0 ==>
      value == (value / divisor) * divisor;

  // `value` rounded up to the next multiple of `alignment` (src/vera_internal.h computes it for
  // size_t). Mathematical integers: no wrap-around.
  logic integer vera_round_up_to(integer value, integer alignment) =
      ((value + (alignment - 1)) / alignment) * alignment;

  // `value` rounded up to the next multiple of VERA_ALIGNMENT (what an allocator consumes for a
  // request of `value` bytes).
  logic integer vera_round_up(integer value) = vera_round_up_to(value, VERA_ALIGNMENT);

  // Proved: rounding up adds less than VERA_ALIGNMENT and lands on a multiple of it.
  lemma vera_round_up_bounds:
    \forall integer value; 0 <= value ==>
         value <= vera_round_up(value) < value + VERA_ALIGNMENT
      && vera_round_up(value) % VERA_ALIGNMENT == 0;

  // A power of two, written as the C test the code uses, so that contract and code agree by
  // construction.
  predicate vera_is_power_of_two(integer value) = value > 0 && (value & (value - 1)) == 0;

  // Proved (by evaluating the bit test; the second lemma only names the first): the default
  // alignment is a power of two, as config.h also checks at compile time.
  lemma vera_alignment_bit_test:
    \forall integer value; value == VERA_ALIGNMENT ==> (value & (value - 1)) == 0;
  lemma vera_alignment_is_power_of_two: vera_is_power_of_two(VERA_ALIGNMENT);

  // An offset from a buffer start that is a multiple of `alignment`.
  predicate vera_offset_aligned(integer offset, integer alignment) = offset % alignment == 0;

  // The address of `p`, as the integer the hardware uses, is a multiple of `alignment`.
  predicate vera_address_aligned(char *p, integer alignment) = (uintptr_t)p % alignment == 0;

  // One increment of a counter that saturates at SIZE_MAX instead of wrapping.
  logic integer vera_saturating_increment(integer count) = count < SIZE_MAX ? count + 1 : count;

  // The larger of two sizes (for "largest request seen").
  logic integer vera_max(integer a, integer b) = a >= b ? a : b;

  // The misalignment of `address` for a power-of-two `alignment`: its low bits, as the code
  // computes it (the remainder by `alignment`, trusted axiom vera_mask_is_remainder).
  logic integer vera_misalignment(char *address, integer alignment) =
      (uintptr_t)address & (alignment - 1);

  // The padding that moves `address` up to the next multiple of `alignment` (0 if it is one):
  // what vera_padding_to_alignment (src/vera_internal.h) computes.
  logic integer vera_alignment_padding(char *address, integer alignment) =
      vera_misalignment(address, alignment) == 0 ? 0 : alignment - vera_misalignment(address, alignment);

  // The address ranges [a, a + a_size) and [b, b + b_size) (integers: the addresses as
  // (uintptr_t) gives them) share a byte. Only addresses: WP cannot link them to objects, so
  // this states what the modules compare (vera_ranges_overlap, src/vera_internal.h), not that
  // the objects overlap (docs/proofs.md).
  predicate vera_address_ranges_overlap(integer a, integer a_size, integer b, integer b_size) =
      a < b + b_size && b < a + a_size;
*/

/*@
  axiomatic VeraTrustedArithmetic {
    // TRUSTED AXIOM 1 (docs/proofs.md): pointer arithmetic is address arithmetic, as far as
    // alignment goes. WP models a pointer as (object, offset) and its integer value
    // ((uintptr_t)p) as an unspecified bijection, so it cannot relate the address of `p + k`
    // to the address of `p`. On the targets (flat address space: Cortex-M, x86-64, AArch64),
    // (uintptr_t)(p + k) == (uintptr_t)p + k inside one object; this axiom states only the
    // consequence the proofs need: `p + k` is aligned exactly when `(uintptr_t)p + k` is, for
    // every power-of-two alignment up to UINTPTR_MAX. It is consistent with WP's memory model:
    // map object b, offset o to B * 2^N + (o mod 2^N) for a bijection (b, o div 2^N) -> B with
    // null -> 0 and 2^N above UINTPTR_MAX. With it, a buffer whose address is checked aligned at
    // run time (vera_arena_init) and an offset proved aligned give an aligned block. Checked at
    // run time by //proofs:trusted_axioms_test on real buffers.
    axiom vera_address_arithmetic:
      \forall char *p, integer k, integer alignment;
        vera_is_power_of_two(alignment) && alignment <= UINTPTR_MAX ==>
          (vera_address_aligned(p + k, alignment) <==> ((uintptr_t)p + k) % alignment == 0);

    // TRUSTED AXIOM 2 (docs/proofs.md): masking with (alignment - 1) keeps the remainder by a
    // power-of-two alignment: the mask is in [0, alignment) and `value` minus the mask is a
    // multiple of `alignment`. Plain two's-complement arithmetic, true of every integer (so
    // consistent), but Z3 and CVC4 cannot prove it on WP's integer model of `&`. The code
    // masks instead of dividing because Cortex-M0 has no division instruction. Checked at run
    // time by //proofs:trusted_axioms_test for every power of two and a range of values.
    axiom vera_mask_is_remainder:
      \forall integer value, integer alignment;
        vera_is_power_of_two(alignment) ==>
             0 <= (value & (alignment - 1)) < alignment
          && (value - (value & (alignment - 1))) % alignment == 0;

    // TRUSTED AXIOM 3 (docs/proofs.md): a power of two at least VERA_ALIGNMENT is a multiple of
    // it. Plain arithmetic, true because VERA_ALIGNMENT is itself a power of two (config.h
    // checks that at compile time), so consistent; the provers cannot derive it from the bit
    // test `(v & (v - 1)) == 0`. Shows that padding up to a larger alignment keeps blocks
    // VERA_ALIGNMENT-aligned. Checked at run time by //proofs:trusted_axioms_test for every
    // power of two that fits in a size_t.
    axiom vera_large_power_of_two_is_aligned:
      \forall integer alignment;
        vera_is_power_of_two(alignment) && VERA_ALIGNMENT <= alignment ==>
          alignment % VERA_ALIGNMENT == 0;
  }
*/

#endif /* VERALLOC_SPECS_VERA_COMMON_H */
