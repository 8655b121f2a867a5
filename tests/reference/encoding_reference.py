#!/usr/bin/python3
"""Reference values for tests/engine/tst_encoding_steps.cpp, computed with scikit-learn,
pandas and NumPy.

Titanic (resources/datasets/titanic.csv): the same 600 training rows and check rows as
prep_reference.py (no training row has deck G, so encoders meet an unseen category).
Cases:
  - RobustScaler on age, sibsp, parch, fare (parch has a zero IQR in the training rows);
  - OneHotEncoder(handle_unknown="error"): the first check row it refuses;
  - OrdinalEncoder(categories=[order]) on class (Third, Second, First) and on deck in a
    reversed order, with unknown_value=-1 for the unseen deck G;
  - KBinsDiscretizer(encode="ordinal") uniform and quantile on age, fare, sibsp (sibsp
    has repeated quantile edges, which scikit-learn drops);
  - pd.cut with given edges (integer and float edges, default and given labels,
    right=True and False);
  - NumPy log1p, log, sqrt, square and power.
KBinsDiscretizer and RobustScaler reject or ignore missing values differently from
Stepwise's rule (missing stays missing and is ignored when fitting), so they are fitted
on the present training values and missing check values are written as null.

Dates: a small table of date-times built here (pre-1970, leap days, times of day, a
missing value), with pandas' .dt parts and day counts.

Run with Debian's scikit-learn 1.2.1:  /usr/bin/python3 tests/reference/encoding_reference.py
"""
import json
import math
import pathlib

import numpy as np
import pandas as pd
import sklearn
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder, OrdinalEncoder, RobustScaler

ROOT = pathlib.Path(__file__).resolve().parents[2]
NUMERIC = ["age", "sibsp", "parch", "fare"]
CATEGORICAL = ["sex", "embarked", "class", "deck"]
ORDER = ["sex", "age", "sibsp", "parch", "fare", "embarked", "class", "deck"]


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


def fit_present(make, train_column, check_column):
    """Fits a one-column transformer on the present training values and transforms the
    present check values; missing check values stay missing."""
    present = train_column[~np.isnan(train_column)].reshape(-1, 1)
    fitted = make().fit(present)
    out = np.full(len(check_column), np.nan)
    mask = ~np.isnan(check_column)
    out[mask] = fitted.transform(check_column[mask].reshape(-1, 1))[:, 0]
    return fitted, out


