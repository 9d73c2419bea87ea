"""The static worst-case bound (bench/runner/static_bound.py) is never below what runs.

- On one board: every function the harness times that has a bound is run through every workload
  its allocator takes part in and every recorded trace, and no call measures more than the bound.
- The analysis is exact where the answer is known: timing.S's functions of N nops and a return
  are bounded at N + 1, the empty function at 1, which is what the harness measures for them.
- It refuses what it cannot bound: a loop, recursion, an indirect jump; it follows tail calls and
  counts IT blocks and both sides of every conditional branch.
"""

import shutil
import tempfile
import unittest

from bench.runner import benchmark
from bench.runner import board_test
from bench.runner import report
from bench.runner import static_bound

MANIFEST = None


def images():
    return [image for image in MANIFEST["images"] if image["board"] == ARGUMENTS.board]


class MeasuredMaximumTest(unittest.TestCase):
    def test_no_call_measures_more_than_its_static_bound(self):
        scratch = tempfile.mkdtemp(prefix="veralloc-bound-")
        self.addCleanup(shutil.rmtree, scratch, True)
        trace_inputs = benchmark.trace_files(MANIFEST, scratch, smoke=False)
        self.assertTrue(trace_inputs, "no trace in the manifest")
        checked = 0
        for image in images():
            allocators = benchmark.list_allocators(ARGUMENTS.board, image["elf"])
            symbols = static_bound.function_names(image["elf"])
            for allocator in allocators:
                functions = {role: symbols[address] for role, address in allocator["functions"].items() if address}
                bounds = static_bound.bounds(image["elf"], list(functions.values()))
                bounded = {role: bounds[function]["bound"] for role, function in functions.items()
                           if bounds[function]["bound"] is not None}
                if not bounded:
                    continue
                entry = {"workloads": {}, "traces": {}}
                for workload in allocator["workloads"]:
                    series, _ = benchmark.run_workload(MANIFEST, ARGUMENTS.board, image["elf"], allocator["name"], workload)
                    entry["workloads"][workload] = {"max": benchmark.series_maxima(series)}
                if allocator["traces"]:
                    for trace, trace_input in trace_inputs.items():
                        replayed = benchmark.replay_trace(MANIFEST, ARGUMENTS.board, image["elf"], allocator["name"],
                                                          trace_input["path"], benchmark.TRACE_REGION_BYTES)
                        if replayed is not None:
                            entry["traces"][trace] = {"fits": True, "max": benchmark.series_maxima(replayed[0])}
                maxima = report.measured_maxima(entry)
                for role, bound in bounded.items():
                    with self.subTest(allocator=allocator["name"], function=functions[role]):
                        self.assertIn(role, maxima, "the function was never called")
                        self.assertLessEqual(maxima[role], bound)
                        checked += 1
        # vera_arena_alloc, mira_mem_alloc, vera_pool_alloc and _free at least (and the peers' bounded ones).
        self.assertGreaterEqual(checked, 4)


class ExactnessTest(unittest.TestCase):
    def test_straight_line_functions_are_bounded_exactly(self):
        elf = images()[0]["elf"]
        expected = {f"bench_nops_{count}": count + 1 for count in (1, 2, 7, 100, 1000)}
        expected["bench_empty_function"] = 1
        found = static_bound.bounds(elf, list(expected))
        self.assertEqual({name: entry["bound"] for name, entry in found.items()}, expected)


def analysis_of(text):
    """An Analysis of a disassembly given as text instead of an image's."""
    analysis = static_bound.Analysis.__new__(static_bound.Analysis)
    analysis.elf = "test"
    analysis.functions, analysis.starts = static_bound.parse_functions(text)
    analysis.bounds = {}
    analysis.in_progress = set()
    analysis.callbacks = {}
    return analysis


def analyse(text, function="f"):
    return analysis_of(text).bound(function)


class AnalysisTest(unittest.TestCase):
    def test_both_sides_of_a_branch_and_the_longer_wins(self):
        text = """
00000100 <f>:
     100:	cmp	r0, #0
     102:	beq.n	10a <f+0xa>
     104:	movs	r1, #1
     106:	movs	r2, #2
     108:	movs	r3, #3
     10a:	bx	lr
"""
        self.assertEqual(analyse(text), 6)

    def test_an_it_block_counts_its_conditional_instructions_and_a_conditional_return(self):
        text = """
00000100 <f>:
     100:	cmp	r0, #0
     102:	itt	eq
     104:	moveq	r0, #1
     106:	bxeq	lr
     108:	movs	r0, #2
     10a:	bx	lr
"""
        self.assertEqual(analyse(text), 6)

    def test_calls_and_tail_calls_add_the_callee(self):
        text = """
00000100 <g>:
     100:	movs	r0, #1
     102:	movs	r0, #2
     104:	bx	lr

00000110 <f>:
     110:	push	{r4, lr}
     112:	bl	100 <g>
     116:	pop	{r4, lr}
     118:	b.w	100 <g>
"""
        self.assertEqual(analyse(text), 4 + 3 + 3)

    def test_a_loop_has_no_bound(self):
        text = """
00000100 <f>:
     100:	subs	r0, #1
     102:	bne.n	100 <f>
     104:	bx	lr
"""
        with self.assertRaisesRegex(static_bound.Unbounded, "loop"):
            analyse(text)

    def test_recursion_and_indirect_jumps_have_no_bound(self):
        recursive = """
00000100 <f>:
     100:	push	{r4, lr}
     102:	bl	100 <f>
     106:	pop	{r4, pc}
"""
        with self.assertRaisesRegex(static_bound.Unbounded, "recursive"):
            analyse(recursive)
        table = """
00000100 <f>:
     100:	tbb	[pc, r0]
     104:	bx	lr
"""
        with self.assertRaisesRegex(static_bound.Unbounded, "jump table"):
            analyse(table)
        loaded = """
00000100 <f>:
     100:	ldr.w	pc, [pc, r0, lsl #2]
     104:	bx	lr
"""
        with self.assertRaisesRegex(static_bound.Unbounded, "write to pc"):
            analyse(loaded)

    def test_a_path_off_the_end_of_the_function_has_no_bound(self):
        text = """
00000100 <f>:
     100:	cmp	r0, #0
     102:	bne.n	106 <f+0x6>
     104:	bx	lr
     106:	movs	r0, #1
"""
        with self.assertRaisesRegex(static_bound.Unbounded, "past the end"):
            analyse(text)

    def test_an_indirect_call_is_counted_and_reported_as_a_callback(self):
        text = """
00000100 <f>:
     100:	push	{r4, lr}
     102:	blx	r3
     104:	pop	{r4, pc}
"""
        analysis = analysis_of(text)
        self.assertEqual(analysis.bound("f"), 3)
        self.assertEqual(analysis.callbacks["f"], {0x102})


if __name__ == "__main__":
    board_test.main(globals())
