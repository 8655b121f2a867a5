#!/usr/bin/python3
"""Writes the small fixture files the xlsx, SQLite and JSON reader tests read
(tests/data/readers/), with openpyxl, sqlite3 and json, and checks with pandas that
pandas reads them the way the tests expect (shape, missing values, types).

Usage: /usr/bin/python3 tests/reference/readers_fixtures.py   (rewrites the files)
"""
import bz2
import datetime as dt
import io
import json
import os
import sqlite3
import zipfile

import openpyxl
import pandas as pd
from openpyxl.utils.datetime import CALENDAR_MAC_1904

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "readers")


def path(name):
    return os.path.join(OUT, name)


def rewrite_zip(name, replace):
    """Rewrites parts of a zip: replace maps part name -> function(text) -> text."""
    with zipfile.ZipFile(path(name)) as src:
        parts = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in parts:
            if info.filename in replace:
                data = replace[info.filename](data.decode("utf-8")).encode("utf-8")
            dst.writestr(info.filename, data)


# --------------------------------------------------------------------------- xlsx
def write_types_xlsx():
    """Sheet 'people': every cell type; 'gaps': blank rows, a nameless column, a value
    beyond the header; 'empty': nothing; 'dupes': a repeated header name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "people"
    ws.append(["id", "score", "name", "active", "joined", "when", "note", "mixed", "ratio"])
    rows = [
        [1, 1.5, "Ada", True, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 13, 45, 30), "NA", 1, 0.5],
        [2, 2, "Grace", False, dt.date(1999, 12, 31), dt.datetime(2000, 1, 1, 0, 0, 0), None, "two", 2],
        [3, 3.25, "Edsger", True, dt.date(1900, 1, 1), dt.datetime(1970, 1, 1, 6, 0, 0), "ok", True, 3],
        [4, None, "Ada", None, None, None, "#N/A", None, 4.0],
    ]
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = 'dd/mm/yyyy "at" hh:mm:ss'
    # A number format with date letters only inside quotes and brackets is not a date.
    ws["I2"].number_format = '[Red]0.00" dm"'

    gaps = wb.create_sheet("gaps")
    gaps.append(["a", None, "c"])
    gaps.append([1, "x", 3])
    gaps.append([])  # blank row: a row of missing values (as pandas reads it)
    gaps.append([2, None, None, "beyond"])
    gaps.append([None, None, 5])

    wb.create_sheet("empty")
    dupes = wb.create_sheet("dupes")
    dupes.append(["x", "y", "x"])
    dupes.append([1, 2, 3])
    wb.save(path("types.xlsx"))

    # Rich text (runs with formatting) and a phonetic guide in the shared strings:
    # openpyxl 3.0 writes only plain strings, so edit the part.
    def rich(text):
        old = "<si><t>Edsger</t></si>"
        assert old in text, text[:400]
        new = ('<si><r><rPr><b/></rPr><t>Ed</t></r><r><t xml:space="preserve">s</t></r><r><t>ger</t></r>'
               "<rPh sb=\"0\" eb=\"2\"><t>エド</t></rPh></si>")
        return text.replace(old, new)

    rewrite_zip("types.xlsx", {"xl/sharedStrings.xml": rich})


def write_dates1904_xlsx():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "mac"
    ws.append(["day", "n"])
    ws.append([dt.date(2024, 3, 1), 1])
    ws.append([dt.date(1904, 1, 2), 2])
    for row in ws.iter_rows(min_row=2, max_col=1):
        for cell in row:
            cell.number_format = "d-mmm-yy"  # built-in id 15
    wb.save(path("dates1904.xlsx"))


HANDMADE_PARTS = {
    "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/one.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/strings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>""",
    "_rels/.rels": """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>""",
    # The workbook at a non-standard place, a prefixed namespace, a chart sheet first.
    "xl/workbook.xml": """<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="Chart" sheetId="1" r:id="rId9"/><x:sheet name="Data &amp; more" sheetId="2" r:id="rId1"/></x:sheets>
</x:workbook>""",
    "xl/_rels/workbook.xml.rels": """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/../worksheets/one.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="charts/c.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>""",
    "xl/strings.xml": """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>label</t></si><si><t>line_x000D_break</t></si><si><t/></si></sst>""",
    # Custom format 164 is a date; 165 is text in quotes only; cellXfs 1 → 164, 2 → 165, 3 → 22.
    "xl/styles.xml": """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="[$-409]mmm\\ yyyy;@"/><numFmt numFmtId="165" formatCode="0.0&quot; days&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/></cellXfs>
</styleSheet>""",
    # Rows and cells without references, inline strings, formula strings, ISO dates,
    # errors, booleans written as true/false, an empty shared string.
    "xl/worksheets/one.xml": """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<dimension ref="A1:F4"/>
<sheetData>
<row><c t="s"><v>0</v></c><c t="inlineStr"><is><t>when</t></is></c><c t="inlineStr"><is><r><t>dur</t></r><r><t>ation</t></r></is></c><c t="str"><v>calc</v></c><c t="inlineStr"><is><t>flag</t></is></c><c t="inlineStr"><is><t>stamp</t></is></c></row>
<row><c t="s"><v>1</v></c><c s="1"><v>45352</v></c><c s="2"><v>1.5</v></c><c t="str"><f>A2&amp;"!"</f><v>text!</v></c><c t="b"><v>1</v></c><c t="d"><v>2024-03-01T10:30:00</v></c></row>
<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>61</v></c><c r="C3" s="2"><v>3</v></c><c r="D3" t="e"><v>#DIV/0!</v></c><c r="E3" t="b"><v>0</v></c><c r="F3" s="3"><v>45352.4375</v></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>?</t></is></c><c r="B4" s="1"/><c r="C4" s="2"><v>-2</v></c></row>
</sheetData></worksheet>""",
}


