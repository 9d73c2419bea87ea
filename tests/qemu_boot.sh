# Sourced by the shell tests that boot a firmware image on a QEMU board and read what it writes
# through semihosting (tests/interrupts/interrupt_test.sh, tests/release/dist_firmware_test.sh;
# the benchmark has its own, bench/runner/qemu.py).
#
# qemu_boot SECONDS BOARD ELF OUTPUT [ARGUMENT [QEMU_OPTION...]]
#   boots ELF on BOARD for at most SECONDS; the firmware's semihosting output goes to OUTPUT,
#   QEMU's own to OUTPUT.qemu; ARGUMENT (if not empty) is the firmware's command line. Returns
#   QEMU's exit status (the firmware's, through semihosting), 124 on timeout.
qemu_boot() {
    local seconds=$1 board=$2 elf=$3 output=$4 argument=${5:-}
    shift "$(($# < 5 ? $# : 5))"
    timeout "$seconds" qemu-system-arm -M "$board" -display none -monitor none -serial none "$@" \
        -chardev "file,id=semihosting,path=$output" \
        -semihosting-config "enable=on,target=native,chardev=semihosting${argument:+,arg=$argument}" \
        -kernel "$elf" >"$output.qemu" 2>&1
}
