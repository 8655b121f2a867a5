#!/usr/bin/env python3
"""stepwise-cli evaluate and the run checks of train (../shared/CLI.md): the report's
train metrics, estimate check, latency and latency budget; evaluate's report, exit codes
and predictions.

Usage: test_evaluate.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import csv
import os

import cli_support
from cli_support import DATASETS, CliTestCase, load_json, read_csv, run

TITANIC = ["builtin:titanic", "--target", "survived", "--drop", "alive", "--model", "logistic_regression"]
SCORING_KEYS = {"metrics", "per_class", "confusion_matrix", "success", "latency", "classes"}


def write_rows(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def titanic_rows():
    with open(os.path.join(DATASETS, "titanic.csv"), newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


class EvaluateAndRunChecks(CliTestCase):

    def assertLatency(self, latency):
        self.assertEqual(set(latency), {"samples", "median_ms", "p99_ms", "max_ms"})
        self.assertGreater(latency["samples"], 0)
        self.assertGreater(latency["median_ms"], 0)
        self.assertLessEqual(latency["median_ms"], latency["p99_ms"])
        self.assertLessEqual(latency["p99_ms"], latency["max_ms"])

    def train_titanic(self, *extra):
        model, report, predictions = self.path("m.stepwise"), self.path("train.json"), self.path("pred.csv")
        result = run("train", *TITANIC, "--out", model, "--report", report, "--predictions", predictions, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result, model, load_json(report), read_csv(predictions)

    def test_help_lists_evaluate(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("evaluate", result.stdout)
        result = run("evaluate", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for flag in ["--report", "--predictions", "--threads", "--quiet"]:
            self.assertIn(flag, result.stdout)
        self.assertIn("--max-latency", run("train", "--help").stdout)

    def test_train_report_has_train_metrics_estimate_check_and_latency(self):
        result, _, report, _ = self.train_titanic("--cv", "stratified:5", "--success", "f1_macro>=0.5",
                                                  "--max-latency", 1000)
        self.assertEqual(set(report["train_metrics"]), set(report["metrics"]))
        check = report["estimate_check"]
        self.assertEqual(set(check), {"metric", "train", "estimate", "estimate_spread", "estimate_source", "test",
                                      "warnings"})
        self.assertEqual(check["metric"], "f1_macro")
        self.assertEqual(check["train"], report["train_metrics"]["f1_macro"])
        self.assertEqual(check["test"], report["metrics"]["f1_macro"])
        self.assertEqual(check["estimate_source"], "cross-validation")
        self.assertEqual(check["estimate"], report["cv"]["mean"])
        self.assertEqual(check["estimate_spread"], report["cv"]["std"])
        self.assertEqual(check["warnings"], [])
        self.assertLatency(report["latency"])
        success = report["success"]
        self.assertEqual(success["latency"], {"budget_ms": 1000, "p99_ms": report["latency"]["p99_ms"],
                                              "passed": True})
        self.assertTrue(success["passed"])
        self.assertIn("latency_s", report["timings"])
        self.assertIn("Latency (", result.stdout)
        self.assertIn("Estimate check (f1_macro): train ", result.stdout)
        self.assertIn("Latency budget 1000 ms: p99 ", result.stdout)
        self.assertIn("Verdict (metric and latency): PASSED", result.stdout)

    def test_a_latency_budget_that_is_missed_fails_the_verdict(self):
        result, _, report, _ = self.train_titanic("--success", "accuracy>=0", "--max-latency", "1e-9")
        success = report["success"]
        self.assertEqual(success["criterion"], "accuracy>=0")
        self.assertGreaterEqual(success["value"], 0)
        self.assertFalse(success["latency"]["passed"])
        self.assertFalse(success["passed"])
        self.assertIn("Verdict (metric and latency): NOT MET (latency)", result.stdout)
        # Without a budget "passed" keeps its meaning and there is no latency verdict.
        _, _, plain, _ = self.train_titanic("--success", "accuracy>=0")
        self.assertTrue(plain["success"]["passed"])
        self.assertNotIn("latency", plain["success"])
        self.assertLatency(plain["latency"])

    def test_max_latency_must_be_positive(self):
        for bad in ["0", "-5", "nan"]:
            self.assertError(run("train", *TITANIC, "--max-latency", bad), 2, "--max-latency", "positive", "> 0")
        self.assertEqual(run("train", *TITANIC, "--max-latency", "soon").returncode, 2)

    def test_overfitting_is_printed(self):
        result = run("train", *TITANIC[:5], "--model", "decision_tree", "--cv", "stratified:5")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Warning: Overfitting: accuracy is ", result.stdout)

    def test_evaluate_scores_the_test_rows_as_train_did(self):
        _, model, train, predictions = self.train_titanic("--success", "f1_macro>=0.5", "--max-latency", 1000)
        header, rows = titanic_rows()
        test = self.path("test.csv")
        write_rows(test, header, [rows[int(p["row"])] for p in predictions])
        report_path, out = self.path("eval.json"), self.path("eval.csv")
        result = run("evaluate", model, test, "--report", report_path, "--predictions", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = load_json(report_path)
        self.assertTrue(SCORING_KEYS <= set(report), set(report))
        self.assertEqual(report["rows"], {"evaluated": len(predictions), "skipped": 0})
        for key in ["task", "model", "params", "target", "classes", "per_class", "confusion_matrix"]:
            self.assertEqual(report[key], train[key], key)
        for name, value in train["metrics"].items():
            self.assertAlmostEqual(report["metrics"][name], value, places=12, msg=name)
        self.assertEqual(report["success"]["criterion"], "f1_macro>=0.5")
        self.assertAlmostEqual(report["success"]["value"], train["success"]["value"], places=12)
        self.assertEqual(report["success"]["latency"]["budget_ms"], 1000)
        self.assertTrue(report["success"]["passed"])
        self.assertLatency(report["latency"])
        written = read_csv(out)
        self.assertEqual([r["predicted"] for r in written], [p["predicted"] for p in predictions])
        self.assertEqual(list(written[0])[:3], ["row", "actual", "predicted"])
        self.assertIn("proba_1", written[0])
        self.assertIn("Metrics", result.stdout)
        self.assertIn("Latency (", result.stdout)
        self.assertIn("Success criterion f1_macro>=0.5: ", result.stdout)
        self.assertIn("Verdict (metric and latency): PASSED", result.stdout)

    def test_evaluate_skips_rows_without_a_target(self):
        _, model, _, _ = self.train_titanic()
        header, rows = titanic_rows()
        for row in rows[:5]:
            row[0] = ""
        data = self.path("gaps.csv")
        write_rows(data, header, rows)
        report_path = self.path("eval.json")
        result = run("evaluate", model, data, "--report", report_path, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("stepwise-cli: warning: 5 of 891 rows have no value in the target column 'survived'",
                      result.stderr)
        self.assertEqual(result.stdout, "")
        report = load_json(report_path)
        self.assertEqual(report["rows"], {"evaluated": 886, "skipped": 5})
        self.assertNotIn("success", report)
        self.assertEqual(sum(map(sum, report["confusion_matrix"])), 886)

    def test_evaluating_on_the_training_data_warns(self):
        _, model, _, _ = self.train_titanic()
        report_path = self.path("eval.json")
        result = run("evaluate", model, "builtin:titanic", "--report", report_path, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("builtin:titanic is the data the model was trained on", result.stderr)
        self.assertTrue(any("trained on" in w for w in load_json(report_path)["warnings"]))
        header, rows = titanic_rows()
        other = self.path("other.csv")
        write_rows(other, header, rows)
        result = run("evaluate", model, other, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("the data the model was trained on", result.stderr)

    def test_evaluate_regression(self):
        model, report_path = self.path("tips.stepwise"), self.path("eval.json")
        result = run("train", "builtin:tips", "--target", "tip", "--task", "regression", "--model", "ridge",
                     "--success", "r2>=0.1", "--out", model, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = run("evaluate", model, os.path.join(DATASETS, "tips.csv"), "--report", report_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = load_json(report_path)
        self.assertTrue({"mse", "rmse", "mae", "r2"} <= set(report["metrics"]))
        self.assertNotIn("per_class", report)
        self.assertEqual(report["success"]["criterion"], "r2>=0.1")
        self.assertNotIn("latency", report["success"])
        self.assertLatency(report["latency"])

    def test_evaluate_errors_have_their_exit_codes(self):
        _, model, _, _ = self.train_titanic()
        header, rows = titanic_rows()
        unlabelled = self.path("unlabelled.csv")
        write_rows(unlabelled, header[1:], [row[1:] for row in rows])
        self.assertError(run("evaluate", model, unlabelled), 3, "'survived'", "predict")
        corrupt = self.path("corrupt.stepwise")
        with open(model, "rb") as f:
            good = f.read()
        with open(corrupt, "wb") as f:
            f.write(good[: len(good) // 2])
        self.assertError(run("evaluate", corrupt, "builtin:titanic"), 4, "corrupt.stepwise")
        with open(corrupt, "wb") as f:
            f.write(b"not a model at all")
        self.assertError(run("evaluate", corrupt, "builtin:titanic"), 4, "not a Stepwise model file")
        self.assertError(run("evaluate", self.path("missing.stepwise"), "builtin:titanic"), 4, "missing.stepwise")
        self.assertEqual(run("evaluate", model).returncode, 2)


if __name__ == "__main__":
    cli_support.main(verbosity=1)
