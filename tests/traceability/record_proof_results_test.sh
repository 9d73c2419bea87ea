#!/usr/bin/env bash
# The README's `tools/record_proof_results.py`, in a scratch copy of the tree, for one module (the
# arena): with the arena's entry removed from the results file, `--module arena` records it again
# from the committed WP cache, exactly as committed, and `--check` then passes; with the arena's
# cache emptied (a stale cache), it records nothing and exits 1.
set -euo pipefail
tree=$TEST_SRCDIR/veralloc
fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$TEST_TMPDIR/scratch
results=tests/traceability/proof_results.json
mkdir -p "$scratch/tools" "$scratch/proofs/sessions" "$scratch/tests/traceability"
cp -RL "$tree/src" "$tree/include" "$tree/specs" "$scratch/"
cp -RL "$tree/proofs/sessions/arena" "$scratch/proofs/sessions/"
cp -L "$tree/proofs/wp_flags" "$tree/proofs/report_rules.json" "$scratch/proofs/"
cp -L "$tree/modules.bzl" "$scratch/"
cp -L "$tree/tools/record_proof_results.py" "$tree/tools/trace_check.py" "$tree/tools/registry.py" \
    "$scratch/tools/"
cp -L "$tree/$results" "$scratch/$results"
chmod -R u+w "$scratch"

entry() { # entry FILE: the arena's entry of a results file (which prover answered first is left
           # out: every goal's verdict, the goal count, the inputs' hashes and the settings stay)
    python3 - "$1" <<'PY'
import json, sys
arena = json.load(open(sys.argv[1]))["modules"].get("arena")
if arena is not None:
    report = arena.pop("wp_report")
    arena["verdicts"] = {function: {goal: {key: provers.get("wp:main", {}).get(key)
                                           for key in ("total", "valid")}
                                    for goal, provers in goals.items()}
                         for function, goals in report["wp:functions"].items()}
print(json.dumps(arena, sort_keys=True))
PY
}
python3 - "$scratch/$results" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
del data["modules"]["arena"]
json.dump(data, open(sys.argv[1], "w"), indent=1, sort_keys=True)
PY
[ "$(entry "$scratch/$results")" = null ] || fail "the arena entry was not removed"

echo "== tools/record_proof_results.py --module arena"
python3 "$scratch/tools/record_proof_results.py" --root "$scratch" --module arena ||
    fail "recording the arena from its committed cache failed"
[ "$(entry "$scratch/$results")" = "$(entry "$tree/$results")" ] ||
    fail "the arena was recorded differently from the committed $results"
python3 "$scratch/tools/record_proof_results.py" --root "$scratch" --check ||
    fail "--check rejects what was just recorded"

echo "== the same with the arena's cache emptied: nothing recorded, exit 1"
cp "$scratch/$results" "$TEST_TMPDIR/before.json"
rm -f "$scratch/proofs/sessions/arena/cache/"*.json
if python3 "$scratch/tools/record_proof_results.py" --root "$scratch" --module arena \
    >"$TEST_TMPDIR/stale.log" 2>&1; then
    cat "$TEST_TMPDIR/stale.log"
    fail "recorded the arena from an empty cache"
fi
cmp -s "$scratch/$results" "$TEST_TMPDIR/before.json" || fail "a failed run changed $results"
echo "PASS: tools/record_proof_results.py records a module from its cache and refuses a stale one"
