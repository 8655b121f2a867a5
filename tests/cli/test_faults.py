#!/usr/bin/env python3
"""Fault tests for saving (issue 9): whatever happens to a save, the model, project,
report, predictions and exports on disk are the previous good file or the new one,
never a broken mix, and the user is told what went wrong.

- kill -9 during training: the previous model and project stay byte for byte, and no
  temporary file is left.
- kill -9 during saving, 30 times at random moments around a save of a big model (a
  k-nearest-neighbours model keeps its training rows) and a project with its data
  embedded: after each kill both files pass their digest checks (the model's SHA-256
  header, the project's embedded data against its recorded SHA-256) and are the previous
  file or the new whole one. Two kills in three wait for the model's or the project's
  temporary file to appear (the save has begun, seen from outside: no hook in the
  program), so many land inside the write; the counts are printed. The next save removes the temporary files
  the killed writers left.
- disk full: a 2 MB tmpfs, filled up (as root), and RLIMIT_FSIZE (EFBIG, any user): every
  command that writes a file fails with exit code 1, one line naming the file and the OS
  reason, the previous files unchanged and no temporary file left.
- read-only folder: a tmpfs remounted read-only (root ignores permission bits), else a
  0555 folder; the same checks, and `train` says so before training, not after.
- data changed between runs: one byte of the data changed, same size and modification
  time, so only the SHA-256 can tell: `run` is exit code 3 and says so (a shorter file is
  in test_project.py).
Mounts are taken down in finally blocks.

Usage: test_faults.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import base64
import contextlib
import errno
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import struct
import subprocess
import sys
import time

import cli_support
from cli_support import DATASETS, CliTestCase, run

MODEL_HEADER = 64  # magic, version, flags, payload size, SHA-256 of the payload, padding


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


def temporaries(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def model_problem(data):
    """Why `data` is not a whole model file (its header's size and SHA-256), or None."""
    if len(data) < MODEL_HEADER or data[:8] != b"STEPWISE":
        return f"no model header ({len(data)} bytes)"
    version, _flags, payload = struct.unpack_from("<IIQ", data, 8)
    if version < 2:
        return f"format {version}"
    if len(data) != MODEL_HEADER + payload:
        return f"{len(data)} bytes, the header says {MODEL_HEADER + payload}"
    if hashlib.sha256(data[MODEL_HEADER:]).digest() != data[24:56]:
        return "the payload does not match the SHA-256 in the header"
    return None


def project_problem(data):
    """Why `data` is not a whole project with embedded data and one run, or None."""
    try:
        project = json.loads(data)
    except ValueError as error:
        return f"not JSON: {error}"
    embedded = base64.b64decode(project["data"]["embedded"])
    if hashlib.sha256(embedded).hexdigest() != project["data"]["sha256"]:
        return "the embedded data does not match its SHA-256"
    if len(project["runs"]) != 1 or not project["runs"][0]["metrics"]:
        return "no run"
    return None


_mount_works = None


def can_mount():
    """True when this process may mount a tmpfs (root with CAP_SYS_ADMIN)."""
    global _mount_works
    if _mount_works is None:
        _mount_works = False
        if os.geteuid() == 0 and shutil.which("mount"):
            probe = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"stepwise-mount-probe-{os.getpid()}")
            os.makedirs(probe, exist_ok=True)
            try:
                with tmpfs(probe, "64k"):
                    _mount_works = True
            except (subprocess.CalledProcessError, OSError):
                pass
            finally:
                os.rmdir(probe)
    return _mount_works


