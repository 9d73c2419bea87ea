#!/usr/bin/env python3
"""Every command the README tells a user to run is under test.

Reads README.md: the lines of its ```sh blocks and every inline code span that starts with
`tools/` or `bazel ` (a span may wrap across lines). Each command must start with one of the
commands listed in README_COMMANDS (tests/readme/BUILD), which says what runs it:
  - a test label: that test exercises the command as a user runs it (Bazel has checked that the
    label exists: the tests are in this test's data);
  - "ci": .ci/run runs this exact command (and so `bazel test //X/...` is covered by
    `bazel test //...`).
It also fails when a listed command no longer appears in the README (the list would be stale).
"""
import argparse
import re
import sys


def readme_commands(text):
    commands = []
    block = None
    for line in text.splitlines():
        if line.startswith("```"):
            block = line[3:].strip() if block is None else None
            continue
        if block == "sh":
            command = line.split("#", 1)[0].strip()
            if command:
                commands.extend(part.strip() for part in command.split("&&"))
    for span in re.findall(r"`([^`]+)`", re.sub(r"```.*?```", "", text, flags=re.S)):
        span = " ".join(span.split())
        if re.match(r"(tools/\S|bazel )", span):
            commands.extend(part.strip() for part in span.split("&&"))
    return sorted(set(commands))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readme", required=True)
    parser.add_argument("--ci", required=True)
    parser.add_argument("covered", nargs="+", help="COMMAND=WHAT (a test label, or ci)")
    args = parser.parse_args()
    text = open(args.readme).read()
    ci = open(args.ci).read()
    covered = dict(entry.rsplit("=", 1) for entry in args.covered)
    failures = []
    commands = readme_commands(text)
    for command in commands:
        matches = [c for c in covered if command == c or command.startswith(c + " ")]
        if not matches:
            failures.append("README command `%s` is not under test: add a test of it and list it "
                            "in README_COMMANDS (tests/readme/BUILD)" % command)
            continue
        print("%-75s %s" % (command, covered[max(matches, key=len)]))
    for command, what in covered.items():
        whole_suite = re.fullmatch(r"bazel test //\S+/\.\.\.", command) and "bazel test //..." in ci
        if what == "ci" and command not in ci and not whole_suite:
            failures.append("`%s` is listed as run by CI, but .ci/run does not run it" % command)
        if not any(c == command or c.startswith(command + " ") for c in commands):
            failures.append("`%s` is listed but the README no longer has it: drop it" % command)
    for failure in failures:
        print("FAIL: " + failure)
    if failures:
        return 1
    print("PASS: %d README commands, each under test" % len(commands))
    return 0


if __name__ == "__main__":
    sys.exit(main())
