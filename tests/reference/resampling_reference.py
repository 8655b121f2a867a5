#!/usr/bin/python3
"""Reference values for tests/engine/tst_resampling.cpp: class balancing.

Run with Debian's imbalanced-learn 0.10 and scikit-learn 1.2.1:
    /usr/bin/python3 tests/reference/resampling_reference.py
Writes
  tests/data/resampling_reference.json
      data sets (imbalanced make_classification, values exactly as the test reads them),
      the class counts imbalanced-learn's samplers give (sampling_strategy="auto"), each
      minority row's k nearest same-class neighbours as sklearn's NearestNeighbors finds
      them, LogisticRegression(class_weight="balanced") coefficients, and a hand-made
      forest example with its exact class-weighted tree.
  tests/data/reference/rf_imbalanced_{train,test}.csv
      an imbalanced problem for the forest's class_weight behaviour (minority recall
      averaged over five seeds, as the other forest references are).
"""
import json
import os

import numpy as np
import pandas as pd
import imblearn
import sklearn
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NearestNeighbors

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests", "data")
SEEDS = range(5)


def counts(y, classes):
    return [int(np.sum(y == c)) for c in range(classes)]


def neighbour_lists(x, y, k):
    """Per row (index into x) of every class that SMOTE tops up: its k nearest other rows
    of the same class, nearest first, as row indices of x."""
    majority = int(np.argmax(np.bincount(y)))
    result = {}
    for c in np.unique(y):
        if c == majority:
            continue
        members = np.flatnonzero(y == c)
        nn = NearestNeighbors(n_neighbors=k + 1).fit(x[members])
        distance, index = nn.kneighbors(x[members])
        for row, (d, neighbours) in enumerate(zip(distance, index)):
            # The row itself comes first (distance 0, no duplicates in these data).
            assert neighbours[0] == row and d[0] == 0.0 and d[1] > 0.0
            result[str(int(members[row]))] = [int(members[j]) for j in neighbours[1:]]
    return result


def check_smote_rows(x, y, x_new, y_new, lists):
    """imbalanced-learn's own synthetic rows lie on the segments the lists describe, so
    the lists are the right yardstick for ours."""
    for point, label in zip(x_new, y_new):
        ok = False
        for row, neighbours in lists.items():
            base = x[int(row)]
            if y[int(row)] != label:
                continue
            for other in neighbours:
                direction = x[other] - base
                t = np.dot(point - base, direction) / np.dot(direction, direction)
                if -1e-12 <= t <= 1 + 1e-12 and np.max(np.abs(base + t * direction - point)) <= 1e-9:
                    ok = True
                    break
            if ok:
                break
        assert ok, "an imblearn SMOTE row is on no neighbour segment"


def sampling_case(x, y, classes):
    case = {"x": x.tolist(), "y": [int(v) for v in y], "classes": classes, "counts": counts(y, classes)}
    over_x, over_y = RandomOverSampler(random_state=0).fit_resample(x, y)
    under_x, under_y = RandomUnderSampler(random_state=0).fit_resample(x, y)
    case["over_counts"] = counts(over_y, classes)
    case["under_counts"] = counts(under_y, classes)
    case["smote"] = {}
    for k in (5, 3):
        smote_x, smote_y = SMOTE(k_neighbors=k, random_state=0).fit_resample(x, y)
        # SMOTE keeps the original rows first, unchanged.
        assert np.array_equal(smote_x[: len(x)], x) and np.array_equal(smote_y[: len(y)], y)
        lists = neighbour_lists(x, y, k)
        check_smote_rows(x, y, smote_x[len(x):], smote_y[len(y):], lists)
        case["smote"][str(k)] = {"counts": counts(smote_y, classes), "neighbours": lists}
    return case


def readable(x, digits=12):
    """Rounds to `digits` significant digits, so JSON holds short numbers that the C++
    reader turns into exactly the doubles used here."""
    return np.array([[float("%.*g" % (digits, v)) for v in row] for row in x])


def logistic_case(x, y):
    model = LogisticRegression(class_weight="balanced").fit(x, y)
    plain = LogisticRegression().fit(x, y)
    minority = int(np.argmin(np.bincount(y)))
    return {
        "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "n_iter": int(model.n_iter_[0]),
        "train_minority_recall": float(recall_score(y, model.predict(x), labels=[minority], average="macro")),
        "train_minority_recall_unweighted": float(recall_score(y, plain.predict(x), labels=[minority],
                                                               average="macro")),
    }


