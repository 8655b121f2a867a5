#!/usr/bin/python3
"""Reference values for tests/engine/tst_model_analysis.cpp, from scikit-learn 1.2.1 and numpy.

Writes tests/data/reference/model_analysis.json:
- "numpy": numpy's legacy RandomState (MT19937, seeded by init_genrand): raw 32-bit draws,
  `randint(2**31)` (the seed permutation_importance derives) and successive in-place
  shuffles of `np.arange(n)`, for a few seeds and sizes.
- "learning_curves" / "validation_curves": `learning_curve` / `validation_curve` of the
  pipeline Stepwise builds by default (SimpleImputer, StandardScaler, the model; the data
  is numeric and complete, so imputation changes nothing) on a recipe's training rows.
  Stepwise's recipe splits by a time column that is the row number, so its training rows
  are the first rows of the file and the test rows (ceil(0.2·n)) the last ones, and the
  time column is dropped from the features; the folds are the recipe's or, by time,
  five TimeSeriesSplit folds.
- "permutation_importances": `permutation_importance(pipeline, X_test, y_test,
  n_repeats, random_state=seed)` of a pipeline fitted on those training rows, on the test
  rows; tips has categorical columns (imputed, one-hot encoded, the numbers scaled).
Lower-is-better metrics use scikit-learn's neg_* scorers and are negated back, so every
score reads as the metric itself; importances of an error metric are then the rise of
the error (neg_* scorers give exactly that sign).

Run: /usr/bin/python3 tests/reference/model_analysis_reference.py
"""
import json
import math
import pathlib
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import check_scoring, log_loss
from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit, learning_curve, validation_curve
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASETS = ROOT / "resources" / "datasets"
OUT = ROOT / "tests" / "data" / "reference" / "model_analysis.json"


def full_log_loss(estimator, x, y):
    """-log_loss of the whole predict_proba matrix. The neg_log_loss scorer hands a binary
    log_loss only the positive class's column and rebuilds the other as 1 - p, which loses
    ~1e-7 on near-certain rows; Stepwise scores the matrix, as log_loss(y, predict_proba)."""
    return -log_loss(y, estimator.predict_proba(x))


# metric → (scorer, sign that turns the scorer's value back into the metric)
SCORERS = {
    "accuracy": ("accuracy", 1.0),
    "log_loss": (full_log_loss, -1.0),
    "r2": ("r2", 1.0),
    "rmse": ("neg_root_mean_squared_error", -1.0),
}


def load(dataset, target):
    frame = pd.read_csv(DATASETS / f"{dataset}.csv", keep_default_na=False, na_values=[""])
    rows = len(frame)
    train_rows = rows - math.ceil(0.2 * rows)
    x = frame.drop(columns=[target])
    y = frame[target].to_numpy()
    return x, y, train_rows


def numeric_pipeline(model):
    return make_pipeline(SimpleImputer(), StandardScaler(), model)


def folds_of(strategy):
    kind, k = strategy.split(":")
    return {"stratified": StratifiedKFold, "kfold": KFold, "timeseries": TimeSeriesSplit}[kind](int(k))


def as_list(a):
    return [float(v) for v in a]


def learning_case(dataset, target, task, model_name, params, model, metric, strategy, fractions):
    x, y, train_rows = load(dataset, target)
    scorer, sign = SCORERS[metric]
    sizes, train, test = learning_curve(numeric_pipeline(model), x.iloc[:train_rows].to_numpy(dtype=float),
                                        y[:train_rows], train_sizes=np.asarray(fractions, dtype=float),
                                        cv=folds_of(strategy), scoring=scorer)
    return {
        "dataset": dataset, "target": target, "task": task, "model": model_name, "params": params,
        "metric": metric, "strategy": strategy, "fractions": fractions, "train_rows": train_rows,
        "train_sizes": [int(s) for s in sizes],
        "train_scores": [as_list(sign * row) for row in train],
        "test_scores": [as_list(sign * row) for row in test],
    }


def validation_case(dataset, target, task, model_name, params, model, param, values, sk_values, metric, strategy):
    x, y, train_rows = load(dataset, target)
    scorer, sign = SCORERS[metric]
    step = type(model).__name__.lower()
    train, test = validation_curve(numeric_pipeline(model), x.iloc[:train_rows].to_numpy(dtype=float),
                                   y[:train_rows], param_name=f"{step}__{param}", param_range=sk_values,
                                   cv=folds_of(strategy), scoring=scorer)
    return {
        "dataset": dataset, "target": target, "task": task, "model": model_name, "params": params,
        "metric": metric, "strategy": strategy, "param": param, "values": values, "train_rows": train_rows,
        "train_scores": [as_list(sign * row) for row in train],
        "test_scores": [as_list(sign * row) for row in test],
    }


