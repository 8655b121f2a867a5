#!/usr/bin/python3
"""Reference correlations, histograms and category counts for tst_distribution:
pandas 1.5 DataFrame.corr() (Pearson, pairwise-complete rows), numpy 1.24
numpy.histogram (bins="auto" and bins=10) and pandas value_counts(), on every bundled
dataset plus hand-made edge cases.

Run with Debian's python: /usr/bin/python3 tests/reference/distribution_reference.py
Writes tests/data/distribution_reference.json.
"""
import json
import math
import pathlib

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASETS = ROOT / "resources" / "datasets"
OUTPUT = ROOT / "tests" / "data" / "distribution_reference.json"
NAMES = ["breast_cancer", "diabetes", "iris", "mpg", "tips", "titanic", "wine"]

# Stepwise's default missing markers; nothing else counts as missing.
MISSING = ["", "NA", "N/A", "NaN", "null", "?"]


def number(value):
    value = float(value)
    return None if math.isnan(value) else value


def matrix(frame):
    return [[number(v) for v in row] for row in frame.to_numpy()]


def histogram(values, bins):
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    counts, edges = np.histogram(values, bins=bins)
    return {"bins": bins if isinstance(bins, int) else 0, "edges": edges.tolist(),
            "counts": [int(c) for c in counts]}


def numeric_frame(frame):
    # Booleans are stored as 0/1 numbers by Stepwise and count as numeric in pandas.
    return frame.select_dtypes(include=["number", "bool"]).astype(float)


def dataset(name):
    frame = pd.read_csv(DATASETS / f"{name}.csv", keep_default_na=False, na_values=MISSING)
    numbers = numeric_frame(frame)
    histograms = {}
    for column in numbers.columns:
        if frame[column].dtype == bool:
            continue
        values = numbers[column].to_numpy()
        histograms[column] = [histogram(values, "auto"), histogram(values, 10)]
    categories = {}
    for column in frame.columns:
        if column in numbers.columns:
            continue
        counts = frame[column].dropna().astype(str).value_counts()
        categories[column] = {"counts": {k: int(v) for k, v in counts.items()},
                              "missing": int(frame[column].isna().sum())}
    return {"correlation": {"columns": list(numbers.columns), "values": matrix(numbers.corr())},
            "histograms": histograms, "categories": categories}


def edge_cases():
    rng = np.random.default_rng(7)
    nan = float("nan")
    # Correlation: missing values in different rows, a constant column, a column with a
    # single present value, a perfectly anti-correlated pair.
    table = {
        "a": [1.0, 2.0, nan, 4.0, 5.0, 6.0, 7.5, 8.0],
        "b": [2.0, nan, 3.0, 1.0, 7.0, 6.5, 9.0, 4.0],
        "constant": [3.0] * 8,
        "single": [nan, nan, 5.0, nan, nan, nan, nan, nan],
        "minus_a": [-1.0, -2.0, 0.5, -4.0, -5.0, -6.0, -7.5, -8.0],
    }
    frame = pd.DataFrame(table)
    correlation = {"table": {k: [number(v) for v in vs] for k, vs in table.items()},
                   "columns": list(frame.columns), "values": matrix(frame.corr())}
    arrays = {
        "normal": rng.normal(10.0, 3.0, 2000).tolist(),
        "skewed": rng.lognormal(0.0, 1.2, 1500).tolist(),
        "on_edges": np.linspace(0.0, 1.0, 11).tolist() * 3,
        "integers": rng.integers(0, 7, 500).astype(float).tolist(),
        "constant": [2.5] * 40,
        "single": [42.0],
        "tiny_range": (1.0 + np.arange(50) * 1e-15).tolist(),
        "with_missing": [1.0, nan, 2.0, 2.0, nan, 3.0, 10.0, float("inf"), -1.0, 4.0],
    }
    histograms = {}
    for key, values in arrays.items():
        present = np.asarray(values, dtype=float)
        histograms[key] = {"values": [number(v) if not math.isinf(v) else ("inf" if v > 0 else "-inf")
                                      for v in values],
                           "results": [histogram(present, "auto"), histogram(present, 10), histogram(present, 3)]}
    return {"correlation": correlation, "histograms": histograms}


def main():
    reference = {
        "generator": f"pandas {pd.__version__} DataFrame.corr(), numpy {np.__version__} histogram(bins='auto'|n), "
                     f"value_counts(); read_csv(keep_default_na=False, na_values={MISSING})",
        "datasets": {name: dataset(name) for name in NAMES},
        "edge_cases": edge_cases(),
    }
    OUTPUT.write_text(json.dumps(reference) + "\n")


if __name__ == "__main__":
    main()
