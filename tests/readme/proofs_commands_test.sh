#!/usr/bin/env bash
# The proof commands of the README, started as `bazel run` starts them:
#   bazel run //proofs:summary   (quick: the arena replayed from its committed cache, one mutant)
#   bazel run //proofs:update    (in a scratch copy of the tree with cache entries removed and a stale
#                                 docs table: the cache is rewritten there and the table restored)
set -euo pipefail
launch=$TEST_SRCDIR/veralloc/tests/readme/bazel_run_like.sh
tree=$TEST_SRCDIR/veralloc
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== bazel run //proofs:summary -- --mode replay --only arena --mutant arena_wrong_round_up --report reports/v.md"
workspace=$TEST_TMPDIR/workspace
mkdir -p "$workspace"
"$launch" "$workspace" proofs/summary_bazel_run.txt --mode replay --only arena \
    --mutant arena_wrong_round_up --report reports/v.md >"$TEST_TMPDIR/summary.log" 2>&1 ||
    { cat "$TEST_TMPDIR/summary.log"; fail "the summary binary failed"; }
cat "$TEST_TMPDIR/summary.log"
grep -q '^proving arena' "$TEST_TMPDIR/summary.log" || fail "no progress line for the arena"
grep -qE '^  arena: done in [0-9]+ s' "$TEST_TMPDIR/summary.log" || fail "no time for the arena"
grep -q '^  PASS: mutant arena_wrong_round_up' "$TEST_TMPDIR/summary.log" || fail "the mutant was not shown"
grep -q 'ALL PROVED' "$TEST_TMPDIR/summary.log" || fail "no verdict"
report=$workspace/reports/v.md
[ -f "$report" ] || fail "--report reports/v.md did not write $report (relative to the working directory)"
for expected in '^\| arena \| proved \| [0-9]+/[0-9]+ \|' 'axioms: vera_address_arithmetic' \
    '1 of 1 rejected' 'machdeps: ppc_32' 'tools: Frama-C' \
    'declared without a body, e.g. the lock hook pair\): vera_lock_acquire \(arena\), vera_lock_release \(arena\)'; do
    grep -qE "$expected" "$report" || fail "the report lacks /$expected/"
done

echo "== the summary fails when a module does not prove (a stale cache in replay mode)"
broken=$TEST_TMPDIR/broken-runfiles
# A runfiles tree whose arena cache lost every entry: the replay cannot prove anything.
cp -RL "$TEST_SRCDIR" "$broken"
rm -f "$broken/veralloc/proofs/sessions/arena/cache/"*.json
TEST_SRCDIR=$broken "$launch" "$workspace" proofs/summary_bazel_run.txt --mode replay \
    --only arena --no-mutants >"$TEST_TMPDIR/broken.log" 2>&1 &&
    { cat "$TEST_TMPDIR/broken.log"; fail "the summary passed with an empty cache"; }
grep -q 'FAILED' "$TEST_TMPDIR/broken.log" || { cat "$TEST_TMPDIR/broken.log"; fail "no FAILED verdict"; }
rm -rf "$broken"

echo "== bazel run //proofs:update -- --only arena --mutant arena_wrong_round_up, in a scratch tree"
scratch=$TEST_TMPDIR/scratch
mkdir -p "$scratch/docs"
cp -RL "$tree/src" "$tree/include" "$tree/specs" "$tree/proofs" "$scratch/"
cp -L "$tree/docs/proofs.md" "$scratch/docs/"
chmod -R u+w "$scratch"
# Three verdicts lost from the cache, an entry no goal uses, and a stale docs table: update must
# restore the table and drop the unused entry (its cache mode removes what no goal read).
mapfile -t entries < <(ls "$scratch/proofs/sessions/arena/cache" | sort)
rm "$scratch/proofs/sessions/arena/cache/${entries[0]}" "$scratch/proofs/sessions/arena/cache/${entries[1]}" \
    "$scratch/proofs/sessions/arena/cache/${entries[2]}"
unused=$scratch/proofs/sessions/arena/cache/ffffffffffffffffffffffffffffffff.json
cp "$scratch/proofs/sessions/arena/cache/${entries[3]}" "$unused"
sed -i 's/^\*\*arena\*\*: [0-9]* of/**arena**: 1 of/' "$scratch/docs/proofs.md"
! cmp -s "$scratch/docs/proofs.md" "$tree/docs/proofs.md" || fail "the docs table was not made stale"
"$launch" "$scratch" proofs/update_bazel_run.txt --only arena --mutant arena_wrong_round_up \
    >"$TEST_TMPDIR/update.log" 2>&1 || { cat "$TEST_TMPDIR/update.log"; fail "update failed"; }
cat "$TEST_TMPDIR/update.log"
# (which prover proves a re-proved goal first may differ: the per-prover counts are not compared)
diff -I '^Goals per prover' "$scratch/docs/proofs.md" "$tree/docs/proofs.md" ||
    fail "update did not restore the docs table"
# Update replays what it wrote before it rewrites the docs, so a restored table means the cache
# proves the module again. Which entries a re-proof writes depends on timing (the prover that
# loses a race is not cached, nor is a smoke test that times out), so new files are not required;
# the unused entry must be gone: update worked on the scratch tree's cache.
[ ! -e "$unused" ] || fail "update did not clean the scratch tree's arena cache (the unused entry is still there)"
[ -n "$(ls "$scratch/proofs/sessions/arena/cache")" ] || fail "update left the scratch tree's arena cache empty"
cmp "$scratch/proofs/mutants/sessions/arena_wrong_round_up/fingerprint" \
    "$tree/proofs/mutants/sessions/arena_wrong_round_up/fingerprint" || fail "the mutant fingerprint changed"
echo "PASS: the proof commands work as bazel run starts them"
