#!/usr/bin/env bash
# bazel run //proofs:summary   every proof module and every mutant afresh (all provers run, no
#                              cache), then a short verification summary. Exit status 0 only if
#                              every module is proved and every mutant is rejected.
# bazel run //proofs:update    the same in update mode, in the source tree: refreshes the WP
#                              caches under proofs/sessions/ and proofs/mutants/sessions/, then
#                              replays every module and rewrites the generated tables of
#                              docs/proofs.md from the replay (what //proofs:*_proof checks).
#
# Arguments (given by //proofs:BUILD): --mode fresh|update, then the modules' .wpargs files and
# the mutant specs.
set -euo pipefail

mode=$2
shift 2
modules=() mutants=()
for file in "$@"; do
    case "$file" in
        *.wpargs) modules+=("$(realpath "$file")") ;;
        *.json) mutants+=("$(realpath "$file")") ;;
    esac
done

proofs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$mode" = "update" ]; then
    # Write into the source tree, not into bazel's runfiles.
    cd "${BUILD_WORKSPACE_DIRECTORY:?run me with bazel run //proofs:update}"
    proofs_dir=$PWD/proofs
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/veralloc-proofs.XXXXXX")
echo "veralloc proofs ($mode run): Frama-C $(frama-c -version), $(why3 --version 2>&1 | head -n 1)," \
    "$(z3 --version), $(cvc4 --version | head -n 1 | sed 's/This is //'); $(nproc) cores, load" \
    "$(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "details: $out"

status=0
summaries=()
start=$(date +%s)
for args_file in "${modules[@]}"; do
    mapfile -t args <"$args_file"
    module=${args[1]}
    echo "proving $module ..."
    "$proofs_dir/run_wp.sh" --mode "$mode" --quiet --out "$out/$module" "${args[@]}" \
        >"$out/$module.txt" 2>&1 || { status=1; cat "$out/$module.txt"; }
    summaries+=("$out/$module/summary.json")
done

mutant_status=0
if [ "${#mutants[@]}" -gt 0 ]; then
    echo "running ${#mutants[@]} mutants ..."
    "$proofs_dir/mutant_test.sh" --mode "$mode" --out "$out/mutants" "${mutants[@]}" \
        >"$out/mutants.txt" 2>&1 || mutant_status=1
fi

if [ "$mode" = "update" ] && [ "$status" -eq 0 ]; then
    # The docs tables come from a replay of the fresh cache: that is what the tests check.
    replayed=()
    for args_file in "${modules[@]}"; do
        mapfile -t args <"$args_file"
        module=${args[1]}
        "$proofs_dir/run_wp.sh" --mode replay --quiet --out "$out/replay-$module" "${args[@]}" \
            >"$out/replay-$module.txt" 2>&1 || { status=1; cat "$out/replay-$module.txt"; }
        replayed+=("$out/replay-$module/summary.json")
    done
    [ "$status" -ne 0 ] || python3 "$proofs_dir/wp_results.py" write-docs --docs docs/proofs.md "${replayed[@]}"
    [ "$status" -ne 0 ] || echo "updated proofs/sessions/, proofs/mutants/sessions/ and docs/proofs.md: commit them"
fi
end=$(date +%s)

echo
echo "== verification summary =="
python3 "$proofs_dir/wp_results.py" print "${summaries[@]}" || status=1
grep -E '^(PASS|FAIL): mutant|^mutants rejected' "$out/mutants.txt" || true
[ "$mutant_status" -eq 0 ] || status=1
echo "total: $((end - start)) s wall clock; $([ "$status" -eq 0 ] && echo "ALL PROVED, all mutants rejected" || echo "FAILED")"
exit "$status"
