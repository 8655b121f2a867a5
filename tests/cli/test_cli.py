#!/usr/bin/env python3
"""The stepwise-cli contract (../shared/CLI.md): commands, files, report JSON, exit codes.

Usage: test_cli.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import json
import os
import signal
import sqlite3
import subprocess
import time

import cli_support
from cli_support import CliTestCase, load_json, read_csv, run

READERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "readers")


def slurp(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


class CliContract(CliTestCase):

    def test_every_command_has_help(self):
        for command in ["generate", "train", "predict", "inspect"]:
            result = run(command, "--help")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("--threads", result.stdout)
            self.assertIn("--quiet", result.stdout)
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)

    def test_generate_is_reproducible(self):
        a, b, c = self.path("a.csv"), self.path("b.csv"), self.path("c.csv")
        for out, seed in [(a, 5), (b, 5), (c, 6)]:
            result = run("generate", "classification", "--rows", 300, "--features", 6, "--classes", 3,
                         "--seed", seed, "--out", out, "--quiet")
            self.assertEqual(result.returncode, 0, result.stderr)
        rows = read_csv(a)
        self.assertEqual(len(rows), 300)
        self.assertEqual(list(rows[0].keys()), [f"feature_{i}" for i in range(6)] + ["target"])
        self.assertEqual({r["target"] for r in rows}, {"0", "1", "2"})
        self.assertEqual(slurp(a), slurp(b))
        self.assertNotEqual(slurp(a), slurp(c))
        for kind in ["regression", "blobs"]:
            out = self.path(kind + ".csv")
            self.assertEqual(run("generate", kind, "--rows", 50, "--features", 3, "--out", out).returncode, 0)
            self.assertEqual(len(read_csv(out)), 50)

    def test_generate_rejects_bad_settings(self):
        self.assertEqual(run("generate", "classification", "--rows", 0, "--features", 5,
                             "--out", self.path("x.csv")).returncode, 2)
        result = run("generate", "classification", "--rows", 100, "--features", 3, "--informative", 5,
                     "--out", self.path("x.csv"))
        self.assertError(result, 2, "informative")
        self.assertFalse(os.path.exists(self.path("x.csv")))

    def train_iris(self, *extra):
        report, predictions, model = self.path("r.json"), self.path("p.csv"), self.path("m.stepwise")
        result = run("train", "builtin:iris", "--target", "species", "--model", "logistic_regression",
                     "--seed", 7, "--test-size", 0.3, "--success", "f1_macro>=0.8", "--report", report,
                     "--predictions", predictions, "--out", model, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result, load_json(report), read_csv(predictions), model

    def test_train_writes_report_predictions_and_model(self):
        result, report, predictions, model = self.train_iris()
        self.assertIn("f1_macro", result.stdout)
        for key in ["stepwise_version", "task", "model", "params", "target", "classes", "seed", "rows",
                    "metrics", "per_class", "confusion_matrix", "success", "timings"]:
            self.assertIn(key, report)
        self.assertEqual(report["task"], "classification")
        self.assertEqual(report["model"], "logistic_regression")
        self.assertEqual(report["classes"], ["setosa", "versicolor", "virginica"])
        self.assertEqual(report["seed"], 7)
        self.assertEqual(report["rows"], {"train": 105, "test": 45})
        self.assertEqual(report["params"]["C"], 1.0)
        self.assertEqual(report["params"]["max_iter"], 100)
        for metric in ["accuracy", "precision_macro", "recall_macro", "f1_macro", "f1_weighted", "roc_auc",
                       "log_loss"]:
            self.assertIsInstance(report["metrics"][metric], float, metric)
        self.assertGreater(report["metrics"]["accuracy"], 0.85)
        matrix = report["confusion_matrix"]
        self.assertEqual(sum(map(sum, matrix)), 45)
        self.assertEqual([sum(row) for row in matrix], [15, 15, 15])  # stratified
        correct = sum(matrix[i][i] for i in range(3))
        self.assertAlmostEqual(report["metrics"]["accuracy"], correct / 45, places=12)
        self.assertEqual(set(report["per_class"]), {"setosa", "versicolor", "virginica"})
        self.assertEqual(report["per_class"]["setosa"]["support"], 15)
        self.assertEqual(report["success"]["criterion"], "f1_macro>=0.8")
        self.assertEqual(report["success"]["passed"], report["metrics"]["f1_macro"] >= 0.8)
        self.assertTrue(set(report["timings"]) >= {"load_s", "prep_s", "fit_s", "predict_s"})

        self.assertEqual(len(predictions), 45)
        self.assertEqual(list(predictions[0].keys()),
                         ["row", "actual", "predicted", "proba_setosa", "proba_versicolor", "proba_virginica"])
        hits = sum(p["actual"] == p["predicted"] for p in predictions)
        self.assertAlmostEqual(hits / 45, report["metrics"]["accuracy"], places=12)
        for p in predictions:
            self.assertAlmostEqual(sum(float(p[k]) for k in p if k.startswith("proba_")), 1.0, places=9)

        # The saved model predicts exactly what training reported for the same rows.
        out = self.path("pred.csv")
        predicted = run("predict", model, "builtin:iris", "--out", out, "--proba")
        self.assertEqual(predicted.returncode, 0, predicted.stderr)
        full = read_csv(out)
        self.assertEqual(len(full), 150)
        for p in predictions:
            again = full[int(p["row"])]
            self.assertEqual(again["predicted"], p["predicted"])
            self.assertEqual(again["actual"], p["actual"])
            self.assertEqual(again["proba_virginica"], p["proba_virginica"])
        stdout = run("predict", model, "builtin:iris", "--quiet")
        self.assertEqual(stdout.returncode, 0)
        self.assertEqual(stdout.stdout.splitlines()[0], "row,actual,predicted")

    def test_same_seed_same_numbers(self):
        reports = []
        for threads in [1, 2]:
            report = self.path(f"r{threads}.json")
            result = run("train", "builtin:breast_cancer", "--target", "target", "--model", "random_forest",
                         "--param", "n_estimators=30", "--seed", 3, "--threads", threads, "--report", report,
                         "--quiet")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout, "")
            reports.append(load_json(report))
        self.assertEqual(reports[0]["metrics"], reports[1]["metrics"])
        self.assertEqual(reports[0]["confusion_matrix"], reports[1]["confusion_matrix"])

    def test_titanic_with_categoricals_missing_values_and_drop(self):
        report = self.path("t.json")
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive,who,adult_male",
                     "--impute", "numeric=median,categorical=constant:unknown", "--scale", "minmax",
                     "--encode", "onehot", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = load_json(report)
        self.assertEqual(r["rows"], {"train": 712, "test": 179})
        self.assertEqual(r["classes"], ["0", "1"])
        self.assertGreater(r["metrics"]["accuracy"], 0.72)
        self.assertLess(r["metrics"]["accuracy"], 0.95)  # 'alive' (the leak) was dropped
        self.assertEqual(len(r["pipeline"]), 3)

    def test_feature_steps_robust_scaling_binning_and_order(self):
        titanic = ["train", "builtin:titanic", "--target", "survived", "--drop", "alive,who,adult_male,embark_town"]
        report = self.path("robust.json")
        result = run(*titanic, "--scale", "robust", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("robust scaling of 6 numeric columns", " | ".join(load_json(report)["pipeline"]))

        # class is categorical (First, Second, Third): an ordered encoding; age in quartiles.
        report, model, predictions = self.path("binned.json"), self.path("m.stepwise"), self.path("p.csv")
        result = run(*titanic, "--bin", "age=quantile:4", "--order", "class=Third,Second,First",
                     "--report", report, "--out", model, "--predictions", predictions, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        pipeline = " | ".join(load_json(report)["pipeline"])
        self.assertIn("quantile (equal-count) binning of 1 numeric column into 4 bins", pipeline)
        self.assertIn("ordinal encoding of 'class' in the order Third < Second < First", pipeline)
        self.assertGreater(load_json(report)["metrics"]["accuracy"], 0.7)
        # The saved model (bin edges, the order) predicts what training reported.
        out = self.path("again.csv")
        self.assertEqual(run("predict", model, "builtin:titanic", "--out", out, "--quiet").returncode, 0)
        again = read_csv(out)
        for row in read_csv(predictions):
            self.assertEqual(again[int(row["row"])]["predicted"], row["predicted"])

        result = run(*titanic, "--bin", "fare=edges:0,10,50,inf/low,mid,high", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("binning of 1 numeric column at the edges 0, 10, 50, inf", " | ".join(load_json(report)["pipeline"]))

    def test_bad_feature_steps_exit_2_or_3(self):
        titanic = ["train", "builtin:titanic", "--target", "survived"]
        self.assertError(run(*titanic, "--bin", "age=edges:0,18,5"), 2, "edges '0,18,5'", "strictly increasing")
        self.assertError(run(*titanic, "--bin", "age=edges:0,18,65/child"), 2, "labels 'child'", "2 bins")
        self.assertError(run(*titanic, "--bin", "age=quantile:1"), 2, "bins", "[2, 1000]")
        self.assertError(run(*titanic, "--bin", "age=kmeans:3"), 2, "strategy")
        self.assertError(run(*titanic, "--bin", "age"), 2, "--bin")
        # Data the step cannot take: exit 3, naming the value and what to do.
        self.assertError(run(*titanic, "--order", "class=Third,First"), 3, "'Second'", "add it to the order")
        self.assertError(run(*titanic, "--math", "log=fare"), 3, "column 'fare' has the value 0",
                         "log needs values above 0")
        self.assertError(run(*titanic, "--date-parts", "age"), 3, "'age' is numeric", "datetime")

    def test_drop_missing_in_some_columns_still_fills_the_others(self):
        report = self.path("dm.json")
        # Rows without a port go (2 of 891); the gaps in age and deck are still filled.
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive",
                     "--drop-missing", "embarked", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = load_json(report)
        self.assertEqual(r["rows"]["train"] + r["rows"]["test"], 889)
        self.assertTrue(any(step.startswith("imputation") for step in r["pipeline"]), r["pipeline"])
        # Dropping every row with a gap fills nothing, as before.
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive,deck",
                     "--drop-missing", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(any(step.startswith("imputation") for step in load_json(report)["pipeline"]))

    def test_cleaning_step_flags_on_titanic(self):
        report, model, out = self.path("c.json"), self.path("c.stepwise"), self.path("p.csv")
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--drop-duplicates",
                     "--outliers", "iqr:clip", "--impute", "numeric=ffill", "--report", report, "--out", model,
                     "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = load_json(report)
        # 107 rows repeat an earlier one (pandas: titanic.duplicated().sum()).
        self.assertEqual(r["rows"]["train"] + r["rows"]["test"], 891 - 107)
        self.assertTrue(any(step.startswith("clipping of") for step in r["pipeline"]), r["pipeline"])
        self.assertTrue(any("forward fill" in step for step in r["pipeline"]), r["pipeline"])
        self.assertGreater(r["metrics"]["accuracy"], 0.7)
        # The saved model (clipper and imputer inside) loads and predicts every row.
        predicted = run("predict", model, "builtin:titanic", "--out", out)
        self.assertEqual(predicted.returncode, 0, predicted.stderr)
        self.assertEqual(len(read_csv(out)), 891)

        # Removal drops training rows only; the other cleaning flags run too.
        removed = self.path("rm.json")
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--drop-duplicates",
                     "--outliers", "zscore:remove:3", "--drop-sparse", "0.5", "--missing-indicator",
                     "--rename", "age=years", "--report", removed, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        rm = load_json(removed)
        self.assertEqual(rm["rows"]["test"], r["rows"]["test"])
        self.assertLess(rm["rows"]["train"], r["rows"]["train"])
        self.assertTrue(any("deck" in step for step in rm["pipeline"]), rm["pipeline"])

        for flag, value, fragment in [("--outliers", "iqr:squash", "--outliers"),
                                      ("--outliers", "iqr:clip:0", "iqr_factor"),
                                      ("--impute", "numeric=sideways", "ffill"),
                                      ("--drop-sparse", "1.5", "max_missing"),
                                      ("--step", "drop_duplicates:keep=maybe", "keep"),
                                      ("--rename", "age=", "empty")]:
            self.assertError(run("train", "builtin:titanic", "--target", "survived", flag, value), 2, fragment)

    def test_class_balance_resampling_and_class_weight(self):
        report = self.path("smote.json")
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive",
                     "--model", "logistic_regression", "--resample", "smote", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = load_json(report)
        # 712 training rows, 439 of them class 0: SMOTE tops class 1 up to 439; test rows stay real.
        self.assertEqual(r["rows"], {"train": 878, "test": 179})
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive",
                     "--resample", "under", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(load_json(report)["rows"], {"train": 546, "test": 179})
        for model in ["logistic_regression", "random_forest"]:
            result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--model", model,
                         "--param", "class_weight=balanced", "--report", report, "--quiet")
            self.assertEqual(result.returncode, 0, result.stderr)
            r = load_json(report)
            self.assertEqual(r["params"]["class_weight"], "balanced")
            self.assertEqual(r["rows"], {"train": 712, "test": 179})
        self.assertError(run("train", "builtin:tips", "--target", "tip", "--task", "regression",
                             "--resample", "smote"), 3, "regression")
        self.assertError(run("train", "builtin:tips", "--target", "tip", "--task", "regression",
                             "--param", "class_weight=balanced"), 2, "class_weight")
        self.assertError(run("train", "builtin:iris", "--target", "species", "--resample", "smote:0"), 2,
                         "k_neighbors")

    def test_regression_and_separate_test_data(self):
        full, train, test, report = (self.path(n) for n in ["all.csv", "train.csv", "test.csv", "r.json"])
        run("generate", "regression", "--rows", 500, "--features", 5, "--noise", 1, "--seed", 1, "--out", full)
        lines = slurp(full).splitlines(keepends=True)
        write(train, "".join(lines[:401]))
        write(test, lines[0] + "".join(lines[401:]))
        result = run("train", train, "--target", "target", "--task", "regression", "--model", "linear_regression",
                     "--test-data", test, "--report", report, "--success", "r2>=0.9", "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = load_json(report)
        self.assertEqual(r["rows"], {"train": 400, "test": 100})
        self.assertEqual(set(r["metrics"]), {"mse", "rmse", "mae", "r2", "median_ae", "explained_variance", "mape"})
        self.assertGreater(r["metrics"]["r2"], 0.99)
        self.assertTrue(r["success"]["passed"])

    def test_testing_on_the_training_data_is_called_out(self):
        full, train, part, other = (self.path(n) for n in ["g.csv", "g_train.csv", "g_part.csv", "g_other.csv"])
        run("generate", "regression", "--rows", 200, "--features", 3, "--seed", 2, "--out", full)
        lines = slurp(full).splitlines(keepends=True)
        flags = ["--target", "target", "--task", "regression", "--model", "linear_regression", "--quiet"]
        # The same file as --test-data: the same SHA-256.
        result = run("train", full, *flags, "--test-data", full)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("warning: misconception: The test data is the training data: both have the SHA-256",
                      result.stderr)
        # A file of 30 of the training rows: every test row is a training row.
        write(part, lines[0] + "".join(lines[1:31]))
        result = run("train", full, *flags, "--test-data", part)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Every one of the 30 test rows is also a training row", result.stderr)
        # Disjoint rows: nothing to say.
        write(train, "".join(lines[:151]))
        write(other, lines[0] + "".join(lines[151:]))
        result = run("train", train, *flags, "--test-data", other)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("misconception", result.stderr)

    def test_out_of_bag_score_is_printed_and_reported(self):
        report = self.path("oob.json")
        result = run("train", "builtin:iris", "--target", "species", "--model", "random_forest", "--param",
                     "oob_score=true", "--param", "n_estimators=30", "--report", report)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Model: grew 30 trees; out-of-bag accuracy 0.", result.stdout)
        self.assertIn("out-of-bag accuracy", load_json(report)["fit"]["message"])

    def test_inspect_json(self):
        result = run("inspect", "builtin:titanic", "--target", "survived", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        info = json.loads(result.stdout)
        self.assertEqual(info["rows"], 891)
        age = next(c for c in info["columns"] if c["name"] == "age")
        self.assertEqual(age["missing"], 177)
        for key in ["type", "unique", "mean", "std", "min", "q1", "median", "q3", "max"]:
            self.assertIn(key, age)
        sex = next(c for c in info["columns"] if c["name"] == "sex")
        self.assertEqual(sex["type"], "categorical")
        self.assertEqual(sex["top"][0], ["male", 577])
        self.assertIn({"column": "alive", "kind": "target_leak"},
                      [{"column": f["column"], "kind": f["kind"]} for f in info["flags"]])
        text = run("inspect", "builtin:titanic")
        self.assertEqual(text.returncode, 0)
        self.assertIn("891 rows", text.stdout)

    def test_bad_data_exits_3_with_location(self):
        bad = self.path("bad.csv")
        write(bad, "a,b,y\n1,2,0\n3,4,5,1\n")
        result = run("train", bad, "--target", "y")
        self.assertError(result, 3, "bad.csv:3:")
        missing = run("inspect", self.path("nope.csv"))
        self.assertError(missing, 3, "nope.csv")
        result = run("train", "builtin:tips", "--target", "sex", "--task", "regression")
        self.assertError(result, 3, "regression")
        result = run("train", "builtin:iris", "--target", "colour")
        self.assertError(result, 3, "colour", "species")

    def test_formula_and_feature_selection_steps(self):
        report, model, predictions = self.path("f.json"), self.path("f.stepwise"), self.path("p.csv")
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive",
                     "--formula", "family=sibsp+parch+1", "--formula", "log_fare=log1p(`fare`)",
                     "--select", "kbest:5", "--report", report, "--out", model, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        pipeline = load_json(report)["pipeline"]
        self.assertIn("new column 'family' = sibsp+parch+1", pipeline)
        self.assertIn("new column 'log_fare' = log1p(`fare`)", pipeline)
        selection = [p for p in pipeline if p.startswith("feature selection")]
        self.assertEqual(len(selection), 1, pipeline)
        self.assertIn("keep the 5 numeric columns with the highest F statistic", selection[0])
        # The saved model recomputes the formulas from raw rows.
        predicted = run("predict", model, "builtin:titanic", "--out", predictions, "--quiet")
        self.assertEqual(predicted.returncode, 0, predicted.stderr)
        self.assertEqual(len(read_csv(predictions)), 891)

        self.assertError(run("train", "builtin:titanic", "--target", "survived", "--formula", "family=sibsp+"), 2,
                         "position 6", "expected a number")
        self.assertError(run("train", "builtin:titanic", "--target", "survived", "--formula", "f=fare*sex"), 3,
                         "'sex'", "categorical")
        self.assertError(run("train", "builtin:titanic", "--target", "survived", "--select", "kbest:0"), 2, "k")
        self.assertError(run("train", "builtin:titanic", "--target", "survived", "--impute", "none",
                             "--select", "variance:0"), 3, "Fill missing values")

    def test_bad_parameters_exit_2_naming_the_range(self):
        result = run("train", "builtin:iris", "--target", "species", "--model", "random_forest",
                     "--param", "n_estimators=0")
        self.assertError(result, 2, "n_estimators", "[1, 10000]")
        self.assertError(run("train", "builtin:iris", "--target", "species", "--model", "svm_deluxe"), 2,
                         "svm_deluxe")
        self.assertError(run("train", "builtin:iris", "--target", "species", "--param", "depth"), 2, "KEY=VALUE")
        self.assertError(run("train", "builtin:iris", "--target", "species", "--success", "speed>=3"), 2, "accuracy")
        self.assertError(run("train", "builtin:iris", "--target", "species", "--impute", "numeric=mode"), 2,
                         "--impute")
        self.assertEqual(run("train", "builtin:iris", "--target", "species", "--scale", "log").returncode, 2)

    def test_search_and_leaderboard(self):
        report = self.path("search.json")
        result = run("train", "builtin:iris", "--target", "species", "--model", "logistic_regression",
                     "--param", "max_iter=300", "--search", "grid", "--grid", "C=0.01,1,100",
                     "--grid", "class_weight=none,balanced", "--scoring", "f1_macro", "--cv", "stratified:3",
                     "--compare", "random_forest:n_estimators=10;max_depth=3", "--report", report)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Search (grid, 6 candidates, stratified:3, f1_macro", result.stdout)
        self.assertIn("Leaderboard (accuracy on the cross-validation", result.stdout)
        r = load_json(report)
        search = r["search"]
        self.assertEqual(search["tried"], 6)
        self.assertEqual((search["kind"], search["metric"], search["strategy"]), ("grid", "f1_macro", "stratified:3"))
        self.assertEqual(set(search["best_params"]), {"C", "class_weight"})
        candidates = search["candidates"]
        self.assertEqual([c["params"] for c in candidates][:2],
                         [{"C": 0.01, "class_weight": "none"}, {"C": 0.01, "class_weight": "balanced"}])
        for c in candidates:
            self.assertEqual(set(c), {"params", "scores", "mean", "std", "rank", "fit_s"})
            self.assertEqual(len(c["scores"]), 3)
            self.assertAlmostEqual(c["mean"], sum(c["scores"]) / 3, places=12)
        best = min(range(6), key=lambda i: (candidates[i]["rank"], i))
        self.assertEqual(candidates[best]["rank"], 1)
        self.assertEqual(candidates[best]["params"], search["best_params"])
        self.assertEqual(search["best_score"], max(c["mean"] for c in candidates))
        # The kept model is refitted with the best parameters; the fixed ones stay.
        for name, value in search["best_params"].items():
            self.assertEqual(r["params"][name], value)
        self.assertEqual(r["params"]["max_iter"], 300)

        board = r["leaderboard"]
        self.assertEqual(r["leaderboard_ranked_on"], "cross-validation")
        self.assertEqual(r["leaderboard_metric"], "accuracy")
        self.assertEqual(sorted(e["model"] for e in board), ["logistic_regression", "random_forest"])
        self.assertEqual([e["model"] for e in board if e["kept"]], ["logistic_regression"])
        for e in board:
            self.assertEqual(set(e), {"model", "params", "kept", "metrics", "validation_score", "cv", "fit_s"})
            self.assertEqual(len(e["cv"]["scores"]), 3)
        self.assertGreaterEqual(board[0]["cv"]["mean"], board[1]["cv"]["mean"])
        kept = next(e for e in board if e["kept"])
        self.assertEqual(kept["metrics"], r["metrics"])
        self.assertEqual(kept["cv"], r["cv"])
        other = next(e for e in board if not e["kept"])
        self.assertEqual((other["params"]["n_estimators"], other["params"]["max_depth"]), (10, 3))

    def test_random_search_draws_from_distributions(self):
        report = self.path("random.json")
        result = run("train", "builtin:iris", "--target", "species", "--model", "logistic_regression",
                     "--search", "random:5", "--grid", "C=loguniform(0.01, 100)", "--report", report, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        search = load_json(report)["search"]
        self.assertEqual((search["tried"], search["kind"], search["strategy"]), (5, "random:5", "stratified:5"))
        for c in search["candidates"]:
            self.assertTrue(0.01 <= c["params"]["C"] <= 100)
        again = self.path("again.json")
        run("train", "builtin:iris", "--target", "species", "--model", "logistic_regression",
            "--search", "random:5", "--grid", "C=loguniform(0.01, 100)", "--report", again, "--quiet")
        self.assertEqual(load_json(again)["search"]["candidates"][0]["params"], search["candidates"][0]["params"])

    def test_bad_search_and_compare_flags_exit_2_naming_the_flag(self):
        iris = ["train", "builtin:iris", "--target", "species"]
        self.assertError(run(*iris, "--search", "grids", "--grid", "max_depth=2,3"), 2, "--search", "random:N")
        self.assertError(run(*iris, "--search", "grid"), 2, "--search", "--grid")
        self.assertError(run(*iris, "--grid", "max_depth"), 2, "--grid", "KEY=V1,V2")
        self.assertError(run(*iris, "--grid", "n_estimators=10,0"), 2, "--grid", "n_estimators", "[1, 10000]")
        self.assertError(run(*iris, "--grid", "depth=1,2"), 2, "--grid", "depth")
        self.assertError(run(*iris, "--grid", "max_depth=randint(1,5)"), 2, "--grid", "random search")
        self.assertError(run(*iris, "--grid", "max_depth=2,3", "--scoring", "rmse"), 2, "--scoring", "accuracy")
        self.assertError(run(*iris, "--scoring", "accuracy"), 2, "--scoring", "--search")
        self.assertError(run(*iris, "--compare", "svm_deluxe"), 2, "--compare", "svm_deluxe")
        self.assertError(run(*iris, "--compare", "random_forest:n_estimators"), 2, "--compare", "KEY=VALUE")
        self.assertError(run(*iris, "--compare", "random_forest:n_estimators=0"), 2, "--compare", "n_estimators")
        self.assertError(run(*iris, "--compare", "linear_regression"), 2, "--compare", "classification")

    def test_reads_xlsx_sqlite_and_json_with_their_flags(self):
        info = json.loads(run("inspect", os.path.join(READERS, "types.xlsx"), "--sheet", "gaps", "--json").stdout)
        self.assertEqual([c["name"] for c in info["columns"]], ["a", "column_2", "c", "column_4"])
        self.assertEqual(info["rows"], 4)
        shop = os.path.join(READERS, "shop.sqlite")
        info = json.loads(run("inspect", shop, "--table", "people", "--json").stdout)
        self.assertEqual({c["name"]: c["type"] for c in info["columns"]},
                         {"id": "integer", "score": "numeric", "name": "categorical", "joined": "datetime",
                          "weight": "numeric", "note": "categorical"})
        query = run("inspect", shop, "--query", "SELECT id, name FROM people WHERE id > 2", "--json")
        self.assertEqual(json.loads(query.stdout)["rows"], 2)
        text = run("inspect", shop, "--query", "SELECT id FROM people")
        self.assertIn("shop.sqlite [SELECT id FROM people]: 4 rows", text.stdout)
        info = json.loads(run("inspect", os.path.join(READERS, "records.jsonl"), "--json").stdout)
        self.assertEqual(info["rows"], 3)

        # Train on an SQLite table, test on JSON Lines, predict from a query.
        generated = self.path("g.csv")
        run("generate", "classification", "--rows", 400, "--features", 4, "--seed", 9, "--out", generated)
        rows = read_csv(generated)
        db = self.path("g.db")
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE train (" + ", ".join(f'"{k}" REAL' for k in rows[0]) + ")")
            con.executemany("INSERT INTO train VALUES (" + ", ".join("?" * len(rows[0])) + ")",
                            [[float(v) for v in r.values()] for r in rows[:300]])
        test = self.path("test.jsonl")
        write(test, "".join(json.dumps({k: float(v) for k, v in r.items()}) + "\n" for r in rows[300:]))
        report, model = self.path("r.json"), self.path("m.stepwise")
        result = run("train", db, "--table", "train", "--target", "target", "--type", "target=integer",
                     "--model", "logistic_regression", "--test-data", test, "--report", report, "--out", model,
                     "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        r = load_json(report)
        self.assertEqual(r["rows"], {"train": 300, "test": 100})
        self.assertEqual(r["data"], db + " [train]")
        self.assertEqual(r["classes"], ["0", "1"])
        out = self.path("p.csv")
        result = run("predict", model, db, "--query", "SELECT * FROM train WHERE rowid <= 10", "--out", out,
                     "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(read_csv(out)), 10)

    def test_reading_flags_for_text_files(self):
        data = self.path("semi.txt")
        write(data, "id;code;grade\n1;007;-\n2;010;B\n3;-;A\n4;011;\n")
        info = json.loads(run("inspect", data, "--delimiter", ";", "--na", "-", "--type", "code=categorical",
                              "--json").stdout)
        columns = {c["name"]: c for c in info["columns"]}
        self.assertEqual(list(columns), ["id", "code", "grade"])
        self.assertEqual(columns["code"]["type"], "categorical")
        self.assertEqual(columns["code"]["missing"], 1)
        # --na replaces the default list: an empty field is a value now, "-" is missing.
        self.assertEqual(columns["grade"]["missing"], 1)
        tabs = self.path("tabs.txt")
        write(tabs, "a\tb\n1\t2\n")
        info = json.loads(run("inspect", tabs, "--delimiter", "tab", "--json").stdout)
        self.assertEqual([c["name"] for c in info["columns"]], ["a", "b"])
        for flags in (["--decimal", ","], ["--decimal", ",", "--thousands", "."], ["--encoding", "latin-1"],
                      ["--thousands", "none"]):
            result = run("inspect", tabs, "--delimiter", "tab", *flags)
            self.assertEqual(result.returncode, 0, result.stderr)

    def test_bad_reading_flags_exit_2_and_bad_sources_exit_3(self):
        csv_file = self.path("x.csv")
        write(csv_file, "a,b\n1,2\n")
        shop = os.path.join(READERS, "shop.sqlite")
        self.assertError(run("inspect", csv_file, "--delimiter", "ab"), 2, "--delimiter", "tab")
        self.assertError(run("inspect", csv_file, "--decimal", "x"), 2, "--decimal", ". or ,")
        self.assertError(run("inspect", csv_file, "--thousands", "x"), 2, "--thousands", "none")
        self.assertError(run("inspect", csv_file, "--decimal", ",", "--thousands", ","), 2, "must differ")
        self.assertError(run("inspect", csv_file, "--encoding", "utf9"), 2, "auto, utf-8 or latin-1")
        self.assertError(run("inspect", csv_file, "--type", "a=float"), 2,
                         "numeric, integer, boolean, datetime, categorical, text")
        self.assertError(run("inspect", csv_file, "--type", "a"), 2, "COL=KIND")
        self.assertError(run("inspect", csv_file, "--sheet", "S"), 2, "--sheet applies to .xlsx")
        self.assertError(run("inspect", os.path.join(READERS, "types.xlsx"), "--delimiter", ";"), 2,
                         "--delimiter applies to CSV")
        self.assertError(run("train", "builtin:iris", "--target", "species", "--na", "x"), 2, "--na applies")
        self.assertEqual(run("inspect", shop, "--table", "people", "--query", "SELECT 1").returncode, 2)
        self.assertError(run("inspect", csv_file, "--type", "c=integer"), 3, "'c'")
        self.assertError(run("inspect", os.path.join(READERS, "types.xlsx"), "--sheet", "nope"), 3,
                         "'people', 'gaps', 'empty', 'dupes'")
        self.assertError(run("inspect", shop), 3, "--table", "'people'")
        self.assertError(run("inspect", shop, "--query", "DROP TABLE people"), 3, "only SELECT")
        self.assertError(run("predict", self.path("absent.stepwise"), shop, "--table", "people"), 4)
        self.assertError(run("inspect", self.path("data.parquet")), 3, ".xlsx", ".sqlite")

    def test_bad_model_file_exits_4(self):
        fake = self.path("fake.stepwise")
        with open(fake, "wb") as f:
            f.write(b"not a model at all")
        self.assertError(run("predict", fake, "builtin:iris"), 4, "not a Stepwise model file")
        _, _, _, model = self.train_iris()
        data = slurp(model, "rb")
        truncated = self.path("truncated.stepwise")
        with open(truncated, "wb") as f:
            f.write(data[: len(data) // 2])
        self.assertError(run("predict", truncated, "builtin:iris"), 4, "truncated")
        self.assertError(run("predict", self.path("absent.stepwise"), "builtin:iris"), 4)

    def test_failed_write_leaves_nothing_behind(self):
        out_dir = self.path("readonly")
        os.mkdir(out_dir)
        target = os.path.join(out_dir, "model.stepwise")
        write(target, "previous")
        os.chmod(out_dir, 0o555)
        try:
            result = run("train", "builtin:iris", "--target", "species", "--out", target, "--quiet")
            if os.geteuid() != 0:  # root writes anyway
                self.assertEqual(result.returncode, 1)
                self.assertEqual(slurp(target), "previous")
                self.assertEqual(os.listdir(out_dir), ["model.stepwise"])
        finally:
            os.chmod(out_dir, 0o755)
        result = run("train", "builtin:iris", "--target", "species", "--out",
                     self.path("no/such/dir/model.stepwise"), "--quiet")
        self.assertError(result, 1, "no/such/dir/model.stepwise")

    def test_ctrl_c_cancels_with_130_and_writes_nothing(self):
        data, model = self.path("big.csv"), self.path("m.stepwise")
        run("generate", "classification", "--rows", 60000, "--features", 20, "--seed", 2, "--out", data)
        process = subprocess.Popen([cli_support.CLI, "train", data, "--target", "target", "--model", "random_forest",
                                    "--param", "n_estimators=2000", "--out", model, "--quiet"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        self.assertIsNone(process.poll(), "training ended before it could be cancelled")
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        elapsed = time.monotonic() - sent
        self.assertEqual(process.returncode, 130, stderr)
        self.assertIn("cancelled", stderr)
        self.assertLess(elapsed, 2.0)
        self.assertFalse(os.path.exists(model))


if __name__ == "__main__":
    cli_support.main(verbosity=2)
