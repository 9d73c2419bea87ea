"""Checks that the benchmark harness measures what it claims (no timing thresholds).

- Known sequences: a function of N nops and its return measures exactly N + 1, on every board.
- Independent count: QEMU's single-step execution trace, counted between the window's call and
  its closing SysTick read, gives the same instruction count as SysTick for every call of a run.
- Reproducibility: two boots of the same workload give identical output.
- The conversion refuses readings that are not a whole number of instructions, and the
  statistics are what their definitions say.
- The exit status reaches the host, so a failing smoke test cannot pass.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import unittest
from fractions import Fraction

from bench.runner import benchmark
from bench.runner import code_size
from bench.runner import measure
from bench.runner import qemu
from bench.runner import traces

MANIFEST = None


def setUpModule():
    global MANIFEST
    MANIFEST = benchmark.load_manifest(ARGUMENTS.manifest)


def first_image(board, image_name):
    for image in MANIFEST["images"]:
        if image["board"] == board and image["image"] == image_name:
            return image["elf"]
    raise AssertionError(f"no image {image_name} for {board} in the manifest")


def boards():
    return list(MANIFEST["boards"])


def peers_present(board):
    """The peers in this build's `peers` image (none when @peers found none)."""
    for image in MANIFEST["images"]:
        if image["board"] == board and image["image"] == "peers":
            return [allocator["name"] for allocator in benchmark.list_allocators(board, image["elf"])]
    return []


class ConversionTest(unittest.TestCase):
    def test_whole_instructions_are_recovered_from_quantised_ticks(self):
        per_instruction = measure.ticks_per_instruction(25000000, 10)
        self.assertEqual(per_instruction, Fraction(128, 5))  # 25.6
        self.assertEqual(measure.window_instructions(76, per_instruction), 3)
        self.assertEqual(measure.window_instructions(77, per_instruction), 3)
        self.assertEqual(measure.window_instructions(25677, per_instruction), 1003)

    def test_a_reading_between_two_instruction_counts_is_refused(self):
        per_instruction = measure.ticks_per_instruction(25000000, 10)
        with self.assertRaises(measure.MeasurementError):
            measure.window_instructions(90, per_instruction)  # 3.5 instructions

    def test_empty_calls_that_disagree_are_refused(self):
        per_instruction = measure.ticks_per_instruction(25000000, 10)
        with self.assertRaises(measure.MeasurementError):
            measure.Window([77, 102], per_instruction)

    def test_statistics_follow_their_definitions(self):
        values = list(range(1, 201))  # 1..200
        stats = measure.statistics(values)
        self.assertEqual(stats, {"calls": 200, "min": 1, "median": 100, "p99": 198, "max": 200})
        self.assertEqual(measure.statistics([7])["p99"], 7)
        self.assertIsNone(measure.statistics([]))


class KnownSequenceTest(unittest.TestCase):
    def test_n_nops_and_a_return_measure_n_plus_one_on_every_board(self):
        for board in boards():
            with self.subTest(board=board):
                boot = qemu.boot_or_fail(board, first_image(board, "veralloc"), ["nops"])
                _, _, _, nops = measure.parse_run(boot.lines, benchmark.per_instruction(MANIFEST, board))
                self.assertEqual(sorted(nops), [1, 2, 7, 100, 1000])
                for count, measured in nops.items():
                    self.assertEqual(measured, count + 1, f"{count} nops")


def window_addresses(elf):
    """Addresses of the `blx` that opens the timed call and of the SysTick read that ends it."""
    disassembly = subprocess.run(["arm-none-eabi-objdump", "-d", "--no-show-raw-insn", elf],
                                 stdout=subprocess.PIPE, text=True, check=True).stdout
    body = disassembly.split("<bench_timed_call>:", 1)[1].split("\n\n", 1)[0]
    addresses = [(int(match.group(1), 16), match.group(2))
                 for match in re.finditer(r"^\s*([0-9a-f]+):\s+(\S+)", body, re.MULTILINE)]
    for index, (address, mnemonic) in enumerate(addresses):
        if mnemonic == "blx":
            return address, addresses[index + 1][0]
    raise AssertionError("no blx in bench_timed_call")


