#!/usr/bin/python3
"""Reference values for tests/engine/tst_cleaning_steps.cpp, computed with pandas, NumPy,
SciPy and scikit-learn.

On titanic (resources/datasets/titanic.csv, read as the Stepwise CSV reader reads it: only
an empty field is missing) with a fixed set of 600 training rows and the other 291 rows
as check rows, both in file order:
- SimpleImputer (most_frequent on numbers, median/constant, mean) with add_indicator=True:
  the filled check rows and which columns get an indicator (MissingIndicator.features_);
- pandas ffill / bfill of the check rows, the gaps with no neighbour filled with the
  training fallback (ffill: last present training value; bfill: training median or
  SimpleImputer's most frequent category);
- DataFrame.duplicated / drop_duplicates with keep first/last/False, with and without a
  subset, on all 891 rows: the kept row indices and the groups;
- IQR bounds from pandas quantiles (numpy linear interpolation) and z-score bounds
  (mean ± k·std, ddof=0) of the training rows, with np.clip of the check rows, the
  outlier counts per column, the rows with any outlier (as scipy.stats.zscore finds them
  too), and which training rows survive removal;
- the columns whose share of missing training values is above a threshold.
Plus small hand-made tables for the edge cases (NaN and −0 in duplicates, leading and
trailing gaps, ties in most_frequent, a share exactly at the threshold).

Run with Debian's Python:  /usr/bin/python3 tests/reference/cleaning_reference.py
"""
import json
import math
import pathlib

import numpy as np
import pandas as pd
import scipy
import scipy.stats
import sklearn
from sklearn.impute import SimpleImputer

ROOT = pathlib.Path(__file__).resolve().parents[2]
NUMERIC = ["age", "sibsp", "parch", "fare"]
CATEGORICAL = ["sex", "embarked", "deck"]
# The table the imputer cases work on: categorical and numeric interleaved, so the
# indicator columns' places ("right after their column") are exercised.
ORDER = ["sex", "age", "sibsp", "parch", "fare", "embarked", "deck"]
OUTLIER_COLUMNS = ["age", "sibsp", "parch", "fare"]


