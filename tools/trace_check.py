#!/usr/bin/env python3
"""Traceability gate: checks docs/requirements.md against the code, the tests and the proofs.

Every requirement row (`| REQ-<MODULE>-<NNN> | ... |`) names
  - Source:      the header error-table rows it covers (`arena.h | call | situation`, exact text
                 of the row in the header) or a design property (free text, `design: ...`);
  - Contract:    the ACSL that states it, as `function:behavior`, `function:behavior:label`
                 (a named ensures inside the behavior), `function:default` (the ensures outside
                 every behavior), `function:assigns` or `function:rte` (the function's
                 runtime-error goals); `-` when there is none;
  - Unit tests:  `file.c:test_function` in tests/ or a folder of it (a firmware test's checks,
                 e.g. tests/libc_shim/), defined and run with RUN_TEST;
  - Fuzz checks: `file.c:"message"` in fuzz/ (a VERA_FUZZ_CHECK whose message contains the text),
                 `-`, or `pending: why` (a fuzz target that has not landed; listed on every run);
  - Proof:       `proved`, `pending: why`, or `analysis: //package:test` (a check that is not a
                 WP proof, e.g. "no loop, no recursion").

It fails when
  - a requirement has no test, or no proof reference (Contract `-` with status `proved`); the
    one exception: a requirement resting on one of the ANALYSES below (constant time) needs no
    unit test, since no test can observe it;
  - a referenced function, behavior or label is not in the ACSL of include/**/*.h (or of the
    definition in src/*.c, which Frama-C merges with the header's contract);
  - a referenced test function is missing or not run, or a fuzz check message is missing, or
    the Fuzz checks cell is neither references, `-` nor `pending: why`;
  - a row of a header's error table is covered by no requirement, or a Source names no row;
  - a requirement marked `proved` has a referenced goal, or any goal of the function, or any
    goal of its proof run, not proved in the proof results, or the results are stale (made from
    other sources than the current ones), or the reference matches no goal at all;
  - a requirement marked `pending` is in fact proved by the results (the document is stale);
  - with --no-pending: any requirement is pending (its proof or its fuzz checks);
  - with --proof-args: a module's results were recorded with other sources, -main or skipped
    functions than its //proofs:<module>_proof target proves it with.
Pending proofs and pending fuzz checks are listed on every run, so they cannot go unnoticed.

Usage:
  tools/trace_check.py --requirements docs/requirements.md docs/requirements/*.md --results FILE [--root DIR]
                       [--no-pending] [--proof-args bazel-bin/proofs/*.wpargs]
"""

import argparse
import glob
import hashlib
import json
import os
import re
import sys

REQUIREMENT_ID = re.compile(r"^REQ-([A-Z]+)-(\d{3})$")

# The only analyses a requirement may rest on instead of a WP proof, and what each shows. A
# requirement resting on one needs no unit test: what it states (a bound on running time) is a
# property of the code's shape that no test can observe; the benchmark (`bazel run //bench`)
# measures the resulting instruction counts but asserts nothing.
ANALYSES = {
    "//tests/traceability:constant_time_test": "no loop and no recursion in any library function, "
                                               "except the bounded loops it names",
}
COLUMNS = ("ID", "Requirement", "Source", "Contract", "Unit tests", "Fuzz checks", "Proof")
BACKTICKED = re.compile(r"`([^`]+)`")


class Failures:
    def __init__(self):
        self.messages = []

    def add(self, where, message):
        self.messages.append("%s: %s" % (where, message))


# ---- the requirements document ---------------------------------------------------------------


def split_row(line):
    """Cells of a Markdown table row; `\\|` stays inside a cell."""
    cells = re.split(r"(?<!\\)\|", line.strip())
    return [cell.strip().replace("\\|", "|") for cell in cells[1:-1]]


def read_requirements(path, failures):
    requirements = []
    header = None
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.lstrip().startswith("|"):
                header = None
                continue
            cells = split_row(line)
            if cells and cells[0] == "ID":
                header = cells
                if tuple(cells) != COLUMNS:
                    failures.add("%s:%d" % (os.path.basename(path), number),
                                 "requirement table columns must be %s" % " | ".join(COLUMNS))
                continue
            if header is None or not cells or set(cells[0]) <= set("-: "):
                continue
            where = "%s:%d" % (os.path.basename(path), number)
            if len(cells) != len(COLUMNS):
                failures.add(where, "expected %d cells, found %d" % (len(COLUMNS), len(cells)))
                continue
            row = dict(zip(COLUMNS, cells))
            row["where"] = where
            if not REQUIREMENT_ID.match(row["ID"]):
                failures.add(where, "'%s' is not an ID of the form REQ-MODULE-NNN" % row["ID"])
                continue
            requirements.append(row)
    return requirements


