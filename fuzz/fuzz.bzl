"""vera_fuzz_target: one fuzz target, built three ways.

For `vera_fuzz_target(name = "X_fuzzer", srcs = [...], deps = [...])` in //fuzz:

  X_fuzzer              what a user runs: `bazel run --config=fuzz //fuzz:X_fuzzer -- <libFuzzer flags>`.
                        Fuzzes with the committed corpus as seeds (read only) and the dictionary;
                        new inputs go to a scratch directory, crashes to the directory bazel run
                        was started from (fuzz/run_fuzzer.sh).
  X_fuzzer_binary       the fuzz target itself: linked with libFuzzer under --config=fuzz, with the
                        plain replay driver (fuzz/support/replay_main.c) otherwise. tools/fuzz.sh
                        finds these by their tag, vera_fuzz_binary.
  X_fuzzer_replay_test  a cc_test that replays every file of the corpus through the target with
                        the plain driver, under ASan + UBSan, with gcc or clang: part of
                        `bazel test //...`, no libFuzzer needed.

By convention the corpus is fuzz/corpus/X_fuzzer/inputs/ and the dictionary
fuzz/corpus/X_fuzzer/X_fuzzer.dict; fuzz/oss-fuzz/build.sh follows the same convention, so a new
target needs only its sources, its corpus directory and one call of this macro.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")
load("//tools:bazel_run.bzl", "bazel_run_args")

# The harness's shared helpers are compiled into every target (not a library) so that they get
# the target's sanitizer flags: ASan poisoning is compiled out of a file built without ASan.
_HARNESS_SUPPORT = [
    "//fuzz:support/fuzz_check.c",
    "//fuzz:support/fuzz_check.h",
    "//fuzz:support/fuzz_input.c",
    "//fuzz:support/fuzz_input.h",
    "//fuzz:support/fuzz_memory.c",
    "//fuzz:support/fuzz_memory.h",
    "//fuzz:support/wide_integer.h",
]

_REPLAY_MAIN = ["//fuzz:support/replay_main.c"]

# The replay tests run under ASan and UBSan with gcc as well as clang (both ship the runtimes).
REPLAY_SANITIZERS = [
    "-fsanitize=address,undefined",
    "-fno-sanitize-recover=undefined",
    "-fno-omit-frame-pointer",
]

def vera_fuzz_target(name, srcs, deps = [], corpus = None, dictionary = None, tags = [], replay_test = True):
    """Defines NAME (runner), NAME_binary (fuzz target) and NAME_replay_test (corpus replay).

    Args:
      name: the target's name, ending in _fuzzer by convention.
      srcs: the harness and its reference model (.c and .h files in //fuzz).
      deps: what it exercises, e.g. "//:arena".
      corpus: directory of the corpus inputs, relative to //fuzz; default corpus/NAME/inputs.
      dictionary: libFuzzer dictionary file; default corpus/NAME/NAME.dict.
      tags: extra tags for the binary; a target tagged vera_fuzz_variant (e.g. one built against
        a copy of a source with a planted bug) is left out of tools/fuzz.sh.
      replay_test: False for a variant whose corpus is expected to fail (a planted bug).
    """
    corpus = corpus or ("corpus/" + name + "/inputs")
    dictionary = dictionary or ("corpus/" + name + "/" + name + ".dict")
    corpus_files = native.glob([corpus + "/*"])

    native.filegroup(
        name = name + "_corpus",
        srcs = corpus_files,
    )

    cc_binary(
        name = name + "_binary",
        srcs = srcs + _HARNESS_SUPPORT + select({
            "//fuzz:libfuzzer_engine": [],
            "//conditions:default": _REPLAY_MAIN,
        }),
        linkopts = select({
            "//fuzz:libfuzzer_engine": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps,
        tags = ["vera_fuzz_binary"] + tags,
    )

    runner_args = [
        "$(rootpath :%s_binary)" % name,
        native.package_name() + "/" + corpus,
        "$(rootpath %s)" % dictionary,
    ]
    native.sh_binary(
        name = name,
        srcs = ["//fuzz:run_fuzzer.sh"],
        args = runner_args,
        data = [
            ":" + name + "_binary",
            ":" + name + "_corpus",
            dictionary,
        ],
        tags = tags,
        visibility = ["//tests/readme:__pkg__"],  # started as `bazel run` does there
    )

    # For the tests that start it as `bazel run` does (//tests/readme).
    bazel_run_args(
        name = name + "_bazel_run",
        binary = ":" + name,
        args = runner_args,
        data = [":" + name + "_binary", dictionary],
    )

    if not replay_test:
        return
    cc_test(
        name = name + "_replay_test",
        size = "small",
        srcs = srcs + _HARNESS_SUPPORT + _REPLAY_MAIN,
        copts = REPLAY_SANITIZERS,
        linkopts = REPLAY_SANITIZERS,
        args = [native.package_name() + "/" + corpus],
        data = [":" + name + "_corpus"],
        deps = deps,
        tags = tags,
    )

def vera_planted_bug(name, src, find, replace):
    """A copy of `src` with one fixed string replaced, to show that a fuzz target finds the bug.

    The shipped source stays free of bug switches: the mutated copy exists only in bazel-bin.
    The build fails unless `find` occurs exactly once in `src` (fuzz/plant_bug.sh).

    Args:
      name: the genrule's name; the copy is NAME.c.
      src: the source to copy, e.g. "//:src/arena.c".
      find: the exact text to replace (on one line).
      replace: what replaces it.
    """
    native.genrule(
        name = name,
        srcs = [src],
        outs = [name + ".c"],
        cmd = "$(location //fuzz:plant_bug.sh) $< $@ '%s' '%s'" % (
            find.replace("'", "'\\''"),
            replace.replace("'", "'\\''"),
        ),
        tools = ["//fuzz:plant_bug.sh"],
        visibility = ["//tests/readme:__pkg__"],  # tools/fuzz.sh must report what it finds
    )
