#!/usr/bin/python3
"""Reference values for tests/engine/tst_decision_tree.cpp.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/trees_reference.py
Writes tests/data/reference/trees_reference.json:
  "trees":  small datasets (x, y, probe rows) and, per parameter set, scikit-learn's
            DecisionTreeClassifier / DecisionTreeRegressor node by node (feature,
            threshold, children, leaf values), its feature importances and the predictions
            for the probe rows. Every case is checked here to have no ties between
            candidate splits: the tree must be the same for 30 random_states, so any
            correct implementation, whatever its random stream, grows exactly this tree;
            and every split must beat the runner-up by more than rounding, scored from
            exact class counts (scikit-learn's own rounding can hide a tie).
  "oob":    out-of-bag scores of RandomForestClassifier / RandomForestRegressor
            (100 trees) over five seeds on the data of trees_oob_*.csv.
Feature values are float32-representable (rounded through float32 here), so the JSON
numbers are exactly what both implementations split on.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATASETS = os.path.join(ROOT, "resources", "datasets")
OUT = os.path.join(ROOT, "tests", "data", "reference")
TIE_CHECK_SEEDS = range(30)
OOB_SEEDS = range(5)


def as_float32(x):
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def tree_record(model, classification):
    tree = model.tree_
    leaf = tree.children_left < 0
    value = tree.value[:, 0, :]
    if classification:
        value = value / value.sum(axis=1, keepdims=True)
    return {
        "feature": [int(f) if not l else -1 for f, l in zip(tree.feature, leaf)],
        "threshold": [float(t) if not l else 0.0 for t, l in zip(tree.threshold, leaf)],
        "left": [int(c) for c in tree.children_left],
        "right": [int(c) for c in tree.children_right],
        "value": value.tolist(),
        "impurity": tree.impurity.tolist(),
        "n_node_samples": [int(n) for n in tree.n_node_samples],
    }


def split_scores(x, y, rows, classification, criterion, class_weight, min_leaf):
    """Every candidate split of the node holding `rows`, scored exactly as the builders do
    (the proxy of the impurity decrease), best first."""
    scores = []
    for f in range(x.shape[1]):
        order = rows[np.argsort(x[rows, f], kind="stable")]
        values = x[order, f].astype(np.float32)
        for p in range(min_leaf, len(order) - min_leaf + 1):
            if values[p] <= values[p - 1] + np.float32(1e-7):
                continue
            left, right = order[:p], order[p:]
            if classification:
                proxy = 0.0
                for side in (left, right):
                    a = np.bincount(y[side], minlength=len(class_weight)) * class_weight
                    if criterion == "gini":
                        proxy += (a ** 2).sum() / a.sum()
                    else:
                        a = a[a > 0]
                        proxy += (a * np.log(a)).sum() - a.sum() * np.log(a.sum())
            else:
                proxy = y[left].sum() ** 2 / len(left) + y[right].sum() ** 2 / len(right)
            scores.append(proxy)
    return sorted(scores, reverse=True)


def check_no_ties(model, x, y, classification, params):
    """Raises unless every split of the fitted tree beats the runner-up clearly: random
    streams decide ties, and scikit-learn's rounding can hide a tie that exact class
    counts expose."""
    tree = model.tree_
    criterion = "gini" if params.get("criterion", "gini") == "gini" else "entropy"
    if classification:
        counts = np.bincount(y)
        class_weight = (len(y) / (len(counts) * counts) if params.get("class_weight") == "balanced"
                        else np.ones(len(counts)))
    else:
        class_weight = None
    min_leaf = params.get("min_samples_leaf", 1)
    nodes = [(0, np.arange(len(y)))]
    while nodes:
        node, rows = nodes.pop()
        if tree.children_left[node] < 0:
            continue
        scores = split_scores(x, y, rows, classification, criterion, class_weight, min_leaf)
        if len(scores) > 1 and scores[0] - scores[1] <= 1e-9 * abs(scores[0]):
            raise SystemExit(f"ties between splits at node {node} for {params} ({scores[0]!r}, {scores[1]!r}): "
                             "choose other data")
        goes_left = x[rows, tree.feature[node]].astype(np.float32) <= tree.threshold[node]
        nodes.append((tree.children_left[node], rows[goes_left]))
        nodes.append((tree.children_right[node], rows[~goes_left]))


def tree_case(x, y, probe, classification, params):
    make = DecisionTreeClassifier if classification else DecisionTreeRegressor
    records = []
    for seed in TIE_CHECK_SEEDS:
        model = make(random_state=seed, **params).fit(x, y)
        record = tree_record(model, classification)
        records.append((record["feature"], record["threshold"], record["left"]))
    if any(r != records[0] for r in records):
        raise SystemExit(f"ties between splits for {params}: choose other data")
    model = make(random_state=0, **params).fit(x, y)
    check_no_ties(model, x, y, classification, params)
    case = {"params": {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}}
    case.update(tree_record(model, classification))
    case["feature_importances"] = model.feature_importances_.tolist()
    case["depth"] = int(model.get_depth())
    case["leaves"] = int(model.get_n_leaves())
    if classification:
        case["probe_proba"] = model.predict_proba(probe).tolist()
    case["probe_predict"] = model.predict(probe).tolist()
    return case


def dataset(name, x, y, classification, probe_rows, cases):
    x = as_float32(x)
    rng = np.random.RandomState(7)
    # Probe rows: training rows and points between them, as float32 values.
    probe = as_float32(np.vstack([x[:probe_rows], x[rng.choice(len(x), probe_rows)] * 0.97 + 0.01]))
    entry = {
        "classification": classification,
        "classes": int(len(np.unique(y))) if classification else 0,
        "x": x.tolist(),
        "y": [int(v) for v in y] if classification else [float(v) for v in y],
        "probe": probe.tolist(),
        "cases": [tree_case(x, y, probe, classification, params) for params in cases],
    }
    print(f"{name}: {len(x)} rows, " + ", ".join(str(c["leaves"]) + " leaves" for c in entry["cases"]))
    return entry


def write_csv(name, x, y):
    """Writes the rows with 7 significant digits and returns them as read back."""
    path = os.path.join(OUT, name + ".csv")
    columns = ["x%d" % i for i in range(x.shape[1])]
    frame = pd.DataFrame(x, columns=columns)
    frame["target"] = y
    frame.to_csv(path, index=False, float_format="%.7g")
    back = pd.read_csv(path)
    return back[columns].to_numpy(dtype=float), back["target"].to_numpy()


def oob_case(make, x, y, **params):
    scores = [make(n_estimators=100, oob_score=True, random_state=seed, n_jobs=2, **params).fit(x, y).oob_score_
              for seed in OOB_SEEDS]
    return {"params": params, "scores": scores, "mean": float(np.mean(scores)), "std": float(np.std(scores, ddof=1))}


def main():
    os.makedirs(OUT, exist_ok=True)
    result = {"sklearn_version": sklearn.__version__}

    # Iris without petal width: petal width separates setosa exactly as petal length does,
    # a tie at the root. Its repeated values tie deeper down too, hence the limits.
    iris = pd.read_csv(os.path.join(DATASETS, "iris.csv"))
    iris_x = iris[["sepal_length", "sepal_width", "petal_length"]].to_numpy()
    iris_y = pd.Categorical(iris["species"]).codes
    trees = {}
    trees["iris"] = dataset("iris", iris_x, iris_y, True, 10, [
        {"criterion": "gini", "max_depth": 3},
        {"criterion": "entropy", "max_depth": 3},
        {"criterion": "gini", "min_samples_leaf": 5},
        {"criterion": "gini", "min_samples_leaf": 8},
    ])

    # Fully grown trees always tie somewhere (two rows left in a node: every feature that
    # separates them is as good), and so do nodes where two features cut off the same
    # rows; these datasets and limits were picked, with the check above, to have none.
    x, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                               weights=[0.5, 0.3, 0.2], flip_y=0.0, class_sep=1.5, random_state=6)
    trees["three_classes"] = dataset("three_classes", x, y, True, 12, [
        {"criterion": "gini", "max_depth": 4},
        {"criterion": "entropy", "max_depth": 4},
        {"criterion": "gini", "min_samples_leaf": 10},
        {"criterion": "entropy", "min_samples_leaf": 10},
        {"criterion": "gini", "min_samples_leaf": 10, "min_samples_split": 40},
        {"criterion": "gini", "max_depth": 3, "class_weight": "balanced"},
        {"criterion": "log_loss", "max_depth": 3, "class_weight": "balanced"},
    ])

    x, y = make_classification(n_samples=300, n_features=5, n_informative=3, n_redundant=0, n_classes=2,
                               weights=[0.75, 0.25], flip_y=0.01, random_state=4)
    trees["imbalanced_binary"] = dataset("imbalanced_binary", x, y, True, 12, [
        {"criterion": "entropy", "max_depth": 4, "class_weight": "balanced"},
        {"criterion": "gini", "min_samples_leaf": 25, "class_weight": "balanced"},
    ])

    x, y = make_regression(n_samples=200, n_features=3, n_informative=3, noise=8.0, random_state=4)
    trees["regression"] = dataset("regression", x, y, False, 12, [
        {"criterion": "squared_error", "max_depth": 4},
        {"criterion": "squared_error", "min_samples_leaf": 5},
        {"criterion": "squared_error", "min_samples_leaf": 10},
        {"criterion": "squared_error", "min_samples_split": 30},
    ])
    result["trees"] = trees

    x, y = make_classification(n_samples=1500, n_features=10, n_informative=5, n_redundant=2, random_state=11)
    x, y = write_csv("trees_oob_classification", x, y)
    x_reg, y_reg = make_regression(n_samples=1500, n_features=8, n_informative=5, noise=15.0, random_state=12)
    x_reg, y_reg = write_csv("trees_oob_regression", x_reg, y_reg)
    result["oob"] = {
        "classifier": oob_case(RandomForestClassifier, x, y),
        "classifier_entropy": oob_case(RandomForestClassifier, x, y, criterion="entropy"),
        "regressor": oob_case(RandomForestRegressor, x_reg, y_reg),
    }
    for name, case in result["oob"].items():
        print(f"oob {name}: mean {case['mean']:.4f} std {case['std']:.4f}")

    with open(os.path.join(OUT, "trees_reference.json"), "w") as out:
        json.dump(result, out)
        out.write("\n")


if __name__ == "__main__":
    main()
