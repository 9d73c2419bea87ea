#!/usr/bin/env bash
# Strict builds: every library source, the amalgamation (dist/veralloc.c) and every header on its
# own (one generated translation unit each) compile without a single warning under
#   -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wundef -Werror
# as C99 and as C11, at -O2 and -Os (sources; headers once), with
#   - gcc and clang for the host,
#   - arm-none-eabi-gcc and clang --target=arm-none-eabi for every Cortex-M core the benchmarks
#     use (M0+, M3, M4, M7, M33), freestanding.
# -Wundef is beyond the list in the issue: it makes the compilers check MISRA C:2012 rule 20.9
# (no undefined identifier in #if), which cppcheck cannot (docs/misra.md, D-13). gcc also gets
# -Wcast-align=strict, so that casts are checked on the x86-64 host too, not only on ARM.
# The amalgamation's Cortex-M objects must also need no symbol at all from outside: two files, no
# libc (-ffreestanding GCC may still emit memcpy/memset calls; this is what would catch one).
# One exception, on Cortex-M0+ only: ARMv6-M has no divide instruction, so GCC calls libgcc's
# __aeabi_uidiv / __aeabi_uidivmod for the pool's divisions (vera_pool_init checks the buffer
# size with one, vera_pool_free turns an offset into a block index with one). They come with the
# compiler, not with a C library, and every arm-none-eabi link provides them. The same two names,
# and nothing else, are allowed by tests/freestanding_build_test.sh.
#
# Builds a firmware team uses beyond those (issue 12):
#   - i386 hosts: gcc -m32 and clang -m32 (8-byte types are 4-aligned inside structs there), in
#     every run above;
#   - every VERA_ALIGNMENT config.h allows, from 4 to 128 (a power of two, at least 4; 16 for
#     Cortex-M4 DMA, 32 for Cortex-M7 cache lines), each source with every compiler and core;
#   - every lock of veralloc/lock.h: VERA_LOCK_APPLICATION everywhere, VERA_LOCK_CORTEX_M_PRIMASK
#     for every Cortex-M configuration;
#   - C++ callers: every header compiles as C++ (g++ and clang++, C++11 and C++17, the same
#     warnings), and a C++ translation unit (the .cc given) that calls the API links with the C
#     objects of src/ and of dist/ and runs.
#
# Usage: strict_build_test.sh FILES...   (src/*.c, include/**/*.h, dist/veralloc.{c,h}, *.cc)
set -euo pipefail

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/strict.XXXXXX")
warnings=(-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wundef -Werror)
cores=(cortex-m0plus cortex-m3 cortex-m4 cortex-m7 cortex-m33)

# name|compiler and flags|nm (empty: no symbol check)
configurations=(
    "gcc|gcc -Wcast-align=strict|"
    "clang|clang|"
    "gcc-m32|gcc -m32 -Wcast-align=strict|"
    "clang-m32|clang -m32|"
)
# Every VERA_ALIGNMENT from 4 to 128 (8 and 16 again: the default of 32-bit and 64-bit targets); every
# source, every configuration, C99 -O2.
alignments=(4 8 16 32 64 128)
for core in "${cores[@]}"; do
    configurations+=("arm-none-eabi-gcc-$core|arm-none-eabi-gcc -mcpu=$core -mthumb -ffreestanding -Wcast-align=strict|arm-none-eabi-nm")
    configurations+=("clang-$core|clang --target=arm-none-eabi -mcpu=$core -mthumb -ffreestanding|")
done

