#!/usr/bin/python3
"""`stepwise-cli inspect --json` against pandas, in every format Stepwise reads.

Every dataset in resources/datasets/*.csv is also written (in a temporary directory) as
.xlsx (pandas + openpyxl), .json (records), .jsonl and .sqlite (pandas.to_sql). For each
file, the row and column counts, column names, per-column missing counts, distinct
counts and types reported by `inspect FILE --json` must equal what pandas' own reader
(read_csv / read_excel / read_json / read_sql) gives for the same file.

Types map as follows (pandas has no integer dtype that holds NaN, and keeps every
non-numeric column as `object`):
    int64           ↔ integer
    float64         ↔ numeric, or integer when the column has missing values and every
                      present value is whole
    bool            ↔ boolean
    datetime64      ↔ datetime
    object          ↔ categorical, text, datetime, or boolean when it has missing values
One justified difference, asserted as such: pandas.read_json turns float columns whose
values are all whole (written 101.0 by to_json) into int64; Stepwise keeps the number
syntax of the file (101.0 is not an integer literal), as read_csv and read_sql do.

Also: small hand-made bad files per format end in exit code 3 and a message naming the
file (and line/column where there is one).

Usage: test_inspect_pandas.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import glob
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import pandas as pd

CLI = None
DATASETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "datasets")
FORMATS = ["csv", "xlsx", "json", "jsonl", "sqlite"]


def inspect(path, *extra):
    result = subprocess.run([CLI, "inspect", path, "--json", *extra], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"inspect {path} exited {result.returncode}: {result.stderr}")
    return json.loads(result.stdout)


def write_formats(df, name, directory):
    """Writes `df` in every format; returns {format: (path, extra CLI args)}."""
    files = {"csv": (os.path.join(DATASETS, name + ".csv"), [])}
    xlsx = os.path.join(directory, name + ".xlsx")
    df.to_excel(xlsx, index=False)
    files["xlsx"] = (xlsx, [])
    records = os.path.join(directory, name + ".json")
    df.to_json(records, orient="records")
    files["json"] = (records, [])
    lines = os.path.join(directory, name + ".jsonl")
    df.to_json(lines, orient="records", lines=True)
    files["jsonl"] = (lines, [])
    db = os.path.join(directory, name + ".sqlite")
    with sqlite3.connect(db) as con:
        df.to_sql(name, con, index=False)
    files["sqlite"] = (db, ["--table", name])
    return files


def read_with_pandas(fmt, path, name):
    if fmt == "csv":
        return pd.read_csv(path)
    if fmt == "xlsx":
        return pd.read_excel(path)
    if fmt == "json":
        return pd.read_json(path, orient="records")
    if fmt == "jsonl":
        return pd.read_json(path, lines=True)
    with sqlite3.connect(path) as con:
        return pd.read_sql(f'SELECT * FROM "{name}"', con)


def expected_types(series):
    """The Stepwise types that correspond to this pandas column."""
    dtype = str(series.dtype)
    if dtype == "int64":
        return {"integer"}
    if dtype == "float64":
        present = series.dropna()
        if series.isna().any() and len(present) > 0 and (present == present.round()).all():
            return {"numeric", "integer"}
        return {"numeric"}
    if dtype == "bool":
        return {"boolean"}
    if dtype.startswith("datetime64"):
        return {"datetime"}
    if dtype == "object":
        allowed = {"categorical", "text", "datetime"}
        if series.isna().any():
            allowed.add("boolean")
        return allowed
    raise AssertionError(f"unexpected pandas dtype {dtype}")


class InspectAgreesWithPandas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.datasets = sorted(glob.glob(os.path.join(DATASETS, "*.csv")))
        assert len(cls.datasets) >= 7, cls.datasets

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_every_dataset_in_every_format(self):
        compared = 0
        for csv_path in self.datasets:
            name = os.path.splitext(os.path.basename(csv_path))[0]
            source = pd.read_csv(csv_path)
            files = write_formats(source, name, self.dir.name)
            for fmt in FORMATS:
                path, extra = files[fmt]
                with self.subTest(dataset=name, format=fmt):
                    ours = inspect(path, *extra)
                    theirs = read_with_pandas(fmt, path, name)
                    self.assertEqual(ours["rows"], len(theirs))
                    self.assertEqual([c["name"] for c in ours["columns"]], [str(c) for c in theirs.columns])
                    for column in ours["columns"]:
                        series = theirs[column["name"]]
                        where = f"{name}.{fmt} column {column['name']}"
                        self.assertEqual(column["missing"], int(series.isna().sum()), where)
                        self.assertEqual(column["unique"], int(series.nunique()), where)
                        allowed = expected_types(series)
                        if fmt in ("json", "jsonl") and str(series.dtype) == "int64" \
                                and str(source[column["name"]].dtype) == "float64":
                            # The justified difference (see the module doc): whole floats
                            # written as 101.0, which read_json coerces to int64.
                            allowed = {"numeric"}
                        self.assertIn(column["type"], allowed, f"{where}: pandas {series.dtype}")
                    compared += 1
        self.assertEqual(compared, len(self.datasets) * len(FORMATS))


class BadFilesExit3WithTheirLocation(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def assertBadData(self, args, *fragments):
        result = subprocess.run([CLI, "inspect", *args], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertTrue(result.stderr.startswith("stepwise-cli: error: "), result.stderr)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)

    def test_bad_files(self):
        empty = self.path("empty.xlsx")
        open(empty, "wb").close()
        self.assertBadData([empty], "empty.xlsx: ", "empty (0 bytes)")
        text = self.path("text.xlsx")
        with open(text, "w") as f:
            f.write("a,b\n1,2\n")
        self.assertBadData([text], "text.xlsx: ", "not a zip archive")
        garbage = self.path("garbage.db")
        with open(garbage, "wb") as f:
            f.write(os.urandom(4096))
        self.assertBadData([garbage, "--table", "t"], "garbage.db: ", "not an SQLite database")
        db = self.path("shop.db")
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE orders (id INTEGER)")
            con.execute("CREATE TABLE customers (id INTEGER)")
        self.assertBadData([db, "--table", "order"], "shop.db: ", "no table 'order'", "'customers', 'orders'")
        truncated = self.path("cut.json")
        with open(truncated, "w") as f:
            f.write('[{"a": 1},\n {"a": 2, "b"')
        self.assertBadData([truncated], "cut.json:2:14: ", "invalid JSON")
        lines = self.path("cut.jsonl")
        with open(lines, "w") as f:
            f.write('{"a": 1}\n{"a": 2}\n[3]\n')
        self.assertBadData([lines], "cut.jsonl:3:1: ", "expected a record")


if __name__ == "__main__":
    CLI = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
