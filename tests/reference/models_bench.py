#!/usr/bin/python3
"""Side-by-side timing of scikit-learn 1.2.1 for the models' benchmarks (not a test).

    /usr/bin/python3 tests/reference/models_bench.py [DIR]

Writes DIR/bench_classification_{train,test}.csv (make_classification, 100,000 × 20,
80/20 split; last column `target`) and prints scikit-learn's fit times and test accuracy
for RandomForestClassifier(n_estimators=100, n_jobs=2) and LogisticRegression().
Then run our side on the same files:

    STEPWISE_BENCH_DIR=DIR build/tests/tst_random_forest benchmark
    STEPWISE_BENCH_DIR=DIR build/tests/tst_logistic_regression benchmark
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def write(path, x, y):
    frame = pd.DataFrame(x, columns=["x%d" % i for i in range(x.shape[1])])
    frame["target"] = y
    frame.to_csv(path, index=False, float_format="%.9g")
    back = pd.read_csv(path)
    return back.drop(columns=["target"]).to_numpy(dtype=float), back["target"].to_numpy()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    x, y = make_classification(n_samples=100_000, n_features=20, n_informative=10, n_redundant=4,
                               random_state=7)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=0)
    x_train, y_train = write(os.path.join(out, "bench_classification_train.csv"), x_train, y_train)
    x_test, y_test = write(os.path.join(out, "bench_classification_test.csv"), x_test, y_test)

    for name, model in [("random_forest (n_estimators=100, n_jobs=2)",
                         RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0)),
                        ("logistic_regression (lbfgs)", LogisticRegression())]:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            model.fit(x_train, y_train)
            times.append(time.perf_counter() - start)
        accuracy = np.mean(model.predict(x_test) == y_test)
        print("scikit-learn %s: fit %.2f s (best of 3), test accuracy %.4f" % (name, min(times), accuracy))


if __name__ == "__main__":
    main()
