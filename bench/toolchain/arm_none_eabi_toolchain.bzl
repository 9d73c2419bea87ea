"""A cc toolchain for Debian's arm-none-eabi-gcc (package gcc-arm-none-eabi), one per Cortex-M core.

Bazel 4.2.3 needs a toolchain config rule: the tools are the absolute paths Debian installs, the
core's -mcpu flags go on every compile and link, and firmware is optimised for size (-Os) unless
a target's copts say otherwise (copts come after these flags, so the last -O wins).
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)

_COMPILE_ACTIONS = [
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
]

_LINK_ACTIONS = [
    ACTION_NAMES.cpp_link_executable,
]

def _arm_none_eabi_toolchain_config_impl(ctx):
    tools = {
        "ar": "/usr/bin/arm-none-eabi-ar",
        "cpp": "/usr/bin/arm-none-eabi-cpp",
        "gcc": "/usr/bin/arm-none-eabi-gcc",
        "gcov": "/usr/bin/arm-none-eabi-gcov",
        "ld": "/usr/bin/arm-none-eabi-ld",
        "nm": "/usr/bin/arm-none-eabi-nm",
        "objcopy": "/usr/bin/arm-none-eabi-objcopy",
        "objdump": "/usr/bin/arm-none-eabi-objdump",
        "strip": "/usr/bin/arm-none-eabi-strip",
    }
    core_flags = ctx.attr.core_flags
    features = [
        feature(
            name = "cortex_m_compile_flags",
            enabled = True,
            flag_sets = [flag_set(
                actions = _COMPILE_ACTIONS,
                flag_groups = [flag_group(flags = core_flags + [
                    "-Os",
                    "-ffunction-sections",
                    "-fdata-sections",
                    "-g",
                    "-no-canonical-prefixes",
                    "-fno-canonical-system-headers",
                ])],
            )],
        ),
        feature(
            name = "cortex_m_link_flags",
            enabled = True,
            flag_sets = [flag_set(
                actions = _LINK_ACTIONS,
                flag_groups = [flag_group(flags = core_flags + [
                    "-nostartfiles",
                    "-Wl,--gc-sections",
                    "-no-canonical-prefixes",
                ])],
            )],
        ),
    ]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        toolchain_identifier = "arm-none-eabi-" + ctx.attr.core,
        host_system_name = "local",
        target_system_name = "arm-none-eabi",
        target_cpu = ctx.attr.core,
        target_libc = "newlib",
        compiler = "gcc",
        abi_version = "eabi",
        abi_libc_version = "newlib",
        tool_paths = [tool_path(name = name, path = path) for name, path in tools.items()],
        features = features,
        cxx_builtin_include_directories = [
            "/usr/lib/gcc/arm-none-eabi",
            "/usr/lib/arm-none-eabi/include",
            "/usr/include/newlib",
        ],
    )

arm_none_eabi_toolchain_config = rule(
    implementation = _arm_none_eabi_toolchain_config_impl,
    attrs = {
        "core": attr.string(mandatory = True),
        "core_flags": attr.string_list(mandatory = True),
    },
    provides = [CcToolchainConfigInfo],
)
