#!/usr/bin/env bash
# The README's first command, tools/main.sh, in its --smoke form (the same steps, quick), with a
# stand-in for bazel (fake_bazel/bazel) that starts //proofs:summary and //bench exactly as
# `bazel run` does. It must print the verification summary and the benchmark table, write both to
# main_job.md, and exit 0; when the proofs fail it must still run the benchmark and exit non-zero;
# when the benchmark fails it must exit non-zero.
set -euo pipefail
tree=$TEST_SRCDIR/veralloc
fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$TEST_TMPDIR/scratch
mkdir -p "$scratch/tools"
cp -L "$tree/tools/main.sh" "$tree/tools/setup.sh" "$scratch/tools/"
# A user's shell has a HOME (tools/setup.sh keeps Why3's configuration there); a test's has none.
export HOME=$TEST_TMPDIR/home
mkdir -p "$HOME"
export PATH=$tree/tests/readme/fake_bazel:$PATH FAKE_BAZEL_LOG=$TEST_TMPDIR/bazel.log

run_main() { # LOG [FAKE_BAZEL_FAIL]: exit status of tools/main.sh --smoke
    local status=0
    (cd / && FAKE_BAZEL_FAIL=${2:-} "$scratch/tools/main.sh" --smoke) >"$1" 2>&1 || status=$?
    return "$status"
}
written_file() { sed -n 's/^main job: written to \(.*\); proofs.*/\1/p' "$1"; }

echo "== tools/main.sh --smoke, started from another directory"
run_main "$TEST_TMPDIR/main.log" || { cat "$TEST_TMPDIR/main.log"; fail "the main job failed"; }
cat "$TEST_TMPDIR/main.log"
report=$(written_file "$TEST_TMPDIR/main.log")
[ -f "$report" ] || fail "no main_job.md written"
for expected in '^proving arena' 'ALL PROVED' '^\| arena \| proved \|' 'axioms: ' \
    'Proofs: passed' 'benchmark: passed' '^## Benchmark'; do
    grep -qE "$expected" "$TEST_TMPDIR/main.log" || fail "the output lacks /$expected/"
    [ "$expected" = '^proving arena' ] || grep -qE "$expected" "$report" || fail "main_job.md lacks /$expected/"
done
grep -q 'the benchmark step failed' "$report" && fail "no benchmark table in main_job.md"
grep -q '^bazel run //proofs:summary' "$FAKE_BAZEL_LOG" || fail "main.sh did not run //proofs:summary"
grep -q '^bazel run //bench' "$FAKE_BAZEL_LOG" || fail "main.sh did not run //bench"

echo "== the proofs fail: the benchmark still runs, the exit status is non-zero"
: >"$FAKE_BAZEL_LOG"
run_main "$TEST_TMPDIR/proofs-fail.log" //proofs:summary &&
    { cat "$TEST_TMPDIR/proofs-fail.log"; fail "main.sh exited 0 although the proofs failed"; }
grep -q '^bazel run //bench' "$FAKE_BAZEL_LOG" || fail "the benchmark did not run after failed proofs"
grep -q 'Proofs: FAILED' "$TEST_TMPDIR/proofs-fail.log" || fail "the failure is not reported"

echo "== the benchmark fails: the exit status is non-zero"
run_main "$TEST_TMPDIR/bench-fail.log" //bench:bench &&
    { cat "$TEST_TMPDIR/bench-fail.log"; fail "main.sh exited 0 although the benchmark failed"; }
grep -q 'benchmark: FAILED' "$TEST_TMPDIR/bench-fail.log" || fail "the failure is not reported"
echo "PASS: tools/main.sh prints and writes the summary and fails when a step fails"
