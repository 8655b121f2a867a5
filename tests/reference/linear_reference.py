#!/usr/bin/python3
"""Reference values for tests/engine/tst_linear_models.cpp and the penalty checks of
tst_logistic_regression.cpp.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/linear_reference.py
Reads breast_cancer_* and iris_* (written by models_reference.py) and writes, under
tests/data/reference/:
  linear_<name>_train.csv / _test.csv   features, last column `target`
  linear_reference.json                  scikit-learn's coefficients, scores and metrics
Every matrix is written to CSV first and scikit-learn is fitted on the values read back,
so the C++ tests and scikit-learn see exactly the same numbers.

The L1 and elastic-net logistic references come from the saga solver run to a tight
tolerance (1e-10), which converges to the optimum of the same objective our OWL-QN solver
minimises; liblinear (whose intercept is penalised) cross-checks the no-intercept case.
LinearSVC/LinearSVR shuffle with their own generator, so their references are run to a
tight tolerance as well and compared with the converged weights.
"""
import json
import os
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, log_loss, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.svm import LinearSVC, LinearSVR

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATASETS = os.path.join(ROOT, "resources", "datasets")
OUT = os.path.join(ROOT, "tests", "data", "reference")


def write_split(name, columns, x, y):
    """Writes one matrix with its target and returns the values as read back."""
    path = os.path.join(OUT, name + ".csv")
    frame = pd.DataFrame(x, columns=columns)
    frame["target"] = y
    frame.to_csv(path, index=False, float_format="%.17g")
    back = pd.read_csv(path)
    return back[columns].to_numpy(dtype=float), back["target"].to_numpy()


def read_split(name):
    """A fixture another script wrote: features and target."""
    frame = pd.read_csv(os.path.join(OUT, name + ".csv"))
    return frame.drop(columns=["target"]).to_numpy(dtype=float), frame["target"].to_numpy()


def fixture(stem):
    x_train, y_train = read_split(stem + "_train")
    x_test, y_test = read_split(stem + "_test")
    return x_train, x_test, y_train, y_test


def dataset_split(csv, target, classification, stem):
    """A shared dataset, split 75/25 (stratified for classes), X standard-scaled on the
    training rows; the target is left as it is."""
    frame = pd.read_csv(os.path.join(DATASETS, csv))
    y = frame[target].to_numpy()
    if classification:
        y = LabelEncoder().fit_transform(y)
    x = frame.drop(columns=[target])
    columns = list(x.columns)
    x_train, x_test, y_train, y_test = train_test_split(
        x.to_numpy(dtype=float), y, test_size=0.25, random_state=0, stratify=y if classification else None)
    scaler = StandardScaler().fit(x_train)
    x_train, y_train = write_split(stem + "_train", columns, scaler.transform(x_train), y_train)
    x_test, y_test = write_split(stem + "_test", columns, scaler.transform(x_test), y_test)
    return x_train, x_test, y_train, y_test


def generated_split(stem, x, y):
    columns = ["x%d" % i for i in range(x.shape[1])]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=0)
    x_train, y_train = write_split(stem + "_train", columns, x_train, y_train)
    x_test, y_test = write_split(stem + "_test", columns, x_test, y_test)
    return x_train, x_test, y_train, y_test


def matrix(values):
    return np.atleast_2d(values).tolist()


def logistic_case(split, dataset, solver="saga", tol=1e-10, max_iter=100000, **params):
    x_train, x_test, y_train, y_test = split
    model = LogisticRegression(solver=solver, tol=tol, max_iter=max_iter, **params).fit(x_train, y_train)
    proba = model.predict_proba(x_test)
    return {
        "dataset": dataset,
        # Our parameter spelling: scikit-learn's penalty=None is "none".
        "params": {name: "none" if value is None else value for name, value in params.items()},
        "solver": solver,
        "coef": matrix(model.coef_),
        "intercept": model.intercept_.tolist(),
        "n_iter": int(model.n_iter_[0]),
        "nonzero_coef": int(np.count_nonzero(model.coef_)),
        "test_decision": matrix(model.decision_function(x_test).reshape(len(x_test), -1)),
        "test_proba": proba.tolist(),
        "test_accuracy": accuracy_score(y_test, model.predict(x_test)),
        "test_log_loss": log_loss(y_test, proba, labels=model.classes_),
        "importances": np.abs(model.coef_).sum(axis=0).tolist(),
    }


def regression_case(model, split, dataset, params):
    x_train, x_test, y_train, y_test = split
    model.fit(x_train, y_train)
    case = {
        "dataset": dataset,
        "params": params,
        "coef": np.ravel(model.coef_).tolist(),
        "intercept": float(np.ravel(model.intercept_)[0]) if np.ndim(model.intercept_) else float(model.intercept_),
        "test_prediction": model.predict(x_test).tolist(),
        "test_r2": r2_score(y_test, model.predict(x_test)),
    }
    if getattr(model, "n_iter_", None) is not None:
        case["n_iter"] = int(np.max(model.n_iter_))
    if hasattr(model, "dual_gap_"):
        case["dual_gap"] = float(model.dual_gap_)
    return case


