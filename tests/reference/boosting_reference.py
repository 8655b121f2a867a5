#!/usr/bin/python3
"""Reference values for tests/engine/tst_gradient_boosting.cpp.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/boosting_reference.py
Writes tests/data/reference/boosting_reference.json with scikit-learn's
HistGradientBoostingClassifier / HistGradientBoostingRegressor results (bin edges,
probabilities, raw predictions, iteration counts, scores).

The data is generated, not stored: `synthetic()` uses only integer hashing (splitmix64)
and IEEE additions and multiplications in a fixed order, so the C++ test rebuilds
bit-identical matrices (tst_gradient_boosting.cpp has the same generator). The breast
cancer and iris fixtures of models_reference.py are used as they are.

scikit-learn runs on one OpenMP thread: its root gradient sum is a parallel reduction
whose rounding depends on the thread count.
"""
import json
import os
import re

os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor  # noqa: E402
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper  # noqa: E402
from sklearn.metrics import accuracy_score, r2_score  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "reference")
FEATURES = 8
SEEDS = range(5)


def splitmix64(values):
    z = values + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def uniform(seed, rows, slot):
    """Uniform [0, 1) numbers for rows 0..rows-1, one independent stream per slot."""
    index = (np.uint64(seed) << np.uint64(40)) + np.arange(rows, dtype=np.uint64) * np.uint64(64) + np.uint64(slot)
    return (splitmix64(index) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def synthetic(kind, rows, seed):
    """Six smooth features (sums of three uniforms), one with 40 levels, one with 5; a
    noisy non-linear target: two classes, three classes, or a number."""
    with np.errstate(over="ignore"):
        x = np.empty((rows, FEATURES))
        for j in range(6):
            x[:, j] = ((uniform(seed, rows, 3 * j) + uniform(seed, rows, 3 * j + 1)) + uniform(seed, rows, 3 * j + 2)) - 1.5
        x[:, 6] = np.floor(uniform(seed, rows, 18) * 40.0) / 8.0
        x[:, 7] = np.floor(uniform(seed, rows, 19) * 5.0)
        noise = (uniform(seed, rows, 20) - 0.5) * 2.0
        x0, x1, x2, x3, x4, x5, x6, x7 = (x[:, j] for j in range(FEATURES))
        score = (((x0 + (2.0 * x1) * x2) - x3 * x3) + 0.5 * x4) + (0.25 * x6 - 0.3 * x7) + noise
        if kind == "binary":
            y = (score > 0.0).astype(np.float64)
        elif kind == "multiclass":
            s0 = score
            s1 = (x3 - x4 * x0) + (uniform(seed, rows, 21) - 0.5) * 2.0
            s2 = 0.5 * (x1 + x5) + 0.2 * x7 + (uniform(seed, rows, 22) - 0.5) * 2.0
            y = np.where((s1 > s0) & (s1 >= s2), 1.0, np.where((s2 > s0) & (s2 > s1), 2.0, 0.0))
        else:
            y = 3.0 * score + (x5 * x5) * 2.0
    return x, y


def read_fixture(name):
    # round_trip: the correctly rounded parse, as the C++ test's std::stod (pandas' default
    # parser can be one unit in the last place off).
    frame = pd.read_csv(os.path.join(OUT, name + ".csv"), float_precision="round_trip")
    return frame.drop(columns=["target"]).to_numpy(dtype=float), frame["target"].to_numpy(dtype=float)


def bin_edges(x, max_bins):
    return [edges.tolist() for edges in _BinMapper(n_bins=max_bins + 1).fit(x).bin_thresholds_]


def model_for(kind, **params):
    if kind == "regression":
        return HistGradientBoostingRegressor(**params)
    return HistGradientBoostingClassifier(**params)


def exact_case(kind, x_train, y_train, x_test, y_test, keep=100, **params):
    """A fit without early stopping, which our implementation should reproduce; per-row
    outputs for the first `keep` test rows, scores on all of them."""
    params = dict(early_stopping=False, random_state=0, **params)
    model = model_for(kind, **params).fit(x_train, y_train)
    case = {"params": {k: v for k, v in params.items() if k != "random_state"},
            "n_iter": int(model.n_iter_),
            "leaves": [[int(p.get_n_leaf_nodes()) for p in iteration] for iteration in model._predictors],
            "baseline": model._baseline_prediction.ravel().tolist()}
    if kind == "regression":
        case["test_prediction"] = model.predict(x_test[:keep]).tolist()
        case["test_r2"] = r2_score(y_test, model.predict(x_test))
    else:
        raw = model.decision_function(x_test[:keep])
        case["test_decision"] = (raw.reshape(-1, 1) if raw.ndim == 1 else raw).tolist()
        case["test_proba"] = model.predict_proba(x_test[:keep]).tolist()
        case["test_accuracy"] = accuracy_score(y_test, model.predict(x_test))
    return case


def stopping_case(kind, x_train, y_train, x_test, y_test, **params):
    """Early stopping on held-out rows: our split differs, so over five seeds."""
    iterations, scores = [], []
    for seed in SEEDS:
        model = model_for(kind, early_stopping=True, random_state=seed, **params).fit(x_train, y_train)
        iterations.append(int(model.n_iter_))
        predicted = model.predict(x_test)
        scores.append(r2_score(y_test, predicted) if kind == "regression" else accuracy_score(y_test, predicted))
    return {"params": params, "n_iter": iterations, "mean_n_iter": float(np.mean(iterations)),
            "scores": scores, "mean_score": float(np.mean(scores))}


def main():
    result = {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__}

    small = {kind: (synthetic(kind, 1200, 1), synthetic(kind, 400, 2))
             for kind in ("binary", "multiclass", "regression")}
    large = {kind: (synthetic(kind, 20000, 3), synthetic(kind, 5000, 4))
             for kind in ("binary", "multiclass", "regression")}
    # A check on the generator itself, so a drift in either copy shows up at once.
    result["generator_check"] = {"x_sum": float(np.sum(small["binary"][0][0])),
                                 "first_row": small["binary"][0][0][0].tolist(),
                                 "binary_positives": int(small["binary"][0][1].sum()),
                                 "multiclass_counts": np.bincount(small["multiclass"][0][1].astype(int)).tolist(),
                                 "regression_sum": float(np.sum(small["regression"][0][1]))}

    cancer_train, cancer_test = read_fixture("breast_cancer_train"), read_fixture("breast_cancer_test")
    iris_train, iris_test = read_fixture("iris_train"), read_fixture("iris_test")
    result["bin_thresholds"] = {
        "synthetic_255": bin_edges(small["binary"][0][0], 255),
        "synthetic_16": bin_edges(small["binary"][0][0], 16),
        # The first ten of its 30 features keep the file small.
        "breast_cancer_255": bin_edges(cancer_train[0], 255)[:10],
        "breast_cancer_7": bin_edges(cancer_train[0], 7)[:10],
        # n - 1 = 2 · 255: whole virtual indices, where midpoint takes one value.
        "synthetic_511_rows_255": bin_edges(synthetic("regression", 511, 5)[0], 255),
    }

    cases = {}
    for kind in ("binary", "multiclass", "regression"):
        (x_train, y_train), (x_test, y_test) = small[kind]
        cases[kind] = exact_case(kind, x_train, y_train, x_test, y_test)
        cases[kind + "_tuned"] = exact_case(kind, x_train, y_train, x_test, y_test, learning_rate=0.3, max_iter=40,
                                            max_leaf_nodes=15, max_depth=4, min_samples_leaf=7,
                                            l2_regularization=1.5, max_bins=63)
    cases["regression_no_leaf_limit"] = exact_case("regression", *small["regression"][0], *small["regression"][1],
                                                   max_iter=20, max_leaf_nodes=None, min_samples_leaf=30)
    cases["breast_cancer"] = exact_case("binary", *cancer_train, *cancer_test)
    cases["iris"] = exact_case("multiclass", *iris_train, *iris_test)
    for kind in ("binary", "multiclass", "regression"):
        cases["large_" + kind] = exact_case(kind, *large[kind][0], *large[kind][1])
    result["exact"] = cases

    # Early stopping on the training loss: no random split, so it should stop exactly
    # where scikit-learn stops, with the same losses.
    (x_train, y_train), _ = small["binary"]
    model = HistGradientBoostingClassifier(early_stopping=True, validation_fraction=None, n_iter_no_change=5,
                                           tol=1e-3, max_iter=300, random_state=0).fit(x_train, y_train)
    result["stopping_on_training_loss"] = {"params": {"n_iter_no_change": 5, "tol": 1e-3, "max_iter": 300},
                                           "n_iter": int(model.n_iter_),
                                           "train_loss": (-model.train_score_).tolist()}

    result["stopping_on_validation"] = {
        kind: stopping_case(kind, *large[kind][0], *large[kind][1], max_iter=500) for kind in large}

    # One line per innermost list of numbers: readable diffs at a tenth of the size.
    text = json.dumps(result, indent=1)
    text = re.sub(r"\[\s*([-0-9.eE+, \n]*?)\s*\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text)
    with open(os.path.join(OUT, "boosting_reference.json"), "w") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    main()
