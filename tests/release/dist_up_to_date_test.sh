#!/usr/bin/env bash
# dist/veralloc.h and dist/veralloc.c are committed (firmware teams copy the two files); this
# fails when they differ from what tools/amalgamate makes of the current sources, and prints the
# command that regenerates them. Also checks that the generator is deterministic (two runs give
# the same bytes) and that every ACSL annotation of the sources is in the distribution.
#
# Usage (in the runfiles tree, whose root holds src/, include/, specs/, dist/, LICENSE):
#   dist_up_to_date_test.sh tools/amalgamate
set -euo pipefail

amalgamate=$1
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/dist.XXXXXX")

python3 "$amalgamate" --root . --output dist --check

python3 "$amalgamate" --root . --output "$work/first" >/dev/null
python3 "$amalgamate" --root . --output "$work/second" >/dev/null
cmp "$work/first/veralloc.h" "$work/second/veralloc.h"
cmp "$work/first/veralloc.c" "$work/second/veralloc.c"
echo "PASS: two runs of tools/amalgamate give the same bytes"

# ACSL annotations start with /*@ or //@; none may be lost on the way into dist/. The ACSL logic
# of specs/ is inlined into dist/veralloc.h where a header includes it, so it counts too.
annotations() { cat "$@" | { grep -o -E '/\*@|//@' || true; } | wc -l; }
mapfile -t inputs < <(find src -name '*.c' -o -name '*.h'; find include -name '*.h'; find specs -name '*.h')
in_sources=$(annotations "${inputs[@]}")
in_dist=$(annotations dist/veralloc.h dist/veralloc.c)
if [ "$in_sources" -ne "$in_dist" ]; then
    echo "FAIL: the sources hold $in_sources ACSL annotations, dist/ holds $in_dist"
    exit 1
fi
echo "PASS: all $in_sources ACSL annotations of the sources are in dist/"
