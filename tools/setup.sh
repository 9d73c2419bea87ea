#!/usr/bin/env bash
# Installs everything veralloc's build, tests, proofs, fuzzers and benchmarks need, from Debian's
# package archive only, and configures Why3's provers. Idempotent: when everything is there it
# only checks, in about a second.
set -euo pipefail

# The whole toolchain (see ../shared/notes/toolchain.md for why each one):
packages=(
    bazel-bootstrap                                     # Bazel 4.2.3, offline with third_party/ shims
    gcc clang libclang-rt-14-dev llvm                   # host builds, libFuzzer + sanitizers, llvm-cov
    g++ gcc-multilib                                    # C++ callers and i386 (-m32) builds (strict builds)
    gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi  # Cortex-M firmware
    qemu-system-arm                                     # runs the firmware (mps2 boards)
    frama-c-base why3 z3 cvc4                           # WP proofs through Why3 (no Alt-Ergo in Debian 12)
    cppcheck clang-tidy                                 # MISRA and lint checks
    make cmake                                          # vendoring examples (examples/vendoring)
    python3                                             # report and table generators
    jq sqlite3 bc                                       # programs whose allocation traces the bench replays (bench/traces)
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Why3 must know the provers; frama-c asks Why3. Only detect when Z3 or CVC4 is not configured yet.
why3_config="${WHY3CONFIG:-$HOME/.why3.conf}"
if ! grep -qs '^name = "Z3"' "$why3_config" || ! grep -qs '^name = "CVC4"' "$why3_config"; then
    echo "setup: configuring Why3 provers in $why3_config"
    why3 config detect >/dev/null
fi

echo "setup: all tools present"
