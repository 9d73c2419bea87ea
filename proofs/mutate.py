#!/usr/bin/env python3
"""Applies one mutant spec (proofs/mutants/*.json) and prints the fingerprint of its inputs.

The fingerprint (sha256 over the mutated source, every project file it includes as Frama-C
preprocesses it -- public headers, private helpers of src/, specs --, and the given extra files)
tells mutant_test.sh whether a committed WP cache was made for exactly these inputs. Only what the
mutated source includes counts, so a change to another module's header leaves its mutants' caches
valid.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys


def included_files(tree, source):
    """The project files `source` includes, directly or not, with __FRAMAC__ defined (so the
    specs/ logic the headers include for Frama-C counts), as paths below `tree`, sorted."""
    output = subprocess.run(
        ["cpp", "-MM", "-D__FRAMAC__", "-iquote", os.path.join(tree, "src"), "-I", tree,
         "-I", os.path.join(tree, "include"), source],
        check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    names = output.replace("\\\n", " ").split(":", 1)[1].split()
    # Not realpath: in Bazel's runfiles every file is a link into the source tree.
    root = os.path.abspath(tree)
    found = set()
    for name in names[1:]:  # the first is the source itself
        path = os.path.abspath(name)
        if path.startswith(root + os.sep):
            found.add(os.path.join(tree, os.path.relpath(path, root)))
    return sorted(found)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True)
    parser.add_argument("--tree", required=True, help="the workspace (or runfiles) root")
    parser.add_argument("--into", required=True, help="scratch root receiving the mutant")
    parser.add_argument("--fingerprint-of", nargs="*", default=[])
    args = parser.parse_args()

    spec = json.load(open(args.spec))
    original = open(os.path.join(args.tree, spec["file"])).read()
    count = original.count(spec["find"])
    if count != 1:
        print("mutant %s: the text to mutate occurs %d times in %s (expected once); update the "
              "mutant to the current source:\n%s" % (spec["name"], count, spec["file"], spec["find"]),
              file=sys.stderr)
        return 1
    mutated = original.replace(spec["find"], spec["replace"])
    target = os.path.join(args.into, spec["file"])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as handle:
        handle.write(mutated)

    digest = hashlib.sha256()
    digest.update(mutated.encode())
    inputs = included_files(args.tree, os.path.join(args.tree, spec["file"]))
    for path in inputs + list(args.fingerprint_of):
        digest.update(os.path.relpath(path, args.tree).encode() if path.startswith(args.tree)
                      else os.path.basename(path).encode())
        digest.update(open(path, "rb").read())
    print(digest.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main())
