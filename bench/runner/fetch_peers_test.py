"""tools/fetch_peers.sh fetches what bench/peers.bzl expects (no network: git is a stand-in).

- Its pins (peer and commit) are those of PINNED in bench/peers.bzl.
- A folder whose peers are already at the pinned commits is left alone, without calling git.
- A fetch lays out every file PINNED lists for the peer and the COMMIT file (a stand-in git
  "clones" a tree with the upstream layout), so the repository rule finds the peer afterwards.
- When git fails (no network), the script exits non-zero.
"""

import argparse
import ast
import os
import re
import stat
import subprocess
import sys
import tempfile
import unittest

# Upstream layouts at the pinned commits (what a clone holds, in part).
UPSTREAM = {
    "o1heap": ["o1heap/o1heap.c", "o1heap/o1heap.h", "LICENSE", "README.md"],
    "tlsf": ["tlsf.c", "tlsf.h", "README.md"],
    "umm_malloc": ["src/umm_malloc.c", "src/umm_malloc.h", "src/umm_malloc_cfg.h", "src/umm_integrity.c",
                   "src/umm_poison.c", "src/umm_info.c", "LICENSE", "README.md"],
}

FAKE_GIT = """#!/usr/bin/env bash
# Stand-in git: `clone URL DIR` makes DIR with the upstream layout of the peer URL names.
set -euo pipefail
[ -n "${FAKE_GIT_FAIL:-}" ] && { echo "fatal: unable to access (no network)" >&2; exit 128; }
echo "$*" >> "$FAKE_GIT_LOG"
case "$1" in
    clone)
        url=${@: -2:1}; dir=${@: -1}
        mkdir -p "$dir"
        for file in $(grep "^$(basename "$url" .git) " "$FAKE_GIT_LAYOUT" | cut -d' ' -f2-); do
            mkdir -p "$dir/$(dirname "$file")"; echo "upstream $file" > "$dir/$file"
        done ;;
    -C) ;;  # checkout
esac
"""


def pinned():
    """{peer: (commit, files)} from bench/peers.bzl."""
    text = open(ARGUMENTS.peers_bzl, encoding="utf-8").read()
    result = {}
    for name, body in re.findall(r'"(\w+)": struct\((.*?)\n    \),', text, re.S):
        commit = re.search(r'commit = "([0-9a-f]{40})"', body).group(1)
        files = ast.literal_eval(re.search(r"files = (\[.*?\])", body, re.S).group(1))
        result[name] = (commit, files)
    return result


class FetchPeersTest(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="veralloc-fetch-")
        bin_dir = os.path.join(self.scratch, "bin")
        os.makedirs(bin_dir)
        git = os.path.join(bin_dir, "git")
        with open(git, "w", encoding="utf-8") as script:
            script.write(FAKE_GIT)
        os.chmod(git, os.stat(git).st_mode | stat.S_IEXEC)
        self.layout = os.path.join(self.scratch, "layout")
        with open(self.layout, "w", encoding="utf-8") as layout:
            layout.write("".join(f"{name} {' '.join(files)}\n" for name, files in UPSTREAM.items()))
        self.log = os.path.join(self.scratch, "git.log")
        open(self.log, "w").close()
        self.environment = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
                                FAKE_GIT_LOG=self.log, FAKE_GIT_LAYOUT=self.layout)

    def fetch(self, target, **extra):
        return subprocess.run(["bash", ARGUMENTS.script, target], env=dict(self.environment, **extra),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)

    def test_the_pins_are_those_of_the_repository_rule(self):
        self.assertEqual(sorted(pinned()), sorted(UPSTREAM))  # the parse found every peer
        script = open(ARGUMENTS.script, encoding="utf-8").read()
        pins = dict(re.findall(r'^\s*"(\w+) https://\S+ ([0-9a-f]{40}) ', script, re.M))
        self.assertEqual(pins, {name: commit for name, (commit, _) in pinned().items()})

    def test_peers_at_the_pinned_commits_are_left_alone(self):
        target = os.path.join(self.scratch, "peers")
        for name, (commit, _) in pinned().items():
            os.makedirs(os.path.join(target, name))
            with open(os.path.join(target, name, "COMMIT"), "w", encoding="ascii") as output:
                output.write(commit + "\n")
        completed = self.fetch(target)
        self.assertEqual(completed.returncode, 0, completed.stdout)
        self.assertEqual(completed.stdout.count("already at"), 3, completed.stdout)
        self.assertEqual(open(self.log).read(), "")

    def test_a_fetch_lays_out_what_the_repository_rule_reads(self):
        target = os.path.join(self.scratch, "peers")
        completed = self.fetch(target)
        self.assertEqual(completed.returncode, 0, completed.stdout)
        for name, (commit, files) in pinned().items():
            with self.subTest(peer=name):
                for file in files + ["COMMIT"]:
                    self.assertTrue(os.path.isfile(os.path.join(target, name, file)), f"{name}/{file}")
                self.assertEqual(open(os.path.join(target, name, "COMMIT")).read().strip(), commit)
                self.assertIn(commit, open(self.log).read())

    def test_no_network_fails(self):
        completed = self.fetch(os.path.join(self.scratch, "peers"), FAKE_GIT_FAIL="1")
        self.assertNotEqual(completed.returncode, 0, completed.stdout)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--script", required=True)
    parser.add_argument("--peers-bzl", required=True)
    ARGUMENTS, remaining = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + remaining)
