#!/usr/bin/python3
"""Reference column profiles for tst_profile: pandas 1.5 describe()/nunique()/value_counts()
on the bundled titanic and mpg datasets.

Run with Debian's python: /usr/bin/python3 tests/reference/profile_reference.py
Writes tests/data/profile_reference.json.
"""
import json
import math
import pathlib

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASETS = ROOT / "resources" / "datasets"
OUTPUT = ROOT / "tests" / "data" / "profile_reference.json"

# Stepwise's default missing markers; nothing else counts as missing.
MISSING = ["", "NA", "N/A", "NaN", "null", "?"]


def number(value):
    value = float(value)
    return None if math.isnan(value) else value


def written_as_integers(texts):
    """pandas reads a whole-number column as float64 when a value is missing; Stepwise
    still calls it integer when every present value is written without '.' or exponent
    (pandas' nullable Int64 would hold it)."""
    present = texts.dropna()
    return len(present) > 0 and not present.str.contains(r"[.eE]").any()


def profile(name):
    path = DATASETS / f"{name}.csv"
    frame = pd.read_csv(path, keep_default_na=False, na_values=MISSING)
    raw = pd.read_csv(path, keep_default_na=False, na_values=MISSING, dtype=str)
    columns = []
    for column in frame.columns:
        series = frame[column]
        entry = {"name": column, "missing": int(series.isna().sum()), "unique": int(series.nunique())}
        if pd.api.types.is_bool_dtype(series):
            entry["kind"] = "boolean"
            entry["mean"] = float(series.mean())
            counts = series.astype(str).value_counts()
            entry["top"] = [[value, int(count)] for value, count in counts.items()]
        elif pd.api.types.is_numeric_dtype(series):
            stats = series.describe()
            integer = pd.api.types.is_integer_dtype(series) or written_as_integers(raw[column])
            entry["kind"] = "integer" if integer else "numeric"
            for key, label in [("mean", "mean"), ("std", "std"), ("min", "min"), ("q1", "25%"),
                               ("median", "50%"), ("q3", "75%"), ("max", "max")]:
                entry[key] = number(stats[label])
        else:
            entry["kind"] = "categorical"
            text = series.dropna().astype(str)
            counts = text.value_counts()
            first = {value: index for index, value in enumerate(text.drop_duplicates())}
            ordered = sorted(counts.items(), key=lambda item: (-item[1], first[item[0]]))
            entry["top"] = [[value, int(count)] for value, count in ordered[:5]]
        columns.append(entry)
    return {"rows": int(len(frame)), "columns": columns}


def main():
    reference = {
        "generator": f"pandas {pd.__version__}: read_csv(keep_default_na=False, na_values={MISSING}), "
                     "describe(), nunique(), value_counts()",
        "datasets": {name: profile(name) for name in ["titanic", "mpg"]},
    }
    OUTPUT.write_text(json.dumps(reference, indent=1) + "\n")


if __name__ == "__main__":
    main()
