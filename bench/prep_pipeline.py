#!/usr/bin/env python3
"""Side-by-side benchmark of the prep and feature steps: Stepwise vs scikit-learn.

The data: ROWS rows of 10 numeric columns (10% missing) and 5 categorical columns with
12 categories each (5% missing), a binary target; generated with numpy (seed 0) and
written once as CSV. Both sides run the same pipeline — fill gaps (median / most
frequent), standard scaling, one-hot encoding (unseen categories ignored) — on the same
stratified 80/20 split:

- Stepwise: `stepwise-cli train` with those steps and logistic regression; its report's
  `prep_s` is the time for the split plus fitting every step on the training rows and
  applying it to them (the audit has its own `audit_s`, printed beside it).
- scikit-learn: `train_test_split(stratify=y)` plus `ColumnTransformer.fit_transform` on
  the training rows (imputer + scaler, imputer + OneHotEncoder), with the data already in
  a pandas DataFrame (reading is not timed on either side: Stepwise's load_s is separate).

Prints the medians over --repeats runs and the ratio (scikit-learn / Stepwise, > 1 means
Stepwise is faster). Timings are printed, never asserted.

Usage: bench/prep_pipeline.py build/app/stepwise-cli [--rows 200000,1000000] [--repeats 3]
       [--threads N]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC, CATEGORICAL, LEVELS = 10, 5, 12


def make_data(rows, path):
    rng = np.random.default_rng(0)
    frame = {}
    for i in range(NUMERIC):
        values = rng.normal(size=rows).round(6)
        values[rng.random(rows) < 0.10] = np.nan
        frame[f"x{i}"] = values
    for i in range(CATEGORICAL):
        codes = rng.integers(0, LEVELS, size=rows)
        column = np.array([f"c{i}_{k}" for k in range(LEVELS)], dtype=object)[codes]
        column[rng.random(rows) < 0.05] = None
        frame[f"c{i}"] = column
    score = np.nan_to_num(frame["x0"]) + 0.5 * np.nan_to_num(frame["x1"]) + rng.normal(size=rows)
    frame["target"] = (score > 0).astype(int)
    pd.DataFrame(frame).to_csv(path, index=False)


def stepwise_times(cli, path, threads):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([cli, "train", path, "--target", "target", "--model", "logistic_regression",
                        "--impute", "numeric=median,categorical=most_frequent", "--scale", "standard",
                        "--encode", "onehot", "--threads", str(threads), "--report", report.name, "--quiet"],
                       check=True, stderr=subprocess.DEVNULL)
        timings = json.load(open(report.name))["timings"]
    return timings["prep_s"], timings["audit_s"]


def sklearn_time(frame):
    x = frame.drop(columns=["target"])
    y = frame["target"].to_numpy()
    numeric = [f"x{i}" for i in range(NUMERIC)]
    categorical = [f"c{i}" for i in range(CATEGORICAL)]
    start = time.perf_counter()
    x_train, _, _, _ = train_test_split(x, y, test_size=0.2, stratify=y, random_state=42)
    ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                      OneHotEncoder(handle_unknown="ignore")), categorical),
    ]).fit_transform(x_train)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cli")
    parser.add_argument("--rows", default="200000,1000000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    print(f"threads: {args.threads}   repeats: {args.repeats} (medians)")
    header = f"{'rows':>9} {'stepwise prep s':>16} {'(audit s)':>10} {'sklearn prep s':>15} {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for rows in map(int, args.rows.split(",")):
            path = os.path.join(tmp, f"prep_{rows}.csv")
            make_data(rows, path)
            frame = pd.read_csv(path)
            ours, audits, theirs = [], [], []
            for _ in range(args.repeats):
                prep, audit = stepwise_times(args.cli, path, args.threads)
                ours.append(prep)
                audits.append(audit)
                theirs.append(sklearn_time(frame))
            o, a, t = statistics.median(ours), statistics.median(audits), statistics.median(theirs)
            print(f"{rows:>9} {o:>16.3f} {a:>10.3f} {t:>15.3f} {t / o:>8.2f}x", flush=True)


if __name__ == "__main__":
    main()
