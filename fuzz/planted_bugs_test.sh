#!/usr/bin/env bash
# planted_bugs_test.sh --real REAL_BINARY [VARIANT_BINARY REPRODUCER]... [--real REAL_BINARY ...]...
# Shows that the fuzz harnesses can fail: each reproducer (found by libFuzzer, docs/fuzzing.md)
# must make the harness built against a copy of the source with a planted bug report a finding,
# and must pass the same harness built against the real source (the REAL_BINARY named by the
# last --real before it: one per harness).
set -uo pipefail
real=""
status=0
checked=0
while [ "$#" -ge 2 ]; do
    if [ "$1" = "--real" ]; then
        real=$2
        shift 2
        continue
    fi
    [ -n "$real" ] || { echo "FAIL: a reproducer before any --real"; exit 1; }
    variant=$1
    reproducer=$2
    shift 2
    checked=$((checked + 1))
    output=$("$variant" "$reproducer" 2>&1)
    exit_code=$?
    if [ "$exit_code" -ne 0 ] && grep -qE 'CHECK failed|runtime error|ERROR: AddressSanitizer' <<<"$output"; then
        echo "PASS: $(basename "$variant") reports $(basename "$reproducer"):"
        grep -m1 -E 'CHECK failed|runtime error|ERROR: AddressSanitizer' <<<"$output" | sed 's/^/    /'
    else
        echo "FAIL: $(basename "$variant") did not report $(basename "$reproducer") (exit $exit_code):"
        echo "$output" | tail -5
        status=1
    fi
    if ! output=$("$real" "$reproducer" 2>&1); then
        echo "FAIL: the real code fails on $(basename "$reproducer"):"
        echo "$output" | tail -5
        status=1
    fi
done
[ "$#" -eq 0 ] || { echo "FAIL: stray argument $1"; exit 1; }
[ "$checked" -gt 0 ] || { echo "FAIL: no planted bug given"; exit 1; }
exit "$status"
