#!/usr/bin/env bash
# interrupt_test.sh [BOARD LOCKED_ELF UNLOCKED_ELF]...
# Boots interrupt_firmware.c on each QEMU board, built with the PRIMASK lock and without it:
#   - locked: exits 0, prints PASS and no FAIL line, and reports at least 100000 interrupts, each
#     of which allocated (or counted a failed allocation) from the pool the main loop uses;
#   - unlocked: the same checks must catch the races: the firmware prints a FAIL line and exits
#     1 (not a timeout, not a CPU exception: the checks themselves must see it).
# -icount makes the runs deterministic and lets the SysTick interrupt land on any instruction.
set -uo pipefail

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/interrupts.XXXXXX")
status=0
boards=0

# shellcheck source=tests/qemu_boot.sh
source tests/qemu_boot.sh
boot() { # boot BOARD ELF OUTPUT -> QEMU's exit status
    qemu_boot 300 "$1" "$2" "$3" "" -icount shift=0
}

fail() {
    echo "FAIL: $*"
    status=1
}

while [ "$#" -ge 3 ]; do
    board=$1
    locked=$2
    unlocked=$3
    shift 3
    boards=$((boards + 1))

    output="$work/$board-locked.txt"
    boot "$board" "$locked" "$output"
    code=$?
    echo "$board, PRIMASK lock (exit $code): $(grep -v '^PASS' "$output" | tr '\n' ' ')"
    interrupts=$(sed -n 's/^interrupts \([0-9]*\) .*/\1/p' "$output")
    interrupt_allocations=$(sed -n 's/.* interrupt_allocations \([0-9]*\) .*/\1/p' "$output")
    interrupt_failures=$(sed -n 's/.* interrupt_failures \([0-9]*\) .*/\1/p' "$output")
    if [ "$code" -ne 0 ] || grep -q '^FAIL' "$output" || ! grep -qx 'PASS' "$output"; then
        fail "$board: the locked firmware did not pass:"
        cat "$output" "$output.qemu"
    elif [ -z "$interrupts" ] || [ "$interrupts" -lt 100000 ]; then
        fail "$board: only ${interrupts:-no} interrupts reported (at least 100000 wanted)"
    elif [ $((interrupt_allocations + interrupt_failures)) -ne "$interrupts" ]; then
        fail "$board: $interrupts interrupts but $interrupt_allocations + $interrupt_failures allocations"
    fi

    output="$work/$board-unlocked.txt"
    boot "$board" "$unlocked" "$output"
    code=$?
    echo "$board, no lock (exit $code): $(tr '\n' ' ' <"$output")"
    if [ "$code" -ne 1 ] || ! grep -q '^FAIL' "$output" || grep -q '^FAIL CPU exception' "$output"; then
        fail "$board: without the lock the checks must fail (exit 1 with a FAIL line); exit $code:"
        cat "$output" "$output.qemu"
    fi
done
[ "$#" -eq 0 ] && [ "$boards" -gt 0 ] || { echo "FAIL: usage: $0 [BOARD LOCKED_ELF UNLOCKED_ELF]..."; exit 2; }
[ "$status" -eq 0 ] && echo "PASS: $boards boards: locked firmware consistent over >= 100000 interrupts, unlocked firmware caught"
exit "$status"
