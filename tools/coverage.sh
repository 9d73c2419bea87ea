#!/usr/bin/env bash
# tools/coverage.sh [--check] [OUTPUT_DIRECTORY]
#
# Line and branch coverage of the library (src/*.c) by the unit tests (tests/*_test.c) and by the
# fuzz corpora (every fuzz/<target>.c replaying fuzz/corpus/<target>/inputs/), measured with
# clang's source-based coverage (llvm-profdata and llvm-cov from Debian's llvm package).
# Prints, per source file, the coverage by the corpora alone, by the unit tests alone and by both,
# then every line and branch direction that neither reaches. Annotated sources and the raw
# reports stay in OUTPUT_DIRECTORY (default: a fresh temporary directory).
#
# --check: exit 1 unless both together cover every line and every branch direction of the files
# in COVERAGE_CHECKED_FILES (default: every module's sources, from the registry modules.bzl through
# tools/registry.py). docs/fuzzing.md records the last result.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
if [ "${1:-}" = "--check" ]; then
    check=true
    shift
fi
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(realpath "$out")
read -r -a checked_files <<<"${COVERAGE_CHECKED_FILES:-$(python3 tools/registry.py sources | tr '\n' ' ')}"

cc=${COVERAGE_CC:-clang}
profdata=${LLVM_PROFDATA:-llvm-profdata}
cov=${LLVM_COV:-llvm-cov}
flags=(-std=c99 -O0 -g -fprofile-instr-generate -fcoverage-mapping -I. -Iinclude -w)

rm -rf "$out/objects" "$out/bin" "$out/profiles"
mkdir -p "$out/objects" "$out/bin" "$out/profiles"