def references(cell):
    """The backticked references of a cell; [] for '-'."""
    if cell.strip() in ("-", ""):
        return []
    found = BACKTICKED.findall(cell)
    return [item.strip() for item in found]


# ---- ACSL in the public headers ---------------------------------------------------------------


class Contracts:
    """Function -> {'behaviors': {name: set(labels)}, 'default_ensures': n, 'assigns': bool}.

    The public contract is in the header (include/); a source file may add to it at the
    definition (src/mira_mem.c: the frame and the invariant linking the ghost model to the static
    state), and Frama-C merges the two, so a function's contract here is the union of both. In
    src/ only top-level contracts count (a `/*@` at the start of a line, or a ghost function's
    `/@ ... @/`), not the assertions inside bodies."""

    def __init__(self, root):
        self.functions = {}
        for path in sorted(glob.glob(os.path.join(root, "include", "**", "*.h"), recursive=True)):
            self.read(path, r"/\*@(.*?)\*/")
        for path in sorted(glob.glob(os.path.join(root, "src", "*.c"))):
            self.read(path, r"^/\*@(.*?)\*/")
            self.read(path, r"^[ \t]*/@(.*?)@/")

    def read(self, path, block):
        text = open(path, encoding="utf-8").read()
        for match in re.finditer(block + r"\s*([^;{]*?)\b(\w+)\s*\(", text, re.S | re.M):
            body, function = match.group(1), match.group(3)
            declaration = match.group(2)
            if "\n\n" in declaration or "#" in declaration or "/*" in declaration:
                continue  # the ACSL block is not directly above a declaration
            self.merge(function, self.parse(body))

    def merge(self, function, contract):
        if function not in self.functions:
            self.functions[function] = contract
            return
        known = self.functions[function]
        known["default_ensures"] += contract["default_ensures"]
        known["default_labels"] |= contract["default_labels"]
        known["assigns"] = known["assigns"] or contract["assigns"]
        for name, labels in contract["behaviors"].items():
            known["behaviors"].setdefault(name, set()).update(labels)

    @staticmethod
    def parse(body):
        contract = {"behaviors": {}, "default_ensures": 0, "assigns": False}
        parts = re.split(r"\bbehavior\s+(\w+)\s*:", body)
        default = parts[0]
        contract["default_ensures"] = len(re.findall(r"\bensures\b", default))
        contract["default_labels"] = set(re.findall(r"\bensures\s+(\w+)\s*:", default))
        contract["assigns"] = bool(re.search(r"\bassigns\b", body))
        for index in range(1, len(parts), 2):
            name, text = parts[index], parts[index + 1]
            text = re.split(r"\b(?:complete|disjoint)\s+behaviors\b", text)[0]
            contract["behaviors"][name] = set(re.findall(r"\bensures\s+(\w+)\s*:", text))
        return contract


def check_contract_reference(reference, contracts, where, failures):
    """Returns (function, goal predicate) or None."""
    parts = reference.split(":")
    function = parts[0]
    if function not in contracts.functions:
        failures.add(where, "contract `%s`: no ACSL contract for %s in include/" % (reference, function))
        return None
    contract = contracts.functions[function]
    if len(parts) == 2 and parts[1] == "rte":
        return function, lambda key: key.startswith(function + "_assert_rte_")
    if len(parts) == 2 and parts[1] == "assigns":
        if not contract["assigns"]:
            failures.add(where, "contract `%s`: %s has no assigns clause" % (reference, function))
            return None
        return function, lambda key: re.match(re.escape(function) + r"(_\w+)?_assigns(_\d+)?$", key)
    if len(parts) == 2 and parts[1] == "default":
        if contract["default_ensures"] == 0:
            failures.add(where, "contract `%s`: %s has no ensures outside its behaviors" %
                         (reference, function))
            return None
        return function, lambda key: re.match(re.escape(function) + r"_ensures(_\w+)?$", key)
    if len(parts) in (2, 3):
        behavior = parts[1]
        if behavior not in contract["behaviors"]:
            failures.add(where, "contract `%s`: %s has no behavior %s (it has: %s)" %
                         (reference, function, behavior,
                          ", ".join(sorted(contract["behaviors"])) or "none"))
            return None
        prefix = "%s_%s_" % (function, behavior)
        if len(parts) == 2:
            return function, lambda key: key.startswith(prefix) and re.match(
                re.escape(prefix) + r"(ensures|assigns|exits|post)", key)
        label = parts[2]
        if label not in contract["behaviors"][behavior]:
            failures.add(where, "contract `%s`: behavior %s of %s has no ensures labelled %s" %
                         (reference, behavior, function, label))
            return None
        return function, lambda key: re.match(re.escape(prefix) + "ensures_" + re.escape(label) +
                                              r"(_\d+)?$", key)
    failures.add(where, "contract `%s`: expected function:behavior[:label], function:default, "
                 "function:assigns or function:rte" % reference)
    return None


