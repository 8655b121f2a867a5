#!/usr/bin/python3
"""Reference values for tests/engine/tst_evaluation_metrics.cpp: every classification
and regression metric of the Evaluation step, computed with scikit-learn 1.2.1 (NumPy
for per-class specificity from sklearn's multilabel confusion matrix and for the
multiclass Brier score, which scikit-learn 1.2 does not have).

Predictions come from quick scikit-learn models on the bundled datasets (binary:
breast_cancer, titanic; three classes: iris, wine; four classes: tips' day; regression:
diabetes, mpg, tips), plus hand-made edge cases: a class absent from the predictions, a
single class in y_true, perfect and all-wrong predictions, tied probabilities, no
probabilities, a zero actual value for MAPE, constant actual values, one row.

How "absent" maps (null in the fixture):
- roc_auc*, average_precision: null where roc_auc_score raises ValueError (a class of
  the problem missing from y_true, binary or multiclass) or without probabilities. For
  average precision scikit-learn does not raise there but warns and scores the class
  without positives as 0 (or 1 when every row is positive); the engine treats that as
  undefined, as for ROC AUC, so the fixture holds null too.
- log_loss, brier: null without probabilities only.
- cohen_kappa: null where scikit-learn returns NaN (expected agreement 1: one class
  everywhere); matthews_corrcoef returns 0 there, and so does the engine.
- r2: null where r2_score returns NaN (one row).

Writes tests/data/reference/evaluation_metrics.json.
Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/evaluation_metrics_reference.py
"""
import json
import math
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, average_precision_score, balanced_accuracy_score, brier_score_loss,
                             classification_report, cohen_kappa_score, confusion_matrix, explained_variance_score,
                             f1_score, log_loss, matthews_corrcoef, mean_absolute_error,
                             mean_absolute_percentage_error, mean_squared_error, median_absolute_error,
                             multilabel_confusion_matrix, precision_recall_fscore_support, precision_score,
                             r2_score, recall_score, roc_auc_score)
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler, label_binarize
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.multiclass import unique_labels

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASETS = ROOT / "resources/datasets"


def finite(value):
    """JSON has no NaN: undefined values are null."""
    value = float(value)
    return None if math.isnan(value) else value


def or_none(compute):
    """The value, or None where scikit-learn raises ValueError (undefined)."""
    try:
        return finite(compute())
    except ValueError:
        return None


