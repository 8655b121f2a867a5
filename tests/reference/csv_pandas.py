#!/usr/bin/python3
"""Reference reads for tst_csv_reader: tricky CSV fixtures and what pandas 1.5 read_csv makes
of them (dtype, missing count and every value of each column).

Run with Debian's python: /usr/bin/python3 tests/reference/csv_pandas.py
Writes the fixtures to tests/data/csv/ and the reference to tests/data/csv_pandas_reference.json.

pandas is told what Stepwise finds by itself: the delimiter (Stepwise sniffs it), the
encoding (Stepwise falls back to Latin-1 when the bytes are not UTF-8) and Stepwise's
missing markers. The fixtures avoid the few places where the two disagree on purpose:
pandas keeps spaces around unquoted fields (Stepwise trims them), treats a quoted "NA" as
missing (Stepwise keeps quoted text literal) and accepts any thousands grouping ("1,23").
"""
import json
import math
import pathlib

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "data" / "csv"
OUTPUT = ROOT / "tests" / "data" / "csv_pandas_reference.json"

# Stepwise's default missing markers; nothing else counts as missing.
MISSING = ["", "NA", "N/A", "NaN", "null", "?"]

# name -> (bytes, read_csv options beyond the missing markers)
FIXTURES_CONTENT = {
    # BOM, CRLF, quoted delimiters, line breaks and doubled quotes, every missing marker,
    # a blank line, integers, decimals, exponents, booleans and a column mixing numbers
    # with text (which keeps its texts: "007" stays "007").
    "quoting.csv": (
        b"\xef\xbb\xbf" + "\r\n".join([
            'id,name,note,score,count,flag,mixed',
            '1,"Smith, J","said ""hi""",1.5,10,True,007',
            '2,plain,"two\nlines",-2e3,NA,False,x',
            '3,"",N/A,.25,7,True,12',
            '',
            '4,null,"a,b,c",?,8,False,',
            '5,"O\'Brien","""quoted""",NaN,9,True,007',
            '6,"tab\there",ok,3,11,False,3.5',
        ]).encode() + b"\r\n",
        {"sep": ","},
    ),
    # A Latin-1 file with ';' between fields, decimal commas and '.' grouping thousands.
    "semicolon_latin1.csv": (
        "\n".join([
            "Stadt;Einwohner;Fläche;Anteil",
            "Zürich;421.878;87,88;0,5",
            "Genève;203.856;15,93;1,25",
            "Bern;134.794;51,62;",
            "Biel/Bienne;55.159;21,21;-0,75",
        ]).encode("latin-1") + b"\n",
        {"sep": ";", "decimal": ",", "thousands": ".", "encoding": "latin-1"},
    ),
    # '|' between fields: whole numbers with a gap (pandas float64, Stepwise integer),
    # upper-case booleans, ISO dates, an all-missing column and free text.
    "pipes.csv": (
        "\n".join([
            "n|x|ok|day|empty|comment",
            "1|0.1|TRUE|2024-03-01||first of the month",
            "|1e-7|FALSE|2024-03-02|NA|nothing to see here today",
            "3|123456.789|TRUE|2024-02-29||leap day in a leap year",
            "4|-0.0|TRUE||?|",
            "5|1.7976931348623157e308|FALSE|2023-12-31||last day of the year",
        ]).encode() + b"\n",
        {"sep": "|"},
    ),
    # Tab-separated, with tabs and the other candidates inside quoted fields.
    "tabs.tsv": (
        "\n".join([
            "a\tb\tc",
            '-1\t"x\ty"\t2.5E-3',
            '2\t"p,q;r|s"\t-7',
            '3\tz\t1e2',
        ]).encode() + b"\n",
        {"sep": "\t"},
    ),
    # Only a header: no rows, text (object) columns.
    "header_only.csv": (b"alpha,beta,gamma\n", {"sep": ","}),
}


def value(item):
    if isinstance(item, bool):
        return item
    if isinstance(item, (int, float)):
        return None if math.isnan(item) else item
    if item is None or (isinstance(item, float) and math.isnan(item)):
        return None
    if hasattr(item, "item"):  # numpy scalar
        return value(item.item())
    return str(item)


def reference(name, content, options):
    path = FIXTURES / name
    path.write_bytes(content)
    frame = pd.read_csv(path, keep_default_na=False, na_values=MISSING, **options)
    columns = []
    for column in frame.columns:
        series = frame[column]
        columns.append({
            "name": column,
            "dtype": str(series.dtype),
            "missing": int(series.isna().sum()),
            "values": [None if pd.isna(item) else value(item) for item in series.tolist()],
        })
    return {
        "file": name,
        "delimiter": options["sep"],
        "decimal": options.get("decimal", "."),
        "thousands": options.get("thousands", ""),
        "rows": len(frame),
        "columns": columns,
    }


def main():
    FIXTURES.mkdir(parents=True, exist_ok=True)
    result = {
        "pandas": pd.__version__,
        "fixtures": [reference(name, content, options) for name, (content, options) in FIXTURES_CONTENT.items()],
    }
    OUTPUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} and {len(FIXTURES_CONTENT)} fixtures in {FIXTURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
