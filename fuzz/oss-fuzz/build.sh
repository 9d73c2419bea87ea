#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for veralloc's fuzz targets (docs/fuzzing.md).
#
# Runs from the repository root (the Dockerfile's WORKDIR) and uses only what the infrastructure
# sets: $CC $CFLAGS (compiler, sanitizers, coverage instrumentation), $CXX $CXXFLAGS (the link:
# the fuzzing engine is C++), $LIB_FUZZING_ENGINE, $OUT (where the fuzzers go), $WORK (scratch).
#
# Every fuzz/<name>_fuzzer.c is a target. It is linked with the harness helpers and reference
# models (fuzz/support/, fuzz/*_model.c) and the library (src/*.c), both as archives so that each
# target takes only what it needs (mira_mem_fuzzer includes src/mira_mem.c itself). Its corpus
# fuzz/corpus/<name>/inputs/ becomes $OUT/<name>_seed_corpus.zip, its dictionary
# fuzz/corpus/<name>/<name>.dict becomes $OUT/<name>.dict. The same files build the Bazel
# targets (fuzz/BUILD), so a new target needs no change here.

WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK/veralloc" "$OUT"
build="$WORK/veralloc"
includes=(-I. -Iinclude)

# archive NAME SOURCES...: compiles each source and archives the objects as $build/libNAME.a.
archive() {
    local name=$1 source object objects=()
    shift
    for source in "$@"; do
        object="$build/${name}_$(basename "$source" .c).o"
        $CC $CFLAGS -std=c99 "${includes[@]}" -c "$source" -o "$object"
        objects+=("$object")
    done
    rm -f "$build/lib$name.a"
    ar rcs "$build/lib$name.a" "${objects[@]}"
}

archive veralloc src/*.c
archive harness fuzz/support/fuzz_check.c fuzz/support/fuzz_input.c fuzz/support/fuzz_memory.c fuzz/*_model.c

for target_source in fuzz/*_fuzzer.c; do
    name=$(basename "$target_source" .c)
    $CC $CFLAGS -std=c99 "${includes[@]}" -c "$target_source" -o "$build/$name.o"
    $CXX $CXXFLAGS "$build/$name.o" "$build/libharness.a" "$build/libveralloc.a" $LIB_FUZZING_ENGINE \
        -o "$OUT/$name"

    corpus="fuzz/corpus/$name/inputs"
    if [ -d "$corpus" ]; then
        python3 - "$OUT/${name}_seed_corpus.zip" "$corpus" <<'PYTHON'
import os, sys, zipfile
archive, corpus = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as seeds:
    for entry in sorted(os.listdir(corpus)):
        seeds.write(os.path.join(corpus, entry), entry)
PYTHON
    fi
    dictionary="fuzz/corpus/$name/$name.dict"
    if [ -f "$dictionary" ]; then
        cp "$dictionary" "$OUT/$name.dict"
    fi
done
