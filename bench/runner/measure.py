"""From SysTick ticks to executed instructions, and from instructions to statistics.

Under `qemu -icount shift=S` every instruction takes exactly 2^S ns of virtual time; SysTick,
clocked by the board's system clock at F Hz, advances F * 2^S / 10^9 ticks per instruction (25.6
on the mps2 boards at S = 10, 20.48 on mps2-an505). A SysTick reading is an integer, so a
difference of two readings is the exact tick count of an integral number of instructions, give or
take the one tick of quantisation: rounding recovers the instruction count exactly, and a
residual beyond that quantisation means the assumptions broke (then we stop, never guess).

The firmware times every call in the same fixed window (bench/firmware/timing.S): the window holds
the call instruction, the function's instructions through its return, and the instruction that
reads SysTick at the end. The window's fixed part is measured in every run by timing a function of
exactly one instruction (bench_empty_function: `bx lr`), so

    instructions of f = window(f) - (window(empty) - 1).
"""

from fractions import Fraction

EMPTY_FUNCTION_INSTRUCTIONS = 1
# One tick of quantisation at each end of the window, plus margin for the tick boundary.
LARGEST_TICK_RESIDUAL = Fraction(3, 2)


class MeasurementError(Exception):
    """A reading that is not an integral number of instructions, or an inconsistent run."""


def ticks_per_instruction(systick_hz, icount_shift):
    return Fraction(systick_hz * 2 ** icount_shift, 10 ** 9)


def window_instructions(ticks, per_instruction):
    instructions = round(Fraction(ticks) / per_instruction)
    residual = abs(Fraction(ticks) - instructions * per_instruction)
    if residual > LARGEST_TICK_RESIDUAL:
        raise MeasurementError(
            f"{ticks} ticks is {float(residual):.2f} ticks away from a whole number of "
            f"instructions ({float(per_instruction)} ticks each): wrong board clock or -icount?")
    return instructions


class Window:
    """The fixed cost of the timing window in one run, from the empty-call readings."""

    def __init__(self, empty_ticks, per_instruction):
        if not empty_ticks:
            raise MeasurementError("the run printed no empty-call calibration")
        counts = {window_instructions(ticks, per_instruction) for ticks in empty_ticks}
        if len(counts) != 1:
            raise MeasurementError(f"the empty call measured {sorted(counts)} instructions in one run")
        self.per_instruction = per_instruction
        self.empty_window = counts.pop()
        self.overhead = self.empty_window - EMPTY_FUNCTION_INSTRUCTIONS

    def function_instructions(self, ticks):
        return window_instructions(ticks, self.per_instruction) - self.overhead


def parse_run(lines, per_instruction):
    """Parses a `run` or `nops` boot. Returns (window, {series: [instructions per call]},
    {series: count announced by the firmware}, nops {N: instructions})."""
    empty = None
    series = {}
    announced = {}
    nops = {}
    for line in lines:
        words = line.split()
        if not words:
            continue
        if words[0] == "empty":
            empty = [int(word) for word in words[1:]]
        elif words[0] == "ticks":
            series.setdefault(words[1], []).extend(int(word) for word in words[2:])
        elif words[0] == "nops":
            nops[int(words[1])] = int(words[2])
        elif words[0] == "end":
            for word in words[1:]:
                name, count = word.split("=")
                announced[name] = int(count)
        elif words[0] == "error":
            raise MeasurementError(line)
    window = Window(empty, per_instruction)
    converted = {name: [window.function_instructions(ticks) for ticks in values]
                 for name, values in series.items()}
    for name, count in announced.items():
        if len(converted.get(name, [])) != count:
            raise MeasurementError(f"series {name}: firmware announced {count} calls, "
                                   f"output holds {len(converted.get(name, []))}")
    nop_instructions = {count: window.function_instructions(ticks) for count, ticks in nops.items()}
    return window, converted, announced, nop_instructions


def statistics(values):
    """min, median, p99, max of per-call instruction counts (all observed values).

    median: the lower median (element (n - 1) // 2 of the sorted values);
    p99: nearest rank (element ceil(0.99 n) - 1)."""
    if not values:
        return None
    ordered = sorted(values)
    count = len(ordered)
    p99_rank = -(-99 * count // 100)  # ceil(0.99 * count) in integers
    return {
        "calls": count,
        "min": ordered[0],
        "median": ordered[(count - 1) // 2],
        "p99": ordered[p99_rank - 1],
        "max": ordered[-1],
    }


def histogram(values):
    """{instructions: calls} with string keys, sorted, for JSON."""
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return {str(value): counts[value] for value in sorted(counts)}
