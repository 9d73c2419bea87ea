#!/usr/bin/env bash
# `bazel run //bench`'s entry point, started exactly as `bazel run` starts it
# (tests/readme/bazel_run_like.sh: the binary from a bazel-bin-like folder with its runfiles
# beside it, the rule's arguments, BUILD_WORKSPACE_DIRECTORY set, no test variables), in its
# quick mode: fails if the binary cannot find its files or any stage of the run fails.
#
#   bench_smoke_test.sh LAUNCHER RUN_ARGS_FILE EXPECTATION [README DOCS]
#   RUN_ARGS_FILE: a bazel_run_args output (tools/bazel_run.bzl) for //bench:bench
#   EXPECTATION: "peers"    every peer of bench/peers.bzl ran (the manifest says none is missing)
#                "no-peers" the run went on without any peer and named each one as missing
#                "any"      no expectation about the peers
#   README DOCS: copies of README.md and docs/benchmarks.md; when given, the test also runs
#                `bazel run //bench -- --smoke --update-docs` against a scratch workspace
#                holding them and checks that both generated sections were rewritten.
set -euo pipefail

launcher="$1"
run_args="$2"
expectation="$3"
scratch="${TEST_TMPDIR:?run me inside a bazel test}"
workspace="$scratch/workspace"  # stands in for the checkout: the smoke run must not write into it
mkdir -p "$workspace"

output="$scratch/stdout.txt"
progress="$scratch/stderr.txt"
fail() { echo "FAILED: $*"; echo "--- stderr"; cat "$progress"; echo "--- stdout"; head -50 "$output"; exit 1; }

echo "== bazel run //bench -- --smoke --out DIR"
"$launcher" "$workspace" "$run_args" --smoke --out "$scratch/results" >"$output" 2>"$progress" \
    || fail "bazel run //bench -- --smoke exited non-zero"
for file in latest.json latest.md latest.svg; do
    [ -s "$scratch/results/$file" ] || fail "the smoke run wrote no $file"
done
[ -z "$(ls -A "$workspace")" ] || fail "the smoke run wrote into the workspace: $(ls -A "$workspace")"
grep -q '^bench: \[[0-9]*:[0-9][0-9]\] board 1/1: ' "$progress" || fail "no progress line for the board"
grep -q '^bench: \[[0-9]*:[0-9][0-9]\] done in ' "$progress" || fail "no final progress line"
for section in "## Latency" "## What the lock costs per call" "## Static worst-case bound" \
               "## Real programs' allocation traces" \
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

if [ $# -ge 5 ]; then
    echo "== bazel run //bench -- --smoke --update-docs"
    mkdir -p "$workspace/docs"
    cp -L "$4" "$workspace/README.md"
    cp -L "$5" "$workspace/docs/benchmarks.md"
    chmod u+w "$workspace/README.md" "$workspace/docs/benchmarks.md"
    "$launcher" "$workspace" "$run_args" --smoke --update-docs --out "$scratch/results-docs" \
        >"$output" 2>"$progress" || fail "bazel run //bench -- --smoke --update-docs exited non-zero"
    grep -q "^Command: \`bazel run //bench -- --smoke\`" "$workspace/docs/benchmarks.md" \
        || fail "docs/benchmarks.md's generated section was not rewritten by this run"
    grep -q "^## Static worst-case bound" "$workspace/docs/benchmarks.md" || fail "docs/benchmarks.md lacks the tables"
    sed -n '/<!-- bench:summary:begin -->/,/<!-- bench:summary:end -->/p' "$workspace/README.md" \
        | grep -q "^| vera_pool | " || fail "the README's benchmark table was not rewritten"
    [ "$(grep -c 'bench:generated:begin' "$workspace/docs/benchmarks.md")" = 1 ] || fail "markers duplicated"
    cmp -s <(sed '/<!-- bench:summary:begin -->/,/<!-- bench:summary:end -->/d' "$4") \
        <(sed '/<!-- bench:summary:begin -->/,/<!-- bench:summary:end -->/d' "$workspace/README.md") \
        || fail "--update-docs changed the README outside its generated table"
fi
echo "PASSED: bazel run //bench -- --smoke ($expectation)"
