#!/usr/bin/env bash
# Runs Frama-C WP on one proof module and fails unless every goal is proved and WP is silent.
#
#   run_wp.sh --module NAME --mode replay|fresh|update --session DIR [--main FN] [--skip FN,..]
#             [--fct FN,..] [--root DIR] [--out DIR] [--docs FILE] [--quiet] [--no-smoke]
#             SOURCE.c...
#
# Modes:
#   replay  (bazel test) prover verdicts come from the committed WP cache in --session
#           (-wp-cache offline: no prover runs). A goal whose verdict is not in the cache - the
#           code or a contract changed since bazel run //proofs:update last ran - stays unproved, so a
#           stale cache fails. Smoke tests whose verdict was a timeout are not cached by WP and
#           count as passed here; the fresh run re-runs them.
#   fresh   (bazel run //proofs:summary) every prover runs again, no cache.
#   update  (bazel run //proofs:update) provers run where the cache has no verdict, the cache in
#           --session is rewritten (unused entries removed).
#
# The gate (../shared/notes/toolchain.md): the report plugin classifies every unknown property
# and every warning as an ERROR, except those proofs/report_rules.json names with a reason; then
# proofs/wp_results.py checks the WP outputs once more (every property of every proved function
# Valid, every goal proved, smoke tests passed) and writes the summary the docs table is made
# from. With --docs, the generated section of that file must match this run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Run as a `bazel run` binary (//proofs:<module>_proof_fresh) this script sits in bazel-bin/proofs/
# and its helpers are in its runfiles.
for candidate in "${RUNFILES_DIR:-}/veralloc/proofs" "$0.runfiles/veralloc/proofs"; do
    if [ ! -f "$here/wp_results.py" ] && [ -f "$candidate/wp_results.py" ]; then
        here=$(cd "$candidate" && pwd)
    fi
done
[ -f "$here/wp_results.py" ] || {
    echo "run_wp.sh: cannot find wp_results.py next to me or in my runfiles" >&2
    exit 2
}
module="" mode="" session="" main="" skip="" fct="" root="$PWD" out="" docs="" quiet=0 smoke=1
sources=()
while [ $# -gt 0 ]; do
    case "$1" in
        --module) module=$2; shift 2 ;;
        --mode) mode=$2; shift 2 ;;
        --session) session=$2; shift 2 ;;
        --main) main=$2; shift 2 ;;
        --skip) skip=$2; shift 2 ;;
        --fct) fct=$2; shift 2 ;;
        --root) root=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --docs) docs=$2; shift 2 ;;
        --quiet) quiet=1; shift ;;
        --no-smoke) smoke=0; shift ;;
        -*) echo "run_wp.sh: unknown option $1" >&2; exit 2 ;;
        *) sources+=("$1"); shift ;;
    esac
done
[ -n "$module" ] && [ -n "$mode" ] && [ -n "$session" ] && [ "${#sources[@]}" -gt 0 ] || {
    echo "run_wp.sh: --module, --mode, --session and sources are required" >&2
    exit 2
}

session=$(realpath -m "$session")
[ -z "$out" ] || out=$(realpath -m "$out")
work=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/wp-$module.XXXXXX")
[ -n "$out" ] || out="$work/out"
mkdir -p "$out"
rules=$(cd "$here" && pwd)/report_rules.json
results_py="$here/wp_results.py"

# Bazel gives tests a temporary HOME: Why3 needs its own configuration of the provers.
export WHY3CONFIG="$work/why3.conf"
why3 config detect >"$work/why3-detect.log" 2>&1 || {
    cat "$work/why3-detect.log"
    echo "run_wp.sh: why3 config detect failed" >&2
    exit 1
}

case "$mode" in
    replay)
        # Runfiles are read-only: WP reads the cache from a copy.
        mkdir -p "$work/session"
        cp -R "$session"/. "$work/session/"
        cache_args=(-wp-session "$work/session" -wp-cache offline)
        ;;
    fresh) cache_args=(-wp-cache none) ;;
    update)
        mkdir -p "$session"
        cache_args=(-wp-session "$session" -wp-cache cleanup)
        ;;
    *) echo "run_wp.sh: unknown mode $mode" >&2; exit 2 ;;
esac

# Every flag below is part of what is proved; docs/proofs.md explains each one.
machdep=ppc_32                            # ILP32, 8-byte alignment of long long/double: the Cortex-M data model
wp_args=(
    -machdep "$machdep"
    -cpp-extra-args="-I. -Iinclude"        # specs/ and the public headers
    -wp -wp-rte                            # every runtime-error condition is a goal
    -warn-unsigned-overflow                # ... including unsigned wrap-around
    -warn-invalid-pointer                  # ... and pointer arithmetic outside an object
    -wp-prover cvc4,z3                     # through Why3 (Alt-Ergo is not in Debian 12)
    -wp-timeout 10 -wp-par 2
    -wp-check-memory-model                 # WP's separation hypotheses become goals
    # WP wants `assigns \result \from ...` on pointer results, but it cannot check \from clauses;
    # the contracts state the result with proved postconditions instead.
    -wp-warn-key pedantic-assigns=inactive
    -wp-verbose 2                          # one log line per decided goal: progress for //proofs:summary
)
# Smoke tests: inconsistent preconditions or axioms, dead code (off only for mutants, which are
# meant to be rejected by the goals they break).
[ "$smoke" -eq 0 ] || wp_args+=(-wp-smoke-tests)
[ -z "$main" ] || wp_args+=(-main "$main")
[ -z "$skip" ] || wp_args+=(-wp-skip-fct "$skip")
[ -z "$fct" ] || wp_args+=(-wp-fct "$fct")
gate_args=(
    -report-rules "$rules"
    -report-unclassified-unknown ERROR
    -report-unclassified-warning ERROR
    -report-unclassified-error ERROR
    -report-unclassified-invalid ERROR
)

start=$(date +%s)
status=0
settings="${wp_args[*]}"
(cd "$root" && frama-c "${wp_args[@]}" -wp-report-json "$out/wp.json" "${cache_args[@]}" \
    "${gate_args[@]}" "${sources[@]}" \
    -then -report-classify -report-output "$out/classify.json" -report-csv "$out/properties.csv") \
    >"$out/frama-c.log" 2>&1 || status=$?
end=$(date +%s)
echo "$status" >"$out/frama-c.status"

python3 "$results_py" summarize --module "$module" --mode "$mode" --out-dir "$out" \
    --seconds $((end - start)) --skip "$skip" --machdep "$machdep" --settings "$settings" \
    >"$out/check.txt" || status=1

if [ -n "$docs" ] && [ "$status" -eq 0 ]; then
    python3 "$results_py" check-docs --summary "$out/summary.json" --docs "$docs" >>"$out/check.txt" ||
        status=1
fi

if [ "$quiet" -eq 0 ] || [ "$status" -ne 0 ]; then
    if [ "$status" -ne 0 ]; then
        grep -v -e '\[Valid\]' -e ': Valid' -e '\[Passed\]' "$out/frama-c.log" | tail -n 80 || true
    fi
    cat "$out/check.txt"
fi
echo "output: $out"
exit "$status"
