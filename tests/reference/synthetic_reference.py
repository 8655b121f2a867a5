#!/usr/bin/python3
"""Class sizes scikit-learn 1.2.1's make_classification gives with flip_y=0, for
tst_synthetic: the split of samples over classes is deterministic (it does not depend on
the random numbers), so Stepwise's generator must reproduce it exactly.

Run with Debian's python: /usr/bin/python3 tests/reference/synthetic_reference.py
Writes tests/data/synthetic_reference.json.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.datasets import make_blobs, make_classification

OUTPUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "synthetic_reference.json"

CLASSIFICATION = [
    dict(n_samples=100, n_classes=2, n_clusters_per_class=2, n_informative=2, weights=None),
    dict(n_samples=101, n_classes=3, n_clusters_per_class=2, n_informative=3, weights=None),
    dict(n_samples=1000, n_classes=3, n_clusters_per_class=2, n_informative=3, weights=[0.5, 0.3, 0.2]),
    dict(n_samples=999, n_classes=2, n_clusters_per_class=1, n_informative=2, weights=[0.9]),
    dict(n_samples=77, n_classes=4, n_clusters_per_class=3, n_informative=4, weights=[0.1, 0.2, 0.3]),
    dict(n_samples=500, n_classes=2, n_clusters_per_class=2, n_informative=2, weights=[0.3, 0.3]),
]

BLOBS = [dict(n_samples=100, centers=3), dict(n_samples=10, centers=4)]


def main():
    cases = []
    for params in CLASSIFICATION:
        _, y = make_classification(n_features=10, n_redundant=2, flip_y=0.0, random_state=0, **params)
        cases.append({"params": params, "class_counts": np.bincount(y, minlength=params["n_classes"]).tolist()})
    blobs = []
    for params in BLOBS:
        _, y = make_blobs(random_state=0, **params)
        blobs.append({"params": params, "class_counts": np.bincount(y).tolist()})
    OUTPUT.write_text(json.dumps({"generator": f"scikit-learn {sklearn.__version__}",
                                  "make_classification": cases, "make_blobs": blobs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
