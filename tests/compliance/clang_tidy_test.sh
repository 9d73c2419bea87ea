#!/usr/bin/env bash
# Runs tools/clang_tidy_check.sh (its arguments are in BUILD).
set -euo pipefail
script=$1
shift
exec bash "$script" "$@"