def breast_cancer_case():
    """The standardised breast cancer fixtures of models_reference.py (212 / 357 rows)."""
    def load(name):
        frame = pd.read_csv(os.path.join(DATA, "reference", name + ".csv"))
        return frame.drop(columns=["target"]).to_numpy(dtype=float), frame["target"].to_numpy()
    x_train, y_train = load("breast_cancer_train")
    x_test, _ = load("breast_cancer_test")
    case = logistic_case(x_train, y_train)
    model = LogisticRegression(class_weight="balanced").fit(x_train, y_train)
    case["test_proba"] = model.predict_proba(x_test).tolist()
    return case


def tree_case():
    """A 12-row problem where class_weight="balanced" changes the tree: sklearn's forest of
    one tree on all rows (no bootstrap) and every feature, so it is deterministic."""
    x = np.array([[0, 0.3], [1, 2.1], [2, 1.7], [3, 0.2], [4, 3.3], [5, 2.8],
                  [6, 0.9], [7, 4.4], [8, 1.1], [9, 3.9], [10, 2.2], [11, 0.5]])
    y = np.array([0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1])
    case = {"x": x.tolist(), "y": y.tolist()}
    for weight in (None, "balanced"):
        trees = []
        for seed in range(5):
            forest = RandomForestClassifier(n_estimators=1, bootstrap=False, max_features=None, max_depth=2,
                                            class_weight=weight, random_state=seed).fit(x, y)
            tree = forest.estimators_[0].tree_
            value = tree.value[:, 0, :]
            trees.append({
                "feature": [int(f) for f in tree.feature],
                "threshold": [float(t) for t in tree.threshold],
                "impurity": tree.impurity.tolist(),
                "weighted_n_node_samples": tree.weighted_n_node_samples.tolist(),
                "leaf_proba": (value / value.sum(axis=1, keepdims=True)).tolist(),
                "feature_importances": forest.feature_importances_.tolist(),
            })
        # No ties between splits: every feature order gives the same tree.
        assert all(t == trees[0] for t in trees)
        case["balanced" if weight else "none"] = trees[0]
    return case


def write_split(name, columns, x, y, digits):
    path = os.path.join(DATA, "reference", name + ".csv")
    frame = pd.DataFrame(x, columns=columns)
    frame["target"] = y
    frame.to_csv(path, index=False, float_format="%." + str(digits) + "g")
    back = pd.read_csv(path)
    return back[columns].to_numpy(dtype=float), back["target"].to_numpy()


def forest_case():
    x, y = make_classification(n_samples=3000, n_features=10, n_informative=4, n_redundant=2,
                               weights=[0.9, 0.1], flip_y=0.02, class_sep=0.8, random_state=5)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.5, random_state=0, stratify=y)
    columns = ["x%d" % i for i in range(x.shape[1])]
    x_train, y_train = write_split("rf_imbalanced_train", columns, x_train, y_train, 7)
    x_test, y_test = write_split("rf_imbalanced_test", columns, x_test, y_test, 7)
    result = {"params": {"n_estimators": 100, "max_depth": 4}}
    for weight in (None, "balanced"):
        recalls, accuracies = [], []
        for seed in SEEDS:
            forest = RandomForestClassifier(n_estimators=100, max_depth=4, class_weight=weight,
                                            random_state=seed, n_jobs=2).fit(x_train, y_train)
            predicted = forest.predict(x_test)
            recalls.append(recall_score(y_test, predicted))
            accuracies.append(accuracy_score(y_test, predicted))
        result["balanced" if weight else "none"] = {
            "minority_recalls": recalls,
            "mean_minority_recall": float(np.mean(recalls)),
            "mean_accuracy": float(np.mean(accuracies)),
        }
    return result


def main():
    os.makedirs(os.path.join(DATA, "reference"), exist_ok=True)
    x, y = make_classification(n_samples=600, n_features=6, n_informative=4, n_redundant=0, weights=[0.9, 0.1],
                               flip_y=0, random_state=3)
    binary_x = readable(x)
    x, y3 = make_classification(n_samples=500, n_features=5, n_informative=3, n_redundant=0, n_classes=3,
                                n_clusters_per_class=1, weights=[0.6, 0.3, 0.1], flip_y=0, random_state=4)
    three_x = readable(x)
    out = {
        "about": "imbalanced-learn " + imblearn.__version__ + " / scikit-learn " + sklearn.__version__ +
                 " reference for tst_resampling; generated by tests/reference/resampling_reference.py",
        "binary": sampling_case(binary_x, y, 2),
        "three_class": sampling_case(three_x, y3, 3),
        "logistic_balanced": {"binary": logistic_case(binary_x, y), "three_class": logistic_case(three_x, y3),
                              "breast_cancer": breast_cancer_case()},
        "tree": tree_case(),
        "forest": forest_case(),
    }
    with open(os.path.join(DATA, "resampling_reference.json"), "w") as stream:
        json.dump(out, stream)
        stream.write("\n")


if __name__ == "__main__":
    main()
