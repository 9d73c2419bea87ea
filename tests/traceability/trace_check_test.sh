#!/usr/bin/env bash
# Runs the traceability gate (tools/trace_check.py) over the repository as laid out in runfiles.
#   trace_check_test.sh CHECKER WPARGS...   (WPARGS: //proofs:proof_args, each module's settings)
set -euo pipefail
checker=$1
shift
exec python3 "$checker" --requirements docs/requirements.md docs/requirements/*.md \
    --results tests/traceability/proof_results.json --root . --proof-args "$@"
