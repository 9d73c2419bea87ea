"""test_firmware: a cc_binary for the QEMU boards of the benchmark, for tests that boot firmware.

It links with the benchmark's start-up and semihosting (//bench/firmware:boot, which the deps
must include), the board's memory map (bench/firmware/linker/) and the common sections. Build it
for a board with bench's board_firmware rule (//bench:defs.bzl), which sets the platform.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")

# Memory map of each board's core (bench/firmware/linker/); a board whose core is missing here
# fails the build of its image.
_MEMORY_MAP = {
    "cortex_m3": "//bench/firmware:linker/mps2_an385_an386_an500.ld",
    "cortex_m4": "//bench/firmware:linker/mps2_an385_an386_an500.ld",
    "cortex_m7": "//bench/firmware:linker/mps2_an385_an386_an500.ld",
    "cortex_m33": "//bench/firmware:linker/mps2_an505.ld",
}

_SECTIONS = "//bench/firmware:linker/sections.ld"

# Host builds never link an image (target_compatible_with skips it), but select() is resolved
# first and needs a default branch.
_NO_BOARD = {"//conditions:default": []}

def test_firmware(name, linkopts = [], **kwargs):
    """A firmware cc_binary for every board of //bench:cores.bzl; kwargs go to cc_binary.

    linkopts come before the memory map's (e.g. --specs=nano.specs for newlib-nano).
    """
    cc_binary(
        name = name,
        additional_linker_inputs = [_SECTIONS] + select(dict({
            "//bench/platforms:is_" + core: [script]
            for core, script in _MEMORY_MAP.items()
        }, **_NO_BOARD)),
        linkopts = linkopts + select(dict({
            "//bench/platforms:is_" + core: ["-T", "$(location %s)" % script, "-T", "$(location %s)" % _SECTIONS]
            for core, script in _MEMORY_MAP.items()
        }, **_NO_BOARD)),
        target_compatible_with = ["@platforms//os:none"],
        **kwargs
    )
