#!/usr/bin/env python3
"""The native model file from the command line (../shared/CLI.md): train --out --encrypt
with the passphrase from STEPWISE_PASSPHRASE or --passphrase-file, predict and evaluate
opening it, and the one-line exit-4 errors for a wrong or missing passphrase and for a
truncated or tampered file.

Usage: test_model_file.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import os
import subprocess

import cli_support
from cli_support import CliTestCase, load_json

IRIS = ["builtin:iris", "--target", "species", "--model", "logistic_regression", "--seed", "3"]


def run_env(*args, passphrase=None):
    """Runs the CLI with STEPWISE_PASSPHRASE set to `passphrase` (unset when None)."""
    env = {k: v for k, v in os.environ.items() if k != "STEPWISE_PASSPHRASE"}
    if passphrase is not None:
        env["STEPWISE_PASSPHRASE"] = passphrase
    return subprocess.run([cli_support.CLI, *map(str, args)], capture_output=True, text=True, timeout=300, env=env)


class ModelFileTest(CliTestCase):
    def train(self, name, *extra, passphrase=None):
        model = self.path(name)
        result = run_env("train", *IRIS, "--out", model, "--quiet", *extra, passphrase=passphrase)
        self.assertEqual(result.returncode, 0, result.stderr)
        return model

    def predict(self, model, *extra, passphrase=None):
        return run_env("predict", model, "builtin:iris", "--proba", *extra, passphrase=passphrase)

    def test_plain_file_is_version_2_with_header(self):
        model = self.train("plain.stepwise")
        with open(model, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"STEPWISE")
        self.assertEqual(int.from_bytes(data[8:12], "little"), 2)
        self.assertEqual(int.from_bytes(data[12:16], "little"), 0)
        self.assertEqual(int.from_bytes(data[16:24], "little"), len(data) - 64)
        import hashlib
        self.assertEqual(data[24:56], hashlib.sha256(data[64:]).digest())
        self.assertEqual(data[56:64], bytes(8))
        self.assertIn(b"versicolor", data)

    def test_encrypt_with_environment_passphrase(self):
        plain = self.predict(self.train("plain.stepwise"))
        model = self.train("env.stepwise", "--encrypt", passphrase="s3cret words")
        with open(model, "rb") as f:
            data = f.read()
        self.assertEqual(int.from_bytes(data[12:16], "little"), 1)
        self.assertNotIn(b"versicolor", data)
        self.assertNotIn(b"sepal_length", data)
        opened = self.predict(model, passphrase="s3cret words")
        self.assertEqual(opened.returncode, 0, opened.stderr)
        self.assertEqual(opened.stdout, plain.stdout)

    def test_encrypt_with_passphrase_file(self):
        secret = self.path("pass.txt")
        with open(secret, "w") as f:
            f.write("from a file\n")
        model = self.train("file.stepwise", "--encrypt", "--passphrase-file", secret)
        opened = self.predict(model, "--passphrase-file", secret)
        self.assertEqual(opened.returncode, 0, opened.stderr)
        # The same passphrase from the environment opens it too; the file wins over it.
        self.assertEqual(self.predict(model, passphrase="from a file").returncode, 0)
        self.assertEqual(self.predict(model, "--passphrase-file", secret, passphrase="other").returncode, 0)
        report = self.path("report.json")
        evaluated = run_env("evaluate", model, "builtin:iris", "--passphrase-file", secret, "--report", report,
                            "--quiet")
        self.assertEqual(evaluated.returncode, 0, evaluated.stderr)
        self.assertIn("accuracy", load_json(report)["metrics"])

    def test_wrong_and_missing_passphrase_exit_4(self):
        model = self.train("locked.stepwise", "--encrypt", passphrase="right")
        self.assertError(self.predict(model, passphrase="wrong"), 4, "wrong passphrase", "locked.stepwise")
        self.assertError(self.predict(model), 4, "is encrypted", "--passphrase-file", "STEPWISE_PASSPHRASE")
        self.assertError(run_env("evaluate", model, "builtin:iris", passphrase="wrong"), 4, "wrong passphrase")

    def test_encrypt_without_passphrase_is_a_usage_error(self):
        result = run_env("train", *IRIS, "--out", self.path("m.stepwise"), "--encrypt")
        self.assertError(result, 2, "--encrypt needs a passphrase")
        self.assertFalse(os.path.exists(self.path("m.stepwise")))
        empty = self.path("empty.txt")
        open(empty, "w").close()
        result = run_env("train", *IRIS, "--out", self.path("m.stepwise"), "--encrypt", "--passphrase-file", empty)
        self.assertError(result, 2, "empty first line")
        # --encrypt without --out has nothing to encrypt.
        self.assertEqual(run_env("train", *IRIS, "--encrypt", passphrase="x").returncode, 2)

    def test_truncated_and_tampered_files_exit_4(self):
        model = self.train("whole.stepwise")
        with open(model, "rb") as f:
            data = f.read()
        cut = self.path("cut.stepwise")
        with open(cut, "wb") as f:
            f.write(data[: len(data) // 2])
        self.assertError(self.predict(cut), 4, "is truncated: %d of %d bytes" % (len(data) // 2, len(data)))
        tampered = self.path("tampered.stepwise")
        with open(tampered, "wb") as f:
            f.write(data[:-1] + bytes([data[-1] ^ 1]))
        self.assertError(self.predict(tampered), 4, "does not match the SHA-256")
        newer = self.path("newer.stepwise")
        with open(newer, "wb") as f:
            f.write(data[:8] + (3).to_bytes(4, "little") + data[12:])
        self.assertError(self.predict(newer), 4, "use a newer Stepwise")


if __name__ == "__main__":
    cli_support.main()
