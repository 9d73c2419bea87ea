"""wp_proof_test: one Frama-C WP proof module as a Bazel test.

    wp_proof_test(
        name = "arena_proof",
        module = "arena",
        srcs = ["//:src/arena.c"],
    )

creates
  - `<name>` (sh_test): replays the module's proof from the committed WP cache in
    proofs/sessions/<module>/ and fails on any unproved goal, failed smoke test or warning, or if
    the module's generated table in docs/proofs.md is stale;
  - `<name>_fresh` (sh_binary): the same proof with every prover run again, no cache (used by
    //proofs:summary); `bazel run` it to re-check one module.

Adding a module is one call here plus its name in //proofs:summary; its
contract headers and specs are found through `data` (every header under include/ and specs/).
"""

load("//tools:bazel_run.bzl", "bazel_run_args")

_COMMON_DATA = [
    "//proofs:run_wp.sh",
    "//proofs:wp_results.py",
    "//proofs:report_rules.json",
    "//proofs:proof_inputs",
]

def _rootpath(label):
    if not label.startswith("//:"):
        fail("wp_proof_test srcs must be files of the root package, like //:src/arena.c")
    return label[len("//:"):]

def _module_args(module, srcs, main, skip):
    args = ["--module", module, "--session", "proofs/sessions/" + module]
    if main:
        args += ["--main", main]
    if skip:
        args += ["--skip", ",".join(skip)]
    return args + [_rootpath(src) for src in srcs]

def wp_proof_test(name, module, srcs, main = None, skip = [], size = "medium", **kwargs):
    """One proof module: a replay test and a fresh-run binary.

    Args:
      name: the test's name; the fresh runner is `<name>_fresh`.
      module: the module's name: its cache is proofs/sessions/<module>/, its table in
        docs/proofs.md is marked with <module>.
      srcs: the C sources WP analyses (labels of files in the root package).
      main: a function WP takes as the program entry, so that it proves it with the initial
        values of the globals (mira_mem's model-matches-state check).
      skip: functions whose bodies stay out of the proof (their contracts are assumed and must be
        listed in the trusted base of docs/proofs.md).
      size: the test size.
      **kwargs: passed to the sh_test.
    """
    args = _module_args(module, srcs, main, skip)
    session = native.glob(["sessions/%s/**" % module])
    native.sh_test(
        name = name,
        size = size,
        srcs = ["//proofs:run_wp.sh"],
        args = ["--mode", "replay", "--docs", "docs/proofs.md", "--quiet"] + args,
        data = _COMMON_DATA + srcs + session + ["//docs:proofs.md"],
        **kwargs
    )
    native.sh_binary(
        name = name + "_fresh",
        srcs = ["//proofs:run_wp.sh"],
        args = ["--mode", "fresh"] + args,
        data = _COMMON_DATA + srcs,
    )

    # The module's arguments, one per line, for //proofs:summary and //proofs:update.
    native.genrule(
        name = name + "_args",
        outs = [name + ".wpargs"],
        cmd = "printf '%s\\n' " + " ".join(["'%s'" % a for a in args]) + " > $@",
    )

def wp_summary(name, proofs, mutants, **kwargs):
    """`bazel run` targets over every proof module and the mutants.

    Creates `<name>` (every module and mutant proved afresh, then a short summary),
    `update` (refreshes the committed caches and the tables of docs/proofs.md) and `proof_args`
    (the .wpargs of every module).

    Args:
      name: the summary binary's name.
      proofs: the wp_proof_test names.
      mutants: the mutant spec files.
      **kwargs: passed to both sh_binaries.
    """
    args_files = [p + "_args" for p in proofs]

    # The settings of every proof module (its .wpargs), for the traceability gate: the proof
    # results it reads must be recorded with the same settings (tools/trace_check.py --proof-args).
    native.filegroup(
        name = "proof_args",
        srcs = args_files,
        visibility = ["//visibility:public"],
    )
    data = _COMMON_DATA + args_files + mutants + [
        "//proofs:mutant_test.sh",
        "//proofs:mutate.py",
        "//:library_sources",
    ] + native.glob(["sessions/**", "mutants/sessions/**"])  # for --mode replay
    inputs = ["$(rootpaths %s)" % a for a in args_files] + ["$(rootpath %s)" % m for m in mutants]
    for binary, mode in [(name, "fresh"), ("update", "update")]:
        native.sh_binary(
            name = binary,
            srcs = ["//proofs:summary.sh"],
            args = ["--mode", mode] + inputs,
            data = data,
            visibility = ["//tests/readme:__pkg__"],  # started as `bazel run` does there
            **kwargs
        )

        # For the tests that start it as `bazel run` does (//tests/readme).
        bazel_run_args(
            name = binary + "_bazel_run",
            binary = ":" + binary,
            args = ["--mode", mode] + inputs,
            data = args_files + mutants,
        )