def write_handmade_xlsx():
    with zipfile.ZipFile(path("handmade.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in HANDMADE_PARTS.items():
            z.writestr(name, text)


def write_bad_xlsx():
    with open(path("not_a_zip.xlsx"), "wb") as f:
        f.write(b"name,age\nAda,36\n")  # a CSV saved with the wrong extension
    with zipfile.ZipFile(path("no_workbook.xlsx"), "w") as z:
        z.writestr("readme.txt", "just a zip")
    corrupt = dict(HANDMADE_PARTS)
    sheet = corrupt["xl/worksheets/one.xml"].splitlines()
    # Line 5 loses its closing tags: an unclosed <row>.
    sheet[4] = sheet[4].replace("</c></row>", "</c>")
    corrupt["xl/worksheets/one.xml"] = "\n".join(sheet)
    with zipfile.ZipFile(path("corrupt_sheet.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in corrupt.items():
            z.writestr(name, text)
    # A part that inflates 1000s of times its file (bzip2 packs runs of one byte tightly).
    bomb = dict(HANDMADE_PARTS)
    with zipfile.ZipFile(path("bomb.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in bomb.items():
            if name != "xl/worksheets/one.xml":
                z.writestr(name, text)
        payload = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b" " * (
            64 * 1024 * 1024) + b"</worksheet>"
        info = zipfile.ZipInfo("xl/worksheets/one.xml")
        info.compress_type = zipfile.ZIP_BZIP2
        z.writestr(info, payload)


def check_xlsx_with_pandas():
    people = pd.read_excel(path("types.xlsx"), sheet_name="people")
    assert people.shape == (4, 9), people.shape
    assert str(people["id"].dtype) == "int64"
    assert str(people["score"].dtype) == "float64" and people["score"].isna().sum() == 1
    assert list(people["name"]) == ["Ada", "Grace", "Edsger", "Ada"], list(people["name"])
    assert str(people["joined"].dtype).startswith("datetime64")
    assert people["joined"][2] == pd.Timestamp("1900-01-01")
    assert people["when"][0] == pd.Timestamp("2024-03-01 13:45:30")
    assert str(people["ratio"].dtype) == "float64"  # 0.5 makes it float; our reader: numeric
    gaps = pd.read_excel(path("types.xlsx"), sheet_name="gaps")
    assert gaps.shape == (4, 4), gaps.shape  # blank row kept as NaN; 4th column "Unnamed: 3"
    mac = pd.read_excel(path("dates1904.xlsx"))
    assert mac["day"][0] == pd.Timestamp("2024-03-01") and mac["day"][1] == pd.Timestamp("1904-01-02")
    # handmade.xlsx is not checked here: openpyxl 3.0 finds no sheets in a workbook with
    # a prefixed namespace or an absolute relationship target containing "..", both valid
    # OOXML (ECMA-376 part 2 §9.3). Its expected values are in tst_xlsx_reader.cpp.


# --------------------------------------------------------------------------- SQLite
def write_sqlite():
    db = path("shop.sqlite")
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.executescript('''
        CREATE TABLE people (id INTEGER, score REAL, name TEXT, joined TEXT, weight REAL, note TEXT);
        INSERT INTO people VALUES (1, 1.5, 'Ada', '2024-03-01', 60.0, 'NA');
        INSERT INTO people VALUES (2, NULL, 'Grace', '1999-12-31', 55.0, 'ok');
        INSERT INTO people VALUES (3, 3.25, NULL, '1970-01-01', 70.0, 'fine');
        INSERT INTO people VALUES (4, 2.0, 'Ada', NULL, NULL, '');
        CREATE TABLE "odd ""name""" (x INTEGER, y TEXT);
        INSERT INTO "odd ""name""" VALUES (7, 'seven');
        CREATE TABLE files (name TEXT, content BLOB);
        INSERT INTO files VALUES ('a', x'00ff10');
        CREATE VIEW adults AS SELECT id, name FROM people WHERE id > 1;
    ''')
    con.commit()
    con.close()
    single = path("single.db")
    if os.path.exists(single):
        os.remove(single)
    con = sqlite3.connect(single)
    con.executescript("CREATE TABLE only_one (a INTEGER, b TEXT); INSERT INTO only_one VALUES (1, 'x'), (2, 'y');")
    con.commit()
    con.close()
    with open(path("not_a_db.db"), "wb") as f:
        f.write(b"SQLite format 2\x00" + bytes(range(256)) * 8)


def check_sqlite_with_pandas():
    con = sqlite3.connect(path("shop.sqlite"))
    people = pd.read_sql("SELECT * FROM people", con)
    con.close()
    assert people.shape == (4, 6)
    assert str(people["id"].dtype) == "int64"
    assert str(people["score"].dtype) == "float64" and people["score"].isna().sum() == 1
    assert str(people["weight"].dtype) == "float64"  # REAL with whole values stays float
    assert people["name"].isna().sum() == 1


# --------------------------------------------------------------------------- JSON
RECORDS = [
    {"id": 1, "score": 1.5, "name": "Ada", "active": True, "tags": ["x", "y"], "note": "NA", "big": 1.0},
    {"id": 2, "score": 2, "name": "Grace", "active": False, "tags": None, "extra": {"k": 1}, "big": 2.0},
    {"id": 3, "score": None, "name": "Ada", "active": True, "note": "ok", "big": 3e0},
]


def write_json():
    with open(path("records.json"), "w", encoding="utf-8") as f:
        json.dump(RECORDS, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(path("records.jsonl"), "w", encoding="utf-8") as f:
        for r in RECORDS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
        f.write("\n")  # a trailing blank line is allowed
    # Syntax error: the second record is cut off (line 3).
    with open(path("truncated.json"), "w") as f:
        f.write('[\n  {"a": 1, "b": "x"},\n  {"a": 2, "b": \n')
    # Valid JSON, but the third element (line 4, column 3) is not a record.
    with open(path("not_records.json"), "w") as f:
        f.write('[\n  {"a": 1},\n  {"a": 2},\n  42,\n  {"a": 3}\n]\n')
    # JSON Lines whose line 3 is broken.
    with open(path("bad_line.jsonl"), "w") as f:
        f.write('{"a": 1}\n{"a": 2}\n{"a": 3,, "b": 4}\n')


def check_json_with_pandas():
    records = pd.read_json(path("records.json"), orient="records")
    assert records.shape == (3, 8), records.shape
    assert list(records.columns) == ["id", "score", "name", "active", "tags", "note", "big", "extra"]
    lines = pd.read_json(path("records.jsonl"), lines=True)
    assert lines.shape == (3, 8)
    assert records["score"].isna().sum() == 1
    assert str(records["active"].dtype) == "bool"


def main():
    os.makedirs(OUT, exist_ok=True)
    write_types_xlsx()
    write_dates1904_xlsx()
    write_handmade_xlsx()
    write_bad_xlsx()
    write_sqlite()
    write_json()
    check_xlsx_with_pandas()
    check_sqlite_with_pandas()
    check_json_with_pandas()
    for name in sorted(os.listdir(OUT)):
        print(f"{name:24s} {os.path.getsize(path(name)):8d} bytes")


if __name__ == "__main__":
    main()
