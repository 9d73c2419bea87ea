#!/usr/bin/env bash
# Mistakes that fail at compile time (issue 12): every BAD_* case of uses.c must fail to compile,
# with the name of the broken rule in the compiler's messages (so it fails for that reason, not
# another), and the GOOD case (the smallest and largest uses each rule allows, and a pool declared
# in a header with VERA_POOL_DECLARE, defined in one file and used from another) must compile
# warning-free, link and run. Each with gcc, gcc -m32, clang and g++ (uses.c as C++), against
# include/ + src/ and against the two-file distribution dist/; and with arm-none-eabi-gcc for a
# Cortex-M7 (compiled only: the bad cases must fail naming their rule, the good ones compile).
# The aligned pools (VERA_POOL_DEFINE_ALIGNED, VERA_POOL_DECLARE_ALIGNED: cases 12-16 and the
# aligned part of the good case, -DTEST_ALIGNED_POOLS=1) are required on both trees.
#
# Usage: compile_time_test.sh DIR_OF_THIS_TEST LIBRARY_FILES...   (src/*.c, include/**, dist/*)
set -euo pipefail

here=$1
shift
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/compile_time.XXXXXX")
warnings=(-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wundef -Werror)

# CASE number|rule named in the error
bad_cases=(
    "1|_block_size_must_be_above_0"
    "2|_block_count_must_be_1_to_VERA_POOL_MAX_BLOCKS"
    "3|_block_count_must_be_1_to_VERA_POOL_MAX_BLOCKS"
    "4|_pool_storage_must_fit_size_t"
    "5|_pool_storage_must_fit_size_t"
    "6|_block_count_must_be_1_to_VERA_POOL_MAX_BLOCKS"
    "7|_block_size_must_be_above_0"
    "8|_block_count_must_be_1_to_VERA_POOL_MAX_BLOCKS"
    "9|mira_mem_buffer_size_must_be_at_least_MIRA_MEM_ALIGNMENT"
    "10|mira_mem_buffer_size_must_be_at_least_MIRA_MEM_ALIGNMENT"
    "17|_heap_must_hold_at_least_4_granules"
    "18|_heap_must_hold_at_least_4_granules"
)
aligned_bad_cases=(
    "12|_alignment_must_be_a_power_of_two"
    "13|_alignment_must_be_at_least_VERA_ALIGNMENT"
    "14|_alignment_must_be_at_most_VERA_POOL_MAX_ALIGNMENT"
    "15|_alignment_must_be_a_power_of_two"
    "16|_alignment_must_be_a_power_of_two"
)
good_case=11

sources=()
for file in "$@"; do
    case "$file" in src/*.c) sources+=("$file") ;; esac
done
[ "${#sources[@]}" -gt 0 ] || { echo "FAIL: no library sources given"; exit 1; }

status=0
rejected=0
accepted=0
# bad_cases_fail COMPILER_AND_FLAGS... : every bad case of this tree fails, naming its rule.
bad_cases_fail() {
    local entry number rule log
    for entry in "${cases[@]}"; do
        IFS='|' read -r number rule <<<"$entry"
        log="$work/bad-$number.log"
        if "$@" "${warnings[@]}" "${flags[@]}" "-DCASE=$number" -c "$here/uses.c" -o "$work/bad.o" >"$log" 2>&1; then
            echo "FAIL ($*, $tree): case $number compiled; it must fail with $rule"
            status=1
        elif ! grep -q -- "$rule" "$log"; then
            echo "FAIL ($*, $tree): case $number failed without naming $rule:"
            cat "$log"
            status=1
        else
            rejected=$((rejected + 1))
        fi
    done
}
tree_flags() { # sets flags, library and cases for the tree $tree
    if [ "$tree" = dist ]; then flags=(-DVERALLOC_DIST -Idist); library=(dist/veralloc.c); else flags=(-Iinclude); library=("${sources[@]}"); fi
    flags+=(-DTEST_ALIGNED_POOLS=1)
    cases=("${bad_cases[@]}" "${aligned_bad_cases[@]}")
}
compilers=("gcc -std=c99" "gcc -m32 -std=c99" "clang -std=c99" "g++ -x c++ -std=c++11")
for compiler in "${compilers[@]}"; do
    read -r -a cc <<<"$compiler"
    for tree in src dist; do
        tree_flags
        bad_cases_fail "${cc[@]}"
        # The good uses: compiled with the same compiler, the library as C with the matching gcc.
        program="$work/good"
        objects=()
        libcc=(gcc -std=c99)
        [[ "$compiler" == *-m32* ]] && libcc=(gcc -m32 -std=c99)
        for source in "${library[@]}"; do
            object="$work/$(basename "$source" .c).o"
            "${libcc[@]}" -O2 "${flags[@]}" -c "$source" -o "$object"
            objects+=("$object")
        done
        if ! { "${cc[@]}" "${warnings[@]}" "${flags[@]}" "-DCASE=$good_case" -c "$here/uses.c" -o "$work/uses.o" &&
               "${cc[@]}" "${warnings[@]}" "${flags[@]}" -I"$here" -c "$here/shared_pool_a.c" -o "$work/a.o" &&
               "${cc[@]}" "${warnings[@]}" "${flags[@]}" -I"$here" -c "$here/shared_pool_b.c" -o "$work/b.o" &&
               "${libcc[@]}" -o "$program" "$work/uses.o" "$work/a.o" "$work/b.o" "${objects[@]}"; } >"$work/good.log" 2>&1; then
            echo "FAIL ($compiler, $tree): the good uses do not compile or link:"
            cat "$work/good.log"
            status=1
        elif ! "$program"; then
            echo "FAIL ($compiler, $tree): the good uses compiled but the program exited with $?"
            status=1
        else
            accepted=$((accepted + 1))
        fi
    done
done
# Cortex-M7 (cache lines of 32 bytes): the same cases with the cross compiler, compiled only.
arm=(arm-none-eabi-gcc -std=c99 -mcpu=cortex-m7 -mthumb -ffreestanding)
for tree in src dist; do
    tree_flags
    bad_cases_fail "${arm[@]}"
    if "${arm[@]}" "${warnings[@]}" "${flags[@]}" "-DCASE=$good_case" -c "$here/uses.c" -o "$work/arm-uses.o" >"$work/arm.log" 2>&1 &&
       "${arm[@]}" "${warnings[@]}" "${flags[@]}" -I"$here" -c "$here/shared_pool_a.c" -o "$work/arm-a.o" >>"$work/arm.log" 2>&1 &&
       "${arm[@]}" "${warnings[@]}" "${flags[@]}" -I"$here" -c "$here/shared_pool_b.c" -o "$work/arm-b.o" >>"$work/arm.log" 2>&1; then
        accepted=$((accepted + 1))
    else
        echo "FAIL (${arm[*]}, $tree): the good uses do not compile:"
        cat "$work/arm.log"
        status=1
    fi
done
if [ "$status" -eq 0 ]; then
    echo "PASS: $rejected bad uses rejected at compile time naming their rule, $accepted good builds" \
        "(${#compilers[@]} compilers x src/ and dist/ compiled, linked and ran; arm-none-eabi-gcc" \
        "Cortex-M7 compiled)"
fi
exit "$status"