def traced_calls(board, elf, words):
    """Every timed call of a boot, from a single-step trace: (the address of the first instruction
    after the window's blx, i.e. the function called; instructions executed between the blx and
    the window's closing read)."""
    call, end = window_addresses(elf)
    with tempfile.TemporaryDirectory(prefix="veralloc-trace-") as directory:
        trace = os.path.join(directory, "trace.log")
        output = os.path.join(directory, "semihosting.txt")
        command = qemu.command_line(board, elf, words, output)
        command[1:1] = ["-singlestep", "-d", "exec,nochain", "-D", trace]
        subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120, check=True)
        pattern = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
        # QEMU logs a block when it enters it; when it then leaves before executing it (icount
        # budget used up: "Stopped execution of TB chain before ... [pc]"; an I/O access redone:
        # "cpu_io_recompile: rewound execution of TB to pc") it says so and logs the block again
        # when it does execute it. Such an entry is not an executed instruction. (The budget runs
        # out every 65536 instructions, so a long run, W4 above all, has timed calls with one.)
        not_executed = re.compile(r"^(?:Stopped execution of TB chain before \S+ \[([0-9a-f]+)\]|"
                                  r"cpu_io_recompile: rewound execution of TB to ([0-9a-f]+))")
        calls = []
        inside = None
        entry = None
        last_pc = None
        with open(trace, encoding="ascii", errors="replace") as log:
            for line in log:
                undone = not_executed.match(line)
                if undone:
                    pc = int(undone.group(1) or undone.group(2), 16)
                    if inside is not None and pc == last_pc:
                        if inside == 0:
                            # The window's own blx was not executed: the window is not open yet
                            # (the blx is logged again when it runs).
                            inside = None
                        else:
                            inside -= 1
                    last_pc = None
                    continue
                match = pattern.match(line)
                if not match:
                    continue
                pc = int(match.group(1), 16)
                last_pc = pc
                if inside is not None:
                    if pc == end:
                        calls.append((entry, inside))
                        inside = None
                    else:
                        if inside == 0:
                            entry = pc
                        inside += 1
                elif pc == call:
                    inside = 0
        return calls


def traced_call_lengths(board, elf, words):
    """Instructions executed between the window's blx and its closing read, from a trace."""
    return [length for _, length in traced_calls(board, elf, words)]


def symbol_address(elf, symbol):
    """The address of a function, as the CPU executes it (Thumb bit clear)."""
    table = subprocess.run(["arm-none-eabi-nm", elf], stdout=subprocess.PIPE, text=True, check=True).stdout
    for line in table.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == symbol:
            return int(fields[0], 16) & ~1
    raise AssertionError(f"no symbol {symbol} in {elf}")


class IndependentCountTest(unittest.TestCase):
    """The SysTick count of every call equals the count of a single-step execution trace."""

    def check(self, board, image, allocator):
        elf = first_image(board, image)
        words = ["run", allocator, "W1"]
        boot = qemu.boot_or_fail(board, elf, words)
        window, series, _, _ = measure.parse_run(boot.lines, benchmark.per_instruction(MANIFEST, board))
        traced = traced_call_lengths(board, elf, words)
        # The trace holds the calibration calls first, then the workload's calls in order.
        calibration = len(next(line for line in boot.lines if line.startswith("empty")).split()) - 1
        self.assertEqual(traced[:calibration], [measure.EMPTY_FUNCTION_INSTRUCTIONS] * calibration)
        self.assertEqual(traced[calibration:], series["alloc"])

    def test_mira_mem_alloc_on_every_board(self):
        for board in boards():
            with self.subTest(board=board):
                self.check(board, "veralloc", "mira_mem_alloc")

    def test_newlib_malloc_on_the_cortex_m3(self):
        self.check("mps2-an385", "newlib", "newlib")

    def test_each_peer_alloc_on_the_cortex_m3(self):
        for peer in peers_present("mps2-an385"):
            with self.subTest(peer=peer):
                self.check("mps2-an385", "peers", peer)

    def check_by_function(self, board, elf, words, functions):
        """Every call of a boot that interleaves several functions (printed as one series each):
        the trace tells them apart by the function each timed call enters."""
        boot = qemu.boot_or_fail(board, elf, words)
        _, series, announced, _ = measure.parse_run(boot.lines, benchmark.per_instruction(MANIFEST, board))
        calls = traced_calls(board, elf, words)
        calibration = len(next(line for line in boot.lines if line.startswith("empty")).split()) - 1
        workload = calls[calibration:]
        self.assertEqual(len(workload), sum(announced.values()))
        for series_name, function in functions.items():
            with self.subTest(series=series_name):
                address = symbol_address(elf, function)
                traced = [length for entry, length in workload if entry == address]
                self.assertEqual(traced, series.get(series_name, []))
                self.assertTrue(traced)

    def test_pool_alloc_and_free_in_churn_on_the_cortex_m3(self):
        self.check_by_function("mps2-an385", first_image("mps2-an385", "veralloc"), ["run", "vera_pool", "W4"],
                               {"alloc": "vera_pool_alloc", "free": "vera_pool_free"})

    def test_heap_alloc_and_free_in_churn_on_the_cortex_m3(self):
        self.check_by_function("mps2-an385", first_image("mps2-an385", "veralloc"), ["run", "vera_heap", "W4"],
                               {"alloc": "vera_heap_alloc", "free": "vera_heap_free"})

    def test_a_trace_replay_on_the_cortex_m3(self):
        # The sqlite3 trace up to a few calls after its first realloc, on newlib: allocs, frees
        # and reallocs, read by the firmware through semihosting and printed as they go.
        board = "mps2-an385"
        path = next(entry["path"] for entry in MANIFEST["traces"] if "sqlite3" in entry["path"])
        _, calls = traces.read(path)
        first_realloc = next(index for index, (operation, _, _) in enumerate(calls) if operation == "r")
        with tempfile.TemporaryDirectory(prefix="veralloc-replay-") as scratch:
            replay = os.path.join(scratch, "sqlite3.bin")
            with open(replay, "wb") as output:
                output.write(traces.binary(traces.prefix(calls, first_realloc + 20)))
            self.check_by_function(board, first_image(board, "newlib"),
                                   ["trace", "newlib", str(benchmark.TRACE_REGION_BYTES), "timed", replay],
                                   {"alloc": "malloc", "free": "free", "realloc": "realloc"})