# The library and the harness helpers as archives: a binary takes only the members it needs, so
# a harness that includes a source textually (src/mira_mem.c) does not get it twice.
library_objects=()
for source in src/*.c; do
    object="$out/objects/$(basename "$source" .c).o"
    "$cc" "${flags[@]}" -c "$source" -o "$object"
    library_objects+=("$object")
done
ar rcs "$out/objects/libveralloc.a" "${library_objects[@]}"
harness_objects=()
for source in fuzz/support/fuzz_check.c fuzz/support/fuzz_input.c fuzz/support/fuzz_memory.c fuzz/*_model.c; do
    object="$out/objects/harness_$(basename "$source" .c).o"
    "$cc" "${flags[@]}" -c "$source" -o "$object"
    harness_objects+=("$object")
done
ar rcs "$out/objects/libharness.a" "${harness_objects[@]}"

binaries=()
for test_source in tests/*_test.c; do
    name=$(basename "$test_source" .c)
    "$cc" "${flags[@]}" "$test_source" "$out/objects/libveralloc.a" -o "$out/bin/$name"
    binaries+=("$out/bin/$name")
    LLVM_PROFILE_FILE="$out/profiles/unit-$name.profraw" "$out/bin/$name" >"$out/bin/$name.log" 2>&1 ||
        { echo "coverage: $name failed (log: $out/bin/$name.log)" >&2; exit 1; }
done
for fuzzer_source in fuzz/*_fuzzer.c; do
    name=$(basename "$fuzzer_source" .c)
    corpus="fuzz/corpus/$name/inputs"
    [ -d "$corpus" ] || { echo "coverage: $name has no corpus at $corpus" >&2; exit 1; }
    "$cc" "${flags[@]}" "$fuzzer_source" fuzz/support/replay_main.c "$out/objects/libharness.a" \
        "$out/objects/libveralloc.a" -o "$out/bin/$name"
    binaries+=("$out/bin/$name")
    LLVM_PROFILE_FILE="$out/profiles/corpus-$name.profraw" "$out/bin/$name" "$corpus" >"$out/bin/$name.log" 2>&1 ||
        { echo "coverage: $name failed on its corpus (log: $out/bin/$name.log)" >&2; exit 1; }
done

"$profdata" merge -sparse "$out"/profiles/corpus-*.profraw -o "$out/corpus.profdata"
"$profdata" merge -sparse "$out"/profiles/unit-*.profraw -o "$out/unit.profdata"
"$profdata" merge -sparse "$out"/profiles/*.profraw -o "$out/all.profdata"

objects=("${binaries[0]}")
for binary in "${binaries[@]:1}"; do
    objects+=(-object "$binary")
done
sources=(src/*.c)
# llvm-cov warns about "mismatched data" for functions that exist in several binaries with
# different bodies (main, LLVMFuzzerTestOneInput); none of them is in src/. The warnings go to
# llvm-cov.log.
for set in corpus unit all; do
    "$cov" export -summary-only -instr-profile "$out/$set.profdata" "${objects[@]}" "${sources[@]}" \
        >"$out/$set.summary.json" 2>>"$out/llvm-cov.log"
done
"$cov" export -instr-profile "$out/all.profdata" "${objects[@]}" "${sources[@]}" >"$out/all.json" 2>>"$out/llvm-cov.log"
"$cov" show -show-branches=count -instr-profile "$out/all.profdata" "${objects[@]}" "${sources[@]}" \
    >"$out/all.annotated.txt" 2>>"$out/llvm-cov.log"

python3 - "$out" "$check" "${checked_files[@]}" <<'PYTHON'
import json, os, re, sys

out, check, checked = sys.argv[1], sys.argv[2] == "true", sys.argv[3:]
root = os.getcwd() + "/"


def summary(name):
    with open(os.path.join(out, name + ".summary.json")) as report:
        files = json.load(report)["data"][0]["files"]
    return {f["filename"].replace(root, ""): f["summary"] for f in files}


sets = {name: summary(name) for name in ("corpus", "unit", "all")}


def cell(file_summary, kind):
    part = file_summary[kind]
    return "%d/%d" % (part["covered"], part["count"])


print("%-16s %-22s %-22s %-22s" % ("file", "corpora lines/branches", "unit tests", "both"))
for filename in sorted(sets["all"]):
    row = [filename]
    for name in ("corpus", "unit", "all"):
        s = sets[name].get(filename)
        row.append("-" if s is None else cell(s, "lines") + "  " + cell(s, "branches"))
    print("%-16s %-22s %-22s %-22s" % tuple(row))

# Lines with count 0, from the annotated listing (its line counts add up every binary); branch
# directions never taken, from the full export, merged by source location (a source included
# textually by several harnesses has one record per binary).
misses = {}
current = None
with open(os.path.join(out, "all.annotated.txt")) as listing:
    for line in listing:
        header = re.match(r"^(/\S+\.c):$", line.strip())
        if header:
            current = header.group(1).replace(root, "")
            continue
        counted = re.match(r"^\s*(\d+)\|\s*0\|(.*)$", line)
        if counted and current:
            misses.setdefault(current, []).append("line %s: %s" % (counted.group(1), counted.group(2).strip()))
with open(os.path.join(out, "all.json")) as export:
    for exported in json.load(export)["data"][0]["files"]:
        filename = exported["filename"].replace(root, "")
        directions = {}
        for branch in exported["branches"]:
            taken = directions.setdefault((branch[0], branch[1]), [0, 0])
            taken[0] += branch[4]
            taken[1] += branch[5]
        for (line, column), (true_count, false_count) in sorted(directions.items()):
            for name, count in (("true", true_count), ("false", false_count)):
                if count == 0:
                    misses.setdefault(filename, []).append("branch %d:%d never %s" % (line, column, name))
for filename in sorted(misses):
    print("\nnot covered in %s:" % filename)
    for miss in misses[filename]:
        print("  " + miss)

failed = []
for filename in checked:
    s = sets["all"].get(filename)
    if s is None:
        failed.append(filename + " (no coverage data)")
    elif s["lines"]["covered"] != s["lines"]["count"] or s["branches"]["covered"] != s["branches"]["count"]:
        failed.append(filename)
print("\nannotated sources: %s" % os.path.join(out, "all.annotated.txt"))
if check:
    if failed:
        print("coverage check FAILED: not fully covered: " + ", ".join(failed))
        sys.exit(1)
    print("coverage check passed: every line and branch of %s is covered" % ", ".join(checked))
PYTHON