def titanic_cases(out):
    frame = pd.read_csv(ROOT / "resources/datasets/titanic.csv", keep_default_na=False, na_values=[""])
    for name in CATEGORICAL:
        frame[name] = frame[name].astype(object).where(frame[name].notna(), np.nan)
    for name in NUMERIC:
        frame[name] = frame[name].astype(float)
    rows = len(frame)
    permutation = np.random.RandomState(20240611).permutation(rows)
    eligible = [int(i) for i in permutation if frame["deck"].iloc[i] != "G"]
    train_rows = sorted(eligible[:600])
    test_rows = sorted(set(range(rows)) - set(train_rows))
    check_rows = sorted(test_rows + train_rows[:50])
    train = frame.iloc[train_rows]
    check = frame.iloc[check_rows]

    out["input"] = {name: column_list(frame[name].tolist()) for name in ORDER}
    out["column_order"] = ORDER
    out["numeric"] = NUMERIC
    out["categorical"] = CATEGORICAL
    out["train_rows"] = train_rows
    out["check_rows"] = check_rows
    cases = out["cases"]

    num_train = train[NUMERIC].to_numpy(dtype=float)
    num_check = check[NUMERIC].to_numpy(dtype=float)
    robust = RobustScaler().fit(num_train)
    cases["robust_scaler"] = {
        "center": {n: float(v) for n, v in zip(NUMERIC, robust.center_)},
        "scale": {n: float(v) for n, v in zip(NUMERIC, robust.scale_)},
        "output": {n: column_list(robust.transform(num_check)[:, i]) for i, n in enumerate(NUMERIC)},
    }

    # handle_unknown="error" refuses the whole call; the first offending check row is the
    # one Stepwise must name.
    cat_train = train[["deck"]].to_numpy(dtype=object)
    strict = OneHotEncoder(handle_unknown="error", sparse_output=False).fit(cat_train)
    first_bad = None
    for position, value in enumerate(check["deck"].tolist()):
        if isinstance(value, str) and value not in set(strict.categories_[0]):
            first_bad = {"row": position, "value": value}
            break
    try:
        strict.transform(check[["deck"]].to_numpy(dtype=object))
        refused = False
    except ValueError:
        refused = True
    cases["one_hot_unknown_error"] = {"refused": refused, "first_unknown": first_bad}

    def ordinal_case(column, order):
        encoder = OrdinalEncoder(categories=[order], handle_unknown="use_encoded_value", unknown_value=-1,
                                 encoded_missing_value=np.nan)
        # scikit-learn cannot take NaN among given categories, so missing values are
        # encoded separately: they stay missing, as in Stepwise.
        train_values = train[column]
        encoder.fit(train_values[train_values.notna()].to_numpy(dtype=object).reshape(-1, 1))
        values = check[column]
        codes = np.full(len(values), np.nan)
        mask = values.notna().to_numpy()
        codes[mask] = encoder.transform(values[mask].to_numpy(dtype=object).reshape(-1, 1))[:, 0]
        return {"order": order, "output": column_list(codes)}

    cases["ordinal_class_order"] = ordinal_case("class", ["Third", "Second", "First"])
    cases["ordinal_deck_reversed"] = ordinal_case("deck", ["F", "E", "D", "C", "B", "A"])

    def kbins_case(column, strategy, bins):
        fitted, codes = fit_present(lambda: KBinsDiscretizer(n_bins=bins, encode="ordinal", strategy=strategy),
                                    train[column].to_numpy(dtype=float), check[column].to_numpy(dtype=float))
        return {"column": column, "strategy": strategy, "bins": bins,
                "edges": [float(e) for e in fitted.bin_edges_[0]], "n_bins": int(fitted.n_bins_[0]),
                "output": column_list(codes)}

    cases["kbins"] = [kbins_case("age", "uniform", 5), kbins_case("fare", "uniform", 7),
                      kbins_case("age", "quantile", 4), kbins_case("fare", "quantile", 10),
                      kbins_case("sibsp", "quantile", 5), kbins_case("parch", "uniform", 3)]

    def cut_case(column, edges_text, edges, labels, right):
        values = check[column]
        binned = pd.cut(values, bins=edges, right=right, labels=labels if labels else None)
        codes = pd.cut(values, bins=edges, right=right, labels=False)
        return {"column": column, "edges": edges_text, "labels": ",".join(labels) if labels else "",
                "right": right,
                "categories": [str(c) for c in binned.cat.categories],
                "output": [None if code < 0 else str(binned.cat.categories[code]) for code in binned.cat.codes],
                "codes": column_list(codes)}

    cases["cut"] = [
        # integer edges: pandas writes integer interval text, "(0, 10]"; fare 0 is outside.
        cut_case("fare", "0,10,50,600", [0, 10, 50, 600], None, True),
        # float edges (inf makes the list float): "(0.0, 12.5]"; labels given.
        cut_case("age", "0,12.5,18,65,inf", [0, 12.5, 18, 65, math.inf], ["child", "teen", "adult", "senior"], True),
        cut_case("age", "0,12.5,18,65,inf", [0, 12.5, 18, 65, math.inf], None, False),
        # labels rounded to 3 significant decimals, as pd.cut's precision=3.
        cut_case("fare", "-inf,7.8958,14.4542,31.0,512.3292", [-math.inf, 7.8958, 14.4542, 31.0, 512.3292], None,
                 True),
        # the last edge equals the largest fare: with right=False it falls outside.
        cut_case("fare", "0,7.8958,14.4542,31,512.3292", [0, 7.8958, 14.4542, 31, 512.3292], None, False),
        # Python's float spelling at both ends of its range: "-1e-05", "0.000123", "2e+16".
        cut_case("fare", "-0.00001,0.000123456,0.5,2e16", [-0.00001, 0.000123456, 0.5, 2e16], None, True),
    ]

    def math_case(column, function, power):
        values = check[column].to_numpy(dtype=float)
        with np.errstate(all="ignore"):
            if function == "log1p":
                result = np.log1p(values)
            elif function == "log":
                result = np.log(values)
            elif function == "sqrt":
                result = np.sqrt(values)
            elif function == "square":
                result = np.square(values)
            else:
                result = np.power(values, power)
        return {"column": column, "function": function, "power": power, "output": column_list(result)}

    cases["math"] = [math_case("fare", "log1p", 2), math_case("age", "log", 2), math_case("fare", "sqrt", 2),
                     math_case("age", "square", 2), math_case("fare", "power", 1.5), math_case("age", "power", -0.5),
                     math_case("sibsp", "power", 3)]


def date_cases(out):
    texts = ["2021-03-14 15:09:26", "1969-12-31 23:59:59", "2000-02-29 12:30:00", "2024-12-31", None,
             "1900-03-01 06:00:00", "2023-01-01 00:00:01", "1970-01-01", "2016-07-04 23:59:59.5",
             "1999-12-31 18:00:00", "2024-02-29", "1912-04-15 02:20:00", "2038-01-19 03:14:08",
             "2020-10-01 09:00:00", "1850-06-15 12:00:00"]
    stamps = pd.Series(pd.to_datetime(texts))
    train_count = 10
    seconds = [None if pd.isna(s) else (s - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1) for s in stamps]
    earliest = stamps[:train_count].min().normalize()
    since = pd.Timestamp("2000-01-01")
    parts = {
        "year": stamps.dt.year, "month": stamps.dt.month, "day": stamps.dt.day,
        "dayofweek": stamps.dt.dayofweek, "hour": stamps.dt.hour, "quarter": stamps.dt.quarter,
        "days_since": (stamps - earliest).dt.days,
    }
    out["dates"] = {
        "texts": texts,
        "seconds": seconds,
        "train_count": train_count,
        "earliest": str(earliest.date()),
        "parts": {name: column_list(values.astype(float)) for name, values in parts.items()},
        "days_since_2000": column_list((stamps - since).dt.days.astype(float)),
    }


def main():
    out = {
        "about": "scikit-learn " + sklearn.__version__ + ", pandas " + pd.__version__ + ", NumPy " + np.__version__ +
                 " reference for tst_encoding_steps; generated by tests/reference/encoding_reference.py from "
                 "resources/datasets/titanic.csv",
        "cases": {},
    }
    titanic_cases(out)
    date_cases(out)
    target = ROOT / "tests/data/encoding_reference.json"
    target.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
    print("wrote", target)


if __name__ == "__main__":
    main()
