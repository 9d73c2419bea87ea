#!/usr/bin/env bash
# The unit tests, built against the two-file distribution instead of src/ and include/: what a
# firmware team copies is what the tests exercise. Each tests/*_test.c is copied next to dist/
# (and nothing of src/ or include/), its includes of the library are pointed at the two files:
#   #include "veralloc/....h" or "mira_mem.h"  ->  #include "dist/veralloc.h"
#   #include "src/....c"  (harnesses that reset static state)  ->  #include "dist/veralloc.c"
# and it is built and run twice: with gcc at the suite's warning level, and with clang under
# AddressSanitizer and UndefinedBehaviorSanitizer (any report fails).
#
# Usage: dist_unit_test.sh FILES...   (dist/veralloc.{h,c}, tests/*_test.c, tests/*.h)
set -euo pipefail

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/dist-unit.XXXXXX")
mkdir -p "$work/dist" "$work/tests"
tests=()
for file in "$@"; do
    case "$file" in
        dist/veralloc.h | dist/veralloc.c) cp "$file" "$work/dist/" ;;
        tests/*_test.c) cp "$file" "$work/tests/"; tests+=("$(basename "$file")") ;;
        tests/*.h) cp "$file" "$work/tests/" ;;
        *) echo "FAIL: unexpected file $file"; exit 1 ;;
    esac
done
[ -f "$work/dist/veralloc.h" ] && [ -f "$work/dist/veralloc.c" ] || { echo "FAIL: dist files missing"; exit 1; }
[ "${#tests[@]}" -gt 0 ] || { echo "FAIL: no tests given"; exit 1; }

# The configurations: name|compiler and flags.
configurations=(
    "gcc|gcc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"
    "clang-asan-ubsan|clang -std=c99 -O1 -g -Wall -Wextra -Wpedantic -Werror -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    # i386, as host unit tests matching a 32-bit target often run (VERA_ALIGNMENT 8 there).
    "gcc-m32|gcc -m32 -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"
    # The smallest VERA_ALIGNMENT config.h allows, and Cortex-M7's cache line. (Larger ones build,
    # tests/compliance/strict_build_test.sh; the unit tests' 512-byte buffers are sized for these.)
    "gcc-alignment-4|gcc -DVERA_ALIGNMENT=4 -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"
    "gcc-alignment-32|gcc -DVERA_ALIGNMENT=32 -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror"
)

status=0
runs=0
for test in "${tests[@]}"; do
    source="$work/tests/$test"
    sed -i -E \
        -e 's@^([[:space:]]*#[[:space:]]*include[[:space:]]*)"(veralloc/[^"]+\.h|mira_mem\.h)"@\1"dist/veralloc.h"@' \
        -e 's@^([[:space:]]*#[[:space:]]*include[[:space:]]*)"src/[^"]+\.c"@\1"dist/veralloc.c"@' \
        "$source"
    leftover=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$source" | grep -vE '"(dist|tests)/' || true)
    if [ -n "$leftover" ]; then
        echo "FAIL: $test includes something that is neither the distribution nor test support:"
        echo "$leftover"
        status=1
        continue
    fi
    link=("$work/dist/veralloc.c")
    if grep -qE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"dist/veralloc.c"' "$source"; then
        link=() # the harness includes the implementation itself
    fi
    for configuration in "${configurations[@]}"; do
        IFS='|' read -r name compiler <<<"$configuration"
        read -r -a compiler <<<"$compiler"
        binary="$work/${test%.c}-$name"
        if ! "${compiler[@]}" -I"$work" -o "$binary" "$source" "${link[@]}" >"$binary.log" 2>&1; then
            echo "FAIL: $test does not build against dist/ ($name):"
            cat "$binary.log"
            status=1
            continue
        fi
        if ! (cd "$work" && "$binary") >"$binary.run" 2>&1; then
            echo "FAIL: $test against dist/ ($name):"
            cat "$binary.run"
            status=1
            continue
        fi
        runs=$((runs + 1))
    done
done
[ "$status" -eq 0 ] && echo "PASS: ${#tests[@]} unit tests x ${#configurations[@]} builds ($runs runs) against dist/veralloc.{h,c}: ${tests[*]}"
exit "$status"
