#!/usr/bin/env bash
# Runs the traceability gate (tools/trace_check.py) over the repository as laid out in runfiles.
set -euo pipefail
exec python3 "$1" --requirements docs/requirements.md \
    --results tests/traceability/proof_results.json --root .
