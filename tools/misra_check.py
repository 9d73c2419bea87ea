#!/usr/bin/env python3
"""MISRA C:2012 gate: cppcheck's MISRA addon over veralloc's sources, against docs/misra.md.

Runs `cppcheck --addon=misra` (plus cppcheck's own warning/style/portability checks) over every
given source file and, through one generated translation unit per header, over every given
header, once per platform (Cortex-M's 32-bit ARM and a 64-bit host). Every finding must match a
row of the deviation table in docs/misra.md; the gate fails on

  - a finding no row covers (a new violation: fix it, or add a row with its rationale),
  - a row that covers more findings than its `Max` column allows,
  - a row that covers no finding at all (stale: delete it, so the document stays true),
  - a row that deviates from a Mandatory rule (MISRA forbids it) or has no rationale,
  - an inline `cppcheck-suppress` comment in the checked files (every deviation lives in the
    document; this script never passes --inline-suppr, so such a comment would be ignored anyway),
  - the addon not running: before anything else, a canary file with known violations must be
    reported (see --canary), among them two rules broken at the same spot.

The table is the one under the heading "## Deviation table" in the document; its columns are
  | ID | Rule | Category | Kind | Files | Function | Max | Rationale |
`Files` is a glob (fnmatch, `*` also crosses `/`) over the paths as given; `Function` is a glob
over the name of the function whose definition contains the finding, or `-` for findings outside
every function (file scope, macros); `Max` is a number or `any`.

Usage (from the repository root; `bazel test //tests/compliance:misra_test` runs it):
  tools/misra_check.py --doc docs/misra.md \
      --canary tests/compliance/misra_canary.c:15.1,20.7,20.10 \
      src/*.c include/*.h include/veralloc/*.h
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

# Platforms cppcheck checks under: the Cortex-M ABI (ILP32) and a 64-bit host (LP64). Essential
# type rules depend on the width of size_t and uintptr_t, so both are checked.
PLATFORMS = ("arm32-wchar_t4", "unix64")

CPPCHECK_OPTIONS = (
    "--enable=warning,style,performance,portability",
    "--std=c99",
    "--language=c",
    # Proof-only code (Frama-C defines __FRAMAC__) is not compiled into firmware.
    "-U__FRAMAC__",
    "-Iinclude",
    "--quiet",
)

# MISRA C:2012 (with Amendments 1 and 2) Mandatory rules: these may never be deviated.
MANDATORY_RULES = {
    "9.1", "12.5", "13.6", "17.3", "17.4", "17.6", "19.1", "21.13", "21.17", "21.18", "21.19",
    "21.20", "22.2", "22.4", "22.5", "22.6",
}

KINDS = ("deviation", "false-positive", "disapplied")
CATEGORIES = ("Mandatory", "Required", "Advisory", "-")
COLUMNS = ["ID", "Rule", "Category", "Kind", "Files", "Function", "Max", "Rationale"]


class Row:
    def __init__(self, cells, line_number):
        values = dict(zip(COLUMNS, cells))
        self.line_number = line_number
        self.ident = values["ID"]
        self.rule = values["Rule"]
        self.category = values["Category"]
        self.kind = values["Kind"]
        self.files = values["Files"].strip("`")
        self.function = values["Function"].strip("`")
        self.max_text = values["Max"]
        self.rationale = values["Rationale"]
        self.matched = []

    def finding_id(self):
        """The cppcheck id this row covers: a MISRA rule number, or a cppcheck check id."""
        if re.fullmatch(r"\d+\.\d+", self.rule):
            return "misra-c2012-" + self.rule
        return self.rule

    def covers(self, finding):
        if finding.ident != self.finding_id():
            return False
        if not fnmatch.fnmatchcase(finding.file, self.files):
            return False
        function = finding.function if finding.function is not None else "-"
        if self.function == "-":
            return function == "-"
        return function != "-" and fnmatch.fnmatchcase(function, self.function)

    def max_count(self):
        return None if self.max_text == "any" else int(self.max_text)


class Finding:
    def __init__(self, ident, file, line, column, message, platform):
        self.ident = ident
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.platforms = {platform}
        self.function = None

    def key(self):
        return (self.ident, self.file, self.line, self.column)

    def describe(self):
        where = "in %s()" % self.function if self.function else "at file scope"
        return "%s:%d:%d: %s %s [%s]" % (self.file, self.line, self.column, self.ident, where,
                                          ", ".join(sorted(self.platforms)))


def parse_table(doc_path):
    """Rows of the deviation table, and a list of format errors."""
    rows, errors = [], []
    in_section = False
    header_seen = False
    with open(doc_path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            if line.startswith("## "):
                in_section = line.strip() == "## Deviation table"
                continue
            if not in_section or not line.lstrip().startswith("|"):
                continue
            # Cells are split at unescaped pipes; `\|` is a pipe inside a cell (as in Markdown).
            inner = line.strip()[1:-1] if line.strip().endswith("|") else line.strip()[1:]
            cells = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]
            if not header_seen:
                if cells != COLUMNS:
                    errors.append("%s:%d: the table's columns must be %s" %
                                  (doc_path, line_number, " | ".join(COLUMNS)))
                    return rows, errors
                header_seen = True
                continue
            if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                continue  # the |---|---| line
            if len(cells) != len(COLUMNS):
                errors.append("%s:%d: expected %d cells, found %d" %
                              (doc_path, line_number, len(COLUMNS), len(cells)))
                continue
            row = Row(cells, line_number)
            where = "%s:%d (%s)" % (doc_path, line_number, row.ident)
            if row.kind not in KINDS:
                errors.append("%s: Kind must be one of %s" % (where, ", ".join(KINDS)))
            if row.category not in CATEGORIES:
                errors.append("%s: Category must be one of %s" % (where, ", ".join(CATEGORIES)))
            if row.rule in MANDATORY_RULES or row.category == "Mandatory":
                if row.kind != "false-positive":
                    errors.append("%s: rule %s is Mandatory and cannot be deviated" %
                                  (where, row.rule))
            if row.kind == "disapplied" and row.category != "Advisory":
                errors.append("%s: only Advisory rules can be disapplied" % where)
            if not re.fullmatch(r"any|[1-9][0-9]*", row.max_text):
                errors.append("%s: Max must be a positive number or 'any'" % where)
            if len(row.rationale) < 40:
                errors.append("%s: the rationale is missing or too short to review" % where)
            if any(other.ident == row.ident for other in rows):
                errors.append("%s: duplicate ID" % where)
            rows.append(row)
    if not header_seen:
        errors.append("%s: no '## Deviation table' with columns %s" %
                      (doc_path, " | ".join(COLUMNS)))
    return rows, errors


def write_addon_configuration(workdir):
    """The MISRA addon's configuration, with a rule-texts file that names each rule.

    cppcheck drops a finding whose file, line, column and message equal those of an earlier one.
    Without rule texts the addon gives every finding the same message, so a second rule broken
    at the same spot (typically two rules on one #define, reported at its column 0) vanished:
    found with include/veralloc/pool.h, where rule 20.10 on VERA_POOL_DEFINE was hidden behind
    rule 20.7 on the same line. The texts written here are placeholders of our own that only
    carry the rule number (the real texts are copyrighted and not shipped), which makes every
    message distinct. Returns the --addon argument."""
    texts = os.path.join(workdir, "misra_rule_numbers.txt")
    lines = ["Appendix A  Summary of guidelines", ""]
    # Every number the addon could report (MISRA C:2012 with its amendments: sections 1 to 22,
    # at most 21 rules in one; a margin costs nothing).
    for section in range(1, 23):
        for number in range(1, 31):
            lines += ["Rule %d.%d" % (section, number),
                      "MISRA C:2012 rule %d.%d (see the standard for its text)" % (section, number),
                      ""]
    lines.append("Appendix B")
    with open(texts, "w", encoding="ascii") as handle:
        handle.write("\n".join(lines) + "\n")
    configuration = os.path.join(workdir, "misra_addon.json")
    with open(configuration, "w", encoding="ascii") as handle:
        json.dump({"script": "misra", "args": ["--rule-texts=" + texts]}, handle)
    return "--addon=" + configuration


def run_cppcheck(workdir, files, platform, dump):
    output = os.path.join(workdir, "results-%s.xml" % platform)
    command = ["cppcheck", write_addon_configuration(workdir), *CPPCHECK_OPTIONS,
               "--platform=" + platform, "--xml", "--output-file=" + output]
    if dump:
        command.append("--dump")
    command += files
    completed = subprocess.run(command, cwd=workdir, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    if completed.returncode != 0:
        sys.stdout.write(completed.stdout)
        raise SystemExit("FAIL: cppcheck exited with %d" % completed.returncode)
    findings = []
    for error in ElementTree.parse(output).getroot().iter("error"):
        location = error.find("location")
        if location is None:
            file, line, column = "(no file)", 0, 0
        else:
            file = os.path.normpath(location.get("file"))
            line, column = int(location.get("line")), int(location.get("column"))
        findings.append(Finding(error.get("id"), file, line, column, error.get("msg"), platform))
    return findings


def function_ranges(workdir, dump_files):
    """{file: [(first line, last line, function name)]} from cppcheck's dump files."""
    ranges = {}
    for dump_file in dump_files:
        root = ElementTree.parse(os.path.join(workdir, dump_file)).getroot()
        for dump in root.iter("dump"):
            tokens = {token.get("id"): token for token in dump.iter("token")}
            functions = {function.get("id"): function for function in dump.iter("function")}
            for scope in dump.iter("scope"):
                if scope.get("type") != "Function":
                    continue
                function = functions.get(scope.get("function"))
                name_token = tokens.get(function.get("token")) if function is not None else None
                end_token = tokens.get(scope.get("bodyEnd"))
                if name_token is None or end_token is None:
                    continue
                file = os.path.normpath(name_token.get("file"))
                entry = (int(name_token.get("linenr")), int(end_token.get("linenr")),
                         scope.get("className"))
                ranges.setdefault(file, set()).add(entry)
    return ranges


def enclosing_function(ranges, finding):
    for first, last, name in ranges.get(finding.file, ()):
        if first <= finding.line <= last:
            return name
    return None


def check_canary(workdir, canary):
    """The addon must report each of the canary's known violations, or every 'pass' would be
    hollow. Two of them (20.7 and 20.10 on one #define) share a location: their being both
    reported shows that no finding hides another at the same spot (write_addon_configuration)."""
    path, rules = canary.rsplit(":", 1)
    local = os.path.join("canary", os.path.basename(path))
    os.makedirs(os.path.join(workdir, "canary"), exist_ok=True)
    shutil.copyfile(path, os.path.join(workdir, local))
    for platform in PLATFORMS:
        found = {finding.ident for finding in run_cppcheck(workdir, [local], platform, False)}
        missing = [rule for rule in rules.split(",") if "misra-c2012-" + rule not in found]
        if missing:
            raise SystemExit("FAIL: the MISRA addon did not report rule(s) %s in the canary %s "
                             "on %s (reported: %s): the checker is not working" %
                             (", ".join(missing), path, platform,
                              ", ".join(sorted(found)) or "nothing"))
    print("canary: rule(s) %s reported in %s on %s" % (rules, path, ", ".join(PLATFORMS)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doc", required=True, help="docs/misra.md")
    parser.add_argument("--canary", required=True,
                        help="FILE:RULE[,RULE...], a file the addon must report each RULE in")
    parser.add_argument("files", nargs="+", help="src/*.c and include/**/*.h, relative paths")
    arguments = parser.parse_args()

    rows, errors = parse_table(arguments.doc)
    for error in errors:
        print("FAIL: " + error)
    if errors:
        return 1

    sources = sorted(path for path in arguments.files if path.endswith(".c"))
    headers = sorted(path for path in arguments.files if path.endswith(".h"))
    if not sources or not headers:
        print("FAIL: expected .c sources and .h headers, got %s" % arguments.files)
        return 1

    status = 0
    for path in sources + headers:
        with open(path, encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, 1):
                if "cppcheck-suppress" in line:
                    print("FAIL: %s:%d: inline suppression; deviations belong in %s" %
                          (path, line_number, arguments.doc))
                    status = 1

    workdir = tempfile.mkdtemp(prefix="misra-", dir=os.environ.get("TEST_TMPDIR"))
    check_canary(workdir, arguments.canary)

    # The checked tree: the given files at their relative paths, plus one translation unit per
    # header so that a header no source includes is checked too.
    for path in sources + headers:
        os.makedirs(os.path.join(workdir, os.path.dirname(path)), exist_ok=True)
        shutil.copyfile(path, os.path.join(workdir, path))
    units = list(sources)
    for header in headers:
        include = header[len("include/"):] if header.startswith("include/") else header
        unit = os.path.join("header_units", include.replace("/", "__")[:-2] + "_h.c")
        os.makedirs(os.path.join(workdir, "header_units"), exist_ok=True)
        with open(os.path.join(workdir, unit), "w", encoding="utf-8") as handle:
            handle.write('#include "%s"\n' % include)
        units.append(unit)

    findings = {}
    for index, platform in enumerate(PLATFORMS):
        # Each addon run writes and deletes its own dump files: keep the last run's.
        last = index == len(PLATFORMS) - 1
        for finding in run_cppcheck(workdir, units, platform, dump=last):
            if finding.key() in findings:
                findings[finding.key()].platforms.add(platform)
            else:
                findings[finding.key()] = finding
    ranges = function_ranges(workdir, [unit + ".dump" for unit in units])
    ordered = sorted(findings.values(), key=lambda f: (f.file, f.line, f.column, f.ident))
    for finding in ordered:
        finding.function = enclosing_function(ranges, finding)

    unlisted = []
    for finding in ordered:
        row = next((row for row in rows if row.covers(finding)), None)
        if row is None:
            unlisted.append(finding)
        else:
            row.matched.append(finding)

    print("%d findings in %d translation units (%d sources, %d headers) on %s" %
          (len(ordered), len(units), len(sources), len(headers), ", ".join(PLATFORMS)))
    for row in rows:
        print("  %-5s %-18s %-14s %3d finding(s)  %s %s" %
              (row.ident, row.rule, row.kind, len(row.matched), row.files, row.function))
        for finding in row.matched:
            print("        " + finding.describe())
    for finding in unlisted:
        print("FAIL: not in %s: %s" % (arguments.doc, finding.describe()))
        status = 1
    for row in rows:
        limit = row.max_count()
        if not row.matched:
            print("FAIL: %s:%d: %s matches no finding any more: delete the row" %
                  (arguments.doc, row.line_number, row.ident))
            status = 1
        elif limit is not None and len(row.matched) > limit:
            print("FAIL: %s:%d: %s allows %d finding(s), found %d (listed above)" %
                  (arguments.doc, row.line_number, row.ident, limit, len(row.matched)))
            status = 1
    if unlisted:
        print("Each finding above needs a fix or a row in %s's deviation table with its "
              "rationale (rule numbers: MISRA C:2012; other ids: cppcheck's own checks)." %
              arguments.doc)
    print("PASS" if status == 0 else "FAIL")
    return status


if __name__ == "__main__":
    sys.exit(main())
