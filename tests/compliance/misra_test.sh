#!/usr/bin/env bash
# Runs tools/misra_check.py (its arguments are in BUILD) with the system's python3.
set -euo pipefail
script=$1
shift
exec python3 "$script" "$@"
