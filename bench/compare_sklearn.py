#!/usr/bin/env python3
"""Side-by-side benchmark: Stepwise vs scikit-learn on the same data and the same split.

For each size (rows × 20 features, from `stepwise-cli generate classification`) and each
model, Stepwise trains through `stepwise-cli train` (its report gives the model fit time
and the test rows); scikit-learn then fits the same model with the same settings on the
same training rows (standard-scaled, as Stepwise's default pipeline) and is scored on the
same test rows. Prints medians over --repeats runs and the ratios.

Usage: bench/compare_sklearn.py build/app/stepwise-cli [--sizes 1000,100000] [--repeats 3]
       [--threads N] [--check]

With --check it exits 1 unless Stepwise's accuracy is within the agreed tolerance of
scikit-learn's on the same split (0.5 points for logistic regression, 1 point for random
forest, whose sklearn accuracy is the mean over 5 seeds). CTest runs it that way on a
small size; timings are only printed, never asserted.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import StandardScaler

TOLERANCE_POINTS = {"logistic_regression": 0.5, "random_forest": 1.0}
SKLEARN_SEEDS = 5

MODELS = {
    "logistic_regression": lambda threads, seed: LogisticRegression(C=1.0, max_iter=100, tol=1e-4),
    "random_forest": lambda threads, seed: RandomForestClassifier(n_estimators=100, n_jobs=threads,
                                                                  random_state=seed),
}


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return ", ".join(f"{i['internal_api']} ({i.get('num_threads')} threads)" for i in threadpool_info()
                         if i.get("user_api") == "blas") or "unknown"
    except ImportError:
        return "unknown (threadpoolctl missing)"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cli")
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--check", action="store_true", help="fail when accuracy differs beyond tolerance")
    args = parser.parse_args()
    failures = []

    print(f"threads: {args.threads}   repeats: {args.repeats} (medians)   BLAS: {blas_info()}")
    header = (f"{'model':<20} {'rows':>8} {'stepwise fit s':>15} {'sklearn fit s':>14} {'speed-up':>9} "
              f"{'acc stepwise':>13} {'acc sklearn':>12} {'diff (pts)':>11}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for rows in map(int, args.sizes.split(",")):
            data = os.path.join(tmp, f"data_{rows}.csv")
            subprocess.run([args.cli, "generate", "classification", "--rows", str(rows), "--features",
                            str(args.features), "--informative", "10", "--redundant", "4", "--seed", "1",
                            "--out", data, "--quiet"], check=True)
            frame = pd.read_csv(data)
            x_all = frame.drop(columns=["target"]).to_numpy()
            y_all = frame["target"].to_numpy()
            for model in args.models.split(","):
                ours_fit, ours_acc, test_rows = [], None, None
                for _ in range(args.repeats):
                    report_path = os.path.join(tmp, "report.json")
                    predictions_path = os.path.join(tmp, "predictions.csv")
                    subprocess.run([args.cli, "train", data, "--target", "target", "--model", model, "--seed",
                                    "42", "--threads", str(args.threads), "--report", report_path,
                                    "--predictions", predictions_path, "--quiet"], check=True)
                    report = json.load(open(report_path))
                    ours_fit.append(report["timings"]["fit_s"])
                    ours_acc = report["metrics"]["accuracy"]
                    test_rows = pd.read_csv(predictions_path)["row"].to_numpy()
                is_test = np.zeros(len(frame), dtype=bool)
                is_test[test_rows] = True
                scaler = StandardScaler().fit(x_all[~is_test])
                x_train, x_test = scaler.transform(x_all[~is_test]), scaler.transform(x_all[is_test])
                y_train, y_test = y_all[~is_test], y_all[is_test]
                theirs_fit, theirs_acc = [], []
                for repeat in range(max(args.repeats, SKLEARN_SEEDS)):
                    estimator = MODELS[model](args.threads, repeat)
                    start = time.perf_counter()
                    estimator.fit(x_train, y_train)
                    if repeat < args.repeats:
                        theirs_fit.append(time.perf_counter() - start)
                    theirs_acc.append(accuracy_score(y_test, estimator.predict(x_test)))
                ours, theirs = statistics.median(ours_fit), statistics.median(theirs_fit)
                acc_theirs = statistics.mean(theirs_acc)
                print(f"{model:<20} {rows:>8} {ours:>15.4f} {theirs:>14.4f} {theirs / ours:>8.2f}x "
                      f"{ours_acc:>13.4f} {acc_theirs:>12.4f} {100 * (ours_acc - acc_theirs):>+11.2f}",
                      flush=True)
                if abs(100 * (ours_acc - acc_theirs)) > TOLERANCE_POINTS[model]:
                    failures.append(f"{model} on {rows} rows: accuracy {ours_acc:.4f} vs scikit-learn "
                                    f"{acc_theirs:.4f}, beyond {TOLERANCE_POINTS[model]} points")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
