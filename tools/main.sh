#!/usr/bin/env bash
# tools/main.sh [--smoke]
#
# The main job, for a reviewer: installs what is missing (tools/setup.sh), proves every module and
# every mutant afresh with every prover (bazel run //proofs:summary), then measures every
# allocator on the Cortex-M boards under QEMU (bazel run //bench). Both steps print their progress
# as they go. At the end it prints the verification summary (modules, goals per prover, trusted
# base, mutants, machdeps, tool versions, time) and the benchmark table, and writes both to
# bench/results/main_job.md. When the proofs fail the benchmark still runs; the exit status is
# non-zero when either step failed.
#
# --smoke  the same steps, quick: the arena's proof replayed from its committed cache with one
#          mutant, and the benchmark's smoke mode; everything is written to a temporary
#          directory (what //tests/readme:main_job_test runs).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

smoke=0
case "${1:-}" in
    --smoke) smoke=1 ;;
    "") ;;
    *) echo "usage: tools/main.sh [--smoke]" >&2; exit 2 ;;
esac

if [ "$smoke" -eq 1 ]; then
    results=$(mktemp -d "${TMPDIR:-/tmp}/veralloc-main.XXXXXX")
    summary_args=(--mode replay --only arena --mutant wrong_round_up)
    bench_args=(--smoke --out "$results")
else
    results=$root/bench/results
    summary_args=()
    bench_args=()
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/veralloc-main-work.XXXXXX")
start=$(date +%s)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
elapsed() { echo "$(($(date +%s) - start)) s"; }

echo "== veralloc main job: commit $commit, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores =="
tools/setup.sh || { echo "main job: tools/setup.sh failed" >&2; exit 1; }

echo
echo "== 1/2 proofs: every WP goal and every mutant$([ "$smoke" -eq 1 ] && echo " (smoke)") =="
proof_status=0
bazel run //proofs:summary -- "${summary_args[@]}" --report "$work/verification.md" ||
    proof_status=$?
proof_time=$(elapsed)

echo
echo "== 2/2 benchmark: Cortex-M boards under QEMU$([ "$smoke" -eq 1 ] && echo " (smoke)") ($(elapsed) so far) =="
bench_status=0
bazel run //bench -- "${bench_args[@]}" || bench_status=$?

verdict() { [ "$1" -eq 0 ] && echo "passed" || echo "FAILED (exit $1)"; }
{
    echo "# veralloc main job"
    echo
    echo "Commit $commit, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; \`tools/main.sh$([ "$smoke" -eq 1 ] && echo " --smoke")\`."
    echo "Proofs: $(verdict "$proof_status") (done after $proof_time); benchmark: $(verdict "$bench_status");" \
        "total $(elapsed)."
    echo
    if [ -f "$work/verification.md" ]; then
        cat "$work/verification.md"
    else
        echo "(the proof step wrote no summary)"
    fi
    echo
    echo "## Benchmark (executed instructions under QEMU, not cycles)"
    echo
    if [ "$bench_status" -eq 0 ] && [ -f "$results/latest.md" ]; then
        cat "$results/latest.md"
    else
        echo "(the benchmark step failed: no table)"
    fi
} >"$work/main_job.md"

echo
echo "================================================================================"
cat "$work/main_job.md"
mkdir -p "$results"
cp "$work/main_job.md" "$results/main_job.md"
echo
echo "main job: written to $results/main_job.md; proofs $(verdict "$proof_status")," \
    "benchmark $(verdict "$bench_status"), $(elapsed)"
[ "$proof_status" -eq 0 ] && [ "$bench_status" -eq 0 ]
