#!/usr/bin/env bash
# The proofs cover what users ship: Frama-C WP proves dist/veralloc.c (with dist/veralloc.h, so
# with the contracts and specs/ logic the amalgamation carries) with the proof suite's flags and
# gate, and proves exactly the goals that the module proofs of src/ prove.
#
#   dist_proof_test.sh DIST_C DIST_H RESULTS SESSION_DIR            (bazel test: replay)
#   tests/release/dist_proof_test.sh --update dist/veralloc.c dist/veralloc.h \
#       tests/traceability/proof_results.json tests/release/dist_proof_session
#                                                                  (after a change: provers run)
#
# Which functions: those of the modules recorded in RESULTS (tools/record_proof_results.py), i.e.
# every module whose contracts exist; plus every lemma. A function of the amalgamation outside
# those modules (mira_mem_* until its facade contracts land) is listed as not proved, never
# counted. Checked:
#   - the gate: frama-c exits 0 with every unknown property and every unclassified warning an
#     error, and WP prints "Proved goals: N / N" for the functions and for the lemmas;
#   - the goals proved on the amalgamation are, name for name, the goals RESULTS records as proved
#     for src/ (same contracts, same runtime-error goals, same smoke tests), and so are the lemmas.
# Replay: prover verdicts come from the committed WP cache in SESSION_DIR (-wp-cache offline, no
# prover runs); a goal whose verdict is not in the cache (the code or a contract changed since the
# last --update) stays unproved, so a stale cache fails the test.
set -uo pipefail

mode=replay
if [ "${1:-}" = --update ]; then
    mode=update
    shift
fi
[ "$#" -eq 4 ] || { echo "usage: $0 [--update] DIST_C DIST_H RESULTS SESSION_DIR"; exit 2; }
dist_c=$1
dist_h=$2
results=$3
session=$4

work=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/dist-proof.XXXXXX")
cp "$dist_c" "$dist_h" "$work/"
export WHY3CONFIG="$work/why3.conf"
why3 config detect >"$work/why3.log" 2>&1 || { cat "$work/why3.log"; echo "FAIL: why3 config detect"; exit 1; }

case "$mode" in
    replay)
        mkdir -p "$work/session"
        cp -R "$session"/. "$work/session/"
        chmod -R u+w "$work/session"
        cache=(-wp-session "$work/session" -wp-cache offline)
        ;;
    update)
        # Start from an empty cache, so that it holds exactly the verdicts of this run.
        if [ -e "$session" ] && [ -n "$(ls -A "$session" | grep -vx cache)" ]; then
            echo "$session holds more than a WP cache: not touching it"
            exit 2
        fi
        rm -rf "$session"
        mkdir -p "$session"
        session=$(cd "$session" && pwd)
        cache=(-wp-session "$session" -wp-cache update)
        ;;
esac

