#!/usr/bin/env bash
# constant_time_test.sh CHECKER DIST_SOURCE LIBRARY_FILES...
# The library's functions have no loop and no recursion: checked on src/*.c together and on the
# amalgamation dist/veralloc.c; then the check is shown to fail on a planted loop, a planted
# recursion, an extra loop in a function allowed one, and an allowance that names no function.
#
# The only loops allowed, each documented in its header (docs/requirements.md, REQ-POOL-030,
# REQ-HEAP-024):
#   vera_pool_init_aligned  1 loop: writes the starting free list, one step per block
#                           (vera_pool_init calls it: no loop of its own)
#   vera_pool_alloc_zeroed  1 loop: clears the block, one step per byte of the block size
#   vera_heap_init          2 loops: clears the granule map (one step per granule), empties the
#                           30 bins
#   vera_heap_check         1 loop: the 30 bins (a constant bound)
#   heap_copy               1 loop: realloc's copy of a moved block, one step per byte of the old
#                           block ("constant time apart from the copy"); no other heap function
#                           calls it
# vera_pool_alloc, vera_pool_free, vera_pool_owns, vera_heap_alloc, vera_heap_alloc_aligned,
# vera_heap_realloc (apart from heap_copy), vera_heap_free, vera_heap_usable_size and the queries
# must have none.
set -uo pipefail
bounded=(--bounded-loops vera_pool_init_aligned=1,vera_pool_alloc_zeroed=1,vera_heap_init=2,vera_heap_check=1,heap_copy=1)
checker=$1
dist=$2
shift 2
sources=()
for file in "$@"; do
    case "$file" in src/*.c) sources+=("$file") ;; esac
done
[ "${#sources[@]}" -gt 0 ] || { echo "FAIL: no src/*.c given"; exit 1; }

status=0
python3 "$checker" "${bounded[@]}" "${sources[@]}" || status=1
python3 "$checker" "${bounded[@]}" "$dist" || status=1

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/constant-time.XXXXXX")
cat >"$work/planted_loop.c" <<'C'
#include <stddef.h>
size_t planted_sum(const unsigned char *bytes, size_t count)
{
    size_t sum = 0u;
    size_t index;
    for (index = 0u; index < count; index++) {
        sum += bytes[index];
    }
    return sum;
}
C
cat >"$work/planted_recursion.c" <<'C'
unsigned planted_odd(unsigned n);
unsigned planted_even(unsigned n) { return n == 0u ? 1u : planted_odd(n - 1u); }
unsigned planted_odd(unsigned n) { return n == 0u ? 0u : planted_even(n - 1u); }
C
# A function allowed one loop that has two; an allowance naming a function that is not there.
cat >"$work/planted_second_loop.c" <<'C'
#include <stddef.h>
void vera_pool_init_aligned(unsigned char *bytes, size_t count);
void vera_pool_alloc_zeroed(unsigned char *bytes, size_t count);
void vera_pool_init_aligned(unsigned char *bytes, size_t count)
{
    size_t index;
    for (index = 0u; index < count; index++) {
        bytes[index] = 0u;
    }
    for (index = 0u; index < count; index++) {
        bytes[index] = 1u;
    }
}
void vera_pool_alloc_zeroed(unsigned char *bytes, size_t count)
{
    size_t index;
    for (index = 0u; index < count; index++) {
        bytes[index] = 0u;
    }
}
C
cat >"$work/planted_stale_allowance.c" <<'C'
#include <stddef.h>
void vera_pool_init_aligned(unsigned char *bytes, size_t count);
void vera_pool_init_aligned(unsigned char *bytes, size_t count)
{
    size_t index;
    for (index = 0u; index < count; index++) {
        bytes[index] = 0u;
    }
}
C
# Each planted file must be rejected for its own reason (with the allowances in force, which
# excuse nothing else).
for case in "planted_loop|planted_sum has 1 loop(s)" \
    "planted_recursion|recursion: " \
    "planted_second_loop|vera_pool_init_aligned has 2 loop(s); --bounded-loops allows it exactly 1" \
    "planted_stale_allowance|names vera_pool_alloc_zeroed, which is not defined"; do
    planted=${case%%|*}
    expected=${case#*|}
    if output=$(python3 "$checker" "${bounded[@]}" "$work/$planted.c" 2>&1); then
        echo "FAIL: the check accepts $planted.c:"
        echo "$output"
        status=1
    elif ! grep -qF -- "$expected" <<<"$output"; then
        echo "FAIL: $planted.c is rejected, but not with '$expected':"
        echo "$output"
        status=1
    else
        echo "PASS: $planted.c is rejected: $(grep -m1 -F -- "$expected" <<<"$output")"
    fi
done
exit "$status"
