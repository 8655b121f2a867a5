#!/usr/bin/env python3
"""Fold assignments of scikit-learn 1.2.1's KFold, StratifiedKFold (shuffle=False),
LeaveOneOut and TimeSeriesSplit, for tests/engine/tst_cross_validation.cpp.

Writes tests/data/cross_validation_reference.json: for each case the inputs and, per
fold, the test positions (train positions are the rest, or for TimeSeriesSplit the
listed train positions).
"""
import json
import os

import numpy as np
from sklearn.model_selection import KFold, LeaveOneOut, StratifiedKFold, TimeSeriesSplit

HERE = os.path.dirname(os.path.abspath(__file__))


def folds(splitter, n, y=None):
    x = np.zeros((n, 1))
    return [{"train": train.tolist(), "test": test.tolist()} for train, test in splitter.split(x, y)]


def main():
    rng = np.random.RandomState(0)
    cases = []
    for n, k in ((10, 3), (11, 5), (7, 7)):
        cases.append({"strategy": "kfold", "k": k, "rows": n, "folds": folds(KFold(k), n)})
    labelings = [
        [0, 1] * 10,
        [2, 2, 0, 1, 0, 2, 1, 1, 0, 2, 2, 2, 0, 1, 2],          # classes first seen as 2, 0, 1
        rng.choice([0, 1, 2], size=61, p=[0.6, 0.3, 0.1]).tolist(),
        [5] * 30 + [3] * 7 + [9] * 12,                            # blocks, unequal sizes
    ]
    for labels in labelings:
        for k in (2, 3, 5):
            if min(np.bincount(labels)[np.unique(labels)]) < k:
                continue
            cases.append({"strategy": "stratified", "k": k, "rows": len(labels), "labels": labels,
                          "folds": folds(StratifiedKFold(k), len(labels), labels)})
    cases.append({"strategy": "loo", "k": 0, "rows": 5, "folds": folds(LeaveOneOut(), 5)})
    for n, k, gap in ((20, 4, 0), (20, 4, 2), (23, 3, 1)):
        cases.append({"strategy": "timeseries", "k": k, "gap": gap, "rows": n,
                      "folds": folds(TimeSeriesSplit(n_splits=k, gap=gap), n)})
    path = os.path.join(HERE, "..", "data", "cross_validation_reference.json")
    with open(path, "w") as f:
        json.dump({"cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
