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
# What is run, all read from RESULTS (tools/record_proof_results.py), so that a module recorded
# there is proved here with no change to this script:
#   - one WP run per recorded module: its functions (-wp-fct), with the module's own -main and
#     -wp-skip-fct, i.e. the settings of its //proofs:<module>_proof target (mira_mem: proved from
#     its initial state, the two trusted wrappers of the application's callback and hook kept out
#     of the proof);
#   - one run for the lemmas. WP 25 generates lemma goals only when no function is selected or
#     skipped (its strategy adds lemmas only for "all functions"): with -wp-skip-fct it reports
#     "No goal generated". So this run selects every function and only the lemmas
#     (-wp-prop @lemma); it proves no function goal, but WP still looks at every body and warns
#     about the trusted wrappers' indirect calls. Those warnings are accepted in this run only
#     (dist_lemma_rules.json), and only at a line inside the body of a function that a module
#     skips; the run must generate no function goal.
# Checked:
#   - the gate of every run: frama-c exits 0 with every unknown property and every unclassified
#     warning an error, and WP prints "Proved goals: N / N". The warnings accepted are those of
#     proofs/report_rules.json (the same rules, with their reasons, as the module proofs of src/)
#     plus dist_report_rules.json: the header/source contract merge as the amalgamation names its
#     files (veralloc.h instead of include/...), accepted only where the header contract comes
#     from a header whose merges proofs/report_rules.json accepts (checked below);
#   - the goals proved on the amalgamation are, name for name, the goals RESULTS records as proved
#     for src/ (same contracts, same runtime-error goals, same smoke tests), and so are the lemmas.
#     Smoke tests of dead code are named after the statement's number (`_s123`), which counts
#     every statement of the translation unit before it: in veralloc.c the facade comes after the
#     arena, so its numbers are shifted; they are compared by their order within the function.
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
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
proof_rules=$(cd "$here/../../proofs" && pwd)/report_rules.json
wp_flags=$(cd "$here/../../proofs" && pwd)/wp_flags
dist_rules=$here/dist_report_rules.json
lemma_rules=$here/dist_lemma_rules.json

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
        mkdir -p "$session/cache"
        session=$(cd "$session" && pwd)
        # Seeded with the modules' committed verdicts (proofs/sessions/*/cache): most goals of
        # dist/ are the goals of src/ word for word, and WP keys its cache by the goal's text, so
        # those are found instead of proved again. The seeds are dated 2001; WP reads an entry it
        # uses (which updates its access time) and writes the ones it proves, so the seeds left
        # with a 2001 access time were not used, and are removed below: the cache then holds the
        # verdicts of this run only. (On a file system mounted noatime every seed would be removed,
        # and the replay of //tests/release:dist_proof_test would then fail: never silently.)
        for module_cache in "$here/../../proofs/sessions"/*/cache; do
            cp -n "$module_cache"/*.json "$session/cache/" 2>/dev/null || true
        done
        find "$session/cache" -name '*.json' -exec touch -d '2001-01-01 00:00:00' {} +
        cache=(-wp-session "$session" -wp-cache update)
        ;;
esac

# The proved modules as recorded for src/: name, functions, -main, skipped functions (tab-separated).
python3 - "$results" >"$work/modules.tsv" <<'PY' || { echo "FAIL: cannot read $results"; exit 1; }
import json, sys
for name, module in sorted(json.load(open(sys.argv[1]))["modules"].items()):
    print("\t".join([name, ",".join(sorted(module["wp_report"]["wp:functions"])),
                     module.get("main", ""), ",".join(module.get("skip", []))]))
PY
[ -s "$work/modules.tsv" ] || { echo "FAIL: no proved module in $results"; exit 1; }

# The WP settings of every proof run (proofs/wp_flags, which includes the gate: every unknown
# property and every unclassified warning is an error), plus this tree's include path.
mapfile -t flags < <(sed 's/#.*//' "$wp_flags" | tr -s ' \t' '\n' | grep -v '^$')
[ "${#flags[@]}" -gt 0 ] || { echo "FAIL: no WP flags in $wp_flags"; exit 1; }
flags+=(-cpp-extra-args=-I.)

status=0
run() { # run NAME RULES SELECTION...: one gated WP run over veralloc.c
    local name=$1 rules=$2
    shift 2
    (cd "$work" && frama-c "${flags[@]}" "$@" "${cache[@]}" -wp-report-json "$work/$name.json" \
        -report-rules "$rules" veralloc.c \
        -then -report-classify -report-output "$work/$name.classify.json") >"$work/$name.log" 2>&1
    local exit_status=$?
    # The report gate alone is not enough: a goal whose provers fail (as every goal missing from
    # the cache does in replay) leaves its property "never tried", which the gate does not count,
    # and frama-c exits 0. WP's own count of proved goals is checked too.
    local goals
    goals=$(grep -o 'Proved goals: *[0-9]* / [0-9]*' "$work/$name.log" | tr -s ' ')
    if [ "$exit_status" -ne 0 ] || [ -z "$goals" ] ||
        [ "$(awk '{print $3}' <<<"$goals")" != "$(awk '{print $5}' <<<"$goals")" ]; then
        grep -v -e ': Valid' -e '\[Passed\]' -e '^\[rte:annot\]' "$work/$name.log" | tail -40
        echo "FAIL: $name: frama-c exit $exit_status, ${goals:-no goal count}"
        status=1
    else
        echo "PASS: $name: $goals on dist/veralloc.c"
    fi
}

