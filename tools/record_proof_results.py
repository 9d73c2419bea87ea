#!/usr/bin/env python3
"""Runs Frama-C WP on each proof module and records the per-goal results that the traceability
gate (tools/trace_check.py, docs/requirements.md) reads: tests/traceability/proof_results.json.

For every module: the WP report (`-wp-report-json`: every goal of every function, with how many
of its sub-goals were proved), the sha256 of every file of the tree the run read (so the gate can
tell results made from other sources: "stale"), the command line, and the tool versions. A module
is recorded only if its run passes the gate below; otherwise nothing is written and the script
exits 1.

The gate: frama-c exits 0 with `-report-unclassified-unknown ERROR
-report-unclassified-warning ERROR` (every unproved property and every warning fails the run)
and WP prints "Proved goals: N / N"; the only warnings accepted are those proofs/report_rules.json
names with a reason. The flags are those of every proof run (proofs/wp_flags), and each module
is run with the sources, -main and -wp-skip-fct the registry (modules.bzl) gives it, as its
//proofs:<module>_proof target is. By default the prover verdicts come from the committed WP cache
(proofs/sessions/<module>/, written by `bazel run //proofs:update`): the recorded results are the
verdicts the replay tests check; a goal without a verdict there stays unproved and nothing is
recorded. --fresh runs the provers on every goal instead.

Usage (from the repository root; about a minute per module from the cache, several fresh):
  tools/record_proof_results.py                 # every module, rewrites the results file
  tools/record_proof_results.py --check         # exits 1 if the recorded inputs are stale
  tools/record_proof_results.py --module pool   # re-record one module, keep the others
  tools/record_proof_results.py --fresh         # provers run on every goal
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import registry  # noqa: E402  (modules.bzl: the modules and their proof settings)
import trace_check  # noqa: E402  (project_inputs: the same notion of "inputs" as the gate)

RESULTS = "tests/traceability/proof_results.json"



def wp_flags(root):
    """The WP settings every proof run shares (proofs/wp_flags, gate included)."""
    with open(os.path.join(root, "proofs/wp_flags"), encoding="utf-8") as handle:
        return [word for line in handle for word in line.split("#", 1)[0].split()]


def modules_to_record(root):
    """Module -> its sources and the -main / -wp-skip-fct of its //proofs:<module>_proof target,
    from the registry (modules.bzl), which that target is made from too."""
    return {name: {"sources": module["sources"], "main": module["proof"]["main"] or "",
                   "skip": module["proof"]["skip"]}
            for name, module in registry.load(root)[1].items()}


def version(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except FileNotFoundError:
        return "missing"


def digest(root, path):
    return hashlib.sha256(open(os.path.join(root, path), "rb").read()).hexdigest()


def module_flags(settings):
    """The -main and -wp-skip-fct flags of a module, as proofs/run_wp.sh passes them."""
    flags = []
    if settings.get("main"):
        flags += ["-main", settings["main"]]
    if settings.get("skip"):
        flags += ["-wp-skip-fct", ",".join(settings["skip"])]
    return flags


def run_module(root, name, settings, work, fresh):
    sources = settings["sources"]
    report = os.path.join(work, name + ".wp.json")
    if fresh:
        cache = ["-wp-cache", "none"]
    else:
        # The verdicts of the committed cache (written by bazel run //proofs:update), read from a
        # copy: no prover runs, and a goal without a verdict stays unproved.
        session = os.path.join(work, name + ".session")
        shutil.copytree(os.path.join(root, "proofs/sessions", name), session)
        cache = ["-wp-session", session, "-wp-cache", "offline"]
    command = (["frama-c"] + wp_flags(root) + ["-cpp-extra-args=-I. -Iinclude"] +
               module_flags(settings) + ["-report-rules", "proofs/report_rules.json"] + cache +
               ["-wp-report-json", report] + sources + ["-then", "-report-classify"])
    environment = dict(os.environ, WHY3CONFIG=os.path.join(work, "why3.conf"))
    subprocess.run(["why3", "config", "detect"], env=environment, capture_output=True, check=True)
    print("running WP on module %s (%s)..." % (name, " ".join(sources)), flush=True)
    completed = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True,
                               check=False)
    log = completed.stdout + completed.stderr
    match = re.search(r"Proved goals:\s+(\d+)\s*/\s*(\d+)", log)
    if completed.returncode != 0 or not match or match.group(1) != match.group(2):
        sys.stdout.write("\n".join(line for line in log.splitlines()
                                   if ": Valid" not in line and "[Passed]" not in line)[-6000:])
        print("\nFAIL: module %s does not pass the gate (exit %d, %s); nothing recorded" %
              (name, completed.returncode, match.group(0) if match else "no goal count"))
        return None
    inputs = trace_check.project_inputs(root, sources)
    print("module %s: %s" % (name, match.group(0)))
    return {
        "sources": sources,
        # Read by tests/release/dist_proof_test.sh, which proves the module on dist/ the same way.
        "main": settings.get("main", ""),
        "skip": settings.get("skip", []),
        "inputs": {path: digest(root, path) for path in inputs},
        "command": " ".join(command[:command.index("-report-rules") + 2] + ["..."] + sources),
        "goals": {"proved": int(match.group(1)), "total": int(match.group(2))},
        "wp_report": json.load(open(report, encoding="utf-8")),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.dirname(HERE))
    parser.add_argument("--check", action="store_true", help="only check that the inputs match")
    parser.add_argument("--fresh", action="store_true",
                        help="run the provers on every goal instead of reading the verdicts of "
                             "the committed WP cache in proofs/sessions/")
    parser.add_argument("--module", action="append",
                        help="re-record only this module (repeatable); the others are kept from "
                             "the results file as they are (each module's entry records the "
                             "files its own run read, so the check still covers them)")
    arguments = parser.parse_args()
    root = arguments.root
    path = os.path.join(root, RESULTS)
    modules_settings = modules_to_record(root)
    for name in arguments.module or []:
        if name not in modules_settings:
            parser.error("--module %s: not a module of modules.bzl (%s)" %
                         (name, ", ".join(modules_settings)))

    if arguments.check:
        failures = trace_check.Failures()
        trace_check.ProofResults(root, path, failures)
        for message in failures.messages:
            print("FAIL: " + message)
        return 1 if failures.messages else 0

    modules = {}
    if arguments.module:
        modules = {name: module for name, module in
                   json.load(open(path, encoding="utf-8"))["modules"].items()
                   if name in modules_settings and name not in arguments.module}
    with tempfile.TemporaryDirectory(prefix="veralloc-proof-results-") as work:
        for name, settings in sorted(modules_settings.items()):
            if arguments.module and name not in arguments.module:
                continue
            module = run_module(root, name, settings, work, arguments.fresh)
            if module is None:
                return 1
            modules[name] = module
    results = {
        "about": "Per-goal Frama-C WP results read by tools/trace_check.py; written by "
                 "tools/record_proof_results.py, never by hand (docs/requirements.md).",
        "tools": {
            "frama-c": version(["frama-c", "-version"]),
            "why3": version(["why3", "--version"]),
            "z3": version(["z3", "--version"]),
            "cvc4": version(["cvc4", "--version"]).splitlines()[0] if version(["cvc4", "--version"]) else "",
        },
        "modules": modules,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("wrote %s" % RESULTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