# The functions of the proved modules, as recorded for src/.
functions=$(python3 -c '
import json, sys
modules = json.load(open(sys.argv[1]))["modules"].values()
print(",".join(sorted({f for m in modules for f in m["wp_report"]["wp:functions"]})))' "$results")
[ -n "$functions" ] || { echo "FAIL: no proved module in $results"; exit 1; }

# The proof suite's flags and gate (docs/proofs.md, tools/record_proof_results.py).
flags=(
    -machdep ppc_32 -cpp-extra-args=-I.
    -wp -wp-rte -warn-unsigned-overflow -warn-invalid-pointer
    -wp-prover z3,cvc4 -wp-timeout 20 -wp-par 2
    -wp-smoke-tests -wp-check-memory-model -wp-warn-key pedantic-assigns=inactive
    # The facade's two trusted wrappers stay out of the proof, as in //proofs:mira_mem_proof.
    -wp-skip-fct mira_mem_call_callback,mira_mem_call_oom_hook
)
gate=(
    -report-rules "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/dist_report_rules.json"
    -report-unclassified-unknown ERROR -report-unclassified-warning ERROR
    -report-unclassified-error ERROR -report-unclassified-invalid ERROR
)

status=0
run() { # run NAME SELECTION...: one WP run over veralloc.c, gated
    local name=$1
    shift
    (cd "$work" && frama-c "${flags[@]}" "$@" "${cache[@]}" -wp-report-json "$work/$name.json" \
        "${gate[@]}" veralloc.c -then -report-classify) >"$work/$name.log" 2>&1
    local exit_status=$?
    local goals
    goals=$(grep -o 'Proved goals: *[0-9]* / [0-9]*' "$work/$name.log" | tr -s ' ')
    if [ "$exit_status" -ne 0 ] || [ -z "$goals" ] ||
        [ "$(awk '{print $3}' <<<"$goals")" != "$(awk '{print $5}' <<<"$goals")" ]; then
        grep -v -e ': Valid' -e '\[Passed\]' "$work/$name.log" | tail -40
        echo "FAIL: $name: frama-c exit $exit_status, ${goals:-no goal count}"
        status=1
    else
        echo "PASS: $name: $goals on dist/veralloc.c"
    fi
}

run functions -wp-fct "$functions"
run lemmas -wp-prop @lemma

# Same goals as src/, name for name.
python3 - "$results" "$work/functions.json" "$work/lemmas.json" <<'PY' || status=1
import json, sys
recorded = json.load(open(sys.argv[1]))["modules"]
dist_functions = json.load(open(sys.argv[2])).get("wp:functions", {})
dist_lemmas = json.load(open(sys.argv[3])).get("wp:axiomatics", {})

def proved(counts):
    return counts.get("total", 0) > 0 and counts.get("valid", 0) == counts.get("total", 0)

def goals(functions):
    return {(f, key) for f, entries in functions.items() for key in entries if key != "wp:section"}

def lemmas(axiomatics):
    return {key for a in axiomatics.values() for key in a if key.startswith("lemma_")}

src_goals, src_lemmas = set(), set()
for module in recorded.values():
    src_goals |= goals(module["wp_report"]["wp:functions"])
    src_lemmas |= lemmas(module["wp_report"].get("wp:axiomatics", {}))
ok = True
for what, src, dist in (("goals", src_goals, goals(dist_functions)),
                        ("lemmas", src_lemmas, lemmas(dist_lemmas))):
    if src != dist:
        ok = False
        print("FAIL: the %s proved on dist/ differ from those recorded for src/:" % what)
        for item in sorted(src - dist)[:10]:
            print("  only for src/: %s" % (item,))
        for item in sorted(dist - src)[:10]:
            print("  only for dist/: %s" % (item,))
unproved = [(f, k) for f, e in dist_functions.items() for k, c in e.items()
            if k != "wp:section" and not proved(c.get("wp:main", {}))]
if unproved:
    ok = False
    print("FAIL: not proved on dist/: %s" % unproved[:10])
if ok:
    total = sum(e.get("wp:section", {}).get("wp:main", {}).get("total", 0)
                for e in dist_functions.values())
    print("PASS: dist/veralloc.c: the same goals as src/ (%d names, %d goals) in %d functions, and "
          "the same %d lemmas, all proved" % (len(src_goals), total, len(dist_functions),
                                              len(src_lemmas)))
sys.exit(0 if ok else 1)
PY

# What the amalgamation holds beyond the proved modules.
(cd "$work" && frama-c -machdep ppc_32 -cpp-extra-args=-I. veralloc.c -metrics \
    -metrics-output "$work/metrics.json") >"$work/metrics.log" 2>&1 || {
    cat "$work/metrics.log"
    echo "FAIL: frama-c -metrics"
    status=1
}
python3 - "$work/metrics.json" "$functions" <<'PY' || status=1
import json, sys
defined = {name for entry in json.load(open(sys.argv[1]))["defined-functions"] for name in entry}
proved = set(sys.argv[2].split(","))
if not proved <= defined:
    print("FAIL: functions of the proved modules missing from dist/veralloc.c: %s" %
          ", ".join(sorted(proved - defined)))
    sys.exit(1)
rest = sorted(defined - proved)
if rest:
    print("NOT PROVED on dist/ (no module with contracts yet, docs/requirements.md): " +
          ", ".join(rest))
PY

if [ "$mode" = update ]; then
    echo "session written to $session; commit it"
fi
exit "$status"
