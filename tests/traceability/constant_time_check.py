#!/usr/bin/env python3
"""Every function of the library runs in constant time: it contains no loop and takes part in
no recursion, except the loops named with --bounded-loops. Checked on the code as Frama-C's
front end sees it (after preprocessing, so a loop hidden in a macro counts): the metrics plugin
counts the loops of every function, the callgraph plugin gives the direct calls, and the graph of
calls between library functions must be acyclic. Calls through a function pointer (the
application's allocation callback and out-of-memory hook in mira_mem) go to application code,
which this check cannot see and does not claim to bound (docs/requirements.md).

--bounded-loops FUNCTION=COUNT,...: FUNCTION is documented to take time bounded by something
other than a constant (vera_pool_init_aligned: the block count; vera_pool_alloc_zeroed: the block size)
and must have exactly COUNT loops; it must be defined, so the list cannot go stale. It still
takes part in the recursion check. Every other function must have none.

Usage: constant_time_check.py [--bounded-loops F=N,...] FILE.c...   (one translation unit group)
Fails if a function has a loop it is not allowed, if an allowed function's loop count differs or
it is not defined, if the call graph has a cycle, or if no function was analysed.
"""
import os
import re
import subprocess
import sys
import tempfile

FRAMA_C = ["frama-c", "-machdep", "ppc_32", "-cpp-extra-args=-I. -Iinclude"]


def main(arguments):
    bounded = {}
    if arguments[:1] == ["--bounded-loops"]:
        if len(arguments) < 2:
            print("FAIL: --bounded-loops needs FUNCTION=COUNT,...")
            return 1
        for item in arguments[1].split(","):
            function, _, count = item.partition("=")
            if not function or not count.isdigit() or int(count) < 1:
                print("FAIL: --bounded-loops: '%s' is not FUNCTION=COUNT (COUNT >= 1)" % item)
                return 1
            bounded[function] = int(count)
        arguments = arguments[2:]
    files = arguments
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
            function = name.split("/")[-1]
            allowed = bounded.get(function, 0)
            if int(count) != allowed:
                if allowed:
                    failures.append("%s has %s loop(s); --bounded-loops allows it exactly %d" %
                                    (name, count, allowed))
                else:
                    failures.append("%s has %s loop(s)" % (name, count))
        edges = {}
        for caller, callee in re.findall(r'"UV (\w+) \(\d+\)" -> "UV (\w+) \(\d+\)"',
                                         open(dot, encoding="utf-8").read()):
            edges.setdefault(caller, set()).add(callee)
    if not defined:
        failures.append("no function analysed (the metrics output changed?)")
    for function in sorted(set(bounded) - set(defined)):
        failures.append("--bounded-loops names %s, which is not defined here" % function)

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
    exceptions = ""
    if bounded:
        exceptions = "; bounded loops only where allowed: %s" % ", ".join(
            "%s (%d)" % item for item in sorted(bounded.items()))
    print("PASS: %d functions in %s: no loop, no recursion (%d direct calls between them)%s" %
          (len(defined), " ".join(files), calls, exceptions))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
