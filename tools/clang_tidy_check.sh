#!/usr/bin/env bash
# clang-tidy gate for veralloc's library code, with the committed .clang-tidy: every given
# source, and every given header on its own (one generated translation unit each), for the host
# and for Cortex-M (clang --target=arm-none-eabi), as C99. Fails on any warning, on a NOLINT
# comment in the library (clean means clean), and on a canary file not being reported: the
# canary holds one known defect per required family (bugprone, cert, clang-analyzer), so a
# configuration that silently enables nothing cannot pass.
#
# Usage (from the repository root; `bazel test //tests/compliance:clang_tidy_test` runs it):
#   tools/clang_tidy_check.sh .clang-tidy tests/compliance/clang_tidy_canary.c FILES...
set -euo pipefail

config=$1
canary=$2
shift 2
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/clang-tidy.XXXXXX")
tidy=${CLANG_TIDY:-clang-tidy}

targets=(
    "host:"
    "cortex-m4:--target=arm-none-eabi -mcpu=cortex-m4 -mthumb -ffreestanding"
)

status=0
units=()
for file in "$@"; do
    case "$file" in
        *.c) units+=("$file") ;;
        src/*.h) ;; # private headers (src/vera_internal.h): checked through the sources that include them
        *.h)
            include=${file#include/}
            unit="$work/$(echo "$include" | tr '/' '_' | sed 's/\.h$/_h.c/')"
            printf '#include "%s"\n' "$include" >"$unit"
            units+=("$unit")
            ;;
        *) echo "FAIL: not a .c or .h file: $file"; exit 1 ;;
    esac
    if grep -n 'NOLINT' "$file"; then
        echo "FAIL: $file: NOLINT comment; fix the finding instead (see $config)"
        status=1
    fi
done
[ "${#units[@]}" -gt 0 ] || { echo "FAIL: no files given"; exit 1; }

# The canary first: each required family must report its defect.
canary_log="$work/canary.log"
"$tidy" --quiet --config-file="$config" "$canary" -- -std=c99 >"$canary_log" 2>&1 || true
for family in bugprone cert clang-analyzer; do
    if ! grep -q "\[$family-" "$canary_log"; then
        cat "$canary_log"
        echo "FAIL: the canary $canary reported nothing from $family-*: the configuration is not working"
        exit 1
    fi
done
echo "canary: bugprone, cert and clang-analyzer findings reported in $canary"

checked=0
for target in "${targets[@]}"; do
    name=${target%%:*}
    read -r -a flags <<<"${target#*:}"
    for unit in "${units[@]}"; do
        log="$work/$name-$(basename "$unit").log"
        if ! "$tidy" --quiet --config-file="$config" "$unit" -- -std=c99 -I. -Iinclude "${flags[@]}" \
            >"$log" 2>&1 || grep -qE 'warning:|error:' "$log"; then
            echo "FAIL: $unit ($name):"
            cat "$log"
            status=1
        fi
        checked=$((checked + 1))
    done
done
[ "$status" -eq 0 ] && echo "PASS: $checked clang-tidy runs (${#units[@]} units x ${#targets[@]} targets), no finding"
exit "$status"
