#!/usr/bin/env bash
# `bazel run //bench`'s entry point, started as `bazel run` starts it (the bench binary, from its
# runfiles, with the arguments bench/BUILD gives it and BUILD_WORKSPACE_DIRECTORY set), in its
# quick mode: fails if the binary cannot find its files or any stage of the run fails.
#
#   bench_smoke_test.sh MANIFEST EXPECTATION
#   EXPECTATION: "peers"    every peer of bench/peers.bzl ran (the manifest says none is missing)
#                "no-peers" the run went on without any peer and named each one as missing
#                "any"      no expectation about the peers
set -euo pipefail

manifest="$1"
expectation="$2"
bench="bench/bench"
scratch="${TEST_TMPDIR:-$(mktemp -d)}"
workspace="$scratch/workspace"  # stands in for the checkout: the smoke run must not write into it
mkdir -p "$workspace"

output="$scratch/stdout.txt"
progress="$scratch/stderr.txt"
if ! BUILD_WORKSPACE_DIRECTORY="$workspace" "$bench" --manifest "$manifest" --smoke \
        --out "$scratch/results" >"$output" 2>"$progress"; then
    echo "FAILED: $bench --smoke exited non-zero"; cat "$progress"; exit 1
fi

fail() { echo "FAILED: $*"; echo "--- stderr"; cat "$progress"; echo "--- stdout"; head -50 "$output"; exit 1; }

for file in latest.json latest.md latest.svg; do
    [ -s "$scratch/results/$file" ] || fail "the smoke run wrote no $file"
done
[ -z "$(ls -A "$workspace")" ] || fail "the smoke run wrote into the workspace: $(ls -A "$workspace")"
grep -q '^bench: \[[0-9]*:[0-9][0-9]\] board 1/1: ' "$progress" || fail "no progress line for the board"
grep -q '^bench: \[[0-9]*:[0-9][0-9]\] done in ' "$progress" || fail "no final progress line"
for section in "## Latency" "## Static worst-case bound" "## Real programs' allocation traces" \
               "## The smallest RAM" "## Code size" "## Peers in this run"; do
    grep -qF "$section" "$output" || fail "no '$section' section"
done

case "$expectation" in
    peers)
        ! grep -q "missing, left out" "$progress" || fail "a peer is missing from a build that has them all"
        for peer in o1heap TLSF umm_malloc; do
            grep -q "| Cortex-M3 (mps2-an385) | $peer | 200 |" "$output" || fail "no W1 row for $peer"
        done
        ;;
    no-peers)
        for peer in o1heap tlsf umm_malloc; do
            grep -q "^bench: \[[0-9:]*\] peer $peer missing, left out of this run: " "$progress" \
                || fail "the run does not say that $peer is missing"
            grep -q "^- $peer: not found in " "$output" || fail "the tables do not say that $peer is missing"
        done
        ! grep -qE "\| (o1heap|TLSF|umm_malloc) \|" "$output" || fail "a row for a missing peer"
        grep -q "| Cortex-M3 (mps2-an385) | newlib | 200 |" "$output" || fail "no newlib row without peers"
        ;;
    any) ;;
    *) echo "unknown expectation $expectation"; exit 2 ;;
esac
echo "PASSED: bench --smoke ($expectation)"