# ---- tests and fuzz checks ---------------------------------------------------------------------


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def test_functions(root):
    """{'file.c': set of test functions defined AND run by RUN_TEST}."""
    found = {}
    for path in glob.glob(os.path.join(root, "tests", "**", "*.c"), recursive=True):
        text = strip_comments(open(path, encoding="utf-8").read())
        defined = set(re.findall(r"\bstatic\s+void\s+(\w+)\s*\(\s*void\s*\)\s*\{", text))
        run = set(re.findall(r"\bRUN_TEST\s*\(\s*(\w+)\s*\)", text))
        found[os.path.basename(path)] = (defined, run)
    return found


def string_literals(text):
    return [bytes(item, "utf-8").decode("unicode_escape")
            for item in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]


def fuzz_check_messages(root):
    """{'path under fuzz/': [message of each VERA_FUZZ_CHECK]} (adjacent literals joined)."""
    found = {}
    for path in glob.glob(os.path.join(root, "fuzz", "**", "*.c"), recursive=True):
        text = strip_comments(open(path, encoding="utf-8").read())
        messages = []
        for match in re.finditer(r"\bVERA_FUZZ_CHECK\s*\(", text):
            depth, position = 1, match.end()
            while depth and position < len(text):
                if text[position] == '"':
                    position = text.index('"', position + 1)
                    while text[position - 1] == "\\":
                        position = text.index('"', position + 1)
                elif text[position] == "(":
                    depth += 1
                elif text[position] == ")":
                    depth -= 1
                position += 1
            call = text[match.end():position - 1]
            messages.append("".join(string_literals(call)))
        found[os.path.relpath(path, os.path.join(root, "fuzz"))] = messages
    return found


def bazel_test_exists(root, label):
    match = re.match(r"^//([\w/.-]*):([\w.-]+)$", label)
    if not match:
        return False
    build = os.path.join(root, match.group(1), "BUILD")
    if not os.path.isfile(build):
        return False
    text = open(build, encoding="utf-8").read()
    return re.search(r'name\s*=\s*"%s"' % re.escape(match.group(2)), text) is not None


# ---- header error tables -----------------------------------------------------------------------


def error_table_rows(root):
    """{'arena.h | call | situation'} for every row of every header's misuse/error table: the
    comment lines `| ... |` that follow a line mentioning "error table", up to the first line
    that is not a table line once the table has begun."""
    rows = set()
    for path in sorted(glob.glob(os.path.join(root, "include", "**", "*.h"), recursive=True)):
        state = "before"
        previous = None  # (call, situation) of the row above, for continuation lines
        for line in open(path, encoding="utf-8"):
            text = line.strip()
            if state == "before":
                if re.search(r"error table", text, re.I):
                    state = "heading"
                continue
            match = re.match(r"^\*\s*(\|.*\|)\s*$", text)
            if not match:
                if state == "rows":
                    state = "before"
                continue
            state = "rows"
            cells = split_row(match.group(1))
            if len(cells) < 3 or cells[0] == "call" or (cells[0] and set(cells[0]) <= set("-: ")):
                continue
            if not cells[0] and previous is not None:
                # A row whose situation goes on over a second line with an empty call cell.
                rows.discard(row_key(path, *previous))
                previous = (previous[0], previous[1] + " " + cells[1])
            else:
                previous = (cells[0], cells[1])
            rows.add(row_key(path, *previous))
    return rows


