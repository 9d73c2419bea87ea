"""`bazel run //bench`: the Cortex-M latency and code-size benchmark.

Boots every image on every board under QEMU (one boot per allocator and workload), converts the
SysTick readings into executed instructions, measures code size, and writes:
  - markdown tables to stdout (and bench/results/latest.md),
  - bench/results/latest.json (statistics, histograms, code sizes, machine, command),
  - bench/results/latest.svg (per-call distribution per allocator and core),
  - with --update-docs, the generated section of docs/benchmarks.md.
Every number comes from this run; nothing is copied from an earlier one.

Before measuring, each board's harness is checked: the known instruction sequences of timing.S
must measure exactly as long as they are (bench/runner/harness_test.py checks the same in
`bazel test`). A failed check stops the run.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

from bench.runner import code_size
from bench.runner import measure
from bench.runner import plot
from bench.runner import qemu
from bench.runner import report

# workload -> the series reported for it (the firmware's adapters say which workloads they run)
WORKLOADS = {
    "W1": ["alloc"],
    "W2": ["alloc"],
    "W3": ["alloc_failed"],
    "W4": ["alloc", "free"],
}
BASELINE = "newlib"


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
            allocators.append({
                "name": words[1],
                "free": fields.get("free") == "1",
                "workloads": [name for name in fields.get("workloads", "").split(",") if name],
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


def measure_latency(manifest, log):
    results = {}
    for board, images in images_by_board(manifest).items():
        board_results = {"core": manifest["boards"][board]["core"], "allocators": {}, "harness": {}}
        for image in images:
            board_results["harness"][image["image"]] = check_harness(manifest, board, image["elf"])
            for allocator in list_allocators(board, image["elf"]):
                name = allocator["name"]
                if name in board_results["allocators"]:
                    raise BenchError(f"{board}: two images hold an allocator named {name}")
                entry = {"image": image["image"], "workloads": {}}
                unknown = set(allocator["workloads"]) - set(WORKLOADS)
                if unknown:
                    raise BenchError(f"{board} {name}: unknown workloads {sorted(unknown)}")
                for workload, reported in WORKLOADS.items():
                    if workload not in allocator["workloads"]:
                        continue
                    log(f"{board} {name} {workload}")
                    series, announced = run_workload(manifest, board, image["elf"], name, workload)
                    entry["workloads"][workload] = {
                        "calls": announced,
                        "series": {
                            series_name: {
                                "statistics": measure.statistics(series.get(series_name, [])),
                                "histogram": measure.histogram(series.get(series_name, [])),
                            }
                            for series_name in reported
                        },
                    }
                board_results["allocators"][name] = entry
        if BASELINE not in board_results["allocators"]:
            raise BenchError(f"{board}: no {BASELINE} baseline in the run")
        board_results["ticks_per_instruction"] = str(per_instruction(manifest, board))
        results[board] = board_results
    return results


def measure_code_size(manifest):
    sizes = {}
    for entry in manifest["code_size"]:
        core = sizes.setdefault(entry["core"], {})
        members = code_size.member_sizes(entry["archive"])
        library = entry["library"].split(":")[-1]
        core.setdefault(library, {})[entry["optimization"]] = code_size.total(members.values())
    newlib = {}
    for core in sizes:
        flags = manifest["core_flags"][core]
        for variant, nano in (("newlib", False), ("newlib-nano", True)):
            totals, counted, shared = code_size.newlib_malloc_free(flags, nano)
            newlib.setdefault(core, {})[variant] = {
                "size": totals, "members": counted, "not_counted": shared,
                "archive": os.path.basename(code_size.newlib_archive(flags, nano)),
            }
    return {"veralloc": sizes, "newlib": newlib}


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


def update_docs(path, generated):
    begin, end = "<!-- bench:generated:begin -->", "<!-- bench:generated:end -->"
    with open(path, encoding="utf-8") as docs:
        text = docs.read()
    if begin not in text or end not in text:
        raise BenchError(f"{path} lacks the {begin} / {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as docs:
        docs.write(head + begin + "\n" + generated + "\n" + end + tail)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True, help="bench/manifest.json (from Bazel)")
    parser.add_argument("--output-dir", help="where results go (default: bench/results in the workspace)")
    parser.add_argument("--update-docs", action="store_true", help="rewrite docs/benchmarks.md's generated section")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    arguments = parser.parse_args(argv)

    workspace = os.environ.get("BUILD_WORKSPACE_DIRECTORY")
    output_dir = arguments.output_dir or (os.path.join(workspace, "bench", "results") if workspace else None)
    if output_dir is None:
        parser.error("--output-dir is needed outside `bazel run`")

    def log(message):
        if not arguments.quiet:
            print(f"bench: {message}", file=sys.stderr, flush=True)

    manifest = load_manifest(arguments.manifest)
    latency = measure_latency(manifest, log)
    log("code size")
    sizes = measure_code_size(manifest)
    results = {
        "schema": 1,
        "command": "bazel run //bench",
        "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(workspace),
        "machine": machine(),
        "units": "executed instructions per call (QEMU -icount), not cycles",
        "workloads": report.WORKLOAD_DESCRIPTIONS,
        "latency": latency,
        "code_size": sizes,
    }
    tables = "\n".join([
        report.targets_table(results, BASELINE),
        report.pool_targets_table(results),
        report.latency_tables(results, BASELINE),
        report.code_size_tables(results),
    ])
    print(tables)

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
        if not workspace:
            parser.error("--update-docs works under `bazel run` only")
        update_docs(os.path.join(workspace, "docs", "benchmarks.md"),
                    report.run_header(results) + "\n" + tables)
        log("updated docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (BenchError, measure.MeasurementError, qemu.QemuError, code_size.CodeSizeError) as error:
        print(f"bench: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
