#!/usr/bin/env bash
# dist_firmware_test.sh DIST_HEADER [--scenario NAME MINIMUM_CHECKS]... LIBRARY_FILES... -- [BOARD ELF]...
# Boots the firmware built from dist/veralloc.h + dist/veralloc.c alone (dist_firmware*.c) on each
# QEMU board, once per scenario, and checks what it reports over semihosting:
#   - the image was compiled from the distribution: its symbol table has a FILE symbol for
#     veralloc.c and none for a library source (the src/*.c among LIBRARY_FILES);
#   - it prints the version of the dist/veralloc.h it was built from;
#   - each scenario (--scenario: every module's dist_scenarios in modules.bzl, with the fewest checks
#     it must report; dist_firmware_<module>.c has exactly these many) exits 0, prints no FAIL line and at
#     least as many "ok" lines as it has checks (so a scenario that silently ran nothing cannot pass);
#   - the "broken" scenario (one deliberately wrong expectation) prints a FAIL line and exits 1:
#     a failed check does reach the host.
set -uo pipefail

header=$1
shift
library_sources=()
scenarios=()
declare -A minimum_checks=()
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
    case "$1" in
        --scenario)
            scenarios+=("$2")
            minimum_checks[$2]=$3
            shift 2
            ;;
        src/*.c) library_sources+=("$(basename "$1")") ;;
    esac
    shift
done
[ "$#" -gt 0 ] && shift # --
[ "${#library_sources[@]}" -gt 0 ] || { echo "FAIL: no src/*.c given"; exit 1; }
[ "${#scenarios[@]}" -gt 0 ] || { echo "FAIL: no --scenario given"; exit 1; }
version=$(sed -n 's/^#define VERA_VERSION_STRING "\(.*\)"$/\1/p' "$header")
[ -n "$version" ] || { echo "FAIL: no VERA_VERSION_STRING in $header"; exit 1; }


work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/dist-firmware.XXXXXX")
status=0
boards=0

# shellcheck source=tests/qemu_boot.sh
source tests/qemu_boot.sh
boot() { # boot BOARD ELF SCENARIO OUTPUT -> QEMU's exit status
    qemu_boot 60 "$1" "$2" "$4" "$3"
}

fail() {
    echo "FAIL: $*"
    status=1
}

while [ "$#" -ge 2 ]; do
    board=$1
    elf=$2
    shift 2
    boards=$((boards + 1))

    # Bazel strips debug info from fastbuild binaries; the FILE symbols (one per object file
    # with local symbols) survive and name each C file by its basename.
    units=$(arm-none-eabi-readelf --syms "$elf" | awk '$4 == "FILE" { print $8 }' | sort -u)
    if ! grep -qx 'veralloc.c' <<<"$units"; then
        fail "$board: $elf was not compiled from dist/veralloc.c (files: $(echo $units))"
    fi
    for source in "${library_sources[@]}"; do
        if grep -qx "$source" <<<"$units"; then
            fail "$board: $elf contains code compiled from src/$source (files: $(echo $units))"
        fi
    done

    for scenario in "${scenarios[@]}" broken; do
        output="$work/$board-$scenario.txt"
        boot "$board" "$elf" "$scenario" "$output"
        exit_status=$?
        lines=$(cat "$output" 2>/dev/null || true)
        if ! grep -qx "veralloc $version" <<<"$lines"; then
            fail "$board $scenario: the firmware does not report version $version"
        fi
        if [ "$scenario" = broken ]; then
            if [ "$exit_status" -eq 1 ] && grep -q '^FAIL ' <<<"$lines"; then
                echo "PASS: $board broken: the deliberately wrong check is reported (exit 1)"
            else
                fail "$board broken: exit $exit_status, a failing check was not reported"
                echo "$lines" | tail -5
            fi
            continue
        fi
        passed=$(grep -c '^ok ' <<<"$lines")
        summary=$(grep "^summary $scenario " <<<"$lines")
        if [ "$exit_status" -ne 0 ] || grep -q '^FAIL ' <<<"$lines" ||
            [ "$summary" != "summary $scenario checks=$passed failed=0" ] ||
            [ "$passed" -lt "${minimum_checks[$scenario]}" ]; then
            fail "$board $scenario: exit $exit_status, $passed checks passed (at least ${minimum_checks[$scenario]} expected)"
            grep -E '^(FAIL|summary|error)' <<<"$lines"
            tail -3 "$output.qemu"
        else
            echo "PASS: $board $scenario: $passed checks"
        fi
    done
done

[ "$boards" -gt 0 ] || { echo "FAIL: no board given"; exit 1; }
exit "$status"
