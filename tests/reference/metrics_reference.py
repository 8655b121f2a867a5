#!/usr/bin/python3
"""Reference values for tests/engine/tst_metrics.cpp, computed with scikit-learn.

Fixed labels and probabilities (seeded), with tied scores, probabilities of exactly 0
and 1 for the actual class (log-loss clipping), a class that is never predicted
(zero_division) and a class absent from the actual labels (ROC-AUC undefined, macro
averages over scikit-learn's default labels). Writes tests/data/metrics_reference.json.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/metrics_reference.py
"""
import json
import math
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, classification_report, confusion_matrix, f1_score, log_loss,
                             mean_absolute_error, mean_squared_error, precision_recall_fscore_support,
                             precision_score, r2_score, recall_score, roc_auc_score)
from sklearn.utils.multiclass import unique_labels

ROOT = pathlib.Path(__file__).resolve().parents[2]


def tenths(rng, rows, classes):
    """Probabilities in steps of 0.1 (many ties), each row summing to exactly 10 tenths."""
    out = np.zeros((rows, classes))
    for r in range(rows):
        cuts = np.sort(rng.randint(0, 11, size=classes - 1))
        parts = np.diff(np.concatenate(([0], cuts, [10])))
        out[r] = parts / 10.0
    return out


def classification_case(actual, predicted, proba, names, digits=2):
    classes = len(names)
    labels = list(range(classes))
    p, r, f, s = precision_recall_fscore_support(actual, predicted, labels=labels, average=None, zero_division=0)
    present = unique_labels(actual, predicted)
    try:
        if classes == 2:
            auc = roc_auc_score(actual, proba[:, 1])
        else:
            auc = roc_auc_score(actual, proba, multi_class="ovr", average="macro")
    except ValueError:
        auc = None
    return {
        "class_count": classes,
        "class_names": names,
        "actual": [int(v) for v in actual],
        "predicted": [int(v) for v in predicted],
        "proba": proba.tolist(),
        "expected": {
            "accuracy": accuracy_score(actual, predicted),
            "precision_macro": precision_score(actual, predicted, average="macro", zero_division=0),
            "recall_macro": recall_score(actual, predicted, average="macro", zero_division=0),
            "f1_macro": f1_score(actual, predicted, average="macro", zero_division=0),
            "precision_weighted": precision_score(actual, predicted, average="weighted", zero_division=0),
            "recall_weighted": recall_score(actual, predicted, average="weighted", zero_division=0),
            "f1_weighted": f1_score(actual, predicted, average="weighted", zero_division=0),
            "per_class": [{"precision": float(p[c]), "recall": float(r[c]), "f1": float(f[c]),
                           "support": int(s[c])} for c in labels],
            "confusion": confusion_matrix(actual, predicted, labels=labels).tolist(),
            "roc_auc": auc,
            "log_loss": log_loss(actual, proba, labels=labels),
            "report_digits": digits,
            "report": classification_report(actual, predicted, target_names=[names[c] for c in present],
                                            digits=digits, zero_division=0),
        },
    }


def regression_case(actual, predicted):
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    return {
        "actual": actual.tolist(),
        "predicted": predicted.tolist(),
        "expected": {
            "mse": mean_squared_error(actual, predicted),
            "rmse": mean_squared_error(actual, predicted, squared=False),
            "mae": mean_absolute_error(actual, predicted),
            "r2": r2_score(actual, predicted),
        },
    }


def main():
    rng = np.random.RandomState(7)
    cases = {}

    # Binary: scores in tenths (ties), some 0/1 probabilities on the wrong side.
    rows = 40
    actual = rng.randint(0, 2, size=rows)
    positive = np.round(np.clip(actual * 0.3 + rng.rand(rows) * 0.7, 0, 1) * 10) / 10
    positive[[3, 11]] = 1.0 - actual[[3, 11]]  # certain and wrong: clipping decides the loss
    proba = np.column_stack([1.0 - positive, positive])
    predicted = (positive >= 0.5).astype(int)
    cases["binary"] = classification_case(actual, predicted, proba, ["died", "survived"])

    # Three classes: class 2 ("virginica") is never predicted.
    rows = 45
    actual = rng.randint(0, 3, size=rows)
    proba = tenths(rng, rows, 3)
    proba[5] = [0.0, 0.0, 1.0] if actual[5] != 2 else [1.0, 0.0, 0.0]
    predicted = np.argmax(proba[:, :2], axis=1)
    cases["three_class"] = classification_case(actual, predicted, proba, ["setosa", "versicolor", "virginica"])
    cases["three_class_digits4"] = classification_case(actual, predicted, proba,
                                                       ["setosa", "versicolor", "virginica"], digits=4)

    # Four classes: class 2 only predicted, class 3 nowhere; names longer than
    # "weighted avg" widen the report.
    rows = 30
    actual = rng.choice([0, 1], size=rows)
    predicted = rng.choice([0, 1, 2], size=rows)
    proba = tenths(rng, rows, 4)
    cases["four_class_absent"] = classification_case(
        actual, predicted, proba, ["alpha", "a much longer class name", "gamma", "delta"])

    regression = {}
    actual = rng.normal(20, 5, size=50)
    regression["noisy"] = regression_case(actual, actual + rng.normal(0, 2, size=50))
    regression["perfect_constant"] = regression_case([3.0] * 6, [3.0] * 6)
    regression["constant_actual"] = regression_case([3.0] * 6, [3.0, 3.5, 2.0, 3.0, 3.0, 4.0])
    regression["worse_than_mean"] = regression_case([1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0])

    out = {
        "about": "scikit-learn " + sklearn.__version__ + " reference for tst_metrics; generated by "
                 "tests/reference/metrics_reference.py",
        "classification": cases,
        "regression": regression,
    }
    target = ROOT / "tests/data/metrics_reference.json"
    target.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
