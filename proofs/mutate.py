#!/usr/bin/env python3
"""Applies one mutant spec (proofs/mutants/*.json) and prints the fingerprint of its inputs.

The fingerprint (sha256 over the mutated source, every public header, every spec and the given
extra files) tells mutant_test.sh whether a committed WP cache was made for exactly these inputs.
"""
import argparse
import glob
import hashlib
import json
import os
import sys


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
    inputs = sorted(glob.glob(os.path.join(args.tree, "include", "**", "*.h"), recursive=True) +
                    glob.glob(os.path.join(args.tree, "specs", "*.h")))
    for path in inputs + list(args.fingerprint_of):
        digest.update(os.path.relpath(path, args.tree).encode() if path.startswith(args.tree)
                      else os.path.basename(path).encode())
        digest.update(open(path, "rb").read())
    print(digest.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main())
