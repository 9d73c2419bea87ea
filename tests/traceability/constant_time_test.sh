#!/usr/bin/env bash
# constant_time_test.sh CHECKER DIST_SOURCE LIBRARY_FILES...
# The library's functions have no loop and no recursion: checked on src/*.c together and on the
# amalgamation dist/veralloc.c; then the check is shown to fail on a planted loop and a planted
# recursion.
set -uo pipefail
checker=$1
dist=$2
shift 2
sources=()
for file in "$@"; do
    case "$file" in src/*.c) sources+=("$file") ;; esac
done
[ "${#sources[@]}" -gt 0 ] || { echo "FAIL: no src/*.c given"; exit 1; }

status=0
python3 "$checker" "${sources[@]}" || status=1
python3 "$checker" "$dist" || status=1

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
for planted in planted_loop planted_recursion; do
    if output=$(python3 "$checker" "$work/$planted.c" 2>&1); then
        echo "FAIL: the check accepts $planted.c:"
        echo "$output"
        status=1
    else
        echo "PASS: $planted.c is rejected: $(grep -m1 FAIL <<<"$output")"
    fi
done
exit "$status"
