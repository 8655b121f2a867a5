"""The environment a user's machine brings: a decimal-comma locale, non-ASCII file paths
and column names, and a file bigger than the memory the process may use.

- Under LC_ALL=de_DE.UTF-8 (built here with localedef into a private LOCPATH; the test
  fails when it cannot be built) every file train, predict, export and run write is byte
  for byte what they write under LC_ALL=C, times aside.
- A folder and file named "données/Überblick 日本 😀.csv" with columns "température °C",
  "größe", "名前" and target "classé" go through inspect, train --out/--report/
  --save-project/--predictions, predict, export --onnx/--python/--card, run PROJECT and
  serve's /schema; the same data as .xlsx, .json and .sqlite at non-ASCII paths is read
  the same.
- A sparse 5 GB CSV under a 2 GB address-space limit (RLIMIT_AS): inspect and train refuse
  in well under a second with the data exit code and the sizes in one line; no signal,
  no core dump.
"""
import json
import os
import re
import resource
import select
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

import cli_support
from cli_support import CliTestCase, DATASETS, read_csv

LOCALE = "de_DE.UTF-8"
SERVING_LINE = re.compile(r"^stepwise-cli: serving (.+) on (https?)://127\.0\.0\.1:(\d+)$")
LOCPATH = None  # the folder the locale is built in, by setUpModule

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
TIME_KEYS = re.compile(r'"[a-z0-9_]*(_s|_ms|_utc|created[a-z_]*|started[a-z_]*|duration[a-z_]*|latency[a-z_]*)"\s*:')


def setUpModule():
    global LOCPATH
    LOCPATH = tempfile.mkdtemp(prefix="stepwise-locale-")
    target = os.path.join(LOCPATH, LOCALE)
    # localedef exits 1 for warnings while still writing the locale; what counts is the file.
    subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", target], capture_output=True)
    if not os.path.exists(os.path.join(target, "LC_NUMERIC")):
        raise RuntimeError("localedef could not build %s — install the Debian package `locales`" % LOCALE)


def env_for(locale_name):
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("LC_") or key == "LANG":
            del env[key]
    env["LC_ALL"] = locale_name
    env["LOCPATH"] = LOCPATH
    return env


