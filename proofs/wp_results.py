#!/usr/bin/env python3
"""Reads what one Frama-C WP run left behind and decides whether the module is proved.

Subcommands:
  summarize    check a run (proofs/run_wp.sh output dir) and write summary.json
  check-docs   fail unless the generated section of docs/proofs.md matches summary.json
  render       print the generated docs section for one or more summary.json files
  write-docs   replace the generated sections of docs/proofs.md (bazel run //proofs:update)
  mutant       check that a mutant run failed for the expected reason
  print        one line per run
  report       the verification summary of //proofs:summary (markdown, for a safety case)

The checks repeat the report plugin's gate on the raw outputs, so that a change of Frama-C's
behaviour (a warning category renamed, a status spelled differently) cannot make a proof pass
silently: the run must exit 0, the classification must hold no ERROR or REVIEW, WP must report
"Proved goals: N / N", and every property of every function WP analysed must be Valid.
"""
import argparse
import csv
import json
import os
import re
import sys

# Property kinds of the report plugin's CSV, grouped into the columns of the docs table.
RTE_KINDS = {
    "mem_access", "unsigned_overflow", "signed_overflow", "pointer_value", "bool_value",
    "division_by_zero", "shift", "index_bound", "float_to_int", "initialization",
    "unsigned_downcast", "signed_downcast", "pointer_downcast", "function_pointer",
    "pointer_comparison", "separation", "dangling_pointer", "finite_float",
}
COLUMNS = [
    ("behaviors", "named behaviors complete + disjoint"),
    ("post", "postconditions (ensures)"),
    ("assigns", "frame (assigns)"),
    ("rte", "no runtime error (RTE)"),
    ("calls", "preconditions of the calls it makes"),
    ("steps", "proof-step assertions"),
]


def column_of(kind):
    if kind in ("complete behaviors", "disjoint behaviors"):
        return "behaviors"
    if kind == "postcondition":
        return "post"
    if kind == "assigns clause" or kind.startswith("from clause"):
        return "assigns"
    if kind in RTE_KINDS:
        return "rte"
    if kind.startswith("precondition of "):
        return "calls"
    if kind in ("user assertion", "check"):
        return "steps"
    if kind == "precondition":
        return None  # a function's own requires: assumed of its callers, proved at call sites
    return "other:" + kind


