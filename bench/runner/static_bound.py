"""A static worst-case bound, in executed instructions, for a function of a firmware image.

The bound is computed from the image itself (arm-none-eabi-objdump's disassembly), not from a
run: the control-flow graph of the function is built from its instructions, every call adds the
bound of the function it calls (computed the same way), and the bound is the number of
instructions on the longest path from the function's first instruction to a return. That is the
quantity the harness measures for one call (bench/runner/measure.py: the function's instructions
from its first through its return, callees included), so a measured value above the bound would
mean the analysis is wrong, which //bench:static_bound_test checks on every board.

What makes the bound an upper bound:
  - every instruction on a path counts once, including the instructions of an IT block whose
    condition fails (QEMU's -icount counts them too: they are executed, as no-ops);
  - a conditional branch, cbz/cbnz or conditional return has both successors;
  - a call (bl) or tail call (b to another function) adds the callee's bound.

An indirect call (blx through a register) is the application's code: a hook or a callback the
allocator calls through a pointer. It counts as its one blx instruction, and the function's bound
is reported as "N + the application's callbacks", with the call sites listed: the allocator's own
part is bounded, the callback's is the application's to bound.

Where no bound exists, the function gets none and the reason: a loop (a cycle in the graph: no
loop bound is stated anywhere, because every veralloc function the benchmark times is loop-free,
and a peer's loop is reported as unbounded rather than given a guessed bound), a recursive call, an indirect jump
(bx through a register, tbb/tbh jump tables, a write to pc), or a path that runs into data. The analysis does not look at values: a path that no input can take still counts, so the
bound can be above every measured value, never below it.
"""

import re
import subprocess

OBJDUMP = "arm-none-eabi-objdump"

_CONDITIONS = "eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al"
_CONDITIONAL_BRANCH = re.compile(rf"^b({_CONDITIONS})$")
_LABEL = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
_INSTRUCTION = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
_TARGET = re.compile(r"(?:^|[\s,])([0-9a-f]+) <([^>]+)>")
RETURN = "return"


class StaticBoundError(Exception):
    pass


class Unbounded(Exception):
    """No bound: the reason says where and why."""


def disassemble(elf):
    completed = subprocess.run([OBJDUMP, "-d", "--no-show-raw-insn", elf], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, check=False)
    if completed.returncode != 0:
        raise StaticBoundError(f"{OBJDUMP} -d {elf}: {completed.stderr.strip()}")
    return completed.stdout


def parse_functions(disassembly):
    """{name: [(address, mnemonic, operands)]} in address order, and {address: name}."""
    functions = {}
    starts = {}
    current = None
    for line in disassembly.splitlines():
        label = _LABEL.match(line)
        if label:
            current = label.group(2)
            functions[current] = []
            starts[int(label.group(1), 16)] = current
            continue
        instruction = _INSTRUCTION.match(line)
        if instruction and current is not None:
            operands = instruction.group(3).split(";")[0].strip()
            functions[current].append((int(instruction.group(1), 16), instruction.group(2), operands))
        elif line.strip() == "..." and current is not None:
            functions[current].append((None, "...", ""))
    return functions, starts


def _base(mnemonic):
    return mnemonic.split(".")[0]


def _registers(operands):
    match = re.search(r"\{([^}]*)\}", operands)
    return [register.strip() for register in match.group(1).split(",")] if match else []


def _it_length(mnemonic):
    """An IT instruction (it, itt, ite, ittet...) makes the next 1 to 4 instructions conditional."""
    base = _base(mnemonic)
    if re.fullmatch(r"it[te]{0,3}", base):
        return len(base) - 1
    return 0


