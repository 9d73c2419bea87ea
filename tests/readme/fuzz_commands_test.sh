#!/usr/bin/env bash
# The fuzzing commands of the README:
#   bazel run --config=fuzz //fuzz:arena_fuzzer -- -max_total_time=60   (fuzz/run_fuzzer.sh)
#   tools/fuzz.sh 600
# run_fuzzer.sh is started as `bazel run` starts it, once with the plain replay build (what
# `bazel run` without --config=fuzz gives) and once with a libFuzzer build of the target.
# tools/fuzz.sh runs in a scratch copy of the tree with a stand-in for bazel (fake_bazel/bazel)
# that hands it a libFuzzer build of the arena target made here with clang, as --config=fuzz
# makes it; with a build that has a planted bug it must report the finding and exit 1.
set -euo pipefail
tree=$TEST_SRCDIR/veralloc
launch=$tree/tests/readme/bazel_run_like.sh
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$TEST_TMPDIR

echo "== bazel run //fuzz:arena_fuzzer -- -max_total_time=5 (replay build)"
mkdir -p "$work/started-here"
BAZEL_RUN_WORKING_DIRECTORY=$work/started-here "$launch" "$work/started-here" \
    fuzz/arena_fuzzer_bazel_run.txt -max_total_time=5 >"$work/replay.log" 2>&1 ||
    { cat "$work/replay.log"; fail "the fuzz runner failed"; }
cat "$work/replay.log"
grep -q 'replaying the corpus only' "$work/replay.log" || fail "the runner did not say it only replays"

echo "== libFuzzer builds of the arena target (clang, as --config=fuzz)"
flags=(-std=c99 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
    -I"$tree" -I"$tree/include" -I"$tree/src")
harness=("$tree/fuzz/arena_fuzzer.c" "$tree/fuzz/arena_model.c" "$tree/fuzz/support/fuzz_check.c"
    "$tree/fuzz/support/fuzz_input.c" "$tree/fuzz/support/fuzz_memory.c")
mkdir -p "$work/bin/fuzz" "$work/planted-bin/fuzz"
clang "${flags[@]}" "${harness[@]}" "$tree/src/arena.c" -o "$work/bin/fuzz/arena_fuzzer_binary"
clang "${flags[@]}" "${harness[@]}" "$tree/fuzz/arena_with_planted_bounds_bug.c" \
    -o "$work/planted-bin/fuzz/arena_fuzzer_binary"

echo "== fuzz/run_fuzzer.sh with the libFuzzer build, 2 s"
corpus_before=$(find "$tree/fuzz/corpus/arena_fuzzer/inputs" -type f | wc -l)
(cd "$tree" && TMPDIR=$work/tmp BUILD_WORKING_DIRECTORY=$work/started-here \
    fuzz/run_fuzzer.sh "$work/bin/fuzz/arena_fuzzer_binary" fuzz/corpus/arena_fuzzer/inputs \
    fuzz/corpus/arena_fuzzer/arena_fuzzer.dict -max_total_time=2) >"$work/libfuzzer.log" 2>&1 ||
    { cat "$work/libfuzzer.log"; fail "run_fuzzer.sh failed with a libFuzzer build"; }
grep -q 'Dictionary: [1-9]' "$work/libfuzzer.log" || { cat "$work/libfuzzer.log"; fail "no dictionary"; }
grep -qE '^#[0-9]+.*(INITED|DONE)' "$work/libfuzzer.log" || { cat "$work/libfuzzer.log"; fail "libFuzzer did not run"; }
[ -d "$work/tmp/veralloc-fuzz/arena_fuzzer" ] || fail "no scratch corpus directory"

echo "== tools/fuzz.sh 3 (scratch tree, stand-in bazel)"
scratch=$work/scratch
mkdir -p "$scratch/tools" "$scratch/fuzz/corpus"
cp -L "$tree/tools/fuzz.sh" "$scratch/tools/"
cp -RL "$tree/fuzz/corpus/arena_fuzzer" "$scratch/fuzz/corpus/"
chmod -R u+w "$scratch"
export PATH=$tree/tests/readme/fake_bazel:$PATH FAKE_BAZEL_LOG=$work/bazel.log FUZZ_JOBS=1
export FAKE_BAZEL_QUERY=//fuzz:arena_fuzzer_binary
FAKE_BAZEL_BIN=$work/bin TMPDIR=$work/tmp "$scratch/tools/fuzz.sh" 3 >"$work/fuzz.log" 2>&1 ||
    { cat "$work/fuzz.log"; fail "tools/fuzz.sh failed on the real arena"; }
cat "$work/fuzz.log"
grep -qE 'arena_fuzzer: corpus [0-9]+ -> [0-9]+ inputs' "$work/fuzz.log" || fail "no corpus line"
grep -q 'bazel build --config=fuzz //fuzz:all' "$work/bazel.log" || fail "fuzz.sh did not build"
[ ! -e "$scratch/fuzz-findings" ] || fail "findings on the real arena"
after=$(find "$scratch/fuzz/corpus/arena_fuzzer/inputs" -type f | wc -l)
[ "$after" -ge "$corpus_before" ] || fail "the corpus shrank without FUZZ_MINIMIZE"

echo "== tools/fuzz.sh 20 with a planted bounds bug: must report it"
status=0
FAKE_BAZEL_BIN=$work/planted-bin TMPDIR=$work/tmp "$scratch/tools/fuzz.sh" 20 >"$work/planted.log" 2>&1 ||
    status=$?
cat "$work/planted.log"
[ "$status" -eq 1 ] || fail "tools/fuzz.sh exited $status on a planted bug (expected 1)"
ls "$scratch/fuzz-findings/arena_fuzzer/"crash-* >/dev/null 2>&1 || fail "no crash file for the planted bug"
echo "PASS: the fuzzing commands work"
