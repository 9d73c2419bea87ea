#!/usr/bin/env bash
# bazel run //proofs:summary   every proof module and every mutant afresh (all provers run, no
#                              cache), then the verification summary. Exit status 0 only if every
#                              module is proved and every mutant is rejected.
# bazel run //proofs:update    the same in update mode, in the source tree: refreshes the WP
#                              caches under proofs/sessions/ and proofs/mutants/sessions/, then
#                              replays every module and rewrites the generated tables of
#                              docs/proofs.md from the replay (what //proofs:*_proof checks).
#
# Arguments: the rule's (--mode fresh|update, the modules' .wpargs files, the mutant specs), then
# what follows `--` on the bazel run command line:
#   --mode replay        verdicts from the committed caches instead of the provers (quick; the
#                        same run as `bazel test //proofs/...`, with this summary)
#   --only MODULE[,...]  only these proof modules (and the mutants of their sources)
#   --mutant NAME[,...]  only these mutants (of those kept by --only)
#   --no-mutants         skip the mutants
#   --report FILE        also write the summary (markdown) to FILE; a relative FILE is relative
#                        to the directory bazel run was started from
# While WP runs, a line per module reports the goals decided so far and the time spent.
set -euo pipefail

# Under `bazel run` this script is bazel-bin/proofs/summary and its helpers are in its runfiles
# tree; in a test (or run from the source tree) they are next to it.
locate_proofs_dir() {
    local candidate
    for candidate in "${RUNFILES_DIR:-}/veralloc/proofs" "$0.runfiles/veralloc/proofs" \
        "$(dirname "$0")"; do
        if [ -f "$candidate/run_wp.sh" ] && [ -f "$candidate/wp_results.py" ]; then
            (cd "$candidate" && pwd)
            return 0
        fi
    done
    echo "summary: cannot find run_wp.sh and wp_results.py (looked in the runfiles of $0 and" \
        "next to it)" >&2
    return 1
}
proofs_dir=$(locate_proofs_dir)

mode="" only="" only_mutants="" mutants_wanted=1 report=""
modules=() mutants=()
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) mode=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --mutant) only_mutants=$2; shift 2 ;;
        --no-mutants) mutants_wanted=0; shift ;;
        --report) report=$2; shift 2 ;;
        *.wpargs) modules+=("$(realpath "$1")"); shift ;;
        *.json) mutants+=("$(realpath "$1")"); shift ;;
        *) echo "summary: unknown argument $1" >&2; exit 2 ;;
    esac
done
case "$mode" in
    fresh | update | replay) ;;
    *) echo "summary: --mode must be fresh, update or replay" >&2; exit 2 ;;
esac
if [ -n "$report" ] && [ "${report#/}" = "$report" ]; then
    report="${BUILD_WORKING_DIRECTORY:-$PWD}/$report"
fi

module_name() { sed -n 2p "$1"; }   # a .wpargs file starts with: --module NAME

# --only: keep the named modules, and the mutants of their sources.
if [ -n "$only" ]; then
    selected=() sources=()
    for args_file in "${modules[@]}"; do
        if [[ ",$only," == *",$(module_name "$args_file"),"* ]]; then
            selected+=("$args_file")
            mapfile -t args <"$args_file"
            sources+=("${args[@]}")
        fi
    done
    [ "${#selected[@]}" -gt 0 ] || { echo "summary: --only $only names no proof module" >&2; exit 2; }
    modules=("${selected[@]}")
    kept=()
    for spec in "${mutants[@]}"; do
        file=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["file"])' "$spec")
        for source in "${sources[@]}"; do
            [ "$source" != "$file" ] || { kept+=("$spec"); break; }
        done
    done
    mutants=("${kept[@]+"${kept[@]}"}")
fi
if [ -n "$only_mutants" ]; then
    kept=()
    for spec in "${mutants[@]}"; do
        [[ ",$only_mutants," != *",$(basename "$spec" .json),"* ]] || kept+=("$spec")
    done
    [ "${#kept[@]}" -gt 0 ] || { echo "summary: --mutant $only_mutants names no mutant" >&2; exit 2; }
    mutants=("${kept[@]}")
fi
[ "$mutants_wanted" -eq 1 ] || mutants=()

if [ "$mode" = "update" ]; then
    # Write into the source tree, not into bazel's runfiles.
    cd "${BUILD_WORKSPACE_DIRECTORY:?run me with bazel run //proofs:update}"
    proofs_dir=$PWD/proofs
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/veralloc-proofs.XXXXXX")
tools="Frama-C $(frama-c -version), $(why3 --version 2>&1 | head -n 1), $(z3 --version), $(cvc4 --version | head -n 1 | sed 's/This is //')"
echo "veralloc proofs ($mode run): $tools; $(nproc) cores, load $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "details: $out"

# Prints "done/total goals" for a running WP log (WP runs with -wp-verbose 2: one line a goal).
goals_done() {
    local log=$1 total decided
    total=$(grep -m1 -oE '[0-9]+ goals? scheduled' "$log" 2>/dev/null | grep -oE '^[0-9]+' || true)
    decided=$(grep -cE '^\[wp\] \[[^]]+\] (Goal|Smoke-test) ' "$log" 2>/dev/null || true)
    echo "${decided:-0}/${total:-?}"
}

status=0
summaries=()
start=$(date +%s)
for args_file in "${modules[@]}"; do
    mapfile -t args <"$args_file"
    module=${args[1]}
    module_start=$(date +%s)
    echo "proving $module ..."
    "$proofs_dir/run_wp.sh" --mode "$mode" --quiet --out "$out/$module" "${args[@]}" \
        >"$out/$module.txt" 2>&1 &
    runner=$!
    last=""
    while kill -0 "$runner" 2>/dev/null; do
        sleep 5
        progress=$(goals_done "$out/$module/frama-c.log")
        if [ "$progress" != "$last" ] && [ "${progress#0/}" = "$progress" ]; then
            echo "  $module: $progress goals and smoke tests decided, $(($(date +%s) - module_start)) s"
            last=$progress
        fi
    done
    if wait "$runner"; then
        echo "  $module: done in $(($(date +%s) - module_start)) s"
    else
        status=1
        cat "$out/$module.txt"
    fi
    summaries+=("$out/$module/summary.json")
done

mutant_status=0
if [ "${#mutants[@]}" -gt 0 ]; then
    echo "running ${#mutants[@]} mutants (each must be rejected by the goal it breaks) ..."
    set +e
    "$proofs_dir/mutant_test.sh" --mode "$mode" --out "$out/mutants" "${mutants[@]}" 2>&1 |
        tee "$out/mutants.txt" | grep --line-buffered -E '^(PASS|FAIL): mutant' | sed -u 's/^/  /'
    [ "${PIPESTATUS[0]}" -eq 0 ] || mutant_status=1
    set -e
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
[ "$mutant_status" -eq 0 ] || status=1

report_args=(--mode "$mode" --status "$status" --tools "$tools" --seconds $((end - start))
    --specs "$proofs_dir/../specs" --cores "$(nproc)")
[ "${#mutants[@]}" -eq 0 ] || report_args+=(--mutants "$out/mutants.txt" --mutant-count "${#mutants[@]}")
echo
python3 "$proofs_dir/wp_results.py" report "${report_args[@]}" "${summaries[@]}" >"$out/report.md" ||
    status=1
cat "$out/report.md"
if [ -n "$report" ]; then
    mkdir -p "$(dirname "$report")"
    cp "$out/report.md" "$report"
    echo "summary written to $report"
fi
exit "$status"
