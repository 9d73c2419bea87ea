#!/usr/bin/env bash
# The core library is freestanding C99: it may include only <stddef.h>, <stdint.h>,
# <stdbool.h> and its own headers (include/, and the private src/vera_internal.h). Fails on any
# other #include in src/ or include/.
# The one exception is the ACSL logic in specs/ ("specs/*.h"), which a header may include only
# right under `#ifdef __FRAMAC__`: Frama-C reads it, a compiler never does.
set -euo pipefail
status=0
checked=0
for file in "$@"; do
    checked=$((checked + 1))
    previous=""
    while IFS= read -r line; do
        if [[ "$line" =~ ^[[:space:]]*#[[:space:]]*include ]]; then
            case "$line" in
                *'<stddef.h>'* | *'<stdint.h>'* | *'<stdbool.h>'* | *'"veralloc/'*'.h"'* | *'"mira_mem.h"'* | *'"vera_internal.h"'*) ;;
                *'"specs/'*'.h"'*)
                    if ! [[ "$previous" =~ ^[[:space:]]*#[[:space:]]*ifdef[[:space:]]+__FRAMAC__[[:space:]]*$ ]]; then
                        echo "FAIL: $file: $line (specs/ only right under #ifdef __FRAMAC__)"
                        status=1
                    fi
                    ;;
                *)
                    echo "FAIL: $file: $line"
                    status=1
                    ;;
            esac
        fi
        [[ "$line" =~ ^[[:space:]]*$ ]] || previous=$line
    done <"$file"
done
[ "$checked" -gt 0 ] || { echo "no files given"; exit 1; }
[ "$status" -eq 0 ] && echo "PASS: $checked files include only freestanding headers"
exit "$status"
