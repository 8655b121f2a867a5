#!/usr/bin/env python3
"""Hyper-parameter search references from scikit-learn 1.2.1, for tests/engine/tst_search.cpp.

Writes tests/data/search_reference.json:
- "grids": ParameterGrid's candidate order for a few grids (keys sorted, the last key
  varying fastest); values are kept as the text Stepwise's --grid takes.
- "searches": GridSearchCV on whole bundled datasets with the pipeline Stepwise builds by
  default for numeric data (StandardScaler, then the model; imputation has nothing to fill)
  and deterministic models, with explicit folds (StratifiedKFold(5) / KFold(5), no
  shuffling): every candidate's fold scores, mean, std and rank, and best_params /
  best_score. Lower-is-better metrics are reported as scikit-learn's neg_* scorers negated,
  so they read as the metric itself (log_loss, rmse).

Random search draws from numpy's Mersenne Twister through scipy's distributions; Stepwise
draws from its own seeded source, so random candidates are not compared here.

Usage: /usr/bin/python3 tests/reference/search_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, ParameterGrid, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATASETS = os.path.join(HERE, "..", "..", "resources", "datasets")

GRIDS = [
    {"n_estimators": ["50", "100"], "max_depth": ["5", "10", "none"], "min_samples_leaf": ["1", "5"]},
    {"max_iter": ["100", "200"], "class_weight": ["none", "balanced"], "C": ["0.1", "1", "10"]},
    {"tol": ["1e-4"]},
]

# Stepwise spelling → scikit-learn value.
def sklearn_value(text):
    if text == "none":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


def grid_search(dataset, target, model, base, grid, cv, strategy, scoring, metric, negate):
    data = pd.read_csv(os.path.join(DATASETS, dataset + ".csv"))
    x = data.drop(columns=[target]).to_numpy(dtype=float)
    y = data[target].to_numpy()
    step = type(model).__name__.lower()
    sk_grid = {f"{step}__{name}": [sklearn_value(v) for v in values] for name, values in grid.items()}
    search = GridSearchCV(make_pipeline(StandardScaler(), model), sk_grid, cv=cv, scoring=scoring)
    search.fit(x, y)
    r = search.cv_results_
    sign = -1.0 if negate else 1.0
    folds = cv.get_n_splits()
    candidates = []
    for i, params in enumerate(r["params"]):
        text = {}
        for key, value in params.items():
            name = key.split("__", 1)[1]
            # The text form Stepwise's grid used for this value.
            text[name] = grid[name][[sklearn_value(v) for v in grid[name]].index(value)]
        candidates.append({
            "params": text,
            "scores": [sign * float(r[f"split{k}_test_score"][i]) for k in range(folds)],
            "mean": sign * float(r["mean_test_score"][i]),
            "std": float(r["std_test_score"][i]),
            "rank": int(r["rank_test_score"][i]),
        })
    return {
        "dataset": dataset, "target": target, "model": step.replace("logisticregression", "logistic_regression")
        .replace("linearregression", "linear_regression"),
        "base": base, "grid": grid, "strategy": strategy, "metric": metric,
        "candidates": candidates, "best_index": int(search.best_index_),
        "best_params": candidates[search.best_index_]["params"], "best_score": sign * float(search.best_score_),
    }


def main():
    grids = [{"space": grid, "candidates": list(ParameterGrid(grid))} for grid in GRIDS]
    logistic_grid = {"C": ["0.001", "0.01", "0.1", "1", "10"], "class_weight": ["none", "balanced"]}
    searches = []
    for scoring, metric, negate in (("accuracy", "accuracy", False), ("neg_log_loss", "log_loss", True)):
        searches.append(grid_search(
            "breast_cancer", "target", LogisticRegression(max_iter=1000), {"max_iter": "1000"},
            logistic_grid, StratifiedKFold(5), "stratified:5", scoring, metric, negate))
    for scoring, metric, negate in (("r2", "r2", False), ("neg_root_mean_squared_error", "rmse", True)):
        searches.append(grid_search(
            "diabetes", "target", LinearRegression(), {}, {"fit_intercept": ["true", "false"]},
            KFold(5), "kfold:5", scoring, metric, negate))
    path = os.path.join(HERE, "..", "data", "search_reference.json")
    with open(path, "w") as f:
        json.dump({"grids": grids, "searches": searches}, f, indent=1)
    for s in searches:
        print(f"{s['dataset']} {s['model']} {s['metric']}: best {s['best_params']} {s['best_score']:.6f}, "
              f"ranks {[c['rank'] for c in s['candidates']]}")
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
