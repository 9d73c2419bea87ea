"""Records the allocation traces of real programs: `bazel run //bench/traces:record`.

Each recipe below runs a program from a Debian package on the host, with
bench/traces/recorder/malloc_recorder.c preloaded (it logs every malloc, calloc, realloc, free
and aligned allocation, forwarding them to glibc), in a fixed environment (no inherited
variables, LC_ALL=C, output to /dev/null, run in a scratch folder /tmp/veralloc-trace-XXXXXXXX
holding copies of bench/traces/inputs/: jq allocates a copy of its working directory's path, so
the folder's path must have the same length on every run). The log is turned
into a trace (bench/runner/traces.py: slots instead of addresses) and written to
bench/traces/NAME.trace.gz with a header naming the program, its package version and the command.

Two details of the conversion, the same every time:
  - free of a block the log never saw allocated (the dynamic loader's, from before the recorder
    was loaded) is dropped, and so is free(NULL);
  - realloc(NULL, n) is an alloc, and realloc(p, 0) that returns NULL is a free.

`--check` re-records and compares with the committed traces (what //bench/traces:record_test
runs): the traces are reproducible on a machine with the package versions the header records. On
a machine with other versions (a later Debian point release) it records twice and compares the two
recordings instead, and says so: the recipe still runs and is deterministic there.
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from bench.runner import traces

# name -> the Debian package, the command (inputs relative to bench/traces/inputs), a description.
RECIPES = {
    "jq": {
        "package": "jq",
        "command": ["jq", "[.devices[] | select(.location.floor == 1) | "
                          "{name, sensors: [.sensors[] | select(.enabled) | .kind]}]", "devices.json"],
        "description": "jq parses a 32 KB JSON document, filters it and prints the result",
    },
    "sqlite3": {
        "package": "sqlite3",
        "command": ["sqlite3", ":memory:", ".read parts.sql"],
        "description": "sqlite3 builds a 300-row in-memory table with an index, queries, updates and deletes",
    },
    "bc": {
        "package": "bc",
        "command": ["bc", "-lq", "pi.bc"],
        "description": "bc computes pi to 300 decimal digits (arbitrary-precision arithmetic)",
    },
}

LOG_RECORD = struct.Struct("<4Q")


class RecordError(Exception):
    pass


def package_version(package):
    completed = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, check=False)
    if completed.returncode != 0 or not completed.stdout:
        raise RecordError(f"the Debian package {package} is not installed (tools/setup.sh installs it)")
    return completed.stdout.strip()


def check_recorder(recorder):
    """The recorder must bring no library but libc into the program: another one (libstdc++, say)
    would make allocations of its own, which the traces would then hold."""
    completed = subprocess.run(["ldd", recorder], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               check=False)
    libraries = [line.split()[0] for line in completed.stdout.splitlines() if "=>" in line]
    extra = [library for library in libraries if not library.startswith("libc.so")]
    if completed.returncode != 0 or extra:
        raise RecordError(f"{recorder} links {extra or completed.stdout.strip()}: it must link libc only")


def convert(log):
    """[(operation, slot, size)] from the recorder's log (bytes)."""
    calls = []
    slot_of = {}  # address -> slot
    free_slots = []  # freed slots, reused lowest first
    next_slot = 0

    def take_slot():
        nonlocal next_slot
        if free_slots:
            free_slots.sort(reverse=True)
            return free_slots.pop()
        next_slot += 1
        return next_slot - 1

    for offset in range(0, len(log) - len(log) % LOG_RECORD.size, LOG_RECORD.size):
        operation, block, size, result = LOG_RECORD.unpack_from(log, offset)
        operation = chr(operation)
        if operation == "r" and block == 0:
            operation = "a"
        if operation == "r" and size == 0 and result == 0:
            operation = "f"
        if operation == "a":
            if result == 0:
                raise RecordError("an allocation failed on the host while recording")
            slot = take_slot()
            slot_of[result] = slot
            calls.append(("a", slot, size))
        elif operation == "f":
            slot = slot_of.pop(block, None)
            if slot is None:
                continue  # not allocated through the recorder
            free_slots.append(slot)
            calls.append(("f", slot, 0))
        elif operation == "r":
            slot = slot_of.pop(block, None)
            if slot is None:
                raise RecordError("realloc of a block the log never saw allocated")
            if result == 0:
                raise RecordError("a realloc failed on the host while recording")
            slot_of[result] = slot
            calls.append(("r", slot, size))
        else:
            raise RecordError(f"unknown operation {operation!r} in the log")
    return calls


