#!/usr/bin/python3
"""Reference training distributions for tst_feature_drift (the prediction server's drift
baseline): NumPy deciles of titanic's numeric columns, ties merged, bin shares by
np.searchsorted(side="right") and the missing share; pandas category shares of its
categorical columns.

Writes tests/data/reference/feature_drift.json. Run with /usr/bin/python3.
"""
import json
import os

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "resources", "datasets", "titanic.csv")
OUT = os.path.join(HERE, "..", "data", "reference", "feature_drift.json")


def numeric(values):
    values = np.asarray(values, dtype=float)
    present = values[~np.isnan(values)]
    edges = np.unique(np.percentile(present, np.arange(10, 100, 10)))
    bins = np.searchsorted(edges, present, side="right")
    counts = np.bincount(bins, minlength=len(edges) + 1)
    fractions = list(counts / len(values)) + [float(np.isnan(values).sum()) / len(values)]
    return {"bin_edges": edges.tolist(), "fractions": [float(f) for f in fractions]}


def categorical(series):
    n = len(series)
    shares = {str(k): int(v) / n for k, v in series.value_counts(dropna=True).items()}
    return {"shares": shares, "missing": float(series.isna().sum()) / n}


def main():
    frame = pd.read_csv(DATA)
    reference = {
        "numeric": {name: numeric(frame[name]) for name in ["age", "fare", "pclass", "sibsp"]},
        "categorical": {name: categorical(frame[name]) for name in ["embarked", "deck", "who"]},
    }
    with open(OUT, "w") as f:
        json.dump(reference, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