def run_in(locale_name, *args, timeout=300, preexec_fn=None):
    return subprocess.run([cli_support.CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          env=env_for(locale_name), preexec_fn=preexec_fn)


def without_times(text):
    """The lines of a JSON or text file without those that hold a time or a duration."""
    return "\n".join(line for line in text.splitlines() if not TIME_KEYS.search(line) and not ISO_TIME.search(line))


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


UNICODE_HEADER = ["température °C", "größe", "名前", "classé"]


def write_unicode_csv(path, rows=120):
    """A small classification table with non-ASCII names and '.' decimals."""
    names = ["Zoë", "Jürgen", "日本", "😀", "Ågot"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(UNICODE_HEADER) + "\n")
        for i in range(rows):
            temperature = round(-5.5 + (i * 37 % 50) * 0.75, 2)
            size = 150 + (i * 13 % 45) + 0.5
            label = "oui" if temperature + (size - 170) * 0.3 > 12 else "non"
            f.write("%s,%s,%s,%s\n" % (temperature, size, names[i % len(names)], label))


class DecimalCommaLocale(CliTestCase):
    def test_locale_is_really_comma(self):
        probe = subprocess.run(["/usr/bin/python3", "-c",
                                "import locale; locale.setlocale(locale.LC_ALL, ''); "
                                "print(locale.localeconv()['decimal_point'])"],
                               capture_output=True, text=True, env=env_for(LOCALE))
        self.assertEqual(probe.stdout.strip(), ",", probe.stderr)

    def outputs(self, locale_name, folder):
        os.makedirs(folder)
        p = lambda name: os.path.join(folder, name)
        data = os.path.join(DATASETS, "titanic.csv")
        result = run_in(locale_name, "train", data, "--target", "survived", "--model", "logistic_regression",
                        "--param", "C=0.5", "--drop", "alive,class,who,adult_male,deck,embark_town,alone",
                        "--success", "f1_macro>=0.7", "--seed", "3", "--threads", "1", "--quiet",
                        "--out", p("model.stepwise"), "--report", p("report.json"),
                        "--predictions", p("train-pred.csv"), "--save-project", p("p.stepwise-project"))
        self.assertEqual(result.returncode, 0, result.stderr)
        for args in (["predict", p("model.stepwise"), data, "--proba", "--out", p("pred.csv")],
                     ["export", p("model.stepwise"), "--python", p("model.py")],
                     ["export", p("model.stepwise"), "--card", p("card.md")],
                     ["export", p("model.stepwise"), "--onnx", p("model.onnx")],
                     ["evaluate", p("model.stepwise"), data, "--report", p("evaluation.json")],
                     ["run", p("p.stepwise-project"), "--report", p("run.json"), "--threads", "1", "--quiet"]):
            result = run_in(locale_name, *args)
            self.assertEqual(result.returncode, 0, " ".join(args) + ": " + result.stderr)
        inspect = run_in(locale_name, "inspect", data, "--target", "survived", "--json")
        self.assertEqual(inspect.returncode, 0, inspect.stderr)
        with open(p("inspect.json"), "w") as f:
            f.write(inspect.stdout)
        inspect_text = run_in(locale_name, "inspect", data, "--target", "survived")
        with open(p("inspect.txt"), "w") as f:
            f.write(inspect_text.stdout)
        return folder

    def test_every_output_is_the_same_under_de_DE(self):
        c = self.outputs("C", self.path("c"))
        de = self.outputs(LOCALE, self.path("de"))
        # The same bytes: files without times in them.
        for name in ("train-pred.csv", "pred.csv", "model.onnx", "inspect.json", "inspect.txt"):
            self.assertEqual(read_bytes(os.path.join(de, name)), read_bytes(os.path.join(c, name)), name)
        # The same text but for the lines holding a time.
        for name in ("report.json", "run.json", "evaluation.json", "card.md", "model.py", "p.stepwise-project"):
            with open(os.path.join(c, name), encoding="utf-8") as f:
                expected = without_times(f.read())
            with open(os.path.join(de, name), encoding="utf-8") as f:
                actual = without_times(f.read())
            if name == "p.stepwise-project":
                # The project records where its data and folder are.
                expected = expected.replace(c, "DIR")
                actual = actual.replace(de, "DIR")
            self.assertEqual(actual, expected, name)
        report = cli_support.load_json(os.path.join(de, "report.json"))
        self.assertIsInstance(report["metrics"]["accuracy"], float)

    def test_comma_numbers_in_flags_are_refused_and_point_numbers_taken(self):
        data = os.path.join(DATASETS, "iris.csv")
        ok = run_in(LOCALE, "train", data, "--target", "species", "--model", "logistic_regression", "--param",
                    "C=0.5", "--test-size", "0.25", "--quiet", "--report", self.path("r.json"))
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertEqual(cli_support.load_json(self.path("r.json"))["rows"]["test"], 38)
        bad = run_in(LOCALE, "train", data, "--target", "species", "--param", "C=0,5", "--quiet")
        self.assertError(bad, 2, "C")


class NonAsciiPaths(CliTestCase):
    def setUp(self):
        super().setUp()
        self.folder = self.path("données")
        os.makedirs(self.folder)
        self.data = os.path.join(self.folder, "Überblick 日本 😀.csv")
        write_unicode_csv(self.data)

    def p(self, name):
        return os.path.join(self.folder, name)

    def test_inspect(self):
        result = cli_support.run("inspect", self.data, "--target", "classé", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        inspected = json.loads(result.stdout)
        self.assertEqual([c["name"] for c in inspected["columns"]], UNICODE_HEADER)
        self.assertEqual(inspected["rows"], 120)

    def test_train_predict_export_run_serve(self):
        model, report, project = self.p("modèle 😀.stepwise"), self.p("rapport.json"), self.p("projet 日本.stepwise-project")
        result = cli_support.run("train", self.data, "--target", "classé", "--model", "random_forest",
                                 "--param", "n_estimators=20", "--quiet", "--out", model, "--report", report,
                                 "--predictions", self.p("prédictions.csv"), "--save-project", project)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(cli_support.load_json(report)["classes"], ["non", "oui"])
        predicted = cli_support.run("predict", model, self.data, "--proba", "--out", self.p("prédit.csv"))
        self.assertEqual(predicted.returncode, 0, predicted.stderr)
        rows = read_csv(self.p("prédit.csv"))
        self.assertEqual(len(rows), 120)
        self.assertIn("proba_oui", rows[0])

        script = self.p("modèle.py")
        exported = cli_support.run("export", model, "--python", script)
        self.assertEqual(exported.returncode, 0, exported.stderr)
        with open(script, encoding="utf-8") as f:
            text = f.read()
        compile(text, script, "exec")  # valid Python: the names are quoted strings
        for name in ("température °C", "größe", "名前", "classé"):
            self.assertIn(name, text)
        onnx_file = self.p("modèle.onnx")
        exported = cli_support.run("export", model, "--onnx", onnx_file)
        self.assertEqual(exported.returncode, 0, exported.stderr)
        import onnx
        graph = onnx.load(onnx_file)
        onnx.checker.check_model(graph)
        self.assertEqual([i.name for i in graph.graph.input], ["température °C", "größe", "名前"])
        card = cli_support.run("export", model, "--card", self.p("fiche.md"))
        self.assertEqual(card.returncode, 0, card.stderr)
        with open(self.p("fiche.md"), encoding="utf-8") as f:
            self.assertIn("température °C", f.read())

        rerun = cli_support.run("run", project, "--report", self.p("relancé.json"), "--quiet")
        self.assertEqual(rerun.returncode, 0, rerun.stderr)
        self.assertEqual(cli_support.load_json(self.p("relancé.json"))["metrics"],
                         cli_support.load_json(report)["metrics"])

        server = subprocess.Popen([cli_support.CLI, "serve", model, "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        try:
            ready, _, _ = select.select([server.stdout], [], [], 60)
            line = server.stdout.readline().strip() if ready else ""
            match = SERVING_LINE.match(line)
            self.assertTrue(match, line)
            base = "http://127.0.0.1:%s" % match.group(3)
            schema = json.loads(urllib.request.urlopen(base + "/schema", timeout=30).read().decode())
            names = json.dumps(schema, ensure_ascii=False)
            for name in ("température °C", "größe", "名前"):
                self.assertIn(name, names)
            body = json.dumps({"rows": [{"température °C": 20.5, "größe": 180.5, "名前": "日本"}]}).encode()
            request = urllib.request.Request(base + "/predict", data=body,
                                             headers={"Content-Type": "application/json"})
            answer = json.loads(urllib.request.urlopen(request, timeout=30).read().decode())
            self.assertIn(answer["predictions"][0], ["non", "oui"])
        finally:
            server.terminate()
            server.communicate(timeout=30)

    def test_other_formats_at_non_ascii_paths(self):
        rows = read_csv(self.data)
        expected = json.loads(cli_support.run("inspect", self.data, "--json").stdout)
        # JSON records
        json_path = self.p("données 😀.json")
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump([{k: (float(v) if k != "名前" and k != "classé" else v) for k, v in row.items()} for row in rows],
                      f, ensure_ascii=False)
        # SQLite
        sqlite_path = self.p("base 日本.sqlite")
        connection = sqlite3.connect(sqlite_path)
        connection.execute('CREATE TABLE "données" ("température °C" REAL, "größe" REAL, "名前" TEXT, "classé" TEXT)')
        connection.executemany('INSERT INTO "données" VALUES (?, ?, ?, ?)',
                               [(float(r[UNICODE_HEADER[0]]), float(r[UNICODE_HEADER[1]]), r["名前"], r["classé"])
                                for r in rows])
        connection.commit()
        connection.close()
        # XLSX
        import openpyxl
        xlsx_path = self.p("classeur Überblick.xlsx")
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Feuille é"
        sheet.append(UNICODE_HEADER)
        for r in rows:
            sheet.append([float(r[UNICODE_HEADER[0]]), float(r[UNICODE_HEADER[1]]), r["名前"], r["classé"]])
        book.save(xlsx_path)

        for path, extra in ((json_path, []), (sqlite_path, ["--table", "données"]), (xlsx_path, [])):
            result = cli_support.run("inspect", path, *extra, "--json")
            self.assertEqual(result.returncode, 0, path + ": " + result.stderr)
            inspected = json.loads(result.stdout)
            self.assertEqual([c["name"] for c in inspected["columns"]], UNICODE_HEADER, path)
            self.assertEqual(inspected["rows"], expected["rows"], path)
            trained = cli_support.run("train", path, *extra, "--target", "classé", "--quiet")
            self.assertEqual(trained.returncode, 0, path + ": " + trained.stderr)


def limit_address_space():
    limit = 2 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@unittest.skipIf(os.environ.get("STEPWISE_ADDRESS_SANITIZER"),
                 "an AddressSanitizer build cannot start under an address-space limit")
class FileLargerThanMemory(CliTestCase):
    def setUp(self):
        super().setUp()
        self.big = self.path("données 5 GB.csv")
        with open(self.big, "w", encoding="utf-8") as f:
            f.write("température °C,größe,名前,classé\n")
            f.write("1.5,2.5,a,oui\n")
        os.truncate(self.big, 5 * 1000 ** 3)  # sparse: no disk, and no time to write it

    def test_refused_clearly_and_quickly(self):
        for args in (["inspect", self.big], ["inspect", self.big, "--json"],
                     ["train", self.big, "--target", "classé", "--quiet"]):
            start = time.monotonic()
            result = subprocess.run([cli_support.CLI, *args], capture_output=True, text=True, timeout=120,
                                    preexec_fn=limit_address_space)
            elapsed = time.monotonic() - start
            self.assertGreaterEqual(result.returncode, 0, "killed by signal %d" % -result.returncode)
            self.assertError(result, 3, "données 5 GB.csv", "is 5.0 GB", "needs about 10 GB",
                             "of memory is available", "sample of its rows")
            self.assertLess(elapsed, 5.0, " ".join(args))
            sys.stderr.write("%s refused in %.2f s: %s" % (args[0], elapsed, result.stderr))

    def test_ordinary_file_loads_under_the_same_limit(self):
        result = subprocess.run([cli_support.CLI, "train", os.path.join(DATASETS, "titanic.csv"), "--target",
                                 "survived", "--quiet", "--threads", "1"], capture_output=True, text=True,
                                timeout=300, preexec_fn=limit_address_space)
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    cli_support.main()