def record(name, recorder, inputs):
    recipe = RECIPES[name]
    # mkdtemp's names have a fixed length; /tmp rather than $TMPDIR, which differs under Bazel.
    scratch = tempfile.mkdtemp(prefix="veralloc-trace-", dir="/tmp")
    log_path = scratch + ".log"  # beside the folder, so the program sees only its inputs
    try:
        for entry in sorted(os.listdir(inputs)):
            shutil.copyfile(os.path.join(inputs, entry), os.path.join(scratch, entry))
        environment = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LD_PRELOAD": os.path.abspath(recorder),
                       "VERALLOC_TRACE_LOG": log_path}
        with open(os.devnull, "wb") as null:
            completed = subprocess.run(recipe["command"], cwd=scratch, env=environment, stdin=subprocess.DEVNULL,
                                       stdout=null, stderr=subprocess.PIPE, check=False)
        if completed.returncode != 0:
            raise RecordError(f"{' '.join(recipe['command'])} failed: {completed.stderr.decode(errors='replace')}")
        with open(log_path, "rb") as log:
            calls = convert(log.read())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if os.path.exists(log_path):
            os.remove(log_path)
    stats = traces.summary(calls)
    header = [
        "veralloc allocation trace (bench/runner/traces.py describes the format)",
        f"trace: {name}: {recipe['description']}",
        f"program: {recipe['package']} {package_version(recipe['package'])} (Debian), "
        f"glibc {package_version('libc6')}",
        f"command: {' '.join(recipe['command'])} (in bench/traces/inputs)",
        "recorded by: bazel run //bench/traces:record",
        "summary: " + " ".join(f"{key}={value}" for key, value in stats.items()),
    ]
    return header, calls


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recorder", required=True, help="malloc_recorder.so")
    parser.add_argument("--inputs", required=True, help="bench/traces/inputs")
    parser.add_argument("--traces", help="where the committed traces are (default: the workspace's bench/traces)")
    parser.add_argument("--check", action="store_true", help="re-record and compare instead of writing")
    arguments = parser.parse_args(argv)
    workspace = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
    folder = arguments.traces or (os.path.join(workspace, "bench", "traces") if workspace else None)
    if folder is None:
        parser.error("--traces is needed outside `bazel run`")
    check_recorder(arguments.recorder)
    differences = []
    for name in RECIPES:
        header, calls = record(name, arguments.recorder, arguments.inputs)
        path = os.path.join(folder, name + ".trace.gz")
        if arguments.check:
            committed_header, committed_calls = traces.read(path)
            if committed_header[2] != header[2]:
                # Other package versions allocate differently: the committed trace cannot be
                # reproduced here, but the recipe must still run and record the same twice.
                _, again = record(name, arguments.recorder, arguments.inputs)
                if again != calls:
                    differences.append(f"{name}: two recordings on this machine differ")
                print(f"record: {name}: recorded with {committed_header[2]!r}, this machine has "
                      f"{header[2]!r}: compared two recordings here instead (re-record with "
                      "bazel run //bench/traces:record to update the committed trace)")
            elif committed_calls != calls or committed_header != header:
                first = next((index for index, (left, right) in enumerate(zip(committed_calls, calls))
                              if left != right), min(len(calls), len(committed_calls)))
                differences.append(f"{name}: the re-recorded trace differs from {path} at call {first} "
                                   f"({len(committed_calls)} committed calls, {len(calls)} recorded)")
            else:
                print(f"record: {name}: {len(calls)} calls, identical to the committed trace")
        else:
            traces.write(path, header, calls)
            print(f"record: {name}: {len(calls)} calls -> {path}")
    for difference in differences:
        print(f"record: FAILED: {difference}", file=sys.stderr)
    return 1 if differences else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (RecordError, traces.TraceError) as error:
        print(f"record: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