@contextlib.contextmanager
def tmpfs(folder, size):
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "stepwise-faults", folder],
                   check=True, capture_output=True)
    try:
        yield folder
    finally:
        if subprocess.run(["umount", folder], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", folder], capture_output=True)


def fill(folder):
    """Writes a file into `folder` until its file system has no byte left."""
    fd = os.open(os.path.join(folder, "filler"), os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        size = 1 << 16
        while size:
            try:
                os.write(fd, b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                size //= 2
    finally:
        os.close(fd)


# 1 KiB, not 0: LLVM's OpenMP runtime (the sanitizer stages) sizes a 1 KiB shared-memory
# file at start-up and aborts if it cannot. Every file these commands write is larger, so
# each write still fails — part-way, which the writer must notice too.
FILE_SIZE_LIMIT = 1024


def no_file_bigger_than_a_kibibyte():
    """preexec_fn: every write past the first KiB of a file fails with EFBIG (the signal
    ignored, as a shell's `ulimit -f` user sees it as an error)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


class Faults(CliTestCase):

    def setUp(self):
        super().setUp()
        self.data = self.path("iris.csv")
        shutil.copyfile(os.path.join(DATASETS, "iris.csv"), self.data)

    def train(self, *args, **kwargs):
        return run("train", self.data, "--target", "species", "--quiet", *args, **kwargs)

    # --- kill -9 ------------------------------------------------------------------------

    def test_kill_during_training_keeps_the_previous_files(self):
        big = self.path("big.csv")
        self.assertEqual(run("generate", "classification", "--rows", 20000, "--features", 20, "--seed", 3,
                             "--out", big).returncode, 0)
        model, project = self.path("m.stepwise"), self.path("p.stepwise-project")
        result = run("train", big, "--target", "target", "--model", "decision_tree", "--out", model,
                     "--save-project", project, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        before = {model: slurp(model), project: slurp(project)}
        for delay in (0.3, 1.0, 2.5):
            process = subprocess.Popen([cli_support.CLI, "train", big, "--target", "target", "--model",
                                        "random_forest", "--param", "n_estimators=5000", "--out", model,
                                        "--save-project", project, "--quiet"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            # Still training: no save has begun.
            self.assertIsNone(process.poll())
            self.assertEqual(temporaries(self.tmp), [])
            process.kill()
            process.wait()
            self.assertEqual(process.returncode, -signal.SIGKILL)
            for path, data in before.items():
                self.assertEqual(slurp(path), data, f"{path} changed by a run killed after {delay} s")
            self.assertEqual(sorted(os.listdir(self.tmp)), ["big.csv", "iris.csv", "m.stepwise",
                                                            "p.stepwise-project"])

    def test_kill_during_save_leaves_the_old_or_the_new_file(self):
        # A k-nearest-neighbours model keeps its training rows (~5 MB here) and the
        # project embeds the CSV (~17 MB as base64): the writes take long enough to be hit.
        big = self.path("big.csv")
        self.assertEqual(run("generate", "classification", "--rows", 40000, "--features", 16, "--seed", 5,
                             "--out", big).returncode, 0)
        model, project = self.path("m.stepwise"), self.path("p.stepwise-project")
        command = [cli_support.CLI, "train", big, "--target", "target", "--model", "knn", "--test-size", "0.002",
                   "--out", model, "--save-project", project, "--embed-data", "--quiet"]

        def save_once():
            result = subprocess.run(command, capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, result.stderr)

        # A first good version, then a run watched from outside: when each temporary file
        # appears and when it is gone (renamed).
        save_once()
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        appeared, gone = {}, {}
        while process.poll() is None:
            now = time.monotonic() - start
            present = {name.split(".")[1] for name in temporaries(self.tmp) if f".{process.pid}-" in name}
            for which in present:
                appeared.setdefault(which, now)
            for which in appeared:
                if which not in present:
                    gone.setdefault(which, now)
            time.sleep(0.0005)
        total = time.monotonic() - start
        self.assertEqual(process.returncode, 0)
        self.assertIn("m", appeared, "the model's temporary file was never seen")
        self.assertIn("p", appeared, "the project's temporary file was never seen")
        writes = {which: max(0.01, gone.get(which, total) - appeared[which]) for which in appeared}
        print(f"\nsave profile: run {total:.2f} s; model written {appeared['m']:.2f}–{appeared['m'] + writes['m']:.2f} s, "
              f"project {appeared['p']:.2f}–{appeared['p'] + writes['p']:.2f} s", file=sys.stderr)
        previous = {model: slurp(model), project: slurp(project)}

        rng = random.Random(9)
        landed = {"before the save": 0, "inside the model write": 0, "between the two files": 0,
                  "inside the project write": 0, "after the save": 0}
        kills = 30
        for i in range(kills):
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if i % 3 == 0:
                # Anywhere from shortly before the model write to the end of the run.
                time.sleep(rng.uniform(max(0.0, appeared["m"] - 0.3), total * 1.05))
            else:
                # Once this process's temporary file of the model (or the project) is there,
                # a moment within the time its write took.
                which = "m" if i % 3 == 1 else "p"
                deadline = time.monotonic() + 300
                while process.poll() is None and time.monotonic() < deadline and \
                        not any(name.split(".")[1] == which and f".{process.pid}-" in name
                                for name in temporaries(self.tmp)):
                    time.sleep(0.0005)
                time.sleep(rng.uniform(0.0, writes[which]))
            process.kill()
            process.wait()
            # Leftovers of earlier kills may be there too: only this process's count.
            mine = [name for name in temporaries(self.tmp) if f".{process.pid}-" in name]
            current = {model: slurp(model), project: slurp(project)}
            self.assertIsNone(model_problem(current[model]), f"kill {i}: the model file")
            self.assertIsNone(project_problem(current[project]), f"kill {i}: the project file")
            model_new = current[model] != previous[model]
            project_new = current[project] != previous[project]
            if any(name.startswith(".m.stepwise.") for name in mine):
                where = "inside the model write"
                self.assertFalse(model_new, f"kill {i}: the model changed before its rename")
            elif any(name.startswith(".p.stepwise-project.") for name in mine):
                where = "inside the project write"
                self.assertFalse(project_new, f"kill {i}: the project changed before its rename")
            elif model_new and project_new:
                where = "after the save"
            elif model_new or project_new:
                where = "between the two files"
            else:
                where = "before the save"
            landed[where] += 1
            previous = current
        print("kills: " + ", ".join(f"{count} {where}" for where, count in landed.items()), file=sys.stderr)
        inside = landed["inside the model write"] + landed["inside the project write"]
        self.assertGreaterEqual(inside, kills // 4, landed)

        # The next save removes what the killed writers left, and the files load.
        save_once()
        self.assertEqual(sorted(os.listdir(self.tmp)), ["big.csv", "iris.csv", "m.stepwise", "p.stepwise-project"])
        result = run("predict", model, self.data_rows(big, 20))
        self.assertEqual(result.returncode, 0, result.stderr)

    def data_rows(self, csv, count):
        """The first `count` rows of `csv` as a new file."""
        head = self.path("head.csv")
        with open(csv) as source, open(head, "w") as target:
            for _ in range(count + 1):
                target.write(source.readline())
        return head

    # --- disk full and read-only folders ---------------------------------------------------

    def prepare_previous(self, folder):
        """A good model, project, report and predictions in `folder`; their bytes."""
        model, project = os.path.join(folder, "model.stepwise"), os.path.join(folder, "p.stepwise-project")
        result = self.train("--out", model, "--save-project", project, "--report",
                            os.path.join(folder, "report.json"), "--predictions", os.path.join(folder, "pred.csv"))
        self.assertEqual(result.returncode, 0, result.stderr)
        for name in ["m.onnx", "script.py", "card.md", "gen.csv"]:
            with open(os.path.join(folder, name), "w") as f:
                f.write("previous " + name + "\n")
        return {name: slurp(os.path.join(folder, name)) for name in os.listdir(folder)}

    def writing_commands(self, folder, good_model, good_project):
        """(command, the file it fails to write) for every command that writes a file."""
        at = lambda name: os.path.join(folder, name)  # noqa: E731
        train = ["train", self.data, "--target", "species", "--quiet"]
        return [
            (train + ["--out", at("model.stepwise")], at("model.stepwise")),
            (train + ["--save-project", at("p.stepwise-project")], at("p.stepwise-project")),
            (train + ["--report", at("report.json")], at("report.json")),
            # 60 test rows, so the file is larger than FILE_SIZE_LIMIT (30 give 980 bytes)
            (train + ["--test-size", "0.4", "--predictions", at("pred.csv")], at("pred.csv")),
            (["predict", good_model, self.data, "--out", at("pred.csv")], at("pred.csv")),
            (["evaluate", good_model, self.data, "--report", at("report.json")], at("report.json")),
            (["export", good_model, "--onnx", at("m.onnx")], at("m.onnx")),
            (["export", good_model, "--python", at("script.py"), "--data", self.data], at("script.py")),
            (["export", good_model, "--card", at("card.md")], at("card.md")),
            (["generate", "classification", "--rows", 50, "--features", 3, "--out", at("gen.csv")], at("gen.csv")),
            (["run", good_project, "--out", at("model.stepwise"), "--quiet"], at("model.stepwise")),
            (["run", good_project, "--report", at("report.json"), "--quiet"], at("report.json")),
        ]

    def check_every_write_fails(self, folder, before, reason, preexec_fn=None):
        good_model, good_project = self.path("good.stepwise"), self.path("good.stepwise-project")
        if not os.path.exists(good_model):
            result = self.train("--out", good_model, "--save-project", good_project)
            self.assertEqual(result.returncode, 0, result.stderr)
        for command, target in self.writing_commands(folder, good_model, good_project):
            result = subprocess.run([cli_support.CLI, *map(str, command)], capture_output=True, text=True,
                                    timeout=300, preexec_fn=preexec_fn)
            with self.subTest(command=" ".join(map(str, command[:3]))):
                self.assertError(result, 1, "cannot write " + target + ": ", reason)
                self.assertEqual({name: slurp(os.path.join(folder, name)) for name in os.listdir(folder)}, before)

    def test_disk_full_on_tmpfs(self):
        if not can_mount():
            self.skipTest("needs root to mount a tmpfs (test_file_size_limit covers the same paths)")
        folder = self.path("full")
        os.mkdir(folder)
        with tmpfs(folder, "2m"):
            before = self.prepare_previous(folder)
            fill(folder)
            before["filler"] = slurp(os.path.join(folder, "filler"))
            self.check_every_write_fails(folder, before, "No space left on device")
            # Space again: the same folder takes the save.
            os.remove(os.path.join(folder, "filler"))
            result = self.train("--out", os.path.join(folder, "model.stepwise"))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(temporaries(folder), [])

    def test_file_size_limit(self):
        folder = self.path("limited")
        os.mkdir(folder)
        before = self.prepare_previous(folder)
        self.check_every_write_fails(folder, before, "File too large", preexec_fn=no_file_bigger_than_a_kibibyte)

    def test_read_only_folder(self):
        folder = self.path("read-only")
        os.mkdir(folder)
        if can_mount():
            with tmpfs(folder, "8m"):
                before = self.prepare_previous(folder)
                subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
                self.check_read_only(folder, before, "Read-only file system")
        elif os.geteuid() != 0:
            before = self.prepare_previous(folder)
            os.chmod(folder, 0o555)
            try:
                self.check_read_only(folder, before, "Permission denied")
            finally:
                os.chmod(folder, 0o755)
        else:
            self.skipTest("root ignores permission bits and cannot mount a read-only tmpfs here")

    def check_read_only(self, folder, before, reason):
        self.check_every_write_fails(folder, before, reason)
        # A folder that cannot take a file is said before minutes of training, not after;
        # `run --record` rewrites the project in its folder.
        model, project = os.path.join(folder, "model.stepwise"), os.path.join(folder, "p.stepwise-project")
        big = self.path("big.csv")
        self.assertEqual(run("generate", "classification", "--rows", 20000, "--features", 20, "--seed", 3,
                             "--out", big).returncode, 0)
        start = time.monotonic()
        result = run("train", big, "--target", "target", "--model", "random_forest", "--param", "n_estimators=10000",
                     "--out", model, "--quiet")
        self.assertError(result, 1, "cannot write " + model + ": ", reason)
        self.assertLess(time.monotonic() - start, 30)
        result = run("run", project, "--record", "--quiet")
        self.assertError(result, 1, "cannot write " + project + ": ", reason)
        self.assertEqual({name: slurp(os.path.join(folder, name)) for name in os.listdir(folder)}, before)

    # --- data changed between runs -------------------------------------------------------------

    def test_one_changed_byte_is_seen_by_its_hash(self):
        project = self.path("p.stepwise-project")
        result = self.train("--save-project", project)
        self.assertEqual(result.returncode, 0, result.stderr)
        data = bytearray(slurp(self.data))
        stat = os.stat(self.data)
        at = data.index(b"5.1")
        data[at + 2] = ord("2")  # 5.1 → 5.2: same size
        with open(self.data, "wb") as f:
            f.write(data)
        os.utime(self.data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        self.assertEqual(os.stat(self.data).st_size, stat.st_size)
        self.assertError(run("run", project), 3, "iris.csv has changed since the project was saved (SHA-256 ")


if __name__ == "__main__":
    cli_support.main(verbosity=2)