def classification_case(actual, predicted, proba, names):
    actual = np.asarray(actual, dtype=int)
    predicted = np.asarray(predicted, dtype=int)
    k = len(names)
    labels = list(range(k))
    p, r, f, s = precision_recall_fscore_support(actual, predicted, labels=labels, average=None, zero_division=0)
    mcm = multilabel_confusion_matrix(actual, predicted, labels=labels)
    tn, fp = mcm[:, 0, 0].astype(float), mcm[:, 0, 1].astype(float)
    specificity = np.divide(tn, tn + fp, out=np.zeros(k), where=(tn + fp) != 0)
    present = unique_labels(actual, predicted)

    def averaged(metric, average):
        return metric(actual, predicted, average=average, zero_division=0)

    expected = {
        "accuracy": accuracy_score(actual, predicted),
        "balanced_accuracy": balanced_accuracy_score(actual, predicted),
        "precision_macro": averaged(precision_score, "macro"),
        "recall_macro": averaged(recall_score, "macro"),
        "f1_macro": averaged(f1_score, "macro"),
        "specificity_macro": float(np.mean(specificity[present])),
        "precision_micro": averaged(precision_score, "micro"),
        "recall_micro": averaged(recall_score, "micro"),
        "f1_micro": averaged(f1_score, "micro"),
        "precision_weighted": averaged(precision_score, "weighted"),
        "recall_weighted": averaged(recall_score, "weighted"),
        "f1_weighted": averaged(f1_score, "weighted"),
        "mcc": finite(matthews_corrcoef(actual, predicted)),
        "cohen_kappa": finite(cohen_kappa_score(actual, predicted)),
        "per_class": [{"precision": float(p[c]), "recall": float(r[c]), "f1": float(f[c]),
                       "specificity": float(specificity[c]), "support": int(s[c])} for c in labels],
        "confusion": confusion_matrix(actual, predicted, labels=labels).tolist(),
        "report": classification_report(actual, predicted, target_names=[names[c] for c in present],
                                        zero_division=0),
    }
    ranking = ["roc_auc", "roc_auc_ovr_weighted", "roc_auc_ovo", "roc_auc_ovo_weighted", "average_precision"]
    if proba is None:
        expected.update({name: None for name in ranking + ["log_loss", "brier"]})
        proba_rows = []
    else:
        proba = np.asarray(proba, dtype=float)
        proba_rows = proba.tolist()
        expected["log_loss"] = log_loss(actual, proba, labels=labels)
        if k == 2:
            score = proba[:, 1]
            expected["roc_auc"] = or_none(lambda: roc_auc_score(actual, score))
            expected["roc_auc_ovr_weighted"] = or_none(lambda: roc_auc_score(actual, score, average="weighted"))
            expected["roc_auc_ovo"] = or_none(lambda: roc_auc_score(actual, score, multi_class="ovo"))
            expected["roc_auc_ovo_weighted"] = or_none(
                lambda: roc_auc_score(actual, score, multi_class="ovo", average="weighted"))
            average_precision = average_precision_score(actual, score)
            expected["brier"] = brier_score_loss(actual, score)
        else:
            def auc(multi_class, average):
                return or_none(lambda: roc_auc_score(actual, proba, multi_class=multi_class, average=average))
            expected["roc_auc"] = auc("ovr", "macro")
            expected["roc_auc_ovr_weighted"] = auc("ovr", "weighted")
            expected["roc_auc_ovo"] = auc("ovo", "macro")
            expected["roc_auc_ovo_weighted"] = auc("ovo", "weighted")
            average_precision = average_precision_score(label_binarize(actual, classes=labels), proba,
                                                        average="macro")
            one_hot = np.eye(k)[actual]
            expected["brier"] = float(np.mean(np.sum((proba - one_hot) ** 2, axis=1)))
        # See the module docstring: scikit-learn's warning value is not a score.
        expected["average_precision"] = None if expected["roc_auc"] is None else float(average_precision)
    return {"class_count": k, "class_names": names, "actual": actual.tolist(), "predicted": predicted.tolist(),
            "proba": proba_rows, "expected": expected}


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
            "r2": finite(r2_score(actual, predicted)),
            "median_ae": median_absolute_error(actual, predicted),
            "explained_variance": finite(explained_variance_score(actual, predicted)),
            "mape": mean_absolute_percentage_error(actual, predicted),
        },
    }


def model_case(model, features, target, names, test_size, seed):
    x_train, x_test, y_train, y_test = train_test_split(features, target, test_size=test_size, random_state=seed,
                                                        stratify=target)
    model.fit(x_train, y_train)
    return classification_case(y_test, model.predict(x_test), model.predict_proba(x_test), names)


