#!/usr/bin/python3
"""Reference values for tests/engine/tst_logistic_regression.cpp and tst_random_forest.cpp.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/models_reference.py
Writes the fixtures under tests/data/reference/:
  <name>_train.csv / <name>_test.csv   features, last column `target` (class index or value)
  models_reference.json                 scikit-learn's coefficients, probabilities and scores
Every matrix is written to CSV first and scikit-learn is fitted on the values read back,
so the C++ tests and scikit-learn see exactly the same numbers.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATASETS = os.path.join(ROOT, "resources", "datasets")
OUT = os.path.join(ROOT, "tests", "data", "reference")
SEEDS = range(5)


def write_split(name, columns, x, y, digits):
    """Writes one matrix with its target and returns the values as read back."""
    path = os.path.join(OUT, name + ".csv")
    frame = pd.DataFrame(x, columns=columns)
    frame["target"] = y
    frame.to_csv(path, index=False, float_format="%." + str(digits) + "g")
    back = pd.read_csv(path)
    return back[columns].to_numpy(dtype=float), back["target"].to_numpy()


def standardised_split(csv, target, digits=17):
    frame = pd.read_csv(os.path.join(DATASETS, csv))
    y = LabelEncoder().fit_transform(frame[target])
    x = frame.drop(columns=[target])
    columns = list(x.columns)
    x_train, x_test, y_train, y_test = train_test_split(
        x.to_numpy(dtype=float), y, test_size=0.25, random_state=0, stratify=y)
    scaler = StandardScaler().fit(x_train)
    stem = os.path.splitext(csv)[0]
    x_train, y_train = write_split(stem + "_train", columns, scaler.transform(x_train), y_train, digits)
    x_test, y_test = write_split(stem + "_test", columns, scaler.transform(x_test), y_test, digits)
    return x_train, x_test, y_train, y_test


def logistic_case(x_train, x_test, y_train, y_test, **params):
    model = LogisticRegression(**params).fit(x_train, y_train)
    proba = model.predict_proba(x_test)
    return {
        "params": params,
        "coef": model.coef_.tolist(),
        "intercept": model.intercept_.tolist(),
        "n_iter": int(model.n_iter_[0]),
        "test_proba": proba.tolist(),
        "test_accuracy": accuracy_score(y_test, model.predict(x_test)),
        "test_log_loss": log_loss(y_test, proba, labels=model.classes_),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    result = {"sklearn_version": sklearn.__version__}

    cancer = standardised_split("breast_cancer.csv", "target")
    iris = standardised_split("iris.csv", "species")
    result["logistic_regression"] = {
        "breast_cancer": logistic_case(*cancer),
        "breast_cancer_c0.05_no_intercept": logistic_case(*cancer, C=0.05, fit_intercept=False),
        "iris": logistic_case(*iris),
    }

    # Random forests: scores averaged over five seeds, since our random streams differ.
    x, y = make_classification(n_samples=4000, n_features=20, n_informative=6,
                               n_redundant=4, random_state=1)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.5, random_state=0)
    columns = ["x%d" % i for i in range(x.shape[1])]
    x_train, y_train = write_split("rf_classification_train", columns, x_train, y_train, 7)
    x_test, y_test = write_split("rf_classification_test", columns, x_test, y_test, 7)
    accuracies, importances = [], []
    for seed in SEEDS:
        forest = RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=2)
        forest.fit(x_train, y_train)
        accuracies.append(accuracy_score(y_test, forest.predict(x_test)))
        importances.append(forest.feature_importances_)
    result["random_forest_classifier"] = {
        "accuracies": accuracies,
        "mean_accuracy": float(np.mean(accuracies)),
        "mean_feature_importances": np.mean(importances, axis=0).tolist(),
    }

    x, y = make_regression(n_samples=3000, n_features=10, noise=10, random_state=2)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.5, random_state=0)
    columns = ["x%d" % i for i in range(x.shape[1])]
    x_train, y_train = write_split("rf_regression_train", columns, x_train, y_train, 7)
    x_test, y_test = write_split("rf_regression_test", columns, x_test, y_test, 7)
    scores = []
    for seed in SEEDS:
        forest = RandomForestRegressor(n_estimators=100, random_state=seed, n_jobs=2)
        forest.fit(x_train, y_train)
        scores.append(r2_score(y_test, forest.predict(x_test)))
    result["random_forest_regressor"] = {"r2": scores, "mean_r2": float(np.mean(scores))}

    linear = LinearRegression().fit(x_train, y_train)
    result["linear_regression"] = {
        "coef": linear.coef_.tolist(),
        "intercept": float(linear.intercept_),
        "test_r2": r2_score(y_test, linear.predict(x_test)),
    }

    with open(os.path.join(OUT, "models_reference.json"), "w") as out:
        json.dump(result, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
