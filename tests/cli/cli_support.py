"""What the stepwise-cli tests share: running the binary, reading the files it writes,
and a test case with a temporary folder and the check that an error is one line with its
exit code (../shared/CLI.md).
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

CLI = None  # the binary under test, set by main()
DATASETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "datasets")


def run(*args, timeout=300):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def load_json(path):
    with open(path) as f:
        return json.load(f)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.tmp = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assertError(self, result, code, *fragments):
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertTrue(result.stderr.startswith("stepwise-cli: error: "), result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, "errors are one line: " + result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)


def main(verbosity=1):
    """Runs the calling script's tests on the binary given as the first argument."""
    global CLI
    CLI = os.path.abspath(sys.argv.pop(1))
    unittest.main(module="__main__", verbosity=verbosity)
