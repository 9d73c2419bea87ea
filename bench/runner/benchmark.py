"""`bazel run //bench`: the Cortex-M latency and code-size benchmark.

Boots every image on every board under QEMU (one boot per allocator and workload or trace),
converts the SysTick readings into executed instructions, computes each timed function's static
worst-case bound from the image (bench/runner/static_bound.py), finds by bisection the smallest
heap that serves each recorded trace (bench/traces/), measures code size, and writes:
  - markdown tables to stdout (and bench/results/latest.md),
  - bench/results/latest.json (statistics, histograms, code sizes, machine, command),
  - bench/results/latest.svg (per-call distribution per allocator and core),
  - with --update-docs, the generated section of docs/benchmarks.md and the README's table.
Every number comes from this run; nothing is copied from an earlier one.

Before measuring, each board's harness is checked: the known instruction sequences of timing.S
must measure exactly as long as they are (bench/runner/harness_test.py checks the same in
`bazel test`). A failed check stops the run.

The peers (o1heap, TLSF, umm_malloc) take part when @peers found them (bench/peers.bzl); the run
names the ones that are missing and goes on without them.

Progress goes to stderr as the run goes (each board, image and workload, with the elapsed time).
`--smoke` runs the same code paths quickly (first board, one workload per allocator, the first
200 calls of each trace) and writes nothing unless --output-dir is given: `bazel test //bench:
bench_smoke_test` runs it as `bazel run //bench` starts it.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from bench.runner import code_size
from bench.runner import measure
from bench.runner import plot
from bench.runner import qemu
from bench.runner import report
from bench.runner import static_bound
from bench.runner import traces

# workload -> the series reported for it (the firmware's adapters say which workloads they run)
WORKLOADS = {
    "W1": ["alloc"],
    "W2": ["alloc"],
    "W3": ["alloc_failed"],
    "W4": ["alloc", "free"],
    # The heap's worst cases (bench/firmware/workloads.c), the realloc ones W7 and W8 included.
    "W5": ["alloc", "free"],
    "W6": ["free"],
    "W7": ["realloc"],
    "W8": ["realloc"],
}
BASELINE = "newlib"
# The board whose runs find the smallest RAM per trace: an allocator's memory layout is the same
# on every Cortex-M core (same pointer size and alignment), so one board answers for all.
RAM_BOARD = "mps2-an385"
# The trace replays' heap: the firmware's whole region (bench_main.c, BENCH_REGION_BYTES).
TRACE_REGION_BYTES = 2 * 1024 * 1024
# Bisection granularity: the heap sizes tried are multiples of this.
RAM_GRANULARITY = 8
SMOKE_TRACE_CALLS = 200


class BenchError(Exception):
    pass


def load_manifest(path):
    with open(path, encoding="utf-8") as manifest_file:
        return json.load(manifest_file)


def images_by_board(manifest):
    boards = {}
    for image in manifest["images"]:
        boards.setdefault(image["board"], []).append(image)
    return boards


def per_instruction(manifest, board):
    return measure.ticks_per_instruction(manifest["boards"][board]["systick_hz"], qemu.ICOUNT_SHIFT)


def list_allocators(board, elf):
    allocators = []
    for line in qemu.boot_or_fail(board, elf, ["list"]).lines:
        words = line.split()
        if words and words[0] == "allocator":
            fields = dict(word.split("=", 1) for word in words[2:])
            named = [name for name in fields.get("workloads", "").split(",") if name]
            allocators.append({
                "name": words[1],
                "free": fields.get("free") == "1",
                "realloc": fields.get("realloc") == "1",
                "alignment": int(fields.get("alignment", "0")),
                "workloads": [name for name in named if name != "traces"],
                "traces": "traces" in named,
                "functions": {role: int(fields.get(role + "_function", "0")) & ~1
                              for role in ("alloc", "free", "realloc")},
            })
    if not allocators:
        raise BenchError(f"{elf} on {board} lists no allocator")
    return allocators


def check_harness(manifest, board, elf):
    """The nop sequences must measure N + 1 instructions (N nops and the return)."""
    boot = qemu.boot_or_fail(board, elf, ["nops"])
    window, _, _, nops = measure.parse_run(boot.lines, per_instruction(manifest, board))
    if not nops:
        raise BenchError(f"{board}: the firmware timed no known sequence")
    wrong = {count: measured for count, measured in nops.items() if measured != count + 1}
    if wrong:
        raise BenchError(f"{board}: known sequences mismeasured {wrong} (expected N + 1)")
    return {"window_overhead": window.overhead, "nops": {str(k): v for k, v in sorted(nops.items())}}


def run_workload(manifest, board, elf, allocator, workload):
    boot = qemu.boot_or_fail(board, elf, ["run", allocator, workload])
    _, series, announced, _ = measure.parse_run(boot.lines, per_instruction(manifest, board))
    return series, announced


class Progress:
    """Progress lines on stderr, each with the time elapsed since the run started."""

    def __init__(self, quiet):
        self.quiet = quiet
        self.start = time.monotonic()

    def __call__(self, message):
        if not self.quiet:
            elapsed = int(time.monotonic() - self.start)
            print(f"bench: [{elapsed // 60:d}:{elapsed % 60:02d}] {message}", file=sys.stderr, flush=True)


def series_summary(series, reported):
    return {
        series_name: {
            "statistics": measure.statistics(series.get(series_name, [])),
            "histogram": measure.histogram(series.get(series_name, [])),
        }
        for series_name in reported
    }


def series_maxima(series):
    """The largest value of every series a run printed (alloc_failed included), for the bound check."""
    return {name: max(values) for name, values in series.items() if values}


def trace_files(manifest, scratch, smoke):
    """{trace name: {"summary", "header", "path" of the binary replay file written to scratch}};
    in smoke mode of the first SMOKE_TRACE_CALLS calls of each trace only."""
    files = {}
    for entry in manifest.get("traces", []):
        name = os.path.basename(entry["path"]).split(".")[0]
        header, calls = traces.read(entry["path"])
        if smoke:
            calls = traces.prefix(calls, SMOKE_TRACE_CALLS)
        path = os.path.join(scratch, name + ".bin")
        if "," in path or " " in path:
            # QEMU splits -semihosting-config at commas, the firmware its command line at spaces.
            raise BenchError(f"{path}: the trace's path must hold no comma or space (set TMPDIR)")
        with open(path, "wb") as output:
            output.write(traces.binary(calls))
        files[name] = {"summary": traces.summary(calls), "header": header, "path": path}
    return files


def replay_trace(manifest, board, elf, allocator, path, heap_bytes):
    """(series, announced) of a timed replay, or None if the trace does not fit in heap_bytes."""
    boot = qemu.boot(board, elf, ["trace", allocator, str(heap_bytes), "timed", path], timeout_seconds=600)
    if boot.status != 0 and any("out of memory" in line or "did not start" in line for line in boot.lines):
        return None
    if boot.status != 0:
        raise qemu.QemuError("firmware failed:\n" + boot.describe())
    _, series, announced, _ = measure.parse_run(boot.lines, per_instruction(manifest, board))
    return series, announced


def trace_fits(board, elf, allocator, path, heap_bytes):
    boot = qemu.boot_or_fail(board, elf, ["trace", allocator, str(heap_bytes), "fit", path], timeout_seconds=600)
    verdicts = [line for line in boot.lines if line.startswith("fit ")]
    if len(verdicts) != 1:
        raise BenchError(f"{board} {allocator}: no fit verdict:\n{boot.describe()}")
    return verdicts[0] == "fit 1"


def smallest_heap(board, elf, allocator, path, peak_live_bytes):
    """The smallest heap (a multiple of RAM_GRANULARITY) that serves the trace, by bisection, or
    None if the whole region does not. Live blocks cannot overlap, so it is at least the peak of
    live bytes; the bisection assumes that a heap which serves the trace still does when larger."""
    high = TRACE_REGION_BYTES
    if not trace_fits(board, elf, allocator, path, high):
        return None, 1
    low = max(RAM_GRANULARITY, peak_live_bytes // RAM_GRANULARITY * RAM_GRANULARITY) - RAM_GRANULARITY
    boots = 1
    while high - low > RAM_GRANULARITY:  # low does not fit (or is below the peak), high fits
        middle = (low + high) // 2 // RAM_GRANULARITY * RAM_GRANULARITY
        boots += 1
        if trace_fits(board, elf, allocator, path, middle):
            high = middle
        else:
            low = middle
    return high, boots


def measure_latency(manifest, log, smoke, trace_inputs):
    results = {}
    boards = list(images_by_board(manifest).items())
    if smoke:
        boards = boards[:1]
    for number, (board, images) in enumerate(boards, 1):
        core = manifest["boards"][board]["core"]
        log(f"board {number}/{len(boards)}: {board} ({report.core_name(core)})")
        board_results = {"core": core, "allocators": {}, "locked": {}, "harness": {}}
        for image in images:
            log(f"{board}: image {image['image']}: harness check")
            board_results["harness"][image["image"]] = check_harness(manifest, board, image["elf"])
            allocators = list_allocators(board, image["elf"])
            symbols = static_bound.function_names(image["elf"])
            functions = {allocator["name"]: {role: symbols.get(address) for role, address in allocator["functions"].items()
                                             if address} for allocator in allocators}
            bounds = static_bound.bounds(image["elf"], sorted({function for named in functions.values()
                                                               for function in named.values() if function}))
            for allocator in allocators:
                name = allocator["name"]
                # The image built with the lock: its allocators' workloads only, kept apart
                # (board_results["locked"]) for the lock-cost table; traces and RAM are the
                # same code's and are not run twice.
                locked = name.endswith(report.LOCK_SUFFIX)
                if name in board_results["allocators"] or name in board_results["locked"]:
                    raise BenchError(f"{board}: two images hold an allocator named {name}")
                entry = {
                    "image": image["image"],
                    "alignment": allocator["alignment"],
                    "realloc": allocator["realloc"],
                    "workloads": {},
                    "traces": {},
                    "functions": {role: dict(bounds[function], function=function)
                                  for role, function in functions[name].items()},
                }
                unknown = set(allocator["workloads"]) - set(WORKLOADS)
                if unknown:
                    raise BenchError(f"{board} {name}: unknown workloads {sorted(unknown)}")
                workloads = [workload for workload in WORKLOADS if workload in allocator["workloads"]]
                if smoke:
                    workloads = workloads[:1]
                for workload in workloads:
                    log(f"{board}: {name} {workload}")
                    series, announced = run_workload(manifest, board, image["elf"], name, workload)
                    entry["workloads"][workload] = {
                        "calls": announced,
                        "series": series_summary(series, WORKLOADS[workload]),
                        "max": series_maxima(series),
                    }
                if allocator["traces"] and not locked:
                    for trace, trace_input in trace_inputs.items():
                        log(f"{board}: {name} trace {trace} ({trace_input['summary']['calls']} calls)")
                        replayed = replay_trace(manifest, board, image["elf"], name, trace_input["path"],
                                                TRACE_REGION_BYTES)
                        if replayed is None:
                            entry["traces"][trace] = {"fits": False}
                            continue
                        series, announced = replayed
                        values = [value for values in series.values() for value in values]
                        entry["traces"][trace] = {
                            "fits": True,
                            "calls": announced,
                            "series": series_summary(series, ["alloc", "free", "realloc"]),
                            "all": measure.statistics(values),
                            "total_instructions": sum(values),
                            "max": series_maxima(series),
                        }
                if locked:
                    board_results["locked"][name[:-len(report.LOCK_SUFFIX)]] = entry
                else:
                    board_results["allocators"][name] = entry
        if BASELINE not in board_results["allocators"]:
            raise BenchError(f"{board}: no {BASELINE} baseline in the run")
        board_results["ticks_per_instruction"] = str(per_instruction(manifest, board))
        results[board] = board_results
    return results


def measure_ram(manifest, log, smoke, trace_inputs):
    """{trace: {allocator: smallest heap}} on RAM_BOARD (the smoke run: its board, one trace on
    one allocator)."""
    board = next(iter(images_by_board(manifest))) if smoke else RAM_BOARD
    ram = {}
    for image in images_by_board(manifest)[board]:
        for allocator in list_allocators(board, image["elf"]):
            if (not allocator["traces"] or allocator["name"].endswith(report.LOCK_SUFFIX)
                    or (smoke and ram)):
                continue  # the smoke run bisects one trace on one allocator
            for trace, trace_input in list(trace_inputs.items())[:1 if smoke else None]:
                log(f"{board}: {allocator['name']} trace {trace}: smallest heap by bisection")
                heap, boots = smallest_heap(board, image["elf"], allocator["name"], trace_input["path"],
                                            trace_input["summary"]["peak_live_bytes"])
                ram.setdefault(trace, {})[allocator["name"]] = {"heap_bytes": heap, "boots": boots,
                                                                "region_bytes": TRACE_REGION_BYTES}
    return {"board": board, "granularity": RAM_GRANULARITY, "traces": ram}


# Parts of a library measured on their own (code_size.reachable_size): the functions a target
# names and every static helper and constant they reach, as a linker keeps them for a program
# that calls only those. Issue 13's .text target is for these five of the heap's functions.
FUNCTION_SETS = {
    "heap": {
        "label": "heap: init, alloc, alloc_aligned, free, realloc",
        "functions": ["vera_heap_init", "vera_heap_alloc", "vera_heap_alloc_aligned", "vera_heap_free",
                      "vera_heap_realloc"],
    },
}


def measure_code_size(manifest):
    sizes = {}
    function_sets = {}
    for entry in manifest["code_size"]:
        core = sizes.setdefault(entry["core"], {})
        members = code_size.member_sizes(entry["archive"])
        library = entry["library"].split(":")[-1]
        core.setdefault(library, {})[entry["optimization"]] = code_size.total(members.values())
        if library in FUNCTION_SETS and not entry["library"].startswith("@"):
            measured, sections = code_size.reachable_size(entry["archive"], FUNCTION_SETS[library]["functions"])
            part = function_sets.setdefault(entry["core"], {}).setdefault(library, {
                "label": FUNCTION_SETS[library]["label"],
                "functions": FUNCTION_SETS[library]["functions"],
                "sizes": {},
            })
            part["sizes"][entry["optimization"]] = dict(measured, sections=sections)
    newlib = {}
    for core in sizes:
        flags = manifest["core_flags"][core]
        for variant, nano in (("newlib", False), ("newlib-nano", True)):
            totals, counted, shared = code_size.newlib_malloc_free(flags, nano)
            newlib.setdefault(core, {})[variant] = {
                "size": totals, "members": counted, "not_counted": shared,
                "archive": os.path.basename(code_size.newlib_archive(flags, nano)),
            }
    return {"veralloc": {core: {library: by_optimization for library, by_optimization in libraries.items()
                                if not library_is_peer(manifest, library)} for core, libraries in sizes.items()},
            "peers": {core: {library: by_optimization for library, by_optimization in libraries.items()
                             if library_is_peer(manifest, library)} for core, libraries in sizes.items()},
            "newlib": newlib,
            "function_sets": function_sets}


def library_is_peer(manifest, library):
    return any(entry["library"].startswith("@") and entry["library"].split(":")[-1] == library
               for entry in manifest["code_size"])



def tool_version(command):
    try:
        output = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, check=False).stdout
        return output.splitlines()[0].strip() if output else "unknown"
    except OSError:
        return "unknown"


def newlib_version():
    try:
        with open("/usr/include/newlib/_newlib_version.h", encoding="ascii") as header:
            for line in header:
                if line.startswith("#define _NEWLIB_VERSION "):
                    return line.split()[2].strip('"')
    except OSError:
        pass
    return "unknown"


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "host": f"{platform.system()} {platform.release()} {platform.machine()}",
        "host_cpu": cpu,
        "qemu": tool_version([qemu.QEMU, "--version"]),
        "compiler": tool_version([code_size.GCC, "--version"]),
        "newlib": newlib_version(),
        "qemu_options": f"-icount shift={qemu.ICOUNT_SHIFT},align=off,sleep=off",
    }


def git_commit(workspace):
    if not workspace:
        return "unknown"
    try:
        commit = subprocess.run(["git", "-C", workspace, "rev-parse", "--short", "HEAD"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", workspace, "status", "--porcelain", "--untracked-files=no"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               check=False).stdout.strip()
        return (commit + (" (with uncommitted changes)" if dirty else "")) if commit else "unknown"
    except OSError:
        return "unknown"


def update_docs(path, generated, marker="generated"):
    begin, end = f"<!-- bench:{marker}:begin -->", f"<!-- bench:{marker}:end -->"
    with open(path, encoding="utf-8") as docs:
        text = docs.read()
    if begin not in text or end not in text:
        raise BenchError(f"{path} lacks the {begin} / {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as docs:
        docs.write(head + begin + "\n" + generated + "\n" + end + tail)


def peers_status(manifest):
    peers = manifest.get("peers", {"folder": "?", "commits": {}, "missing": {}})
    return {"folder": peers["folder"], "found": dict(peers["commits"]), "missing": dict(peers["missing"])}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True, help="bench/manifest.json (from Bazel)")
    parser.add_argument("--out", "--output-dir", dest="output_dir",
                        help="where latest.{json,md,svg} go (default: bench/results in the workspace; with "
                             "--smoke, nowhere unless given); a relative path is relative to the directory "
                             "`bazel run` was started in")
    parser.add_argument("--update-docs", action="store_true", help="rewrite docs/benchmarks.md's generated section and the README's benchmark table")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--smoke", action="store_true",
                        help="a quick run of the same code paths (first board, one workload per allocator, "
                             f"the first {SMOKE_TRACE_CALLS} calls of each trace), for tests")
    arguments = parser.parse_args(argv)

    workspace = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
    output_dir = arguments.output_dir
    if output_dir is not None and not os.path.isabs(output_dir):
        output_dir = os.path.join(os.environ.get("BUILD_WORKING_DIRECTORY", os.getcwd()), output_dir)
    if output_dir is None and not arguments.smoke:
        output_dir = os.path.join(workspace, "bench", "results") if workspace else None
        if output_dir is None:
            parser.error("--output-dir is needed outside `bazel run`")
    if arguments.update_docs and not workspace:
        parser.error("--update-docs works under `bazel run` only")

    log = Progress(arguments.quiet)
    manifest = load_manifest(arguments.manifest)
    peers = peers_status(manifest)
    if peers["found"]:
        log(f"peers: {', '.join(sorted(peers['found']))} from {peers['folder']}")
    for peer, reason in sorted(peers["missing"].items()):
        log(f"peer {peer} missing, left out of this run: {reason}")
    scratch = tempfile.mkdtemp(prefix="veralloc-bench-")
    try:
        trace_inputs = trace_files(manifest, scratch, arguments.smoke)
        latency = measure_latency(manifest, log, arguments.smoke, trace_inputs)
        ram = measure_ram(manifest, log, arguments.smoke, trace_inputs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    log("code size")
    sizes = measure_code_size(manifest)
    results = {
        "schema": 2,
        "command": "bazel run //bench" + (" -- --smoke" if arguments.smoke else ""),
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(workspace),
        "machine": machine(),
        "units": "executed instructions per call (QEMU -icount), not cycles",
        "workloads": report.WORKLOAD_DESCRIPTIONS,
        "peers": peers,
        "traces": {name: {"summary": entry["summary"], "header": entry["header"]}
                   for name, entry in trace_inputs.items()},
        "latency": latency,
        "ram": ram,
        "code_size": sizes,
        "elapsed_seconds": int(time.monotonic() - log.start),
    }
    tables = report.all_tables(results, BASELINE)
    print(tables)
    log(f"done in {results['elapsed_seconds']} s")

    if output_dir is not None:
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "latest.json"), "w", encoding="utf-8") as output:
            json.dump(results, output, indent=1, sort_keys=True)
            output.write("\n")
        with open(os.path.join(output_dir, "latest.md"), "w", encoding="utf-8") as output:
            output.write(report.run_header(results) + "\n" + tables)
        with open(os.path.join(output_dir, "latest.svg"), "w", encoding="utf-8") as output:
            output.write(plot.latency_svg(results))
        log(f"wrote {output_dir}/latest.json, latest.md, latest.svg")
    if arguments.update_docs:
        update_docs(os.path.join(workspace, "docs", "benchmarks.md"),
                    report.run_header(results) + "\n" + tables)
        update_docs(os.path.join(workspace, "README.md"), report.readme_summary(results), marker="summary")
        log("updated docs/benchmarks.md and the README's benchmark table")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BenchError, measure.MeasurementError, qemu.QemuError, code_size.CodeSizeError,
            static_bound.StaticBoundError, traces.TraceError) as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
