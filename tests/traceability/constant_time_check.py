#!/usr/bin/env python3
"""Every function of the library runs in constant time: it contains no loop and takes part in
no recursion. Checked on the code as Frama-C's front end sees it (after preprocessing, so a loop
hidden in a macro counts): the metrics plugin counts the loops of every function, the callgraph
plugin gives the direct calls, and the graph of calls between library functions must be
acyclic. Calls through a function pointer (the application's allocation callback and
out-of-memory hook in mira_mem) go to application code, which this check cannot see and does
not claim to bound (docs/requirements.md).

Usage: constant_time_check.py FILE.c...   (each file is checked as one translation unit group)
Fails if a function has a loop, if the call graph has a cycle, or if no function was analysed.
"""
import os
import re
import subprocess
import sys
import tempfile

FRAMA_C = ["frama-c", "-machdep", "ppc_32", "-cpp-extra-args=-I. -Iinclude"]


def main(files):
    if not files:
        print("FAIL: no file given")
        return 1
    failures = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("TEST_TMPDIR")) as work:
        dot = os.path.join(work, "callgraph.dot")
        completed = subprocess.run(FRAMA_C + files + ["-metrics", "-metrics-by-function",
                                                      "-then", "-cg", dot],
                                   capture_output=True, text=True, check=False)
        log = completed.stdout + completed.stderr
        if completed.returncode != 0:
            print(log[-3000:])
            print("FAIL: frama-c exited with status %d" % completed.returncode)
            return 1
        # Frama-C wraps long lines, also inside <file/function>: whitespace is dropped from it.
        loops = [(re.sub(r"\s+", "", name), count) for name, count in re.findall(
            r"Stats for function <([^>]+)>\s*=+\s*(?:.*\n)*?\s*Loop = (\d+)", log)]
        defined = sorted({name.split("/")[-1] for name, _ in loops})
        announced = re.search(r"Defined functions \((\d+)\)", log)
        if not announced or int(announced.group(1)) != len(loops):
            failures.append("the metrics name %s defined functions, but loop counts were read for "
                            "%d" % (announced.group(1) if announced else "no", len(loops)))
        for name, count in loops:
            if int(count) != 0:
                failures.append("%s has %s loop(s)" % (name, count))
        edges = {}
        for caller, callee in re.findall(r'"UV (\w+) \(\d+\)" -> "UV (\w+) \(\d+\)"',
                                         open(dot, encoding="utf-8").read()):
            edges.setdefault(caller, set()).add(callee)
    if not defined:
        failures.append("no function analysed (the metrics output changed?)")

    # Depth-first search for a cycle among the defined functions.
    state = {}

    def visit(function, path):
        state[function] = "open"
        for callee in sorted(edges.get(function, ())):
            if callee not in defined:
                continue
            if state.get(callee) == "open":
                failures.append("recursion: " + " -> ".join(path + [function, callee]))
            elif callee not in state:
                visit(callee, path + [function])
        state[function] = "done"

    for function in defined:
        if function not in state:
            visit(function, [])

    calls = sum(len(callees & set(defined)) for callees in edges.values())
    for failure in failures:
        print("FAIL: " + failure)
    if failures:
        return 1
    print("PASS: %d functions in %s: no loop, no recursion (%d direct calls between them)" %
          (len(defined), " ".join(files), calls))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
