#!/usr/bin/python3
"""Reference curves for tests/engine/tst_curves.cpp, computed with scikit-learn.

Scores come from the shared datasets: a logistic regression's probabilities on the
breast-cancer test rows, a 7-neighbour classifier's probabilities (only eight distinct
values, so many ties and duplicate quantile edges), a decision function over one-hot
titanic columns (negative and positive, few distinct values), a tiny hand case with
probabilities on the uniform bin edges, a case where every score is equal and one with
no positive row. For each: roc_curve (drop_intermediate=True) with auc,
precision_recall_curve with average_precision_score, calibration_curve for both
strategies, and the confusion matrix of `score > t` at several thresholds.
Writes tests/data/reference/curves.json.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/curves_reference.py
"""
import json
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, auc, average_precision_score, confusion_matrix, f1_score,
                             precision_recall_curve, precision_score, recall_score, roc_curve)
from sklearn.neighbors import KNeighborsClassifier

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "reference"
DATASETS = ROOT / "resources" / "datasets"


def floats(values):
    return [float(v) for v in values]


def calibration(y, prob, bins, strategy):
    prob_true, prob_pred = calibration_curve(y, prob, n_bins=bins, strategy=strategy)
    # calibration_curve does not return the rows per bin; count them with the same bin
    # assignment it uses (1.2.1: np.searchsorted on the inner edges).
    if strategy == "quantile":
        edges = np.percentile(prob, np.linspace(0, 1, bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, bins + 1)
    totals = np.bincount(np.searchsorted(edges[1:-1], prob), minlength=len(edges))
    counts = totals[totals != 0]
    assert len(counts) == len(prob_true) and counts.sum() == len(prob)
    return {"bins": bins, "strategy": strategy, "edges": floats(edges), "mean_predicted": floats(prob_pred),
            "fraction_positive": floats(prob_true), "counts": [int(c) for c in counts]}


def threshold_point(y, score, t):
    predicted = (score > t).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, predicted, labels=[0, 1]).ravel()
    return {"threshold": float(t), "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
            "precision": precision_score(y, predicted, zero_division=0),
            "recall": recall_score(y, predicted, zero_division=0),
            "f1": f1_score(y, predicted, zero_division=0),
            "specificity": tn / (tn + fp) if tn + fp else 0.0,
            "false_positive_rate": fp / (fp + tn) if fp + tn else 0.0,
            "accuracy": accuracy_score(y, predicted)}


def case(name, y, score, calibrations=()):
    y = np.asarray(y, dtype=int)
    score = np.asarray(score, dtype=float)
    out = {"name": name, "positive": [int(v) for v in y], "score": floats(score)}
    if 0 < y.sum() < len(y):
        fpr, tpr, thresholds = roc_curve(y, score, drop_intermediate=True)
        out["roc"] = {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thresholds),
                      "auc": float(auc(fpr, tpr))}
    else:
        out["roc"] = None
    if y.sum() > 0:
        precision, recall, thresholds = precision_recall_curve(y, score)
        out["precision_recall"] = {"precision": floats(precision), "recall": floats(recall),
                                   "thresholds": floats(thresholds),
                                   "average_precision": float(average_precision_score(y, score))}
    else:
        out["precision_recall"] = None
    out["calibration"] = [calibration(y, score, bins, strategy) for bins, strategy in calibrations]

    distinct = np.unique(score)
    thresholds = {distinct[0] - 1.0, distinct[-1] + 1.0, 0.0, 0.5, float(np.median(score)),
                  distinct[0], distinct[len(distinct) // 2], distinct[-1]}
    if len(distinct) > 1:
        thresholds.add((distinct[0] + distinct[1]) / 2)
        thresholds.add(np.nextafter(distinct[-1], -np.inf))
    out["threshold_points"] = [threshold_point(y, score, t) for t in sorted(thresholds)]
    return out


def main():
    train = pd.read_csv(REFERENCE / "breast_cancer_train.csv")
    test = pd.read_csv(REFERENCE / "breast_cancer_test.csv")
    x_train, y_train = train.drop(columns="target").to_numpy(), train["target"].to_numpy()
    x_test, y_test = test.drop(columns="target").to_numpy(), test["target"].to_numpy()
    logistic = LogisticRegression(max_iter=1000).fit(x_train, y_train).predict_proba(x_test)[:, 1]
    knn = KNeighborsClassifier(n_neighbors=7).fit(x_train, y_train).predict_proba(x_test)[:, 1]

    titanic = pd.read_csv(DATASETS / "titanic.csv")
    onehot = pd.get_dummies(titanic[["sex", "pclass", "embarked"]].astype(str)).to_numpy(dtype=float)
    decision = LogisticRegression(max_iter=1000).fit(onehot, titanic["survived"]).decision_function(onehot)

    hand_y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0]
    hand_score = [0.1, 0.2, 0.3, 0.3, 0.4, 0.5, 0.5, 0.7, 0.9, 0.9, 1.0, 0.0]

    cases = [
        case("breast_cancer_logistic", y_test, logistic,
             [(10, "uniform"), (10, "quantile"), (7, "quantile")]),
        case("breast_cancer_knn", y_test, knn, [(10, "uniform"), (10, "quantile"), (5, "uniform")]),
        case("titanic_decision", titanic["survived"], decision),
        case("hand", hand_y, hand_score, [(10, "uniform"), (4, "quantile"), (3, "uniform")]),
        case("all_equal", [1, 0, 0, 1, 1], [0.5] * 5, [(10, "uniform"), (10, "quantile")]),
        case("no_positive", [0, 0, 0, 0], [0.2, 0.8, 0.2, 0.4], [(2, "uniform"), (3, "quantile")]),
    ]
    # The quantile case with duplicate edges must really have them.
    knn_quantile = cases[1]["calibration"][1]
    assert len(set(knn_quantile["edges"])) < len(knn_quantile["edges"])

    out = {"generator": "tests/reference/curves_reference.py", "sklearn": sklearn.__version__,
           "numpy": np.__version__, "cases": cases}
    path = REFERENCE / "curves.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
