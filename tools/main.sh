#!/usr/bin/env bash
# The main job: installs what is missing, then prints the verification summary (every WP proof
# run afresh, goal counts per module) and the Cortex-M benchmark table (bazel run //bench).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
bazel run //proofs:summary
bazel run //bench
