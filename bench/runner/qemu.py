"""Boots a benchmark image under QEMU with exact instruction counting and collects its output.

Every boot runs one command of the firmware (bench/firmware/bench_main.c), passed through the
semihosting command line. The firmware's semihosting output goes to a file of its own, apart from
QEMU's diagnostics; its exit status is QEMU's exit status.

-icount shift=10: every instruction advances QEMU's virtual clock by exactly 2^10 ns, and
SysTick counts that virtual time, so a SysTick difference is an exact instruction count
(bench/runner/measure.py). sleep=off and align=off keep virtual time independent of the host.
"""

import os
import subprocess
import tempfile

QEMU = "qemu-system-arm"
ICOUNT_SHIFT = 10


class QemuError(Exception):
    """QEMU did not run the firmware to a clean exit."""


class Boot:
    """The result of one boot: exit status and the firmware's output lines."""

    def __init__(self, command, status, lines, diagnostics):
        self.command = command
        self.status = status
        self.lines = lines
        self.diagnostics = diagnostics

    def describe(self):
        tail = "\n".join(self.lines[-5:])
        return (f"{' '.join(self.command)}\nexit status {self.status}\n"
                f"firmware output (last lines):\n{tail}\nQEMU: {self.diagnostics.strip()}")


def command_line(board, elf, words, output_path):
    arguments = ",".join("arg=" + word for word in words)
    return [
        QEMU, "-M", board,
        "-display", "none", "-monitor", "none", "-serial", "none",
        "-icount", f"shift={ICOUNT_SHIFT},align=off,sleep=off",
        "-chardev", f"file,id=bench,path={output_path}",
        "-semihosting-config", f"enable=on,target=native,chardev=bench,{arguments}",
        "-kernel", elf,
    ]


def boot(board, elf, words, timeout_seconds=120):
    """Runs `words` (e.g. ["run", "newlib", "W1"]) on `elf` under QEMU's `board`."""
    with tempfile.TemporaryDirectory(prefix="veralloc-bench-") as directory:
        output_path = os.path.join(directory, "semihosting.txt")
        command = command_line(board, elf, words, output_path)
        try:
            completed = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, timeout=timeout_seconds,
                                       check=False, text=True)
        except subprocess.TimeoutExpired as error:
            raise QemuError(f"{' '.join(command)}: no exit after {timeout_seconds} s") from error
        except FileNotFoundError as error:
            raise QemuError(f"{QEMU} not found: run tools/setup.sh") from error
        lines = []
        if os.path.exists(output_path):
            with open(output_path, encoding="ascii", errors="replace") as output:
                lines = output.read().splitlines()
        return Boot(command, completed.returncode, lines, completed.stdout)


def boot_or_fail(board, elf, words, timeout_seconds=120):
    """Like boot, but a non-zero exit status is an error."""
    result = boot(board, elf, words, timeout_seconds)
    if result.status != 0:
        raise QemuError("firmware failed:\n" + result.describe())
    return result