def svc_case(split, dataset, **params):
    x_train, x_test, y_train, y_test = split
    model = LinearSVC(loss="hinge", dual=True, random_state=0, **params).fit(x_train, y_train)
    return {
        "dataset": dataset,
        "params": params,
        "coef": matrix(model.coef_),
        "intercept": np.atleast_1d(model.intercept_).tolist(),
        "n_iter": int(model.n_iter_),
        "test_decision": matrix(model.decision_function(x_test).reshape(len(x_test), -1)),
        "test_prediction": model.predict(x_test).tolist(),
        "test_accuracy": accuracy_score(y_test, model.predict(x_test)),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    result = {"sklearn_version": sklearn.__version__}

    cancer = fixture("breast_cancer")
    iris = fixture("iris")
    wine = dataset_split("wine.csv", "target", True, "linear_wine")
    diabetes = dataset_split("diabetes.csv", "target", False, "linear_diabetes")
    x, y = make_classification(n_samples=800, n_features=8, n_informative=5, n_redundant=1, flip_y=0.1,
                               class_sep=0.8, random_state=3)
    noisy = generated_split("linear_noisy_classification", x, y)
    x, y = make_classification(n_samples=900, n_features=6, n_informative=4, n_redundant=0, weights=[0.85],
                               flip_y=0.02, random_state=4)
    imbalanced = generated_split("linear_imbalanced", x, y)
    x, y = make_regression(n_samples=300, n_features=30, n_informative=6, noise=5.0, bias=3.0, random_state=5)
    sparse = generated_split("linear_sparse_regression", x, y)
    # More features than rows: Ridge's kernel (dual) form.
    x, y = make_regression(n_samples=60, n_features=90, n_informative=20, noise=1.0, bias=-2.0, random_state=6)
    wide = generated_split("linear_wide_regression", x, y)

    # Cross-check: without an intercept liblinear minimises the same objective as saga.
    x_train, _, y_train, _ = cancer
    saga = LogisticRegression(penalty="l1", solver="saga", C=0.1, fit_intercept=False, tol=1e-10,
                              max_iter=100000).fit(x_train, y_train)
    liblinear = LogisticRegression(penalty="l1", solver="liblinear", C=0.1, fit_intercept=False, tol=1e-10,
                                   max_iter=100000).fit(x_train, y_train)
    assert np.abs(saga.coef_ - liblinear.coef_).max() < 1e-5, "saga and liblinear disagree"

    result["logistic_regression"] = {
        "breast_cancer_l1": logistic_case(cancer, "breast_cancer", penalty="l1", C=0.5),
        "breast_cancer_elasticnet": logistic_case(cancer, "breast_cancer", penalty="elasticnet", C=0.5,
                                                  l1_ratio=0.5),
        "breast_cancer_l1_balanced_no_intercept": logistic_case(cancer, "breast_cancer", penalty="l1", C=0.1,
                                                                fit_intercept=False,
                                                                class_weight="balanced"),
        "iris_l1_multinomial": logistic_case(iris, "iris", penalty="l1", C=1.0),
        "wine_elasticnet_multinomial": logistic_case(wine, "linear_wine", penalty="elasticnet", C=0.3,
                                                     l1_ratio=0.3),
        # lbfgs as scikit-learn runs it by default (tol 1e-4, max_iter 100).
        "noisy_none": logistic_case(noisy, "linear_noisy_classification", solver="lbfgs", tol=1e-4, max_iter=100,
                                    penalty=None),
        "breast_cancer_l2": logistic_case(cancer, "breast_cancer", solver="lbfgs", tol=1e-4, max_iter=100),
        "iris_l2": logistic_case(iris, "iris", solver="lbfgs", tol=1e-4, max_iter=100),
    }

    result["ridge"] = {
        "diabetes": regression_case(Ridge(alpha=1.0), diabetes, "linear_diabetes", {"alpha": 1.0}),
        "diabetes_alpha10_no_intercept": regression_case(
            Ridge(alpha=10.0, fit_intercept=False), diabetes, "linear_diabetes",
            {"alpha": 10.0, "fit_intercept": False}),
        "wide": regression_case(Ridge(alpha=0.5), wide, "linear_wide_regression", {"alpha": 0.5}),
    }

    result["lasso"] = {
        "diabetes": regression_case(Lasso(alpha=0.1), diabetes, "linear_diabetes", {"alpha": 0.1}),
        "diabetes_alpha2_no_intercept": regression_case(
            Lasso(alpha=2.0, fit_intercept=False), diabetes, "linear_diabetes",
            {"alpha": 2.0, "fit_intercept": False}),
        "sparse": regression_case(Lasso(alpha=0.5, tol=1e-6), sparse, "linear_sparse_regression",
                                  {"alpha": 0.5, "tol": 1e-6}),
    }
    # Stopped at max_iter: the same three sweeps, not converged.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        result["lasso"]["sparse_three_sweeps"] = regression_case(
            Lasso(alpha=0.01, max_iter=3, tol=1e-8), sparse, "linear_sparse_regression",
            {"alpha": 0.01, "max_iter": 3, "tol": 1e-8})

    tight = {"tol": 1e-8, "max_iter": 1000000}
    result["linear_svc"] = {
        "breast_cancer": svc_case(cancer, "breast_cancer", C=1.0, **tight),
        "wine_ovr": svc_case(wine, "linear_wine", C=0.5, **tight),
        "imbalanced_balanced": svc_case(imbalanced, "linear_imbalanced", C=0.2, class_weight="balanced", **tight),
        "breast_cancer_no_intercept": svc_case(cancer, "breast_cancer", C=0.1, fit_intercept=False, **tight),
        "breast_cancer_defaults": svc_case(cancer, "breast_cancer"),
    }
    svr = LinearSVR(C=1.0, epsilon=5.0, tol=1e-8, max_iter=1000000, random_state=0)
    result["linear_svr"] = {
        "diabetes": regression_case(svr, diabetes, "linear_diabetes", {"C": 1.0, "epsilon": 5.0, **tight}),
    }

    with open(os.path.join(OUT, "linear_reference.json"), "w") as out:
        json.dump(result, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
