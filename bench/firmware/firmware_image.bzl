"""firmware_image: a benchmark image for one board (the core comes from the target platform)."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

# Memory map per core's board (only the cores that run under QEMU have one).
_MEMORY_SCRIPT = {
    "cortex_m3": "linker/mps2_an385_an386_an500.ld",
    "cortex_m4": "linker/mps2_an385_an386_an500.ld",
    "cortex_m7": "linker/mps2_an385_an386_an500.ld",
    "cortex_m33": "linker/mps2_an505.ld",
}

_CORE_SETTING = "//bench/platforms:is_"

# Host builds (and cores without a board) never link an image: target_compatible_with skips it,
# but select() is resolved first and needs a branch.
_NO_BOARD = {"//conditions:default": []}

def firmware_image(name, adapters, linkopts = []):
    """The harness, some allocator adapters, the board's memory map and the common sections."""
    cc_binary(
        name = name,
        additional_linker_inputs = ["linker/sections.ld"] + select(dict({
            _CORE_SETTING + core: [script]
            for core, script in _MEMORY_SCRIPT.items()
        }, **_NO_BOARD)),
        linkopts = linkopts + select(dict({
            _CORE_SETTING + core: [
                "-T",
                "$(location %s)" % script,
                "-T",
                "$(location linker/sections.ld)",
            ]
            for core, script in _MEMORY_SCRIPT.items()
        }, **_NO_BOARD)),
        target_compatible_with = ["@platforms//os:none"],
        deps = [":harness"] + adapters,
    )
