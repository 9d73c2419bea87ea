"""The main of a per-board test (smoke_test, static_bound_test): `--manifest M --board B`."""

import argparse
import sys
import unittest

from bench.runner import benchmark


def main(test_globals):
    """Sets the test module's ARGUMENTS and MANIFEST, then runs its tests with the other arguments."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--board", required=True)
    arguments, remaining = parser.parse_known_args()
    test_globals["ARGUMENTS"] = arguments
    test_globals["MANIFEST"] = benchmark.load_manifest(arguments.manifest)
    unittest.main(argv=[sys.argv[0]] + remaining)