while IFS=$'\t' read -r module functions main skip; do
    selection=(-wp-fct "$functions")
    [ -z "$main" ] || selection+=(-main "$main")
    [ -z "$skip" ] || selection+=(-wp-skip-fct "$skip")
    run "module-$module" "$proof_rules,$dist_rules" "${selection[@]}"
done <"$work/modules.tsv"
run lemmas "$proof_rules,$dist_rules,$lemma_rules" -wp-prop @lemma

# Same goals as src/, name for name; and the warnings accepted only where they may be.
python3 - "$results" "$work" "$proof_rules" "$lemma_rules" <<'PY' || status=1
import glob, json, os, re, sys
results, work, proof_rules, lemma_rules = sys.argv[1:5]
recorded = json.load(open(results))["modules"]
ok = True

def fail(message):
    global ok
    ok = False
    print("FAIL: " + message)

def proved(counts):
    return counts.get("total", 0) > 0 and counts.get("valid", 0) == counts.get("total", 0)

DEAD = re.compile(r"(_wp_smoke_dead_\w+?_s)(\d+)$")

def goals(functions):
    """{(function, goal name)}, dead-code smoke tests numbered by statement order in the function."""
    names = set()
    for function, entries in functions.items():
        keys = [key for key in entries if key != "wp:section"]
        order = {sid: rank for rank, sid in enumerate(sorted(
            {int(m.group(2)) for m in map(DEAD.search, keys) if m}))}
        names |= {(function, DEAD.sub(lambda m: "%s#%d" % (m.group(1), order[int(m.group(2))]), key))
                  for key in keys}
    return names

def lemmas(report):
    return {key for a in report.get("wp:axiomatics", {}).values() for key in a
            if key.startswith("lemma_")}

def report(name):
    path = os.path.join(work, name + ".json")
    return (json.load(open(path)) or {}) if os.path.exists(path) else {}

src_lemmas, dist_lemmas = set(), lemmas(report("lemmas"))
total_names = total_goals = 0
for module, data in sorted(recorded.items()):
    src_lemmas |= lemmas(data["wp_report"])
    dist = report("module-" + module).get("wp:functions", {})
    src, got = goals(data["wp_report"]["wp:functions"]), goals(dist)
    # The one accepted difference: on dist/ the heap's constant table (heap_power_of) is a global
    # of the same file as the pool, so WP adds, at the calls of the two trusted address comparisons
    # (heap_offset_in_buffer, pool_offset_in_blocks), separation hypotheses from that table as
    # goals (<function>_wp_typed_requires*), which it must prove like every other goal (docs/proofs.md,
    # Accepted warnings). Any other goal of dist/ must be one of src/.
    trusted_separation = re.compile(r"^(heap_offset_in_buffer|pool_offset_in_blocks)_wp_typed_requires(_[0-9]+)?$")
    got = {item for item in got if item in src or not trusted_separation.match(item[1])}
    if src != got:
        fail("module %s: the goals proved on dist/ differ from those recorded for src/:" % module)
        for item in sorted(src - got)[:10]:
            print("  only for src/: %s" % (item,))
        for item in sorted(got - src)[:10]:
            print("  only for dist/: %s" % (item,))
    unproved = [(f, k) for f, e in dist.items() for k, c in e.items()
                if k != "wp:section" and not proved(c.get("wp:main", {}))]
    if unproved:
        fail("module %s: not proved on dist/: %s" % (module, unproved[:10]))
    total_names += len(src)
    total_goals += sum(e.get("wp:section", {}).get("wp:main", {}).get("total", 0)
                       for e in dist.values())
if src_lemmas != dist_lemmas:
    fail("the lemmas proved on dist/ (%s) differ from those recorded for src/ (%s)" %
         (", ".join(sorted(dist_lemmas)), ", ".join(sorted(src_lemmas))))
if report("lemmas").get("wp:functions"):
    fail("the lemma run generated function goals: %s" % sorted(report("lemmas")["wp:functions"]))

# The contract merges: proofs/report_rules.json accepts them for the headers it names; on dist/
# the header's contract must come from the part of veralloc.h that is one of those headers.
merge_headers = set()
for rule in json.load(open(proof_rules)):
    match = re.search(r"old location: (.+?):\[0-9\]", rule.get("warning", ""))
    if rule.get("plugin") == "kernel" and "found two contracts" in rule.get("warning", "") and match:
        merge_headers.add(match.group(1).replace("\\", ""))
def sections(path):
    """line number -> the file of the tree that line of the amalgamation comes from."""
    stack, owner = [None], {}
    for number, line in enumerate(open(path), 1):
        match = re.match(r"/\* ======== (begin|end) (\S+) ======== \*/", line)
        if match and match.group(1) == "begin":
            stack.append(match.group(2))
        elif match:
            stack.pop()
        owner[number] = stack[-1]
    return owner
