#!/usr/bin/env bash
# Compiles every library source for Cortex-M3 the way firmware teams will, warnings as errors,
# and checks that the objects need nothing from libc: every undefined symbol must be another
# veralloc function (vera_* or mira_*), or on Cortex-M0+ libgcc's unsigned division helper. With
# -ffreestanding GCC may still emit calls to memset/memcpy for struct copies; this test is what
# would catch one.
set -euo pipefail

cc=${ARM_CC:-arm-none-eabi-gcc}
nm=${ARM_NM:-arm-none-eabi-nm}
out="${TEST_TMPDIR:-$(mktemp -d)}/freestanding"
mkdir -p "$out"

sources=()
for file in "$@"; do
    case "$file" in
        *.c) sources+=("$file") ;;
    esac
done
[ "${#sources[@]}" -gt 0 ] || { echo "no sources given"; exit 1; }

status=0
for cpu in cortex-m0plus cortex-m3 cortex-m4; do
    for opt in -Os -O2; do
        for src in "${sources[@]}"; do
            obj="$out/$cpu$opt-$(basename "$src" .c).o"
            "$cc" -std=c99 -mcpu="$cpu" -mthumb "$opt" -ffreestanding -Wall -Wextra -Wpedantic -Werror \
                -Iinclude -c "$src" -o "$obj"
            allowed='^(vera_|mira_)'
            if [ "$cpu" = cortex-m0plus ]; then
                # No divide instruction on ARMv6-M: GCC calls libgcc's AEABI division helpers,
                # which every arm-none-eabi link provides (vera_pool_init divides to check the
                # buffer size, vera_pool_free to find a block index). The strict build
                # (tests/compliance/strict_build_test.sh) allows the same two names on dist/.
                allowed='^(vera_|mira_|__aeabi_uidiv$|__aeabi_uidivmod$)'
            fi
            undefined=$("$nm" -u "$obj" | awk '{print $NF}' | grep -Ev "$allowed" || true)
            if [ -n "$undefined" ]; then
                echo "FAIL: $src ($cpu $opt) needs symbols from outside veralloc: $undefined"
                status=1
            fi
        done
    done
done
[ "$status" -eq 0 ] && echo "PASS: ${#sources[@]} sources x 3 cores x 2 levels build freestanding, warning-free"
exit "$status"
