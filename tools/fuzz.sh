#!/usr/bin/env bash
# tools/fuzz.sh [SECONDS] [TARGET...]
#
# Fuzzes every fuzz target (or the named ones, e.g. arena_fuzzer) for SECONDS each (default 600)
# on all cores (libFuzzer -jobs/-workers; FUZZ_JOBS overrides the count), starting from the
# committed corpus and dictionary, then merges the new inputs that add coverage into the
# committed corpus fuzz/corpus/<target>/inputs/ (libFuzzer -merge=1). Review and commit them.
#
# FUZZ_MINIMIZE=1 also shrinks each corpus to a subset with the same coverage (the hand-written
# seed-* inputs are always kept).
# Findings (crash-*, timeout-*, oom-*, leak-*) go to fuzz-findings/<target>/ and make the script
# exit 1; replay one with `bazel-bin/fuzz/<target>_binary FILE` (VERA_FUZZ_TRACE=1 prints the
# decoded operations). Logs of every job stay in the printed work directory.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
[ "$#" -gt 0 ] && shift
jobs=${FUZZ_JOBS:-$(nproc)}
root=$(pwd)

bazel build --config=fuzz //fuzz:all
bin_dir=$(bazel info --config=fuzz bazel-bin 2>/dev/null)
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(bazel query --output=label \
        'attr(tags, "vera_fuzz_binary", //fuzz:all) except attr(tags, "vera_fuzz_variant", //fuzz:all)' 2>/dev/null |
        sed -e 's#^//fuzz:##' -e 's#_binary$##')
fi
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz.sh: no fuzz targets found" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/veralloc-fuzz.XXXXXX")
echo "fuzz.sh: ${targets[*]}, ${seconds}s each on $jobs jobs; work directory $work"
found=0
for target in "${targets[@]}"; do
    corpus="$root/fuzz/corpus/$target/inputs"
    dictionary="$root/fuzz/corpus/$target/$target.dict"
    findings="$root/fuzz-findings/$target"
    mkdir -p "$work/$target/new" "$findings" "$corpus"
    # A private copy: another bazel build during the run may replace bazel-bin.
    cp "$bin_dir/fuzz/${target}_binary" "$work/$target/fuzzer"
    dictionary_flag=()
    [ -f "$dictionary" ] && dictionary_flag=("-dict=$dictionary")

    before=$(find "$corpus" -type f | wc -l)
    echo "fuzz.sh: $target: fuzzing ${seconds}s from $before inputs"
    (cd "$work/$target" &&
        ./fuzzer -jobs="$jobs" -workers="$jobs" -max_total_time="$seconds" -print_final_stats=1 \
            "${dictionary_flag[@]}" -artifact_prefix="$findings/" new "$corpus" >fuzz.log 2>&1) || true
    grep -h -E '^#[0-9]+[[:space:]]+DONE' "$work/$target"/fuzz-*.log 2>/dev/null | sed "s/^/  $target job: /" || true

    if [ "${FUZZ_MINIMIZE:-0}" = 1 ]; then
        mkdir -p "$work/$target/minimal"
        "$work/$target/fuzzer" -merge=1 "$work/$target/minimal" "$corpus" "$work/$target/new" >"$work/$target/merge.log" 2>&1
        find "$corpus" -type f ! -name 'seed-*' -delete
        cp -n "$work/$target/minimal"/* "$corpus"/ 2>/dev/null || true
    else
        "$work/$target/fuzzer" -merge=1 "$corpus" "$work/$target/new" >"$work/$target/merge.log" 2>&1
    fi
    after=$(find "$corpus" -type f | wc -l)
    echo "fuzz.sh: $target: corpus $before -> $after inputs ($(grep -m1 -o 'MERGE-OUTER: [0-9]* new files.*' "$work/$target/merge.log" || echo 'merge log in '"$work/$target/merge.log"))"

    crashes=$(find "$findings" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
    if [ "$crashes" -gt 0 ]; then
        echo "fuzz.sh: $target: $crashes FINDINGS in $findings" >&2
        found=1
    else
        rmdir "$findings" 2>/dev/null || true
    fi
done
rmdir "$root/fuzz-findings" 2>/dev/null || true
exit "$found"
