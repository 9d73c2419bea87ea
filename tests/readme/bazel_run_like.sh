#!/usr/bin/env bash
# bazel_run_like.sh WORKSPACE RUN_ARGS_FILE [ARG...]
#
# Starts a binary the way `bazel run` starts it, from inside a test: the executable alone in a
# bazel-bin-like folder, its runfiles tree beside it as <name>.runfiles, the working directory at
# the top of that tree, BUILD_WORKSPACE_DIRECTORY and BUILD_WORKING_DIRECTORY set to WORKSPACE,
# and none of the test's runfiles variables (so a binary that looks for its files next to
# itself, or in variables only tests have, fails here as it would for a user).
# RUN_ARGS_FILE is a bazel_run_args output (tools/bazel_run.bzl), a runfiles path: the binary,
# then its rule arguments; ARG... are what a user writes after `--`.
set -euo pipefail
runfiles=${TEST_SRCDIR:?run me inside a bazel test}
workspace=$1
run_args_file=$2
shift 2
mapfile -t lines <"$runfiles/veralloc/$run_args_file"
binary=${lines[0]}
name=$(basename "$binary")
bin_dir=$(mktemp -d "${TEST_TMPDIR:?}/bazel-bin.XXXXXX")/$(dirname "$binary")
mkdir -p "$bin_dir"
cp -L "$runfiles/veralloc/$binary" "$bin_dir/$name"
chmod +x "$bin_dir/$name"
ln -s "$runfiles" "$bin_dir/$name.runfiles"
cd "$bin_dir/$name.runfiles/veralloc"
exec env -u RUNFILES_DIR -u RUNFILES_MANIFEST_FILE -u RUNFILES_MANIFEST_ONLY -u JAVA_RUNFILES \
    -u PYTHON_RUNFILES -u TEST_SRCDIR -u TEST_WORKSPACE -u TEST_BINARY \
    BUILD_WORKSPACE_DIRECTORY="$workspace" BUILD_WORKING_DIRECTORY="${BAZEL_RUN_WORKING_DIRECTORY:-$workspace}" \
    "$bin_dir/$name" "${lines[@]:1}" "$@"