def row_key(path, call, situation):
    return normalise("%s | %s | %s" % (os.path.basename(path), call, situation))


def normalise(text):
    return " ".join(text.split())


# ---- proof results -----------------------------------------------------------------------------


def project_inputs(root, sources):
    """Every file of the tree the preprocessor reads for `sources` (project #includes, followed
    with and without __FRAMAC__), relative to root."""
    seen = set()
    pending = list(sources)
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in re.findall(r'^\s*#\s*include\s*"([^"]+)"', open(os.path.join(root, path),
                                                                     encoding="utf-8").read(), re.M):
            for candidate in (os.path.join("include", name), os.path.join(os.path.dirname(path), name),
                              name):
                candidate = os.path.normpath(candidate)
                if os.path.isfile(os.path.join(root, candidate)):
                    pending.append(candidate)
                    break
    return sorted(seen)


def digest(root, path):
    return hashlib.sha256(open(os.path.join(root, path), "rb").read()).hexdigest()


class ProofResults:
    def __init__(self, root, path, failures):
        self.modules = {}
        self.function_module = {}
        data = json.load(open(path, encoding="utf-8"))
        for name, module in sorted(data.get("modules", {}).items()):
            where = "%s: module %s" % (os.path.basename(path), name)
            stale = []
            current = project_inputs(root, module["sources"])
            if sorted(module["inputs"]) != current:
                stale.append("it was made from %s, the sources now read %s" %
                             (", ".join(sorted(module["inputs"])), ", ".join(current)))
            for input_path, recorded in sorted(module["inputs"].items()):
                if os.path.isfile(os.path.join(root, input_path)) and digest(root, input_path) != recorded:
                    stale.append("%s changed since the proof run" % input_path)
            if stale:
                failures.add(where, "proof results are stale (%s); regenerate them with "
                             "tools/record_proof_results.py" % "; ".join(stale))
            functions = module["wp_report"].get("wp:functions", {})
            goals = {}
            for function, entries in functions.items():
                goals[function] = {key: value.get("wp:main", {}) for key, value in entries.items()
                                   if key != "wp:section"}
                self.function_module[function] = name
            unproved = ["%s/%s" % (function, key) for function, entries in goals.items()
                        for key, counts in entries.items() if not proved(counts)]
            # Lemmas (proved once, used by every function of the module).
            for axiomatic in module["wp_report"].get("wp:axiomatics", {}).values():
                for key, value in axiomatic.items():
                    if key.startswith("lemma_") and not proved(value.get("wp:main", {})):
                        unproved.append(key)
            overall = module["wp_report"].get("wp:global", {}).get("wp:main", {})
            if not proved(overall):
                unproved.append("wp:global (%s of %s goals valid)" % (overall.get("valid", 0),
                                                                    overall.get("total", 0)))
            self.modules[name] = {"goals": goals, "unproved": unproved, "stale": bool(stale),
                                  "total": overall.get("total", 0)}

    def status(self, function, predicate):
        """(proved?, explanation)."""
        module_name = self.function_module.get(function)
        if module_name is None:
            return False, "%s is not in any proof run of the results" % function
        module = self.modules[module_name]
        if module["stale"]:
            return False, "the proof results of module %s are stale" % module_name
        matching = [key for key in module["goals"][function] if predicate(key)]
        if not matching:
            return False, "no goal of %s matches (is the behavior proved at all?)" % function
        not_proved = [key for key in matching if not proved(module["goals"][function][key])]
        if not_proved:
            return False, "goals not proved: %s" % ", ".join(sorted(not_proved))
        rest = [key for key, counts in module["goals"][function].items() if not proved(counts)]
        if rest:
            return False, "other goals of %s not proved: %s" % (function, ", ".join(sorted(rest)))
        if module["unproved"]:
            return False, "module %s has unproved goals: %s" % (module_name,
                                                                ", ".join(module["unproved"][:5]))
        return True, "%d goals" % len(matching)


def proved(counts):
    return counts.get("total", 0) > 0 and counts.get("valid", 0) == counts.get("total", 0)