def dataset_cases():
    cases = {}

    cancer = pd.read_csv(DATASETS / "breast_cancer.csv")
    features = StandardScaler().fit_transform(cancer.drop(columns="target"))
    cases["breast_cancer_logistic"] = model_case(LogisticRegression(C=0.02), features, cancer["target"].to_numpy(),
                                                 ["malignant", "benign"], 0.3, 0)

    # A shallow tree: few distinct probabilities, so many ties in the rankings.
    titanic = pd.read_csv(DATASETS / "titanic.csv")
    features = pd.DataFrame({"pclass": titanic["pclass"], "male": (titanic["sex"] == "male").astype(int),
                             "age": titanic["age"].fillna(titanic["age"].median()), "sibsp": titanic["sibsp"],
                             "parch": titanic["parch"], "fare": titanic["fare"]}).to_numpy()
    cases["titanic_tree"] = model_case(DecisionTreeClassifier(max_depth=4, random_state=0), features,
                                       titanic["survived"].to_numpy(), ["died", "survived"], 0.3, 0)

    iris = pd.read_csv(DATASETS / "iris.csv")
    species = ["setosa", "versicolor", "virginica"]
    cases["iris_naive_bayes"] = model_case(GaussianNB(), iris.drop(columns="species").to_numpy(),
                                           iris["species"].map(species.index).to_numpy(), species, 0.4, 1)

    # k-NN on unscaled wine: probabilities in sevenths (ties) and a fair share of mistakes.
    wine = pd.read_csv(DATASETS / "wine.csv")
    cases["wine_knn"] = model_case(KNeighborsClassifier(n_neighbors=7), wine.drop(columns="target").to_numpy(),
                                   wine["target"].to_numpy(), ["class_0", "class_1", "class_2"], 0.4, 2)

    # Four classes, one of them rare (Friday): six one-vs-one pairs of unequal prevalence.
    tips = pd.read_csv(DATASETS / "tips.csv")
    days = ["Thur", "Fri", "Sat", "Sun"]
    features = pd.DataFrame({"total_bill": tips["total_bill"], "tip": tips["tip"], "size": tips["size"],
                             "dinner": (tips["time"] == "Dinner").astype(int),
                             "smoker": (tips["smoker"] == "Yes").astype(int)}).to_numpy()
    cases["tips_day_forest"] = model_case(RandomForestClassifier(n_estimators=25, max_depth=4, random_state=0),
                                          features, tips["day"].map(days.index).to_numpy(), days, 0.5, 3)
    return cases


def edge_cases():
    rng = np.random.RandomState(11)
    cases = {}

    # Class 2 occurs in y_true but is never predicted: zero_division=0 for its precision.
    actual = np.concatenate([[0, 1, 2], rng.randint(0, 3, size=37)])
    proba = rng.dirichlet([1.0, 1.0, 1.0], size=40)
    cases["absent_from_predictions"] = classification_case(actual, np.argmax(proba[:, :2], axis=1), proba,
                                                           ["a", "b", "c"])

    # Only one class in y_true: every ranking measure is undefined.
    proba = rng.dirichlet([1.0, 1.0], size=12)
    cases["single_class_binary"] = classification_case(np.ones(12, dtype=int), np.argmax(proba, axis=1), proba,
                                                       ["no", "yes"])
    proba = rng.dirichlet([1.0, 1.0, 1.0], size=15)
    cases["single_class_multiclass"] = classification_case(np.full(15, 2), np.argmax(proba, axis=1), proba,
                                                           ["a", "b", "c"])
    # One class in y_true and y_pred alike: kappa is 0/0 (NaN), MCC 0.
    cases["one_class_everywhere"] = classification_case(np.zeros(6, dtype=int), np.zeros(6, dtype=int),
                                                        np.tile([0.7, 0.3], (6, 1)), ["no", "yes"])

    actual = rng.randint(0, 2, size=20)
    proba = np.column_stack([1.0 - (0.6 + 0.4 * rng.rand(20)), np.zeros(20)])
    proba[:, 1] = 1.0 - proba[:, 0]
    sure = np.where(actual[:, None] == 1, proba, proba[:, ::-1])
    cases["perfect_binary"] = classification_case(actual, actual, sure, ["no", "yes"])
    cases["all_wrong_binary"] = classification_case(actual, 1 - actual, sure[:, ::-1], ["no", "yes"])

    actual = np.concatenate([[0, 1, 2], rng.randint(0, 3, size=21)])
    one_hot = np.eye(3)[actual]
    cases["perfect_multiclass"] = classification_case(actual, actual, 0.1 + 0.7 * one_hot, ["a", "b", "c"])
    wrong = (actual + 1) % 3
    cases["all_wrong_multiclass"] = classification_case(actual, wrong, 0.1 + 0.7 * np.eye(3)[wrong],
                                                        ["a", "b", "c"])

    # Every probability tied: AUC ½, average precision = prevalence.
    actual = np.array([0, 1, 1, 0, 0, 1, 0, 0])
    cases["tied_binary"] = classification_case(actual, np.zeros(8, dtype=int), np.full((8, 2), 0.5), ["no", "yes"])
    actual = np.array([0, 1, 2, 2, 1, 0, 0, 2, 1])
    cases["tied_multiclass"] = classification_case(actual, np.zeros(9, dtype=int), np.full((9, 3), 1.0 / 3.0),
                                                   ["a", "b", "c"])
    # Probabilities in tenths: ties within and across classes.
    actual = np.concatenate([[0, 1, 2], rng.randint(0, 3, size=27)])
    cuts = np.sort(rng.randint(0, 11, size=(30, 2)), axis=1)
    proba = np.diff(np.column_stack([np.zeros(30), cuts, np.full(30, 10)]), axis=1) / 10.0
    cases["tenths_multiclass"] = classification_case(actual, np.argmax(proba, axis=1), proba, ["a", "b", "c"])

    cases["no_probabilities"] = classification_case([0, 1, 2, 2, 1, 0], [0, 2, 2, 1, 1, 0], None, ["a", "b", "c"])
    return cases


