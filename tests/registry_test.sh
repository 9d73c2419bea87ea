#!/usr/bin/env bash
# registry_test.sh REGISTRY_PY: runs tools/registry.py's check and selftest on the files Bazel
# gives this test, laid out as in the repository (see //tests:registry_test).
set -euo pipefail
status=0
python3 "$1" --root "$PWD" check || status=1
python3 "$1" --root "$PWD" selftest || status=1
exit "$status"