def check_proof_settings(results_path, args_paths, failures):
    """The results of each module were recorded with the settings of its //proofs:<module>_proof
    target (proofs/BUILD, written one argument per line to <target>.wpargs by proofs/wp.bzl):
    the same sources, the same -main, the same skipped functions. Otherwise they would record
    other goals than the ones the proof suite proves."""
    targets = {}
    for path in args_paths:
        arguments = [line.rstrip("\n") for line in open(path, encoding="utf-8") if line.strip()]
        settings = {"main": "", "skip": [], "sources": []}
        index = 0
        while index < len(arguments):
            if arguments[index] in ("--module", "--session", "--main", "--skip"):
                settings[arguments[index][2:]] = arguments[index + 1]
                index += 2
            else:
                settings["sources"].append(arguments[index])
                index += 1
        if isinstance(settings["skip"], str):
            settings["skip"] = settings["skip"].split(",")
        targets[settings.get("module")] = settings
    where = os.path.basename(results_path)
    for name, module in sorted(json.load(open(results_path, encoding="utf-8"))["modules"].items()):
        target = targets.get(name)
        if target is None:
            failures.add(where, "module %s: no //proofs:%s_proof target to compare its settings with"
                         % (name, name))
            continue
        recorded = {"sources": module["sources"], "main": module.get("main", ""),
                    "skip": sorted(module.get("skip", []))}
        expected = {"sources": target["sources"], "main": target["main"],
                    "skip": sorted(target["skip"])}
        if recorded != expected:
            failures.add(where, "module %s: recorded with %s, but //proofs:%s_proof proves it with %s;"
                         " fix MODULES in tools/record_proof_results.py and record again" %
                         (name, recorded, name, expected))


# ---- the gate ----------------------------------------------------------------------------------


