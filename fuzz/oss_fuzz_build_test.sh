#!/usr/bin/env bash
# Runs fuzz/oss-fuzz/build.sh the way OSS-Fuzz / ClusterFuzzLite do, with local clang values for
# $CC $CFLAGS $CXX $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $WORK, on a copy of the tree, then checks
# that every fuzz/*_fuzzer.c produced a fuzzer, a seed corpus and a dictionary, and runs each
# fuzzer for a few seconds on its unpacked seed corpus: a finding or a crash fails the test.
set -euo pipefail

scratch="${TEST_TMPDIR:-$(mktemp -d)}/oss-fuzz"
rm -rf "$scratch"
mkdir -p "$scratch/src/veralloc" "$scratch/out" "$scratch/work"
# The runfiles tree holds exactly the files build.sh may read (the test's data).
cp -rL src include fuzz "$scratch/src/veralloc/"

export SRC="$scratch/src" OUT="$scratch/out" WORK="$scratch/work"
export CC=${OSS_FUZZ_TEST_CC:-clang} CXX=${OSS_FUZZ_TEST_CXX:-clang++}
# What OSS-Fuzz passes for an ASan + UBSan libFuzzer build, roughly.
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"

(cd "$SRC/veralloc" && bash fuzz/oss-fuzz/build.sh)

seconds=${OSS_FUZZ_TEST_SECONDS:-3}
status=0
count=0
for target_source in "$SRC"/veralloc/fuzz/*_fuzzer.c; do
    name=$(basename "$target_source" .c)
    count=$((count + 1))
    for product in "$OUT/$name" "$OUT/${name}_seed_corpus.zip" "$OUT/$name.dict"; do
        [ -e "$product" ] || { echo "FAIL: build.sh did not produce $(basename "$product")"; status=1; }
    done
    [ -x "$OUT/$name" ] || continue
    seeds="$scratch/seeds/$name"
    mkdir -p "$seeds"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
        "$OUT/${name}_seed_corpus.zip" "$seeds"
    if "$OUT/$name" -max_total_time="$seconds" -dict="$OUT/$name.dict" -artifact_prefix="$scratch/" \
        "$seeds" >"$scratch/$name.log" 2>&1; then
        echo "PASS: $name ran ${seconds}s: $(grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch/$name.log" | tail -1)"
    else
        echo "FAIL: $name:"
        tail -20 "$scratch/$name.log"
        status=1
    fi
done
[ "$count" -gt 0 ] || { echo "FAIL: no fuzz/*_fuzzer.c found"; exit 1; }
exit "$status"
