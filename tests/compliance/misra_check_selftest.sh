#!/usr/bin/env bash
# Shows that the MISRA gate can fail. tools/misra_check.py runs against the real sources with a
# copy of docs/misra.md that is wrong in one way at a time, and must reject each:
#   missing-row  its first deviation row removed  -> findings that are not listed
#   stale-row    a row that covers nothing added  -> a stale row
#   low-max      a row's Max lowered to 1         -> more findings than the row allows
#   mandatory    a Mandatory rule deviated        -> refused before cppcheck runs
#
# Usage: misra_check_selftest.sh tools/misra_check.py docs/misra.md CANARY FILES...
set -uo pipefail

script=$1
doc=$2
canary=$3
shift 3
files=("$@")
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/misra-selftest.XXXXXX")
status=0

# Writes the four broken copies of the document into $work.
python3 - "$doc" "$work" <<'PYTHON' || { echo "FAIL: could not derive the broken documents"; exit 1; }
import re, sys
doc, work = sys.argv[1], sys.argv[2]
lines = open(doc, encoding="utf-8").read().splitlines(True)
inside, rows = False, []
for index, line in enumerate(lines):
    if line.startswith("## "):
        inside = line.strip() == "## Deviation table"
    elif inside and re.match(r"\|\s*D-", line):
        rows.append(index)
if not rows:
    sys.exit("no deviation rows")
first = rows[0]

def write(name, new_lines):
    open("%s/%s.md" % (work, name), "w", encoding="utf-8").writelines(new_lines)

write("missing-row", lines[:first] + lines[first + 1:])
stale = ("| D-99 | 17.7 | Required | deviation | nowhere/*.c | * | 1 | A row for the self-test "
         "that covers no file, so it matches no finding. |\n")
write("stale-row", lines[:first + 1] + [stale] + lines[first + 1:])
for index in rows:
    cells = re.split(r"(?<!\\)\|", lines[index])
    if cells[7].strip() == "any" or int(cells[7]) > 1:   # cells[0] is before the first pipe
        cells[7] = " 1 "
        write("low-max", lines[:index] + ["|".join(cells)] + lines[index + 1:])
        break
else:
    sys.exit("no row with Max above 1")
mandatory = ("| D-98 | 17.3 | Mandatory | deviation | src/*.c | * | 1 | A row for the self-test: "
             "no function may be declared implicitly. |\n")
write("mandatory", lines[:first + 1] + [mandatory] + lines[first + 1:])
PYTHON

run() { # name, text the gate must print
    local name=$1 expected=$2 log="$work/$1.log"
    if python3 "$script" --doc "$work/$name.md" --canary "$canary:15.1" "${files[@]}" >"$log" 2>&1; then
        echo "FAIL ($name): the gate passed a broken document"
        status=1
    elif ! grep -qF -- "$expected" "$log"; then
        echo "FAIL ($name): the gate failed, but without '$expected':"
        cat "$log"
        status=1
    else
        echo "ok ($name): rejected with '$expected'"
    fi
}
run missing-row "FAIL: not in"
run stale-row "matches no finding any more"
run low-max "allows 1 finding(s)"
run mandatory "is Mandatory and cannot be deviated"

[ "$status" -eq 0 ] && echo "PASS: the MISRA gate rejects all 4 broken documents"
exit "$status"