sources=()
units=()
cxx_callers=()
# A header of macros only would leave an empty translation unit, which ISO C forbids.
not_empty='typedef int header_unit_is_not_empty;'
for file in "$@"; do
    case "$file" in
        dist/*.c | src/*.c) sources+=("$file") ;;
        *.cc) cxx_callers+=("$file") ;;
        dist/*.h)
            printf '#include "%s"\n%s\n' "${file#dist/}" "$not_empty" >"$work/dist_$(basename "$file" .h)_h.c"
            units+=("$work/dist_$(basename "$file" .h)_h.c")
            ;;
        include/*.h)
            include=${file#include/}
            unit="$work/$(echo "$include" | tr '/' '_' | sed 's/\.h$/_h.c/')"
            printf '#include "%s"\n%s\n' "$include" "$not_empty" >"$unit"
            units+=("$unit")
            ;;
        src/*.h) ;;  # private helpers: compiled within every source that includes them
        *) echo "FAIL: unexpected file $file"; exit 1 ;;
    esac
done
[ "${#sources[@]}" -gt 0 ] && [ "${#units[@]}" -gt 0 ] && [ "${#cxx_callers[@]}" -gt 0 ] ||
    { echo "FAIL: expected sources, headers and a C++ caller"; exit 1; }

status=0
compiles=0
compile() { # configuration-name object compiler-and-flags... -- file
    local name=$1 object=$2
    shift 2
    if ! "$@" -c -o "$object" >"$object.log" 2>&1; then
        echo "FAIL ($name): $*"
        cat "$object.log"
        status=1
        return 1
    fi
    compiles=$((compiles + 1))
}

for configuration in "${configurations[@]}"; do
    IFS='|' read -r name compiler nm <<<"$configuration"
    read -r -a compiler <<<"$compiler"
    for standard in c99 c11; do
        for optimisation in -O2 -Os; do
            for source in "${sources[@]}"; do
                object="$work/$name-$standard$optimisation-$(echo "$source" | tr '/' '_').o"
                compile "$name" "$object" "${compiler[@]}" "-std=$standard" "$optimisation" \
                    "${warnings[@]}" -Iinclude -Idist "$source" || continue
                if [ -n "$nm" ] && [[ "$source" == dist/* ]]; then
                    allowed='^$'
                    if [[ "$name" == *-cortex-m0plus ]]; then
                        allowed='^(__aeabi_uidiv|__aeabi_uidivmod)$'
                    fi
                    undefined=$("$nm" -u "$object" | awk '{print $NF}' | grep -Ev "$allowed" || true)
                    if [ -n "$undefined" ]; then
                        echo "FAIL ($name $standard $optimisation): $source needs symbols from outside the two files: $undefined"
                        status=1
                    fi
                fi
            done
        done
        for unit in "${units[@]}"; do
            compile "$name" "$unit-$name-$standard.o" "${compiler[@]}" "-std=$standard" -O2 \
                "${warnings[@]}" -Iinclude -Idist "$unit" || true
        done
    done
    # Every VERA_ALIGNMENT, then every lock of veralloc/lock.h this configuration can use: the
    # application's pair everywhere, PRIMASK on Cortex-M.
    variants=()
    for alignment in "${alignments[@]}"; do variants+=("-DVERA_ALIGNMENT=$alignment"); done
    variants+=(-DVERA_LOCK=VERA_LOCK_APPLICATION)
    [[ "$name" == *cortex-m* ]] && variants+=(-DVERA_LOCK=VERA_LOCK_CORTEX_M_PRIMASK)
    for variant in "${variants[@]}"; do
        for source in "${sources[@]}"; do
            object="$work/$name${variant#-D}-$(echo "$source" | tr '/' '_').o"
            compile "$name" "$object" "${compiler[@]}" -std=c99 -O2 "$variant" \
                "${warnings[@]}" -Iinclude -Idist "$source" || true
        done
    done
done
alignment_builds=$((${#configurations[@]} * ${#alignments[@]} * ${#sources[@]}))

# C++: the headers as C++ translation units, then a C++ caller linked with the C library.
cxx_warnings=(-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wundef -Werror)
for cxx in g++ clang++; do
    for standard in c++11 c++17; do
        for unit in "${units[@]}"; do
            compile "$cxx" "$unit-$cxx-$standard.o" "$cxx" -x c++ "-std=$standard" -O2 \
                "${cxx_warnings[@]}" -Iinclude -Idist "$unit" || true
        done
    done
done
for caller in "${cxx_callers[@]}"; do
    for tree in src dist; do
        objects=()
        for source in "${sources[@]}"; do
            [[ "$source" == "$tree"/* ]] || continue
            object="$work/cxx-link-$(echo "$source" | tr '/' '_').o"
            compile gcc "$object" gcc -std=c99 -O2 "${warnings[@]}" -Iinclude -Idist "$source" || continue
            objects+=("$object")
        done
        program="$work/cxx-$tree-$(basename "$caller" .cc)"
        if [ "$tree" = dist ]; then defines=(-DVERALLOC_DIST); else defines=(); fi
        if ! g++ -std=c++11 -O2 "${cxx_warnings[@]}" "${defines[@]}" -Iinclude -Idist \
                -o "$program" "$caller" "${objects[@]}" >"$program.log" 2>&1; then
            echo "FAIL (C++ caller, $tree): $caller does not compile or link with the C objects"
            cat "$program.log"
            status=1
        elif ! "$program"; then
            echo "FAIL (C++ caller, $tree): $program exited with $?"
            status=1
        else
            compiles=$((compiles + 1))
        fi
    done
done

if [ "$status" -eq 0 ]; then
    echo "PASS: $compiles compilations warning-free (${#sources[@]} sources x 2 levels + ${#units[@]} headers," \
        "x ${#configurations[@]} compiler/core configurations x C99, C11; $alignment_builds builds at" \
        "VERA_ALIGNMENT ${alignments[*]}; every VERA_LOCK; headers as C++; C++ callers linked with src/" \
        "and dist/)"
fi
exit "$status"
