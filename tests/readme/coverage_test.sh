#!/usr/bin/env bash
# The README's `tools/coverage.sh --check`, in a scratch copy of the tree: it passes on the
# sources as they are, and fails once a source has a line that no test or corpus reaches.
set -euo pipefail
tree=$TEST_SRCDIR/veralloc
fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$TEST_TMPDIR/scratch
mkdir -p "$scratch/tools" "$scratch/tests"
cp -RL "$tree/src" "$tree/include" "$tree/fuzz" "$scratch/"
cp -L "$tree/tools/coverage.sh" "$scratch/tools/"
cp -L "$tree"/tests/*_test.c "$tree"/tests/*.h "$scratch/tests/"
chmod -R u+w "$scratch"

echo "== tools/coverage.sh --check"
"$scratch/tools/coverage.sh" --check "$TEST_TMPDIR/out" >"$TEST_TMPDIR/coverage.log" 2>&1 ||
    { cat "$TEST_TMPDIR/coverage.log"; fail "tools/coverage.sh --check failed on the real sources"; }
tail -n 20 "$TEST_TMPDIR/coverage.log"

echo "== the same with an unreached function added to src/arena.c: must fail"
cat >>"$scratch/src/arena.c" <<'C'
int vera_coverage_test_unreached(int value);
int vera_coverage_test_unreached(int value) { return (value > 0) ? 1 : 2; }
C
if "$scratch/tools/coverage.sh" --check "$TEST_TMPDIR/out2" >"$TEST_TMPDIR/coverage2.log" 2>&1; then
    cat "$TEST_TMPDIR/coverage2.log"
    fail "tools/coverage.sh --check passed with an unreached function"
fi
echo "PASS: tools/coverage.sh --check passes on the sources and fails on an unreached line"
