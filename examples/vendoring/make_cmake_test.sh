#!/usr/bin/env bash
# Vendors the two files from dist/ into a fresh application tree, the way docs/integration.md
# tells firmware teams to, and builds and runs the example with the example's Makefile and with
# its CMakeLists.txt. Also builds the Makefile's library object with arm-none-eabi-gcc for a
# Cortex-M4, as a firmware build would.
#
# Usage: make_cmake_test.sh dist/veralloc.h dist/veralloc.c examples/vendoring/{main.c,Makefile,CMakeLists.txt}
set -euo pipefail

app=$(mktemp -d "${TEST_TMPDIR:-/tmp}/vendoring.XXXXXX")/app
mkdir -p "$app/third_party/veralloc"
for file in "$@"; do
    case "$file" in
        dist/veralloc.h | dist/veralloc.c) cp "$file" "$app/third_party/veralloc/" ;;
        examples/vendoring/*) cp "$file" "$app/" ;;
        *) echo "FAIL: unexpected file $file"; exit 1 ;;
    esac
done
for needed in third_party/veralloc/veralloc.h third_party/veralloc/veralloc.c main.c Makefile CMakeLists.txt; do
    [ -f "$app/$needed" ] || { echo "FAIL: $needed not given"; exit 1; }
done

echo "== plain Make"
make -C "$app" VERALLOC_DIR=third_party/veralloc
"$app/example"
make -C "$app" clean

echo "== plain Make, library object for Cortex-M4"
make -C "$app" VERALLOC_DIR=third_party/veralloc CC=arm-none-eabi-gcc \
    CFLAGS='-std=c99 -Os -mcpu=cortex-m4 -mthumb -ffreestanding -Wall -Wextra -Wpedantic -Werror' veralloc.o
make -C "$app" clean

echo "== CMake"
cmake -S "$app" -B "$app/build" -DVERALLOC_DIR="$app/third_party/veralloc" >"$app/cmake.log" ||
    { cat "$app/cmake.log"; exit 1; }
cmake --build "$app/build"
"$app/build/example"

echo "PASS: the example vendored from dist/ builds and runs with Make and CMake"
