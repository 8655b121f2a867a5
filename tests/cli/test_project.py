#!/usr/bin/env python3
"""Projects from the command line (../shared/CLI.md): `train --save-project` writes a
project whose `run` reproduces every number of the train report exactly; damaged and
newer projects are exit code 4; missing or changed data is exit code 3 (unless
--allow-changed-data, or the data is embedded); --record appends the run.

Usage: test_project.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import json
import os
import shutil

import cli_support
from cli_support import DATASETS, CliTestCase, load_json, run

# Cross-validation, a validation set, a success criterion and a forest (threads at work),
# so every kind of number a report holds is compared.
TRAIN = ["--target", "survived", "--drop", "alive", "--model", "random_forest", "--param", "n_estimators=25",
         "--cv", "stratified:3", "--validation-size", "0.1", "--success", "f1_macro>=0.7", "--seed", "7"]
# Report keys that hold the run's results (timings and latency are wall-clock measurements).
RESULT_KEYS = ["metrics", "per_class", "confusion_matrix", "classification_report", "curves", "train_metrics",
               "validation_metrics", "cv", "estimate_check", "rows", "params", "pipeline", "seed", "classes"]


def numbers(value, path=""):
    """Every number in a JSON value with its path, in order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from numbers(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from numbers(item, f"{path}[{i}]")
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield path, value


class Projects(CliTestCase):

    def setUp(self):
        super().setUp()
        self.data = self.path("titanic.csv")
        shutil.copyfile(os.path.join(DATASETS, "titanic.csv"), self.data)
        self.project = self.path("titanic.stepwise-project")

    def train(self, *extra):
        result = run("train", self.data, *TRAIN, "--report", self.path("train.json"), "--predictions",
                     self.path("train.csv"), "--save-project", self.project, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Project saved to", result.stdout)
        return load_json(self.path("train.json"))

    def replay(self, *extra, report="run.json"):
        return run("run", self.project, "--report", self.path(report), *extra)

    def assertSameResults(self, train, replayed):
        for key in RESULT_KEYS:
            self.assertIn(key, train)
            self.assertEqual(replayed[key], train[key], key)
            # Equal as JSON is equal as numbers, bit for bit: the same doubles print alike.
            pairs = list(zip(numbers(train[key]), numbers(replayed[key])))
            for (path, a), (_, b) in pairs:
                self.assertTrue(a == b and type(a) is type(b), f"{key}{path}: {a!r} != {b!r}")
        self.assertGreater(sum(1 for _ in numbers(train["metrics"])), 15)

    def test_help(self):
        result = run("run", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for flag in ["--report", "--out", "--predictions", "--allow-changed-data", "--record", "--threads", "--quiet"]:
            self.assertIn(flag, result.stdout)
        train_help = run("train", "--help").stdout
        self.assertIn("--save-project", train_help)
        self.assertIn("--embed-data", train_help)
        self.assertIn("run", run("--help").stdout)

    def test_run_reproduces_every_number(self):
        train = self.train()
        project = load_json(self.project)
        self.assertEqual(project["format"], 1)
        self.assertEqual(len(project["runs"]), 1)
        recorded = project["runs"][0]
        self.assertEqual(recorded["id"], 1)
        self.assertEqual(recorded["recipe"], project["recipe"])
        self.assertEqual(recorded["recipe"]["seed"], 7)
        self.assertEqual(recorded["metrics"]["accuracy"], train["metrics"]["accuracy"])
        self.assertEqual(recorded["metrics"]["cv_mean"], train["cv"]["mean"])
        self.assertIn("validation_score", recorded["metrics"])
        self.assertEqual(project["data"]["relative_path"], "titanic.csv")
        self.assertNotIn("embedded", project["data"])
        self.assertEqual(recorded["manifest"]["data_sha256"], project["data"]["sha256"])
        self.assertEqual(train["manifest"]["data_sha256"], project["data"]["sha256"])

        # With one thread, from another folder, through a relative path: the same numbers.
        result = run("run", os.path.relpath(self.project, os.getcwd()), "--report", self.path("run.json"),
                     "--predictions", self.path("run.csv"), "--out", self.path("m.stepwise"), "--threads", "1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("reproduced run 1: all %d metrics identical" % len(recorded["metrics"]), result.stderr)
        replayed = load_json(self.path("run.json"))
        self.assertSameResults(train, replayed)
        self.assertEqual(replayed["manifest"]["threads"], 1)
        with open(self.path("train.csv")) as a, open(self.path("run.csv")) as b:
            self.assertEqual(a.read(), b.read())
        self.assertTrue(os.path.getsize(self.path("m.stepwise")) > 0)
        self.assertIn("Test metrics", result.stdout)
        # The project is not touched without --record.
        self.assertEqual(load_json(self.project), project)

    def test_differences_are_listed_one_line_each(self):
        self.train()
        project = load_json(self.project)
        project["runs"][0]["metrics"]["accuracy"] = 0.5
        project["runs"][0]["metrics"]["f1_macro"] = 0.25
        with open(self.project, "w") as f:
            json.dump(project, f)
        result = self.replay()
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = [line for line in result.stderr.splitlines() if "differs from run 1" in line]
        self.assertEqual(len(lines), 2, result.stderr)
        self.assertIn("accuracy 0.5 → ", lines[0])
        self.assertIn("f1_macro 0.25 → ", lines[1])
        self.assertNotIn("reproduced", result.stderr)
        quiet = self.replay("--quiet")
        self.assertEqual(quiet.returncode, 0, quiet.stderr)
        # Warnings stay (as with train); the comparison and the summary go.
        self.assertNotIn("differs from run", quiet.stderr)
        self.assertEqual(quiet.stdout, "")

    def test_damaged_and_newer_projects_are_exit_4(self):
        self.train()
        with open(self.project) as f:
            text = f.read()
        with open(self.project, "w") as f:
            f.write(text[: len(text) // 2])
        self.assertError(self.replay(), 4, "titanic.stepwise-project is not valid JSON: line ")
        project = json.loads(text)
        project["format"] = 2
        with open(self.project, "w") as f:
            json.dump(project, f)
        self.assertError(self.replay(), 4, "was written by a newer Stepwise (format 2; this build reads up to 1)")
        project["format"] = 1
        del project["runs"][0]["metrics"]
        with open(self.project, "w") as f:
            json.dump(project, f)
        self.assertError(self.replay(), 4, "'runs[0].metrics' is missing")
        self.assertError(run("run", self.path("none.stepwise-project")), 4, "none.stepwise-project")
        self.assertFalse(os.path.exists(self.path("run.json")))

    def test_changed_data_is_exit_3_unless_allowed(self):
        train = self.train()
        with open(self.data) as f:
            lines = f.readlines()
        with open(self.data, "w") as f:
            f.writelines(lines[:-40])  # 40 passengers fewer
        self.assertError(self.replay(), 3, "titanic.csv has changed since the project was saved (SHA-256 ",
                         "— restore it, or pass --allow-changed-data")
        self.assertFalse(os.path.exists(self.path("run.json")))
        result = self.replay("--allow-changed-data")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("has changed since the project was saved", result.stderr)
        self.assertIn("differs from run 1", result.stderr)
        replayed = load_json(self.path("run.json"))
        self.assertLess(replayed["rows"]["train"], train["rows"]["train"])
        self.assertNotEqual(replayed["manifest"]["data_sha256"], train["manifest"]["data_sha256"])

    def test_missing_data(self):
        self.train()
        os.remove(self.data)
        self.assertError(self.replay(), 3, "titanic.csv is missing", "--embed-data")

    def test_missing_data_runs_from_the_embedded_copy(self):
        train = self.train("--embed-data")
        self.assertIn("embedded", load_json(self.project)["data"])
        os.remove(self.data)
        result = self.replay()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("titanic.csv is missing; using the copy embedded in the project", result.stderr)
        self.assertIn("reproduced run 1: all", result.stderr)
        self.assertSameResults(train, load_json(self.path("run.json")))

    def test_moved_project_finds_its_data(self):
        train = self.train()
        moved = os.path.join(self.tmp, "moved")
        os.makedirs(moved)
        for name in ["titanic.csv", "titanic.stepwise-project"]:
            os.rename(self.path(name), os.path.join(moved, name))
        result = run("run", os.path.join(moved, "titanic.stepwise-project"), "--report", self.path("run.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("reproduced run 1", result.stderr)
        self.assertSameResults(train, load_json(self.path("run.json")))

    def test_record_appends_the_run(self):
        self.train()
        result = self.replay("--record")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Recorded as run 2", result.stdout)
        project = load_json(self.project)
        self.assertEqual([r["id"] for r in project["runs"]], [1, 2])
        self.assertEqual(project["runs"][1]["metrics"], project["runs"][0]["metrics"])
        self.assertEqual(project["runs"][1]["recipe"], project["recipe"])
        result = self.replay("--record", "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([r["id"] for r in load_json(self.project)["runs"]], [1, 2, 3])
        self.assertFalse([n for n in os.listdir(self.tmp) if n.startswith(".") or n.endswith(".tmp")])

    def test_save_project_needs_a_recipe_without_test_data(self):
        result = run("train", self.data, *TRAIN, "--test-data", self.data, "--save-project", self.project)
        self.assertError(result, 2, "--save-project", "--test-data")
        self.assertFalse(os.path.exists(self.project))
        result = run("train", self.data, *TRAIN, "--embed-data")
        self.assertEqual(result.returncode, 2)


if __name__ == "__main__":
    cli_support.main()
