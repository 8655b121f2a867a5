#!/usr/bin/env python3
"""stepwise-cli export (the model card, usage errors) and predict's schema check: a
missing column, text in a numeric column, and an unseen category, each explained.

Usage: test_export.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import csv
import html.parser
import os

import cli_support
from cli_support import DATASETS, CliTestCase, read_csv, run

TITANIC = ["builtin:titanic", "--target", "survived", "--drop", "alive", "--model", "logistic_regression",
           "--success", "f1_macro>=0.5"]


def titanic_rows():
    with open(os.path.join(DATASETS, "titanic.csv"), newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, list(reader)


def write_rows(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


class Export(CliTestCase):

    def setUp(self):
        super().setUp()
        self.model = self.path("m.stepwise")
        result = run("train", *TITANIC, "--out", self.model, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_help_lists_export(self):
        self.assertIn("export", run("--help").stdout)
        result = run("export", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for flag in ["--python", "--data", "--card"]:
            self.assertIn(flag, result.stdout)

    def test_export_without_an_output_is_a_usage_error(self):
        self.assertError(run("export", self.model), 2, "--python", "--card")

    def test_export_of_a_file_that_is_no_model(self):
        bogus = self.path("bogus.stepwise")
        with open(bogus, "w") as f:
            f.write("not a model")
        self.assertError(run("export", bogus, "--card", self.path("c.md")), 4)

    def test_python_export_of_a_step_scikit_learn_lacks(self):
        ffill = self.path("ffill.stepwise")
        result = run("train", *TITANIC, "--impute", "numeric=ffill", "--out", ffill, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        script = self.path("s.py")
        self.assertError(run("export", ffill, "--python", script), 4, "Fill missing values: numeric=ffill",
                         "no scikit-learn equivalent")
        self.assertFalse(os.path.exists(script))
        self.assertFalse(os.path.exists(self.path("titanic.csv")))  # nothing written beside it either

    def test_python_export_reads_the_given_csv(self):
        script, data = self.path("s.py"), os.path.join(DATASETS, "titanic.csv")
        result = run("export", self.model, "--python", script, "--data", data)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(os.path.exists(self.path("titanic.csv")))
        with open(script) as f:
            text = f.read()
        self.assertIn('"' + os.path.relpath(os.path.normpath(data), self.tmp) + '")', text)
        self.assertIn("def main():", text)
        self.assertIn("LogisticRegression(", text)
        self.assertIn("C=1.0,", text)

    def test_export_of_an_encrypted_model_needs_its_passphrase(self):
        secret, model = self.path("pass.txt"), self.path("e.stepwise")
        with open(secret, "w") as f:
            f.write("correct horse\n")
        result = run("train", "builtin:iris", "--target", "species", "--model", "knn", "--encrypt",
                     "--passphrase-file", secret, "--out", model, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertError(run("export", model, "--card", self.path("c.md")), 4, "encrypted", "--passphrase-file")
        result = run("export", model, "--card", self.path("c.md"), "--passphrase-file", secret)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(self.path("c.md")))

    def test_markdown_card(self):
        card = self.path("card.md")
        result = run("export", self.model, "--card", card)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(card) as f:
            text = f.read()
        self.assertTrue(text.startswith("# Model card"), text[:80])
        for heading in ["## Problem", "## Data", "## Pipeline", "## Test scores", "## Intended use and limits",
                        "## Reproducibility"]:
            self.assertIn(heading, text)
        self.assertIn("Target: survived", text)
        self.assertIn("Success criterion: f1\\_macro>=0.5", text)
        self.assertIn("| embarked | categorical | 3 categories: C, Q, S |", text)
        self.assertIn("Logistic regression", text)
        self.assertIn("| C | 1", text)            # the model's parameters
        self.assertIn("above 0.5", text)            # the threshold is said
        self.assertIn("Seed: 42", text)

    def test_html_card_is_self_contained_and_escaped(self):
        card = self.path("card.html")
        result = run("export", self.model, "--card", card)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(card) as f:
            text = f.read()
        self.assertTrue(text.startswith("<!DOCTYPE html>"))
        self.assertNotIn("<script", text)
        self.assertNotIn("<link", text)
        self.assertNotIn("src=", text)
        parser = TagCollector()
        parser.feed(text)
        self.assertIn("table", parser.tags)
        self.assertIn("h2", parser.tags)
        body = "".join(parser.text)
        self.assertIn("Success criterion: f1_macro>=0.5", body)  # ">=" escaped in the file, read back whole
        self.assertIn("f1_macro&gt;=0.5", text)

    def test_predict_without_a_column(self):
        header, rows = titanic_rows()
        drop = header.index("fare")
        write_rows(self.path("new.csv"), header[:drop] + header[drop + 1:], [r[:drop] + r[drop + 1:] for r in rows[:5]])
        result = run("predict", self.model, self.path("new.csv"))
        self.assertEqual(result.returncode, 3, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertTrue(lines[0].startswith("stepwise-cli: error: "), result.stderr)
        self.assertIn("does not fit the model", lines[0])
        self.assertEqual(len(lines), 2, result.stderr)
        self.assertIn("no column 'fare'", lines[1])
        self.assertIn("add it", lines[1])

    def test_predict_with_text_in_a_numeric_column_and_an_unknown_category_refused(self):
        header, rows = titanic_rows()
        rows = [list(r) for r in rows[:6]]
        rows[3][header.index("age")] = "twenty"
        rows[4][header.index("pclass")] = "first"
        write_rows(self.path("new.csv"), header, rows)
        result = run("predict", self.model, self.path("new.csv"))
        self.assertEqual(result.returncode, 3, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 3, result.stderr)  # the error line, then one line per blocking issue
        self.assertIn("column 'age', row 4: 'twenty'", result.stderr)
        self.assertIn("column 'pclass', row 5: 'first'", result.stderr)
        self.assertIn("correct the values", result.stderr)

    def test_predict_with_an_unseen_category_warns_and_scores(self):
        header, rows = titanic_rows()
        rows = [list(r) for r in rows[:6]]
        rows[2][header.index("embarked")] = "Atlantis"
        write_rows(self.path("new.csv"), header, rows)
        result = run("predict", self.model, self.path("new.csv"), "--out", self.path("p.csv"))
        self.assertEqual(result.returncode, 0, result.stderr)
        warning = [l for l in result.stderr.splitlines() if "Atlantis" in l]
        self.assertEqual(len(warning), 1, result.stderr)
        self.assertTrue(warning[0].startswith("stepwise-cli: warning: "))
        self.assertIn("column 'embarked', row 3: category 'Atlantis' was not seen in training", warning[0])
        self.assertIn("known: C, Q, S", warning[0])
        self.assertIn("one-hot", warning[0])
        self.assertEqual(len(read_csv(self.path("p.csv"))), 6)

    def test_predict_with_an_unseen_category_the_encoder_refuses(self):
        strict = self.path("strict.stepwise")
        result = run("train", *TITANIC, "--step", "encode:unknown=error", "--encode", "none",
                     "--out", strict, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        header, rows = titanic_rows()
        rows = [list(r) for r in rows[:6]]
        rows[1][header.index("sex")] = "robot"
        write_rows(self.path("new.csv"), header, rows)
        result = run("predict", strict, self.path("new.csv"))
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("column 'sex', row 2: category 'robot'", result.stderr)
        self.assertIn("refuses unknown categories", result.stderr)


if __name__ == "__main__":
    cli_support.main(verbosity=2)
