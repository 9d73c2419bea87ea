#!/usr/bin/env bash
# planted_bugs_test.sh REAL_BINARY [VARIANT_BINARY REPRODUCER]...
# Shows that the fuzz harness can fail: each reproducer (found by libFuzzer, docs/fuzzing.md) must
# make the harness built against a copy of the source with a planted bug report a finding, and
# must pass the same harness built against the real source.
set -uo pipefail
real=$1
shift
status=0
checked=0
while [ "$#" -ge 2 ]; do
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
[ "$checked" -gt 0 ] || { echo "FAIL: no planted bug given"; exit 1; }
exit "$status"