def regression_cases():
    cases = {}
    diabetes = pd.read_csv(DATASETS / "diabetes.csv")
    x_train, x_test, y_train, y_test = train_test_split(diabetes.drop(columns="target"), diabetes["target"],
                                                        test_size=0.3, random_state=0)
    cases["diabetes_linear"] = regression_case(y_test, LinearRegression().fit(x_train, y_train).predict(x_test))

    mpg = pd.read_csv(DATASETS / "mpg.csv")
    features = mpg[["cylinders", "displacement", "weight", "acceleration", "model_year"]]
    x_train, x_test, y_train, y_test = train_test_split(features, mpg["mpg"], test_size=0.25, random_state=1)
    cases["mpg_knn"] = regression_case(y_test, KNeighborsRegressor(n_neighbors=5).fit(x_train, y_train)
                                       .predict(x_test))

    tips = pd.read_csv(DATASETS / "tips.csv")
    x_train, x_test, y_train, y_test = train_test_split(tips[["total_bill", "size"]], tips["tip"], test_size=0.3,
                                                        random_state=2)
    cases["tips_linear"] = regression_case(y_test, LinearRegression().fit(x_train, y_train).predict(x_test))

    # A zero actual value: |actual| is floored at machine epsilon, one huge term.
    cases["zero_actual_mape"] = regression_case([0.0, 2.0, -4.0, 5.0, 0.0], [0.5, 1.5, -3.0, 5.0, 0.0])
    cases["constant_actual"] = regression_case([3.0] * 6, [3.0, 3.5, 2.0, 3.0, 3.0, 4.0])
    cases["constant_actual_perfect"] = regression_case([3.0] * 5, [3.0] * 5)
    # Predictions off by a constant: explained variance 1, R² below 1.
    cases["constant_offset"] = regression_case([1.0, 2.0, 4.0, 8.0], [3.0, 4.0, 6.0, 10.0])
    cases["worse_than_mean"] = regression_case([1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0])
    cases["single_row"] = regression_case([2.0], [3.0])
    return cases


def main():
    out = {
        "about": "scikit-learn " + sklearn.__version__ + " reference for tst_evaluation_metrics; generated by "
                 "tests/reference/evaluation_metrics_reference.py",
        "classification": {**dataset_cases(), **edge_cases()},
        "regression": regression_cases(),
    }
    target = ROOT / "tests/data/reference/evaluation_metrics.json"
    target.write_text(json.dumps(out, indent=1, allow_nan=False) + "\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