def check(args):
    failures = Failures()
    root = args.root
    requirements = [row for path in args.requirements for row in read_requirements(path, failures)]
    where_all = "requirements (%s)" % ", ".join(os.path.basename(path) for path in args.requirements)
    contracts = Contracts(root)
    tests = test_functions(root)
    fuzz = fuzz_check_messages(root)
    table_rows = error_table_rows(root)
    results = ProofResults(root, args.results, failures)
    if args.proof_args:
        check_proof_settings(args.results, args.proof_args, failures)

    seen_ids = {}
    covered_rows = set()
    pending = []
    fuzz_pending = []
    analysed = []
    proved_count = 0
    for row in requirements:
        where = "%s %s" % (row["where"], row["ID"])
        if row["ID"] in seen_ids:
            failures.add(where, "duplicate ID (also at %s)" % seen_ids[row["ID"]])
        seen_ids[row["ID"]] = row["where"]
        if len(row["Requirement"]) < 20:
            failures.add(where, "the requirement needs a sentence a reviewer can check")

        for source in references(row["Source"]):
            if source.startswith("design:"):
                continue
            if normalise(source) not in table_rows:
                failures.add(where, "source `%s` is no row of a header's error table" % source)
            covered_rows.add(normalise(source))
        if not references(row["Source"]):
            failures.add(where, "no source (a header error-table row or `design: ...`)")

        unit_tests = references(row["Unit tests"])
        status = row["Proof"].strip()
        if not unit_tests and not status.startswith("analysis:"):
            failures.add(where, "no unit test")
        for reference in unit_tests:
            match = re.match(r"^([\w.-]+\.c):(\w+)$", reference)
            if not match:
                failures.add(where, "unit test `%s`: expected file.c:test_function" % reference)
                continue
            defined, run = tests.get(match.group(1), (set(), set()))
            if match.group(1) not in tests:
                failures.add(where, "unit test `%s`: no tests/%s" % (reference, match.group(1)))
            elif match.group(2) not in defined:
                failures.add(where, "unit test `%s`: no such test function in tests/%s" %
                             (reference, match.group(1)))
            elif match.group(2) not in run:
                failures.add(where, "unit test `%s`: defined but never run (RUN_TEST)" % reference)

        fuzz_cell = row["Fuzz checks"].strip()
        fuzz_references = references(fuzz_cell)
        if fuzz_cell.startswith("pending:"):
            if len(fuzz_cell) <= len("pending:") + 5 or BACKTICKED.search(fuzz_cell):
                failures.add(where, "fuzz checks `pending: <why>` need a reason and name no check "
                             "(name the checks once they exist)")
            fuzz_pending.append("%s (%s)" % (row["ID"], fuzz_cell[len("pending:"):].strip()))
        elif fuzz_cell not in ("-", "") and not fuzz_references:
            failures.add(where, "fuzz checks must be `file.c:\"message\"` references, `-` or "
                         "`pending: <why>`, not '%s'" % fuzz_cell)
        for reference in fuzz_references:
            match = re.match(r'^([\w./-]+\.c):"(.+)"$', reference)
            if not match:
                failures.add(where, 'fuzz check `%s`: expected file.c:"message text"' % reference)
                continue
            messages = fuzz.get(match.group(1))
            if messages is None:
                failures.add(where, "fuzz check `%s`: no fuzz/%s" % (reference, match.group(1)))
            elif not any(match.group(2) in message for message in messages):
                failures.add(where, "fuzz check `%s`: no VERA_FUZZ_CHECK in fuzz/%s has that message" %
                             (reference, match.group(1)))

        goal_sets = []
        contract_refs = references(row["Contract"])
        for reference in contract_refs:
            resolved = check_contract_reference(reference, contracts, where, failures)
            if resolved is not None:
                goal_sets.append((reference,) + resolved)

        if status == "proved":
            if not contract_refs:
                failures.add(where, "marked proved but names no contract")
            for reference, function, predicate in goal_sets:
                ok, why = results.status(function, predicate)
                if not ok:
                    failures.add(where, "marked proved, but `%s` is not: %s" % (reference, why))
            proved_count += 1
        elif status.startswith("pending:") and len(status) > len("pending:") + 5:
            if goal_sets and all(results.status(function, predicate)[0]
                                 for _, function, predicate in goal_sets):
                failures.add(where, "marked pending, but the results prove every contract it "
                             "names: mark it proved")
            pending.append("%s (%s)" % (row["ID"], status[len("pending:"):].strip()))
        elif status.startswith("analysis:"):
            label = status[len("analysis:"):].strip().strip("`")
            if label not in ANALYSES:
                failures.add(where, "analysis `%s` is not one of the analyses the gate accepts (%s)"
                             % (label, ", ".join(sorted(ANALYSES))))
            elif not bazel_test_exists(root, label):
                failures.add(where, "analysis `%s`: no such test target" % label)
            if contract_refs:
                failures.add(where, "an analysis requirement names no ACSL contract")
            analysed.append("%s (%s)" % (row["ID"], label))
        else:
            failures.add(where, "proof status must be `proved`, `pending: <why>` or "
                         "`analysis: //package:test`, not '%s'" % status)

    for table_row in sorted(table_rows - covered_rows):
        failures.add(where_all, "the error-table row `%s` is covered by no requirement" %
                     table_row)
    if not requirements:
        failures.add(where_all, "no requirement found")
    if args.no_pending and pending:
        failures.add(where_all, "%d requirement(s) still pending a proof (--no-pending)" %
                     len(pending))
    if args.no_pending and fuzz_pending:
        failures.add(where_all, "%d requirement(s) still pending fuzz checks "
                     "(--no-pending)" % len(fuzz_pending))

    print("%d requirements: %d proved, %d checked by analysis, %d PENDING a proof; "
          "%d error-table rows covered" % (len(requirements), proved_count, len(analysed),
                                            len(pending), len(table_rows & covered_rows)))
    for name, module in sorted(results.modules.items()):
        print("proof results, module %s: %d goals, %d not proved%s" %
              (name, module["total"], len(module["unproved"]), ", STALE" if module["stale"] else ""))
    if analysed:
        print("checked by analysis, not by a WP proof: " + ", ".join(analysed))
    if pending:
        print("PENDING, not proved: " + "; ".join(pending))
    if fuzz_pending:
        print("PENDING, no fuzz check yet: " + "; ".join(fuzz_pending))
    for message in failures.messages:
        print("FAIL: " + message)
    if failures.messages:
        print("FAIL (%d problems)" % len(failures.messages))
        return 1
    print("PASS")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # docs/requirements.md (the method) and docs/requirements/<module>.md (one file per module)
    parser.add_argument("--requirements", required=True, nargs="+")
    parser.add_argument("--results", required=True)
    parser.add_argument("--root", default=".")
    parser.add_argument("--no-pending", action="store_true")
    parser.add_argument("--proof-args", nargs="+", default=[], metavar="WPARGS",
                        help="the <module>_proof.wpargs files of //proofs:proof_args: the "
                        "recorded modules must use their settings")
    return check(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
