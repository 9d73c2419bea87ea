"""Rules that build Cortex-M firmware and objects inside an ordinary host build.

A Starlark transition sets --platforms (and, for code size, an optimisation level) on one
dependency, so `bazel run //bench` and `bazel test //...` build the firmware for every board with
the arm-none-eabi toolchains of //bench/toolchain while the runner itself is a host program.
Each output gets a name of its own (board, core, optimisation) because the same target built in
several configurations would otherwise collide in the runfiles tree.
"""

BenchImageInfo = provider(
    doc = "A firmware image for one QEMU board.",
    fields = ["board", "image", "elf"],
)

CodeSizeInfo = provider(
    doc = "Static libraries of the allocators, compiled for one core at one optimisation level.",
    fields = ["core", "optimization", "archives"],
)

def _only(dependency):
    # Bazel 4 hands a dependency behind a Starlark 1:1 transition over as a one-element list.
    return dependency[0] if type(dependency) == "list" else dependency

def _platform_transition_impl(settings, attr):
    return {"//command_line_option:platforms": str(attr.platform)}

_platform_transition = transition(
    implementation = _platform_transition_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)

def _platform_and_optimization_transition_impl(settings, attr):
    return {
        "//command_line_option:platforms": str(attr.platform),
        # The toolchain compiles with -Os; a later -O on the command line wins.
        "//command_line_option:copt": settings["//command_line_option:copt"] + [attr.optimization],
    }

_platform_and_optimization_transition = transition(
    implementation = _platform_and_optimization_transition_impl,
    inputs = ["//command_line_option:copt"],
    outputs = [
        "//command_line_option:platforms",
        "//command_line_option:copt",
    ],
)

_ALLOWLIST = {
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

def _board_firmware_impl(ctx):
    binary = _only(ctx.attr.binary)
    elf = ctx.actions.declare_file(ctx.label.name + ".elf")
    ctx.actions.symlink(output = elf, target_file = binary[DefaultInfo].files_to_run.executable)
    return [
        DefaultInfo(files = depset([elf]), runfiles = ctx.runfiles(files = [elf])),
        BenchImageInfo(board = ctx.attr.board, image = ctx.attr.binary_name, elf = elf),
    ]

board_firmware = rule(
    implementation = _board_firmware_impl,
    doc = "`binary` (a cc_binary of //bench/firmware) built for `platform`, as <name>.elf.",
    attrs = dict(_ALLOWLIST, **{
        "binary": attr.label(cfg = _platform_transition, mandatory = True),
        "binary_name": attr.string(mandatory = True),
        "board": attr.string(mandatory = True),
        "platform": attr.label(mandatory = True),
    }),
)

def _code_size_objects_impl(ctx):
    archives = []
    for library in ctx.attr.libraries:
        for linker_input in library[CcInfo].linking_context.linker_inputs.to_list():
            if linker_input.owner != library.label:
                continue  # a dependency: measured as its own entry, not twice
            for library_to_link in linker_input.libraries:
                archive = library_to_link.static_library or library_to_link.pic_static_library
                if archive == None:
                    continue
                copy = ctx.actions.declare_file("%s/%s" % (ctx.label.name, archive.basename))
                ctx.actions.symlink(output = copy, target_file = archive)
                archives.append(struct(library = str(library.label), archive = copy))
    files = [entry.archive for entry in archives]
    return [
        DefaultInfo(files = depset(files), runfiles = ctx.runfiles(files = files)),
        CodeSizeInfo(core = ctx.attr.core, optimization = ctx.attr.optimization, archives = archives),
    ]

code_size_objects = rule(
    implementation = _code_size_objects_impl,
    doc = "The static libraries of `libraries` compiled for `platform` with `optimization`.",
    attrs = dict(_ALLOWLIST, **{
        "core": attr.string(mandatory = True),
        "libraries": attr.label_list(cfg = _platform_and_optimization_transition, providers = [CcInfo]),
        "optimization": attr.string(mandatory = True),
        "platform": attr.label(mandatory = True),
    }),
)

def _bench_manifest_impl(ctx):
    images = [image[BenchImageInfo] for image in ctx.attr.images]
    sizes = [size[CodeSizeInfo] for size in ctx.attr.code_sizes]
    manifest = {
        "boards": {
            board: {"core": core, "systick_hz": int(systick_hz)}
            for board, core, systick_hz in [entry.split(" ") for entry in ctx.attr.boards]
        },
        "core_flags": {
            core: flags.split(" ")
            for core, flags in ctx.attr.core_flags.items()
        },
        "images": [
            {"board": image.board, "image": image.image, "elf": image.elf.short_path}
            for image in images
        ],
        "code_size": [
            {
                "core": size.core,
                "optimization": size.optimization,
                "library": entry.library,
                "archive": entry.archive.short_path,
            }
            for size in sizes
            for entry in size.archives
        ],
        "traces": [{"path": trace.short_path} for trace in ctx.files.traces],
        "peers": {
            "folder": ctx.attr.peer_folder,
            "commits": ctx.attr.peer_commits,
            "missing": ctx.attr.peers_missing,
        },
    }
    output = ctx.actions.declare_file(ctx.label.name + ".json")
    ctx.actions.write(output, json.encode(manifest))
    runfiles = ctx.runfiles(files = [output] + ctx.files.traces)
    for target in ctx.attr.images + ctx.attr.code_sizes:
        runfiles = runfiles.merge(target[DefaultInfo].default_runfiles)
    return [DefaultInfo(files = depset([output]), runfiles = runfiles)]

bench_manifest = rule(
    implementation = _bench_manifest_impl,
    doc = "A JSON file telling the runner which image runs on which board, and where the objects are.",
    attrs = {
        "boards": attr.string_list(doc = "'BOARD CORE SYSTICK_HZ' entries"),
        "code_sizes": attr.label_list(providers = [CodeSizeInfo]),
        "core_flags": attr.string_dict(doc = "core -> its arm-none-eabi-gcc flags, space separated"),
        "images": attr.label_list(providers = [BenchImageInfo]),
        "peer_commits": attr.string_dict(doc = "peer found -> its upstream commit"),
        "peer_folder": attr.string(doc = "where the peers were looked for"),
        "peers_missing": attr.string_dict(doc = "peer not found -> why"),
        "traces": attr.label_list(allow_files = [".trace.gz"], doc = "recorded traces (bench/traces)"),
    },
)
