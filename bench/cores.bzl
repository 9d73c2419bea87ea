"""The Cortex-M cores and QEMU boards the benchmark knows, shared by platforms, toolchains and runner.

Adding a core: an entry in CORES (its platform and toolchain follow). Adding a board: an entry in
BOARDS naming a core that has a linker script in bench/firmware/linker/.
"""

# core -> arm-none-eabi-gcc flags. Soft-float everywhere: allocators use no floating point, and
# the same newlib multilib family (nofp) then serves every core.
CORES = {
    "cortex_m0plus": ["-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"],
    "cortex_m3": ["-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"],
    "cortex_m4": ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"],
    "cortex_m7": ["-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=soft"],
    "cortex_m33": ["-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=soft"],
}

# QEMU machine -> the core it emulates and the SysTick clock (CLKSOURCE = processor clock) of
# QEMU's board model, which the runner needs to turn SysTick ticks into instructions.
BOARDS = {
    "mps2-an385": struct(core = "cortex_m3", systick_hz = 25000000),
    "mps2-an386": struct(core = "cortex_m4", systick_hz = 25000000),
    "mps2-an500": struct(core = "cortex_m7", systick_hz = 25000000),
    "mps2-an505": struct(core = "cortex_m33", systick_hz = 20000000),
}

# Cores whose code size is reported (arm-none-eabi-size of each allocator's objects).
CODE_SIZE_CORES = ["cortex_m0plus", "cortex_m3", "cortex_m4"]
CODE_SIZE_OPTIMIZATIONS = ["-Os", "-O2"]