class Analysis:
    """Bounds of the functions of one image, with memoisation across calls."""

    def __init__(self, elf):
        self.elf = elf
        self.functions, self.starts = parse_functions(disassemble(elf))
        self.bounds = {}
        self.in_progress = set()
        # name -> addresses of the indirect calls (application callbacks) it may reach
        self.callbacks = {}

    def function_containing(self, address):
        return max((start, name) for start, name in self.starts.items() if start <= address)[1]

    def function_at(self, address):
        name = self.starts.get(address)
        if name is None:
            raise Unbounded(f"a call to {address:#x}, which starts no function")
        return name

    def bound(self, name):
        """The bound of `name` in instructions; raises Unbounded with the reason."""
        if name in self.bounds:
            result = self.bounds[name]
            if isinstance(result, Unbounded):
                raise result
            return result
        if name in self.in_progress:
            raise Unbounded(f"{name} is recursive")
        if name not in self.functions:
            raise Unbounded(f"{name} is not in the image")
        self.in_progress.add(name)
        try:
            result = self._longest_path(name)
        except Unbounded as reason:
            self.bounds[name] = reason
            raise
        finally:
            self.in_progress.discard(name)
        self.bounds[name] = result
        return result

    def _callee_bound(self, caller, address):
        callee = self.function_at(address)
        try:
            bound = self.bound(callee)
            self.callbacks.setdefault(caller, set()).update(self.callbacks.get(callee, set()))
            return bound
        except Unbounded as reason:
            raise Unbounded(f"{caller} calls {reason}" if str(reason).startswith(callee) else
                            f"{caller} calls {callee}: {reason}") from None

    def _successors(self, name, instructions, index, conditional):
        """(successors, instructions added by calls) of instruction `index`."""
        address, mnemonic, operands = instructions[index]
        start = instructions[0][0]
        end = max(entry[0] for entry in instructions if entry[0] is not None)
        following = instructions[index + 1][0] if index + 1 < len(instructions) else None
        base = _base(mnemonic)
        target = _TARGET.search(operands)
        target_address = int(target.group(1), 16) if target else None
        inside = target_address is not None and start <= target_address <= end
        # The next instruction; a path that runs past the function's last one would go on in
        # code the analysis does not attribute to it, so that has no bound.
        fall = [following] if following is not None else [f"past the end of {name}"]

        if address is None or base.startswith(".") or base == "...":
            raise Unbounded(f"{name}: a path runs into data")
        if base in ("udf", "bkpt"):
            return [], 0  # a trap: this path never returns
        # A return: bx lr, or pc loaded from the stack (pop, ldmia sp!, ldr pc, [sp], #4). Any
        # other load into pc (a jump table through ldr, say) is an indirect jump, below.
        if (base == "bx" and operands == "lr") or \
                (base == "pop" and "pc" in _registers(operands)) or \
                (base in ("ldmia", "ldm") and operands.startswith("sp!") and "pc" in _registers(operands)) or \
                (base == "ldr" and re.match(r"^pc, \[sp\], #4$", operands)):
            return [RETURN] + (fall if conditional else []), 0
        if base in ("b", "bl") or _CONDITIONAL_BRANCH.match(base) or base in ("cbz", "cbnz"):
            if target_address is None:
                raise Unbounded(f"{name}: a branch without a target at {address:#x}")
            is_conditional = conditional or base in ("cbz", "cbnz") or (
                _CONDITIONAL_BRANCH.match(base) and base != "bal")
            if base == "bl":
                return fall, self._callee_bound(name, target_address)
            if inside:
                return [target_address] + (fall if is_conditional else []), 0
            # A tail call: the callee returns for this function.
            return [RETURN] + (fall if is_conditional else []), self._callee_bound(name, target_address)
        if base == "blx" and target_address is None:
            self.callbacks.setdefault(name, set()).add(address)
            return fall, 0
        if base in ("blx", "bx"):
            raise Unbounded(f"{name}: an indirect jump at {address:#x}")
        if base in ("tbb", "tbh"):
            raise Unbounded(f"{name}: a jump table at {address:#x}")
        if re.match(r"^pc\b", operands) or ("pc" in _registers(operands) and base not in ("push", "stmdb")):
            raise Unbounded(f"{name}: a write to pc at {address:#x}")
        return fall, 0

    def _longest_path(self, name):
        instructions = self.functions[name]
        if not instructions:
            raise Unbounded(f"{name} has no instructions")
        position = {address: index for index, (address, _, _) in enumerate(instructions) if address is not None}
        conditional = set()
        for index, (_, mnemonic, _) in enumerate(instructions):
            for offset in range(1, _it_length(mnemonic) + 1):
                conditional.add(index + offset)
        longest = {}
        on_path = set()

        # Iterative depth-first search: the longest path to a return from each instruction.
        def visit(root):
            stack = [(root, None)]
            while stack:
                index, state = stack.pop()
                if state is None:
                    if index in longest:
                        continue
                    if index in on_path:
                        raise Unbounded(f"{name}: a loop at {instructions[index][0]:#x} (no stated bound)")
                    successors, called = self._successors(name, instructions, index, index in conditional)
                    indices = []
                    for successor in successors:
                        if successor == RETURN:
                            indices.append(RETURN)
                        elif isinstance(successor, str):
                            raise Unbounded(f"{name}: a path runs {successor}")
                        elif successor in position:
                            indices.append(position[successor])
                        else:
                            raise Unbounded(f"{name}: a branch into the middle of an instruction at {successor:#x}")
                    on_path.add(index)
                    stack.append((index, (indices, called)))
                    for successor in indices:
                        if successor != RETURN and successor not in longest:
                            if successor in on_path:
                                raise Unbounded(f"{name}: a loop at {instructions[successor][0]:#x} (no stated bound)")
                            stack.append((successor, None))
                else:
                    indices, called = state
                    on_path.discard(index)
                    tails = [0 if successor == RETURN else longest[successor] for successor in indices
                             if successor == RETURN or longest.get(successor) is not None]
                    # None: no path from here reaches a return (a trap).
                    longest[index] = (1 + called + max(tails)) if tails else None

        visit(0)
        if longest.get(0) is None:
            raise Unbounded(f"{name}: no path reaches a return")
        return longest[0]


def symbol_at(elf_symbols, address):
    return elf_symbols.get(address & ~1)


def bounds(elf, functions):
    """{function: {"bound": n or None, "reason": text or None}} for the named functions of `elf`."""
    analysis = Analysis(elf)
    result = {}
    for function in functions:
        try:
            bound = analysis.bound(function)
            callbacks = sorted(analysis.callbacks.get(function, set()))
            result[function] = {
                "bound": bound,
                "reason": None,
                "plus_callbacks": [f"{analysis.function_containing(address)} at {address:#x}" for address in callbacks],
            }
        except Unbounded as reason:
            result[function] = {"bound": None, "reason": str(reason), "plus_callbacks": []}
    return result


def function_names(elf):
    """{address: name} of the functions in `elf` (Thumb bit cleared)."""
    return dict(Analysis(elf).starts)
