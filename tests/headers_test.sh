#!/usr/bin/env bash
# The core library is freestanding C99: it may include only <stddef.h>, <stdint.h>,
# <stdbool.h> and its own headers. Fails on any other #include in src/ or include/.
# "specs/*.h" (ACSL for Frama-C) is allowed only inside `#ifdef __FRAMAC__`, which no compiler
# defines.
set -euo pipefail
status=0
checked=0
for file in "$@"; do
    checked=$((checked + 1))
    while IFS= read -r line; do
        case "$line" in
            *'<stddef.h>'* | *'<stdint.h>'* | *'<stdbool.h>'* | *'"veralloc/'*'.h"'* | *'"mira_mem.h"'*) ;;
            *)
                echo "FAIL: $file: $line"
                status=1
                ;;
        esac
    done < <(awk '/^[[:space:]]*#[[:space:]]*ifdef[[:space:]]+__FRAMAC__/ { framac = 1 }
               framac && /^[[:space:]]*#[[:space:]]*include[[:space:]]+"specs\/[a-z_]+\.h"/ { next }
               /^[[:space:]]*#[[:space:]]*endif/ { framac = 0 }
               /^[[:space:]]*#[[:space:]]*include/ { print }' "$file")
done
[ "$checked" -gt 0 ] || { echo "no files given"; exit 1; }
[ "$status" -eq 0 ] && echo "PASS: $checked files include only freestanding headers"
exit "$status"
