#!/usr/bin/env python3
"""Issue 4's bar: `stepwise-cli train builtin:titanic --target survived` with imputation,
one-hot encoding and scaling reaches the accuracy of the equivalent scikit-learn pipeline
on the same split, within 1 point, for logistic regression and random forest.

Stepwise writes its test-row predictions (the `row` column names the data rows it held
out); scikit-learn trains the same pipeline — SimpleImputer(median / most_frequent),
StandardScaler, OneHotEncoder(handle_unknown="ignore") — on the other rows and scores
the same test rows. Columns are numeric or categorical as Stepwise's `inspect --json`
reports them. Logistic regression is deterministic, so each split is compared directly.
Random forests draw different random numbers in each library, so the forest is compared
on the mean accuracy over several splits (scikit-learn: mean over 5 forest seeds per
split), which keeps the check about the pipeline rather than about luck.

Cross-validation refits every step inside each fold: Stepwise's `--cv` fold scores
(log loss, which moves with any change in the fitted imputation or scaling) equal
`cross_val_score` of the same scikit-learn pipeline on the same training rows, with
StratifiedKFold and KFold, to 1e-6.

Usage: test_titanic_pipeline.py build/app/stepwise-cli
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "resources", "datasets", "titanic.csv")
SPLIT_SEEDS = [1, 2, 3, 4, 5]
FOREST_SEEDS = [0, 1, 2, 3, 4]
TOLERANCE = 0.01  # one accuracy point


def column_groups(cli):
    report = json.loads(subprocess.run([cli, "inspect", "builtin:titanic", "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    numeric, categorical = [], []
    for column in report["columns"]:
        if column["name"] in ("survived", "alive"):
            continue
        (categorical if column["type"] in ("categorical", "text") else numeric).append(column["name"])
    return numeric, categorical


def stepwise_accuracy(cli, model, seed, directory):
    predictions = os.path.join(directory, f"{model}-{seed}.csv")
    report = os.path.join(directory, f"{model}-{seed}.json")
    subprocess.run([cli, "train", "builtin:titanic", "--target", "survived", "--drop", "alive",
                    "--model", model, "--seed", str(seed), "--impute", "numeric=median,categorical=most_frequent",
                    "--scale", "standard", "--encode", "onehot", "--predictions", predictions,
                    "--report", report, "--quiet"], check=True, stderr=subprocess.DEVNULL)
    with open(report) as f:
        accuracy = json.load(f)["metrics"]["accuracy"]
    return accuracy, pd.read_csv(predictions)["row"].to_numpy()


def features_and_target(data, numeric):
    # Booleans come in as True/False text; the engine treats them as 0/1 numbers.
    x = data.drop(columns=["survived", "alive"]).copy()
    for name in numeric:
        if x[name].dtype == object or x[name].dtype == bool:
            x[name] = x[name].map({True: 1.0, False: 0.0, "True": 1.0, "False": 0.0})
    return x, data["survived"].to_numpy()


def sklearn_pipeline(numeric, categorical, model):
    prep = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                      OneHotEncoder(handle_unknown="ignore")), categorical),
    ])
    return make_pipeline(prep, model)


def sklearn_accuracy(data, numeric, categorical, test_rows, make_model):
    x, y = features_and_target(data, numeric)
    train = np.setdiff1d(np.arange(len(data)), test_rows)
    pipeline = sklearn_pipeline(numeric, categorical, make_model())
    pipeline.fit(x.iloc[train], y[train])
    return accuracy_score(y[test_rows], pipeline.predict(x.iloc[test_rows]))


def check_cross_validation(cli, data, numeric, categorical, directory, failures):
    x, y = features_and_target(data, numeric)
    for spec, splitter in (("stratified:5", StratifiedKFold(5)), ("kfold:4", KFold(4))):
        predictions = os.path.join(directory, "cv.csv")
        report = os.path.join(directory, "cv.json")
        subprocess.run([cli, "train", "builtin:titanic", "--target", "survived", "--drop", "alive",
                        "--model", "logistic_regression", "--impute", "numeric=median,categorical=most_frequent",
                        "--cv", spec, "--success", "log_loss<=1", "--predictions", predictions,
                        "--report", report, "--quiet"], check=True, stderr=subprocess.DEVNULL)
        with open(report) as f:
            ours = json.load(f)["cv"]["scores"]
        train = np.setdiff1d(np.arange(len(data)), pd.read_csv(predictions)["row"].to_numpy())
        theirs = -cross_val_score(sklearn_pipeline(numeric, categorical, LogisticRegression(C=1.0, max_iter=1000)),
                                  x.iloc[train], y[train], cv=splitter, scoring="neg_log_loss")
        print(f"cross-validation {spec} log loss: stepwise {np.round(ours, 6)}  scikit-learn {np.round(theirs, 6)}")
        if len(ours) != len(theirs) or np.max(np.abs(np.array(ours) - theirs)) > 1e-6:
            failures.append(f"cross-validation {spec}: fold log losses differ")


def main():
    cli = sys.argv[1]
    data = pd.read_csv(DATA)
    numeric, categorical = column_groups(cli)
    failures = []
    with tempfile.TemporaryDirectory() as directory:
        for seed in SPLIT_SEEDS:
            ours, test_rows = stepwise_accuracy(cli, "logistic_regression", seed, directory)
            theirs = sklearn_accuracy(data, numeric, categorical, test_rows,
                                      lambda: LogisticRegression(C=1.0, max_iter=1000))
            print(f"logistic_regression split {seed}: stepwise {ours:.4f}  scikit-learn {theirs:.4f}")
            if abs(ours - theirs) > TOLERANCE:
                failures.append(f"logistic regression, split seed {seed}: {ours:.4f} vs {theirs:.4f}")
        ours_all, theirs_all = [], []
        for seed in SPLIT_SEEDS:
            ours, test_rows = stepwise_accuracy(cli, "random_forest", seed, directory)
            theirs = np.mean([sklearn_accuracy(data, numeric, categorical, test_rows,
                                               lambda: RandomForestClassifier(n_estimators=100, random_state=s))
                              for s in FOREST_SEEDS])
            print(f"random_forest split {seed}: stepwise {ours:.4f}  scikit-learn (mean of 5) {theirs:.4f}")
            ours_all.append(ours)
            theirs_all.append(theirs)
        ours_mean, theirs_mean = np.mean(ours_all), np.mean(theirs_all)
        print(f"random_forest mean over {len(SPLIT_SEEDS)} splits: stepwise {ours_mean:.4f}  "
              f"scikit-learn {theirs_mean:.4f}")
        if abs(ours_mean - theirs_mean) > TOLERANCE:
            failures.append(f"random forest, mean over splits: {ours_mean:.4f} vs {theirs_mean:.4f}")
        check_cross_validation(cli, data, numeric, categorical, directory, failures)
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