def importance_case(dataset, target, task, model_name, params, pipeline, metric, repeats, seed):
    x, y, train_rows = load(dataset, target)
    scorer, sign = SCORERS[metric]
    pipeline.fit(x.iloc[:train_rows], y[:train_rows])
    x_test, y_test = x.iloc[train_rows:], y[train_rows:]
    baseline = sign * check_scoring(pipeline, scoring=scorer)(pipeline, x_test, y_test)
    result = permutation_importance(pipeline, x_test, y_test, scoring=scorer, n_repeats=repeats, random_state=seed)
    return {
        "dataset": dataset, "target": target, "task": task, "model": model_name, "params": params,
        "metric": metric, "repeats": repeats, "seed": seed, "train_rows": train_rows,
        "columns": list(x.columns), "baseline": float(baseline),
        "drops": [as_list(row) for row in result.importances],
        "mean": as_list(result.importances_mean), "std": as_list(result.importances_std),
    }


def numpy_case(seed):
    draws = np.random.RandomState(seed).randint(2**32, size=8, dtype=np.uint64)
    derived = np.random.RandomState(seed).randint(np.iinfo(np.int32).max + 1)
    shuffles = {}
    for n in (1, 2, 3, 10, 100, 1000):
        state = np.random.RandomState(seed)
        order = np.arange(n)
        rounds = []
        for _ in range(3):
            state.shuffle(order)
            rounds.append([int(v) for v in order])
        shuffles[str(n)] = rounds
    return {"seed": seed, "uint32": [int(v) for v in draws], "randint_2_31": int(derived), "shuffles": shuffles}


def main():
    tips = ["sex", "smoker", "day", "time"]
    tips_pipeline = make_pipeline(
        ColumnTransformer([
            ("numbers", make_pipeline(SimpleImputer(), StandardScaler()), ["total_bill", "size"]),
            ("categories", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), tips),
        ]),
        LinearRegression())
    # The diabetes curve's fractions 0.1 and 0.11 give one size on purpose.
    warnings.filterwarnings("ignore", message="Removed duplicate entries from 'train_sizes'")
    reference = {
        "sklearn": sklearn.__version__,
        "numpy_version": np.__version__,
        "numpy": [numpy_case(seed) for seed in (0, 1, 42, 2**32 - 1)],
        "learning_curves": [
            # Fold 1 has its first benign row at position 37: 0.1 (36 rows) would hold one class.
            learning_case("breast_cancer", "target", "classification", "naive_bayes", {}, GaussianNB(),
                          "log_loss", "stratified:5", [0.15, 0.4, 0.7, 1.0]),
            # 0.1 and 0.11 of the first fold's 63 rows are both 6 rows: one size.
            learning_case("diabetes", "target", "regression", "ridge", {"alpha": "1"}, Ridge(alpha=1.0),
                          "r2", "timeseries:5", [0.1, 0.11, 0.5, 1.0]),
        ],
        "validation_curves": [
            validation_case("breast_cancer", "target", "classification", "logistic_regression",
                            {"max_iter": "1000"}, LogisticRegression(max_iter=1000), "C",
                            ["0.01", "0.1", "1", "10"], [0.01, 0.1, 1.0, 10.0], "accuracy", "stratified:5"),
            validation_case("diabetes", "target", "regression", "ridge", {}, Ridge(), "alpha",
                            ["0.1", "10", "1000"], [0.1, 10.0, 1000.0], "rmse", "kfold:5"),
        ],
        "permutation_importances": [
            importance_case("tips", "tip", "regression", "linear_regression", {}, tips_pipeline, "rmse", 5, 7),
            importance_case("breast_cancer", "target", "classification", "logistic_regression",
                            {"max_iter": "1000"}, numeric_pipeline(LogisticRegression(max_iter=1000)),
                            "accuracy", 3, 2**32 - 1),
        ],
    }
    OUT.write_text(json.dumps(reference, indent=1) + "\n")
    for case in reference["learning_curves"]:
        print(f"learning {case['dataset']} {case['metric']}: sizes {case['train_sizes']}")
    for case in reference["permutation_importances"]:
        print(f"importance {case['dataset']} {case['metric']}: baseline {case['baseline']:.6f}, "
              f"mean {np.round(case['mean'], 4).tolist()}")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
