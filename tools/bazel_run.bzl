"""bazel_run_args: what `bazel run` gives a binary, as a file that tests can read.

A test of a README command starts the binary exactly as `bazel run` does
(tests/readme/bazel_run_like.sh): from its own folder with its runfiles tree beside it, with the
arguments of the binary's rule followed by the user's. Those rule arguments are written here
from the same list the binary is declared with, so the test cannot drift from the binary.
"""

def bazel_run_args(name, binary, args = [], data = []):
    """Writes `<name>.txt`: the binary's runfiles path, then one rule argument per line.

    Args:
      name: the target; tests list it in their data.
      binary: the label of the binary `bazel run` starts.
      args: the binary's rule `args`, exactly as given to the binary ($(rootpath) and
        $(rootpaths) are expanded; their paths must not contain spaces).
      data: the labels those expansions name.
    """
    # The executable's runfiles path is its package and name (a binary's default outputs can
    # hold more files, e.g. an sh_binary's script, so $(rootpath) cannot name it).
    if binary.startswith(":"):
        package, target = native.package_name(), binary[1:]
    else:
        package, target = binary[2:].split(":")
    words = ["'%s/%s'" % (package, target)]
    for arg in args:
        # An expansion may yield several paths: left unquoted, each becomes its own line.
        words.append(arg if arg.startswith("$(") else "'%s'" % arg.replace("'", "'\\''"))
    native.genrule(
        name = name,
        srcs = [binary] + data,
        outs = [name + ".txt"],
        cmd = "printf '%s\\n' " + " ".join(words) + " > $@",
        visibility = ["//visibility:public"],
        testonly = True,
    )