def read_properties(path):
    """The report plugin's CSV (tab-separated; a property text may span several lines)."""
    rows = []
    with open(path, newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        for row in reader:
            if len(row) < 7:
                continue  # continuation of a multi-line property text
            rows.append(dict(zip(header, row)))
    return rows


def prover_counts(log):
    """The per-prover lines after WP's "Proved goals: N / M"."""
    match = re.search(r"Proved goals:\s+(\d+)\s*/\s*(\d+)\n((?:  \S.*\n)*)", log)
    if not match:
        return None, None, {}
    counts = {}
    for line in match.group(3).splitlines():
        prover = re.match(r"\s+(.+?):\s+(\d+)", line)
        if prover:
            counts[prover.group(1)] = int(prover.group(2))
    return int(match.group(1)), int(match.group(2)), counts


def summarize(args):
    out = args.out_dir
    failures = []
    status = int(open(os.path.join(out, "frama-c.status")).read().strip() or "1")
    log = open(os.path.join(out, "frama-c.log"), errors="replace").read()
    if status != 0:
        failures.append("frama-c exited with status %d" % status)
    if "[kernel] User Error" in log or "Frama-C aborted" in log:
        failures.append("frama-c stopped with an error (parse error, bad option, ...)")

    classified = []
    path = os.path.join(out, "classify.json")
    if os.path.exists(path):
        classified = json.load(open(path))
    else:
        failures.append("no classification output (the run did not finish)")
    accepted = []
    for event in classified:
        if event["action"] in ("ERROR", "REVIEW"):
            failures.append("%s: %s (%s:%s)" % (event["action"], event["title"],
                                               event.get("file", "?"), event.get("line", "?")))
        elif event["action"] == "INFO":
            accepted.append(event["classid"])

    proved, total, provers = prover_counts(log)
    if total is None or total == 0:
        failures.append("WP reported no goals")
    elif proved != total:
        failures.append("WP proved %d of %d goals" % (proved, total))

    smoke_passed = len(re.findall(r"\[Passed\] Smoke-test", log))
    smoke_failed = len(re.findall(r"\[Failed\] Smoke-test", log))
    if smoke_failed:
        failures.append("%d smoke test(s) failed: an inconsistent precondition or dead code" %
                        smoke_failed)

    wp_json = {}
    path = os.path.join(out, "wp.json")
    if os.path.exists(path):
        wp_json = json.load(open(path))
    analysed = sorted(wp_json.get("wp:functions", {}).keys())
    trusted = sorted(f for f in args.skip.split(",") if f)

    functions = {}
    properties = read_properties(os.path.join(out, "properties.csv")) if os.path.exists(
        os.path.join(out, "properties.csv")) else []
    if not properties:
        failures.append("no property listing (report -csv)")
    for row in properties:
        function = row["function"]
        kind = row["property kind"]
        if function in trusted:
            continue  # bodies kept out of the proof: their contracts are the trusted base
        if function not in analysed:
            continue  # a contract of another module, proved there (arena in mira_mem)
        column = column_of(kind)
        if column is None:
            continue
        cell = functions.setdefault(function, {}).setdefault(column, [0, 0])
        cell[1] += 1
        if row["status"] == "Valid":
            cell[0] += 1
        else:
            failures.append("%s: %s at %s:%s is '%s'" % (function, kind, row["file"], row["line"],
                                                        row["status"]))
    # Functions without a body whose contracts the proof used (the lock hook pair): Frama-C marks
    # their properties "Considered valid". They are trusted base too, like the skipped bodies.
    without_body = sorted({row["function"] for row in properties
                           if row["status"] == "Considered valid"} - set(trusted))
    for function in analysed:
        if function not in functions:
            failures.append("%s: WP analysed it but the report lists no property" % function)

    lemmas = {}
    for name, provers_of_lemma in wp_json.get("wp:axiomatics", {}).get("", {}).items():
        if not name.startswith("lemma_"):
            continue  # WP's own totals
        main = provers_of_lemma.get("wp:main", {})
        ok = main.get("total", 0) > 0 and main.get("valid", 0) == main.get("total", 0)
        lemmas[name.replace("lemma_", "", 1)] = "proved" if ok else "NOT PROVED"
        if not ok:
            failures.append("lemma %s not proved" % name)

    summary = {
        "module": args.module,
        "mode": args.mode,
        "machdep": args.machdep,
        "settings": args.settings,
        "seconds": args.seconds,
        "passed": not failures,
        "failures": failures,
        "goals": {"proved": proved, "total": total},
        "provers": provers,
        "smoke": {"passed": smoke_passed, "failed": smoke_failed},
        "functions": functions,
        "lemmas": lemmas,
        "trusted": trusted,
        "without_body": without_body,
        "accepted_warnings": {c: accepted.count(c) for c in sorted(set(accepted))},
    }
    with open(os.path.join(out, "summary.json"), "w") as handle:
        json.dump(summary, handle, indent=1, sort_keys=True)
    if failures:
        print("FAIL: module %s is not proved:" % args.module)
        for failure in failures:
            print("  - " + failure)
        return 1
    print("PASS: module %s: %d/%d goals proved (%s), %d smoke tests passed, %d lemmas proved" %
          (args.module, proved, total, prover_text(provers), smoke_passed, len(lemmas)))
    return 0


def prover_text(provers):
    return ", ".join("%s %d" % (name, count) for name, count in sorted(provers.items()))


BEGIN = "<!-- BEGIN GENERATED: %s (bazel run //proofs:update; checked by //proofs:%s_proof) -->"
END = "<!-- END GENERATED: %s -->"


def render(summary):
    """The docs/proofs.md section of one module: deterministic for a given cache."""
    module = summary["module"]
    lines = [BEGIN % (module, module)]
    goals = summary["goals"]
    lines.append("")
    lines.append("**%s**: %d of %d goals proved; smoke tests passed: %d, failed: %d; "
                 "lemmas proved: %d of %d." %
                 (module, goals["proved"], goals["total"], summary["smoke"]["passed"],
                  summary["smoke"]["failed"],
                  sum(1 for s in summary["lemmas"].values() if s == "proved"),
                  len(summary["lemmas"])))
    lines.append("")
    lines.append("Goals per prover (a goal counts for every prover that proved it; smoke tests "
                 "count where the prover found no contradiction): " +
                 prover_text(summary["provers"]) + ".")
    lines.append("")
    header = "| function | " + " | ".join(title for _, title in COLUMNS) + " | status |"
    lines.append(header)
    lines.append("|" + "---|" * (len(COLUMNS) + 2))
    for function in sorted(summary["functions"]):
        cells = summary["functions"][function]
        row = ["`%s`" % function]
        complete = True
        for key, _ in COLUMNS:
            if key in cells:
                valid, total = cells[key]
                row.append("%d/%d" % (valid, total))
                complete = complete and valid == total
            else:
                row.append("-")
        others = [k for k in cells if k.startswith("other:")]
        for key in others:
            valid, total = cells[key]
            complete = complete and valid == total
        row.append("proved" if complete else "NOT PROVED")
        lines.append("| " + " | ".join(row) + " |")
    if summary["lemmas"]:
        lines.append("")
        lines.append("Lemmas: " + ", ".join("`%s` %s" % (name, status) for name, status in
                                            sorted(summary["lemmas"].items())) + ".")
    if summary["trusted"]:
        lines.append("")
        lines.append("Bodies kept out of the proof, contracts assumed (trusted base): " +
                     ", ".join("`%s`" % f for f in summary["trusted"]) + ".")
    if summary["accepted_warnings"]:
        lines.append("")
        lines.append("Warnings accepted by proofs/report_rules.json (each with its reason there): " +
                     ", ".join("`%s` (%d)" % (w, n) for w, n in
                               sorted(summary["accepted_warnings"].items())) + ".")
    lines.append("")
    lines.append(END % module)
    return "\n".join(lines)


def section_of(text, module):
    begin = text.find(BEGIN % (module, module))
    end = text.find(END % module)
    if begin < 0 or end < 0:
        return None
    return text[begin:end + len(END % module)]


def check_docs(args):
    summary = json.load(open(args.summary))
    text = open(args.docs).read()
    expected = render(summary)
    actual = section_of(text, summary["module"])
    if actual is None:
        print("FAIL: %s has no generated section for module %s; run bazel run //proofs:update" %
              (args.docs, summary["module"]))
        return 1
    if actual != expected:
        print("FAIL: the %s table in %s is stale; run bazel run //proofs:update. Expected:\n%s" %
              (summary["module"], args.docs, expected))
        return 1
    print("PASS: %s section of %s matches this run" % (summary["module"], args.docs))
    return 0


def write_docs(args):
    text = open(args.docs).read()
    for path in args.summaries:
        summary = json.load(open(path))
        section = render(summary)
        old = section_of(text, summary["module"])
        if old is None:
            print("no generated section for %s in %s: add the two marker lines" %
                  (summary["module"], args.docs), file=sys.stderr)
            return 1
        text = text.replace(old, section)
    with open(args.docs, "w") as handle:
        handle.write(text)
    return 0


def mutant(args):
    """A mutant must be rejected by WP because of the goals the mutation breaks, not anything else."""
    summary = json.load(open(os.path.join(args.out_dir, "summary.json")))
    log = open(os.path.join(args.out_dir, "frama-c.log"), errors="replace").read()
    name = args.name
    if summary["passed"]:
        print("FAIL: mutant %s was NOT rejected: WP proved everything" % name)
        return 1
    if "[kernel] User Error" in log or "Frama-C aborted" in log or summary["goals"]["total"] in (
            None, 0):
        print("FAIL: mutant %s did not reach WP (parse or option error), so its rejection "
              "proves nothing:\n%s" % (name, log[-2000:]))
        return 1
    unproved = sorted(set(re.findall(r"\[(?:Failed|Unknown|Timeout)\] Goal (\S+)", log)) |
                      set(re.findall(r"Goal (\S+) : (?:Unknown|Timeout|Failed)", log)))
    unproved += re.findall(r"Goal (\S+) : not tried", log)
    expected = re.compile(args.expect)
    if not any(expected.search(goal) for goal in unproved):
        print("FAIL: mutant %s was rejected, but not by the expected goal /%s/; unproved: %s" %
              (name, args.expect, unproved))
        return 1
    print("PASS: mutant %s rejected by WP: %s" %
          (name, ", ".join(g for g in unproved if expected.search(g))))
    return 0


def print_summary(args):
    status = 0
    for path in args.summaries:
        summary = json.load(open(path))
        goals = summary["goals"]
        verdict = "PROVED" if summary["passed"] else "NOT PROVED"
        print("%-9s %-10s %s/%s goals (%s); smoke tests %d passed, %d failed; %d lemmas; %ds" %
              (summary["module"], verdict, goals["proved"], goals["total"],
               prover_text(summary["provers"]), summary["smoke"]["passed"],
               summary["smoke"]["failed"], len(summary["lemmas"]), summary["seconds"]))
        for failure in summary["failures"]:
            print("          - " + failure)
        if not summary["passed"]:
            status = 1
    return status


MODE_TEXT = {
    "fresh": "fresh: every prover ran again, no cache",
    "update": "update: provers ran where the committed cache had no verdict; caches rewritten",
    "replay": "replay: verdicts read from the committed caches (proofs/sessions/), no prover ran",
}


def axioms_of(specs_dir):
    """The axioms of the ACSL specs: every `axiom NAME:` outside comments (the trusted base)."""
    names = []
    for entry in sorted(os.listdir(specs_dir)):
        if entry.endswith(".h"):
            text = open(os.path.join(specs_dir, entry)).read()
            names += ["%s (specs/%s)" % (name, entry) for name in
                      re.findall(r"^\s*(?:@\s*)?axiom\s+(\w+)\s*:", text, re.MULTILINE)]
    return names


def report(args):
    """The verification summary: what a reviewer pastes into a safety case."""
    summaries, missing = [], []
    for path in args.summaries:
        if os.path.exists(path):
            summaries.append(json.load(open(path)))
        else:
            missing.append(os.path.basename(os.path.dirname(path)))
    out = ["## veralloc verification summary", ""]
    out.append("- mode: " + MODE_TEXT[args.mode])
    out.append("- tools: " + args.tools)
    out.append("- machine: %d cores; wall clock %d s" % (args.cores, args.seconds))
    machdeps = sorted(set(s.get("machdep") or "?" for s in summaries))
    out.append("- machdeps: " + ", ".join(machdeps) + (
        " (ILP32 with 8-byte-aligned long long and double: the Cortex-M data model)"
        if machdeps == ["ppc_32"] else ""))
    for settings in sorted(set(s.get("settings") or "?" for s in summaries)):
        modules = [s["module"] for s in summaries if (s.get("settings") or "?") == settings]
        out.append("- WP settings (%s): `%s`" % (", ".join(modules), settings))
    out.append("- gate: every goal proved, no smoke test failed, every warning classified "
               "(proofs/report_rules.json)")
    out.append("")
    provers = sorted(set(p for s in summaries for p in s["provers"]))
    out.append("| module | verdict | goals proved | " + " | ".join(provers) +
               " | smoke tests passed | lemmas | seconds |")
    out.append("|---|---|---|" + "---|" * len(provers) + "---|---|---|")
    total_proved = total_goals = 0
    for s in summaries:
        goals = s["goals"]
        total_proved += goals["proved"] or 0
        total_goals += goals["total"] or 0
        out.append("| %s | %s | %s/%s | %s | %d | %d | %d |" % (
            s["module"], "proved" if s["passed"] else "NOT PROVED", goals["proved"],
            goals["total"], " | ".join(str(s["provers"].get(p, 0)) for p in provers),
            s["smoke"]["passed"], len(s["lemmas"]), s["seconds"]))
    for module in missing:
        out.append("| %s | NOT PROVED (the run left no summary) |" % module)
    out.append("")
    out.append("A goal counts for every prover that proved it (Qed: WP's own simplifier).")
    out.append("")
    failures = [(s["module"], f) for s in summaries for f in s["failures"]]
    for module, failure in failures:
        out.append("- %s: %s" % (module, failure))
    if failures:
        out.append("")
    out.append("Trusted base (docs/proofs.md, \"Trusted base\", gives each item's justification "
               "and its run-time check):")
    out.append("- axioms: " + (", ".join(axioms_of(args.specs)) or "none"))
    trusted = ["%s (%s)" % (f, s["module"]) for s in summaries for f in s["trusted"]]
    out.append("- assumed contracts (bodies kept out of the proof): " + (", ".join(trusted) or "none"))
    without_body = sorted(set("%s (%s)" % (f, s["module"]) for s in summaries
                              for f in s.get("without_body", [])))
    out.append("- assumed contracts (declared without a body, e.g. the lock hook pair): " +
               (", ".join(without_body) or "none"))
    warnings = sorted(set("%s (%s)" % (w, s["module"]) for s in summaries
                          for w in s["accepted_warnings"]))
    out.append("- accepted warnings: " + (", ".join(warnings) or "none"))
    out.append("")
    mutants_ok = True
    if args.mutants:
        lines = open(args.mutants, errors="replace").read().splitlines()
        rejected = [l for l in lines if l.startswith("PASS: mutant")]
        out.append("Mutants (broken variants WP must reject by the goal each breaks): %d of %d "
                   "rejected for the expected reason." % (len(rejected), args.mutant_count))
        for line in lines:
            if line.startswith("FAIL: mutant"):
                out.append("- " + line)
        mutants_ok = len(rejected) == args.mutant_count
    else:
        out.append("Mutants: not run.")
    out.append("")
    proved = (not missing and summaries and all(s["passed"] for s in summaries) and mutants_ok
              and args.status == 0)
    out.append("**%s**: %d of %d goals in %d modules%s." % (
        "ALL PROVED" if proved else "FAILED", total_proved, total_goals, len(summaries),
        ", every mutant rejected" if args.mutants and mutants_ok else ""))
    print("\n".join(out))
    return 0 if proved else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summarize")
    s.add_argument("--module", required=True)
    s.add_argument("--mode", required=True)
    s.add_argument("--out-dir", required=True)
    s.add_argument("--seconds", type=int, default=0)
    s.add_argument("--skip", default="")
    s.add_argument("--machdep", default="")
    s.add_argument("--settings", default="")
    c = sub.add_parser("check-docs")
    c.add_argument("--summary", required=True)
    c.add_argument("--docs", required=True)
    r = sub.add_parser("render")
    r.add_argument("summaries", nargs="+")
    w = sub.add_parser("write-docs")
    w.add_argument("--docs", required=True)
    w.add_argument("summaries", nargs="+")
    m = sub.add_parser("mutant")
    m.add_argument("--name", required=True)
    m.add_argument("--out-dir", required=True)
    m.add_argument("--expect", required=True)
    p = sub.add_parser("print")
    p.add_argument("summaries", nargs="+")
    t = sub.add_parser("report")
    t.add_argument("--mode", required=True, choices=sorted(MODE_TEXT))
    t.add_argument("--status", type=int, default=0)
    t.add_argument("--tools", required=True)
    t.add_argument("--seconds", type=int, required=True)
    t.add_argument("--cores", type=int, required=True)
    t.add_argument("--specs", required=True)
    t.add_argument("--mutants")
    t.add_argument("--mutant-count", type=int, default=0)
    t.add_argument("summaries", nargs="*")
    args = parser.parse_args()
    if args.command == "summarize":
        return summarize(args)
    if args.command == "check-docs":
        return check_docs(args)
    if args.command == "render":
        for path in args.summaries:
            print(render(json.load(open(path))))
        return 0
    if args.command == "write-docs":
        return write_docs(args)
    if args.command == "mutant":
        return mutant(args)
    if args.command == "report":
        return report(args)
    return print_summary(args)


if __name__ == "__main__":
    sys.exit(main())
