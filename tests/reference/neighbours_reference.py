#!/usr/bin/python3
"""Reference values for tests/engine/tst_knn.cpp and tst_naive_bayes.cpp.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/neighbours_reference.py
Writes under tests/data/reference/:
  neighbours_<name>_train.csv / _test.csv   features, last column `target` (class index or value):
      iris, wine, breast_cancer, diabetes   standard-scaled with the training rows' mean and std
      wine_raw, breast_cancer_raw           the raw values (naive Bayes needs no scaling)
  neighbours_reference.json                 scikit-learn's predictions, probabilities, R², and
                                            GaussianNB's theta_, var_, class_prior_, epsilon_
Every matrix is written to CSV first and scikit-learn is fitted on the values read back (as
C-ordered arrays, the layout whose sums the C++ code reproduces), so both see exactly the
same numbers. Split: 75/25, random_state=0, stratified for classification.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import LabelEncoder, StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATASETS = os.path.join(ROOT, "resources", "datasets")
OUT = os.path.join(ROOT, "tests", "data", "reference")


def write_split(name, columns, x, y):
    """Writes one matrix with its target and returns the values as read back."""
    path = os.path.join(OUT, "neighbours_" + name + ".csv")
    frame = pd.DataFrame(x, columns=columns)
    frame["target"] = y
    frame.to_csv(path, index=False, float_format="%.17g")
    # round_trip: the correctly rounded parser, the one the C++ fixtures loader (strtod) matches.
    back = pd.read_csv(path, float_precision="round_trip")
    return np.ascontiguousarray(back[columns].to_numpy(dtype=float)), back["target"].to_numpy()


def split(csv, target, classification, scaled, stem=None):
    frame = pd.read_csv(os.path.join(DATASETS, csv))
    y = LabelEncoder().fit_transform(frame[target]) if classification else frame[target].to_numpy(dtype=float)
    x = frame.drop(columns=[target])
    columns = list(x.columns)
    x_train, x_test, y_train, y_test = train_test_split(
        x.to_numpy(dtype=float), y, test_size=0.25, random_state=0, stratify=y if classification else None)
    if scaled:
        scaler = StandardScaler().fit(x_train)
        x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
    stem = stem or os.path.splitext(csv)[0]
    x_train, y_train = write_split(stem + "_train", columns, x_train, y_train)
    x_test, y_test = write_split(stem + "_test", columns, x_test, y_test)
    return x_train, x_test, y_train, y_test


def case_name(params):
    name = "%s_p%d_%s" % (params["weights"], params["p"], params["algorithm"])
    if params.get("n_neighbors", 5) != 5:
        name += "_k%d" % params["n_neighbors"]
    if params.get("leaf_size", 30) != 30:
        name += "_leaf%d" % params["leaf_size"]
    return name


def classifier_case(x_train, x_test, y_train, y_test, **params):
    model = KNeighborsClassifier(**params).fit(x_train, y_train)
    predicted = model.predict(x_test)
    return {
        "params": params,
        "fit_method": model._fit_method,
        "predict": predicted.tolist(),
        "proba": model.predict_proba(x_test).tolist(),
        "accuracy": accuracy_score(y_test, predicted),
    }


def regressor_case(x_train, x_test, y_train, y_test, **params):
    model = KNeighborsRegressor(**params).fit(x_train, y_train)
    predicted = model.predict(x_test)
    return {
        "params": params,
        "fit_method": model._fit_method,
        "predict": predicted.tolist(),
        "r2": r2_score(y_test, predicted),
    }


def naive_bayes_case(x_train, x_test, y_train, y_test):
    model = GaussianNB().fit(x_train, y_train)
    return {
        "theta": model.theta_.tolist(),
        "var": model.var_.tolist(),
        "class_prior": model.class_prior_.tolist(),
        "epsilon": float(model.epsilon_),
        "predict": model.predict(x_test).tolist(),
        "proba": model.predict_proba(x_test).tolist(),
        "log_proba": model.predict_log_proba(x_test).tolist(),
        "accuracy": accuracy_score(y_test, model.predict(x_test)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    result = {"sklearn_version": sklearn.__version__}

    classification = {
        "iris": split("iris.csv", "species", True, True),
        "wine": split("wine.csv", "target", True, True),
        "breast_cancer": split("breast_cancer.csv", "target", True, True),
    }
    cases = {}
    for name, data in classification.items():
        cases[name] = {}
        for weights in ("uniform", "distance"):
            for p in (1, 2):
                for algorithm in ("kd_tree", "brute"):
                    params = {"weights": weights, "p": p, "algorithm": algorithm}
                    cases[name][case_name(params)] = classifier_case(*data, **params)
    iris = classification["iris"]
    for params in ({"weights": "distance", "p": 2, "algorithm": "kd_tree", "n_neighbors": 1},
                   {"weights": "uniform", "p": 2, "algorithm": "kd_tree", "n_neighbors": 15},
                   {"weights": "distance", "p": 1, "algorithm": "kd_tree", "n_neighbors": 15, "leaf_size": 2}):
        cases["iris"][case_name(params)] = classifier_case(*iris, **params)
    wine = classification["wine"]
    params = {"weights": "distance", "p": 2, "algorithm": "kd_tree", "leaf_size": 2}
    cases["wine"][case_name(params)] = classifier_case(*wine, **params)
    # Training rows as queries: every row is its own neighbour at distance 0.
    x_train, _, y_train, _ = iris
    cases["iris_train_as_queries"] = {}
    for weights in ("uniform", "distance"):
        for algorithm in ("kd_tree", "brute"):
            params = {"weights": weights, "p": 2, "algorithm": algorithm}
            cases["iris_train_as_queries"][case_name(params)] = classifier_case(
                x_train, x_train, y_train, y_train, **params)
    result["knn_classifier"] = cases

    diabetes = split("diabetes.csv", "target", False, True)
    regression = {}
    for weights in ("uniform", "distance"):
        for p in (1, 2):
            for algorithm in ("kd_tree", "brute"):
                params = {"weights": weights, "p": p, "algorithm": algorithm}
                regression[case_name(params)] = regressor_case(*diabetes, **params)
        for k in (10, 20):
            params = {"weights": weights, "p": 2, "algorithm": "kd_tree", "n_neighbors": k}
            regression[case_name(params)] = regressor_case(*diabetes, **params)
    result["knn_regressor"] = {"diabetes": regression}

    result["naive_bayes"] = {
        "iris": naive_bayes_case(*iris),
        "wine_raw": naive_bayes_case(*split("wine.csv", "target", True, False, "wine_raw")),
        "breast_cancer_raw": naive_bayes_case(*split("breast_cancer.csv", "target", True, False,
                                                     "breast_cancer_raw")),
    }

    with open(os.path.join(OUT, "neighbours_reference.json"), "w") as out:
        json.dump(result, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
