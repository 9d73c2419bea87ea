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
names with a reason. The flags are the proof suite's (docs/proofs.md), and each module is run with
the -main and -wp-skip-fct of its //proofs:<module>_proof target (MODULES below).

Usage (from the repository root; a few minutes per module on two cores):
  tools/record_proof_results.py                 # every module, rewrites the results file
  tools/record_proof_results.py --check         # exits 1 if the recorded inputs are stale
  tools/record_proof_results.py --module pool   # re-record one module, keep the others
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import trace_check  # noqa: E402  (project_inputs: the same notion of "inputs" as the gate)

RESULTS = "tests/traceability/proof_results.json"

# Module -> how WP is run on it, one line per module: its sources, and the settings of its
# //proofs:<module>_proof target in proofs/BUILD, which the recording must share so that it
# records the goals that target proves: `main` (-main: that function is proved with the initial
# values of the globals) and `skip` (-wp-skip-fct: trusted functions whose bodies stay out of the
# proof, their contracts assumed; docs/proofs.md lists them). tools/trace_check.py --proof-args
# checks the recorded settings against proofs/BUILD. A module whose contracts are not written
# yet is not here: its requirements are `pending` in docs/requirements.md.
MODULES = {
    "arena": {"sources": ["src/arena.c"]},
    "mira_mem": {"sources": ["src/mira_mem.c"], "main": "mira_mem_proof_initial_state", "skip": ["mira_mem_call_callback", "mira_mem_call_oom_hook"]},
    "pool": {"sources": ["src/pool.c"], "skip": ["pool_offset_in_blocks"]},
}

WP_FLAGS = [
    "-machdep", "ppc_32",                 # ILP32 with 8-byte alignment: the Cortex-M data model
    "-cpp-extra-args=-I. -Iinclude",
    "-wp", "-wp-rte",                     # every runtime-error condition is a goal
    "-warn-unsigned-overflow",            # ... including unsigned wrap-around
    "-warn-invalid-pointer",              # ... and pointer arithmetic outside an object
    "-wp-prover", "z3,cvc4",
    "-wp-timeout", "20", "-wp-par", "2",
    "-wp-smoke-tests",                    # inconsistent preconditions/axioms, dead code
    "-wp-check-memory-model",             # WP's separation hypotheses become goals
    # WP wants `assigns \result \from ...` on pointer results but cannot check \from clauses;
    # the contracts state the result with proved postconditions instead.
    "-wp-warn-key", "pedantic-assigns=inactive",
]
GATE_FLAGS = [
    # The warnings the proof suite accepts, each by a named rule with its reason (the facade's
    # header/source contract merge, the trusted callback wrapper's separation hypothesis): the
    # same file as proofs/run_wp.sh. Every other warning fails the run.
    "-report-rules", "proofs/report_rules.json",
    "-report-unclassified-unknown", "ERROR",
    "-report-unclassified-warning", "ERROR",
    "-report-unclassified-error", "ERROR",
    "-report-unclassified-invalid", "ERROR",
]


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


def run_module(root, name, settings, work):
    sources = settings["sources"]
    report = os.path.join(work, name + ".wp.json")
    command = (["frama-c"] + WP_FLAGS + module_flags(settings) + ["-wp-report-json", report] +
               GATE_FLAGS + sources + ["-then", "-report-classify"])
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
        "command": " ".join(command[:command.index("-wp-report-json")] + ["..."] + sources),
        "goals": {"proved": int(match.group(1)), "total": int(match.group(2))},
        "wp_report": json.load(open(report, encoding="utf-8")),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.dirname(HERE))
    parser.add_argument("--check", action="store_true", help="only check that the inputs match")
    parser.add_argument("--module", action="append", choices=sorted(MODULES),
                        help="re-record only this module (repeatable); the others are kept from "
                             "the results file as they are (each module's entry records the "
                             "files its own run read, so the check still covers them)")
    arguments = parser.parse_args()
    root = arguments.root
    path = os.path.join(root, RESULTS)

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
                   if name in MODULES and name not in arguments.module}
    with tempfile.TemporaryDirectory(prefix="veralloc-proof-results-") as work:
        for name, settings in sorted(MODULES.items()):
            if arguments.module and name not in arguments.module:
                continue
            module = run_module(root, name, settings, work)
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