header_of = sections(os.path.join(work, "veralloc.h"))

# Lines of veralloc.c inside the bodies of the functions the modules skip.
skipped = {f for data in recorded.values() for f in data.get("skip", [])}
code = open(os.path.join(work, "veralloc.c")).read().split("\n")
skipped_lines = set()
for function in skipped:
    starts = [i for i, line in enumerate(code)
              if re.match(r"^[A-Za-z_].*\b%s\s*\(" % re.escape(function), line)
              and not line.rstrip().endswith(";")]
    if len(starts) != 1:
        fail("cannot find the one definition of skipped function %s in veralloc.c" % function)
        continue
    end = next((i for i in range(starts[0], len(code)) if code[i] == "}"), None)
    skipped_lines |= set(range(starts[0] + 1, (end or starts[0]) + 2))
lemma_only = {rule["classid"] for rule in json.load(open(lemma_rules))}
# The private helpers of src/vera_internal.h: their preconditions may stay unknown within one
# module's run (the other modules' call sites are proved in their own runs, checked above).
source_of = sections(os.path.join(work, "veralloc.c"))

for log in sorted(glob.glob(os.path.join(work, "*.log"))):
    name = os.path.basename(log)[:-len(".log")]
    classify = os.path.join(work, name + ".classify.json")
    if not os.path.exists(classify):
        continue
    events = json.load(open(classify))
    merges = re.findall(r"veralloc\.c:(\d+): Warning:\s+found two contracts \(old location: "
                        r"veralloc\.h:(\d+)\)\. Merging them", open(log).read())
    if len(merges) != sum(e["classid"] == "veralloc.contract-merge" for e in events):
        fail("%s: %d contract merges in the log, %d classified" % (
            name, len(merges), sum(e["classid"] == "veralloc.contract-merge" for e in events)))
    for new, old in merges:
        if header_of.get(int(old)) not in merge_headers:
            fail("%s: contract merge at veralloc.c:%s with veralloc.h:%s (from %s): "
                 "proofs/report_rules.json accepts merges only for %s" % (
                     name, new, old, header_of.get(int(old)), ", ".join(sorted(merge_headers))))
    for event in events:
        if (event["classid"] == "veralloc.shared-helper-precondition"
                and (event.get("file") != "veralloc.c"
                     or source_of.get(event.get("line")) != "src/vera_internal.h")):
            fail("%s: unknown precondition %s at %s:%s is not one of a helper of "
                 "src/vera_internal.h" % (name, event.get("title"), event.get("file"),
                                          event.get("line")))
        if event["classid"] in lemma_only and (name != "lemmas" or event.get("file") != "veralloc.c"
                                               or event.get("line") not in skipped_lines):
            fail("%s: warning %s at %s:%s is not inside a skipped function (%s)" % (
                name, event["classid"], event.get("file"), event.get("line"),
                ", ".join(sorted(skipped))))

if ok:
    print("PASS: dist/veralloc.c: the same goals as src/ (%d names, %d goals) in %d modules, and the "
          "same %d lemmas, all proved" % (total_names, total_goals, len(recorded), len(src_lemmas)))
sys.exit(0 if ok else 1)
PY

# What the amalgamation holds beyond the proved modules.
(cd "$work" && frama-c -machdep ppc_32 -cpp-extra-args=-I. veralloc.c -metrics \
    -metrics-output "$work/metrics.json") >"$work/metrics.log" 2>&1 || {
    cat "$work/metrics.log"
    echo "FAIL: frama-c -metrics"
    status=1
}
python3 - "$work/metrics.json" "$work/modules.tsv" <<'PY' || status=1
import json, sys
defined = {name for entry in json.load(open(sys.argv[1]))["defined-functions"] for name in entry}
proved, skipped = set(), set()
for line in open(sys.argv[2]):
    _, functions, _, skip = line.rstrip("\n").split("\t")
    proved |= set(functions.split(","))
    skipped |= set(filter(None, skip.split(",")))
if not (proved | skipped) <= defined:
    print("FAIL: functions of the proved modules missing from dist/veralloc.c: %s" %
          ", ".join(sorted((proved | skipped) - defined)))
    sys.exit(1)
if skipped:
    print("TRUSTED on dist/ as on src/ (bodies kept out of the proof, contracts assumed; "
          "docs/proofs.md): " + ", ".join(sorted(skipped)))
rest = sorted(defined - proved - skipped)
if rest:
    print("NOT PROVED on dist/ (no module with contracts yet, docs/requirements.md): " +
          ", ".join(rest))
PY

if [ "$mode" = update ]; then
    unused=$(find "$session/cache" -name '*.json' ! -newerat '2002-01-01' | wc -l)
    find "$session/cache" -name '*.json' ! -newerat '2002-01-01' -delete
    echo "session written to $session ($unused seeded verdicts not used, removed); commit it"
fi
exit "$status"