class ReproducibilityTest(unittest.TestCase):
    def test_two_boots_print_identical_numbers(self):
        cases = [("veralloc", "vera_arena_alloc", "W1"), ("veralloc", "mira_mem_alloc", "W1"),
                 ("veralloc", "vera_pool", "W4"), ("veralloc", "vera_heap", "W4"), ("newlib", "newlib", "W1"),
                 ("newlib_nano", "newlib-nano", "W4")]
        for board in boards():
            for image, allocator, workload in cases + [("peers", peer, "W4") for peer in peers_present(board)]:
                with self.subTest(board=board, allocator=allocator, workload=workload):
                    elf = first_image(board, image)
                    first = qemu.boot_or_fail(board, elf, ["run", allocator, workload]).lines
                    second = qemu.boot_or_fail(board, elf, ["run", allocator, workload]).lines
                    self.assertGreater(len(first), 3)
                    self.assertEqual(first, second)


class CodeSizeTest(unittest.TestCase):
    """The .text of a set of functions (code_size.reachable_size) adds up: every global function of
    a library reaches the whole library, a subset counts its own sections and what they call."""

    def heap_archives(self):
        archives = [entry["archive"] for entry in MANIFEST["code_size"] if entry["library"] == "//:heap"]
        self.assertTrue(archives, "no code-size entry for //:heap")
        return archives

    def test_every_global_function_reaches_the_whole_library(self):
        for archive in self.heap_archives():
            with self.subTest(archive=archive):
                listing = subprocess.run([code_size.NM, "-g", "--defined-only", archive], stdout=subprocess.PIPE,
                                         text=True, check=True).stdout
                functions = re.findall(r"^[0-9a-fA-F]+ T (\S+)$", listing, re.MULTILINE)
                self.assertIn("vera_heap_realloc", functions)
                measured, _ = code_size.reachable_size(archive, functions)
                self.assertEqual(measured, code_size.total(code_size.member_sizes(archive).values()))

    def test_the_heap_target_functions_and_their_helpers(self):
        functions = benchmark.FUNCTION_SETS["heap"]["functions"]
        for archive in self.heap_archives():
            with self.subTest(archive=archive):
                measured, sections = code_size.reachable_size(archive, functions)
                whole = code_size.total(code_size.member_sizes(archive).values())
                self.assertLess(measured["text"], whole["text"])  # check, stats, usable_size left out
                for function in functions + ["heap_take", "heap_release"]:
                    self.assertIn(".text." + function, sections)
                self.assertNotIn(".text.vera_heap_check", sections)
                alone, _ = code_size.reachable_size(archive, ["vera_heap_free"])
                self.assertLess(alone["text"], measured["text"])

    def test_a_function_that_is_not_there_is_an_error(self):
        with self.assertRaises(code_size.CodeSizeError):
            code_size.reachable_size(self.heap_archives()[0], ["vera_heap_no_such_function"])


class ExitStatusTest(unittest.TestCase):
    def test_the_firmware_exit_status_reaches_the_host(self):
        elf = first_image("mps2-an385", "veralloc")
        self.assertEqual(qemu.boot("mps2-an385", elf, ["exit", "0"]).status, 0)
        self.assertEqual(qemu.boot("mps2-an385", elf, ["exit", "3"]).status, 3)

    def test_an_unknown_allocator_fails(self):
        elf = first_image("mps2-an385", "veralloc")
        self.assertEqual(qemu.boot("mps2-an385", elf, ["run", "no_such_allocator", "W1"]).status, 2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--manifest", required=True)
    ARGUMENTS, remaining = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + remaining)
