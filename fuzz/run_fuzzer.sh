#!/usr/bin/env bash
# Runs one fuzz target for `bazel run //fuzz:<target> -- <libFuzzer flags and directories>`
# (made by vera_fuzz_target in fuzz/fuzz.bzl).
#
# Without a corpus directory on the command line, new inputs go to a scratch directory
# ($TMPDIR/veralloc-fuzz/<target>) and the committed corpus is read as seeds, so a run never
# writes into the source tree; tools/fuzz.sh merges new coverage into the committed corpus.
# The target's dictionary is used unless -dict= is given. Crash reproducers go to the directory
# `bazel run` was started from unless -artifact_prefix= is given.
set -euo pipefail

binary=$(realpath "$1")
corpus_in_tree=$2
corpus=$(realpath "$2")
dictionary=$(realpath "$3")
shift 3
name=$(basename "$binary")
name=${name%_binary}

has_directory=false
has_dictionary=false
has_artifact_prefix=false
for argument in "$@"; do
    case "$argument" in
        -dict=*) has_dictionary=true ;;
        -artifact_prefix=*) has_artifact_prefix=true ;;
        -*) ;;
        *) has_directory=true ;;
    esac
done

extra=()
$has_dictionary || extra+=("-dict=$dictionary")
if ! $has_artifact_prefix && [ -n "${BUILD_WORKING_DIRECTORY:-}" ]; then
    extra+=("-artifact_prefix=$BUILD_WORKING_DIRECTORY/")
fi
directories=()
if ! $has_directory; then
    scratch="${TMPDIR:-/tmp}/veralloc-fuzz/$name"
    mkdir -p "$scratch"
    echo "run_fuzzer: new inputs go to $scratch; seeds from the committed corpus $corpus_in_tree" >&2
    directories=("$scratch" "$corpus")
fi

if ! nm "$binary" 2>/dev/null | grep LLVMFuzzerRunDriver >/dev/null; then
    echo "run_fuzzer: $name was built without libFuzzer (no --config=fuzz): replaying the corpus only" >&2
fi
# Relative directories on the command line are relative to where bazel run was started.
cd "${BUILD_WORKING_DIRECTORY:-.}"
exec "$binary" "${extra[@]}" "$@" "${directories[@]}"