def clean(value):
    """JSON value: NaN/None → null, numpy scalars → Python."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    value = float(value)
    return None if math.isnan(value) else value


def column_list(values):
    return [clean(v) for v in values]


def as_objects(series):
    """A categorical column as Python objects with NaN for missing (SimpleImputer's input)."""
    return series.astype(object).where(series.notna(), np.nan)


def imputer_case(train, check, numeric_strategy, categorical_strategy, fill_value=None):
    num = SimpleImputer(strategy=numeric_strategy, add_indicator=True).fit(train[NUMERIC].to_numpy(dtype=float))
    cat = SimpleImputer(strategy=categorical_strategy, fill_value=fill_value, missing_values=np.nan,
                        add_indicator=True).fit(train[CATEGORICAL].to_numpy(dtype=object))
    num_out = num.transform(check[NUMERIC].to_numpy(dtype=float))
    cat_out = cat.transform(check[CATEGORICAL].to_numpy(dtype=object))
    output = {}
    indicated = set()
    for imputer, names, out, to_json in [(num, NUMERIC, num_out, column_list),
                                         (cat, CATEGORICAL, cat_out, lambda v: [str(x) for x in v])]:
        for i, name in enumerate(names):
            output[name] = to_json(out[:, i])
        # add_indicator appends one column per feature with a gap in training, in order.
        for position, feature in enumerate(imputer.indicator_.features_):
            name = names[feature]
            indicated.add(name)
            output[name + "_was_missing"] = column_list(out[:, len(names) + position].astype(float))
    columns = []
    for name in ORDER:
        columns.append(name)
        if name in indicated:
            columns.append(name + "_was_missing")
    return {"columns": columns, "output": output}


def neighbour_fill(train, check, name, forward):
    """pandas ffill/bfill of the check rows; the gaps left take the training fallback."""
    series = check[name]
    filled = series.ffill() if forward else series.bfill()
    present = train[name].dropna()
    if forward:
        fallback = present.iloc[-1]
    elif name in CATEGORICAL:
        fallback = SimpleImputer(strategy="most_frequent", missing_values=np.nan).fit(
            as_objects(train[name]).to_numpy().reshape(-1, 1)).statistics_[0]
    else:
        fallback = present.median()
    filled = filled.fillna(fallback)
    return [str(v) for v in filled] if name in CATEGORICAL else column_list(filled)


def duplicate_case(frame, subset, keep):
    kept = np.flatnonzero(~frame.duplicated(subset=subset, keep=keep))
    return [int(i) for i in kept]


def duplicate_report(frame, subset):
    repeats = frame.duplicated(subset=subset, keep="first")
    keys = frame if subset is None else frame[subset]
    group = keys.groupby(list(keys.columns), dropna=False, sort=False).ngroup()
    first_of_group = {}
    for row, g in enumerate(group):
        first_of_group.setdefault(g, row)
    repeat_rows = [int(i) for i in np.flatnonzero(repeats)]
    return {
        "repeats": repeat_rows,
        "first_occurrence": [int(first_of_group[group.iloc[i]]) for i in repeat_rows],
        "groups": int(keys[frame.duplicated(subset=subset, keep=False)].drop_duplicates().shape[0]),
    }


def outlier_bounds(series, method, factor):
    if method == "iqr":
        q1, q3 = series.quantile(0.25), series.quantile(0.75)
        return q1 - factor * (q3 - q1), q3 + factor * (q3 - q1)
    values = series.dropna().to_numpy()
    mean = values.mean()
    std = values.std(ddof=0)
    return mean - factor * std, mean + factor * std


def outlier_case(train, check, method, factor):
    bounds = {name: outlier_bounds(train[name], method, factor) for name in OUTLIER_COLUMNS}
    counts = {}
    any_outlier = np.zeros(len(train), dtype=bool)
    for name, (low, high) in bounds.items():
        values = train[name].to_numpy(dtype=float)
        below, above = values < low, values > high
        counts[name] = {"lower": float(low), "upper": float(high), "below": int(below.sum()),
                        "above": int(above.sum())}
        any_outlier |= below | above
        if method == "zscore":
            # The same rows by scipy's own z-scores: the bounds are what zscore means.
            z = scipy.stats.zscore(values, ddof=0, nan_policy="omit")
            assert int((np.abs(z) > factor).sum()) == int((below | above).sum()), name
    clipped = {name: column_list(np.clip(check[name].to_numpy(dtype=float), low, high))
               for name, (low, high) in bounds.items()}
    return {
        "method": method,
        "factor": factor,
        "columns": counts,
        "rows_affected": int(any_outlier.sum()),
        # Positions within the training rows that removal keeps.
        "kept_after_removal": [int(i) for i in np.flatnonzero(~any_outlier)],
        "clipped_check": clipped,
    }


def hand_made():
    nan = float("nan")
    cases = {}
    dup = pd.DataFrame({"x": [1.0, 1.0, nan, nan, 0.0, -0.0, 2.0, 1.0],
                        "c": ["a", "a", None, None, "b", "b", "a", "z"]})
    cases["duplicates"] = {
        "input": {"x": column_list(dup["x"]), "x_signs": [math.copysign(1.0, v) for v in dup["x"]],
                  "c": [None if v is None else v for v in dup["c"]]},
        "kept": {f"{subset_name}/{keep_name}": duplicate_case(dup, subset, keep)
                 for subset_name, subset in [("all", None), ("x", ["x"])]
                 for keep_name, keep in [("first", "first"), ("last", "last"), ("none", False)]},
        "report_all": duplicate_report(dup, None),
        "report_x": duplicate_report(dup, ["x"]),
    }

    train = pd.DataFrame({"x": [5.0, nan, 3.0, 7.0, nan], "c": ["p", None, "q", "q", None]})
    test = pd.DataFrame({"x": [nan, 1.0, nan, nan, 4.0, nan], "c": [None, "a", None, "b", None, None]})
    fill = {}
    for name in ["x", "c"]:
        present = train[name].dropna()
        ffill = test[name].ffill().fillna(present.iloc[-1])
        bfill_fallback = present.median() if name == "x" else present.mode().iloc[0]
        bfill = test[name].bfill().fillna(bfill_fallback)
        fill[name] = {"ffill": column_list(ffill) if name == "x" else list(ffill),
                      "bfill": column_list(bfill) if name == "x" else list(bfill)}
    cases["neighbour_fill"] = {
        "train": {"x": column_list(train["x"]), "c": list(train["c"])},
        "test": {"x": column_list(test["x"]), "c": list(test["c"])},
        "expected": fill,
    }

    tie = [3.0, 1.0, 3.0, 1.0, 2.0, nan]
    cases["most_frequent_tie"] = {
        "input": column_list(tie),
        "statistic": float(SimpleImputer(strategy="most_frequent").fit(np.array(tie).reshape(-1, 1)).statistics_[0]),
    }

    sparse = pd.DataFrame({"half": [1.0, nan, 2.0, nan], "quarter": [nan, 1.0, 2.0, 3.0],
                           "full": [1.0, 2.0, 3.0, 4.0], "empty": [nan, nan, nan, nan]})
    cases["sparse"] = {
        "input": {name: column_list(sparse[name]) for name in sparse.columns},
        "dropped": {str(t): [c for c in sparse.columns if sparse[c].isna().mean() > t]
                    for t in [0.0, 0.25, 0.3, 0.5, 0.99, 1.0]},
    }
    # Values where NumPy's way of interpolating (from the upper neighbour when the weight
    # is at least 0.5) gives another last bit of the lower fence than a + (b − a)·t: the
    # quartiles must match NumPy exactly, not nearly.
    def naive_quantile(ordered, q):
        position = (len(ordered) - 1) * q
        below = int(math.floor(position))
        return ordered[below] + (ordered[below + 1] - ordered[below]) * (position - below)

    rs = np.random.RandomState(3)
    while True:
        values = np.round(rs.uniform(0, 10, 7), 3)
        ordered = np.sort(values)
        naive_q1, naive_q3 = naive_quantile(ordered, 0.25), naive_quantile(ordered, 0.75)
        naive_low = naive_q1 - 1.5 * (naive_q3 - naive_q1)
        series = pd.Series(values)
        low, high = outlier_bounds(series, "iqr", 1.5)
        if naive_low != low:
            break
    cases["quartile_bits"] = {"input": column_list(values), "lower": float(low), "naive_lower": float(naive_low),
                              "upper": float(high)}
    return cases


def main():
    frame = pd.read_csv(ROOT / "resources/datasets/titanic.csv", keep_default_na=False, na_values=[""])
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = as_objects(frame[name])
    rows = len(frame)
    permutation = np.random.RandomState(20240612).permutation(rows)
    train_rows = sorted(int(i) for i in permutation[:600])
    check_rows = sorted(set(range(rows)) - set(train_rows))
    train = frame.iloc[train_rows].reset_index(drop=True)
    check = frame.iloc[check_rows].reset_index(drop=True)

    out = {
        "about": "pandas " + pd.__version__ + ", numpy " + np.__version__ + ", scipy " + scipy.__version__ +
                 ", scikit-learn " + sklearn.__version__ + " reference for tst_cleaning_steps; generated by "
                 "tests/reference/cleaning_reference.py from resources/datasets/titanic.csv",
        "train_rows": train_rows,
        "check_rows": check_rows,
        "order": ORDER,
        "numeric": NUMERIC,
        "categorical": CATEGORICAL,
        "impute": {
            "most_frequent_indicator": imputer_case(train, check, "most_frequent", "most_frequent"),
            "median_constant_indicator": imputer_case(train, check, "median", "constant", "missing"),
            "mean_indicator": imputer_case(train, check, "mean", "most_frequent"),
        },
        "neighbour_fill": {
            name: {"ffill": neighbour_fill(train, check, name, True),
                   "bfill": neighbour_fill(train, check, name, False)}
            for name in ["age", "fare", "embarked", "deck"]
        },
        "duplicates": {
            "kept": {f"{subset_name}/{keep_name}": duplicate_case(frame, subset, keep)
                     for subset_name, subset in [("all", None), ("sex,pclass,embarked", ["sex", "pclass", "embarked"]),
                                                 ("deck", ["deck"])]
                     for keep_name, keep in [("first", "first"), ("last", "last"), ("none", False)]},
            "report_all": duplicate_report(frame, None),
            "report_subset": duplicate_report(frame, ["sex", "pclass", "embarked"]),
        },
        "outliers": {
            "iqr_1.5": outlier_case(train, check, "iqr", 1.5),
            "iqr_3": outlier_case(train, check, "iqr", 3.0),
            "zscore_3": outlier_case(train, check, "zscore", 3.0),
            "zscore_2.5": outlier_case(train, check, "zscore", 2.5),
        },
        "sparse": {str(t): [c for c in frame.columns if train[c].isna().mean() > t]
                   for t in [0.0, 0.002, 0.1, 0.5, 0.77, 0.9, 1.0]},
        "hand": hand_made(),
    }
    target = ROOT / "tests/data/cleaning_reference.json"
    target.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
