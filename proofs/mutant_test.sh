#!/usr/bin/env bash
# Non-vacuity: broken variants of the allocators (proofs/mutants/*.json) that WP must reject.
#
#   mutant_test.sh --mode replay|fresh|update [--out DIR] MUTANT.json...
#
# Each mutant names one exact text of a source (its "file": src/arena.c, src/pool.c) and its
# replacement (an off-by-one, a missing check, ...). For each, this script writes the mutated
# source into a scratch tree (same relative paths, so WP's goals are the same as in the real
# tree), runs WP on the mutated functions of that source and requires that
#   - the text to mutate is still in that source exactly once (else the mutant is outdated),
#   - WP ran (no parse or option error) and did NOT prove the module, and
#   - the goal the mutation breaks (the spec's "expect" pattern) is among the unproved ones.
# replay (bazel test) reads the verdicts from proofs/mutants/sessions/<name>/, which also keeps
# a fingerprint of the mutated source and of every header and spec: if anything changed since
# bazel run //proofs:update, the mutant's cache is stale and the test fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode="" out=""
specs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) mode=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) specs+=("$1"); shift ;;
    esac
done
[ -n "$mode" ] && [ "${#specs[@]}" -gt 0 ] || { echo "usage: mutant_test.sh --mode M SPEC..." >&2; exit 2; }
work=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/mutants.XXXXXX")
[ -n "$out" ] || out="$work/out"
mkdir -p "$out"
out=$(realpath "$out")
tree=$PWD

status=0
passed=0
for spec in "${specs[@]}"; do
    name=$(basename "$spec" .json)
    root="$work/$name"
    mkdir -p "$root/src"
    for header in "$tree"/src/*.h; do # private helpers (src/vera_internal.h) the source includes
        [ -e "$header" ] && ln -s "$header" "$root/src/"
    done
    ln -s "$tree/include" "$root/include"
    ln -s "$tree/specs" "$root/specs"
    fingerprint=$(python3 "$here/mutate.py" --spec "$spec" --tree "$tree" --into "$root" \
        --fingerprint-of "$here/run_wp.sh" "$here/wp_flags" "$here/report_rules.json") || {
        echo "FAIL: mutant $name cannot be applied (see above)"
        status=1
        continue
    }
    # The private headers of src/ (vera_internal.h) that the mutated source includes, unless the
    # mutant is one of them.
    for private_header in "$tree"/src/*.h; do
        [ -e "$root/src/$(basename "$private_header")" ] || ln -s "$private_header" "$root/src/"
    done
    session="$here/mutants/sessions/$name"
    if [ "$mode" = "replay" ]; then
        recorded=$(cat "$session/fingerprint" 2>/dev/null || echo none)
        if [ "$recorded" != "$fingerprint" ]; then
            echo "FAIL: mutant $name: its WP cache was made for other sources (fingerprint" \
                "$recorded, now $fingerprint); run bazel run //proofs:update"
            status=1
            continue
        fi
    fi
    functions=$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["functions"]))' "$spec")
    expect=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["expect"])' "$spec")
    source=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["file"])' "$spec")
    if "$here/run_wp.sh" --module "mutant-$name" --mode "$mode" --session "$session" \
        --root "$root" --fct "$functions" --no-smoke --quiet --out "$out/$name" "$source" \
        >"$out/$name.run.txt" 2>&1; then
        echo "FAIL: mutant $name was NOT rejected by WP: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["description"])' "$spec")"
        status=1
        continue
    fi
    if python3 "$here/wp_results.py" mutant --name "$name" --out-dir "$out/$name" --expect "$expect"; then
        passed=$((passed + 1))
        [ "$mode" != "update" ] || echo "$fingerprint" >"$session/fingerprint"
    else
        status=1
    fi
done
echo "mutants rejected for the expected reason: $passed of ${#specs[@]}"
exit "$status"
