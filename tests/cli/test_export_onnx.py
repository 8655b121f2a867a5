#!/usr/bin/python3
"""stepwise-cli export --onnx: train, export, check the graph with the ONNX checker
(tests/onnx/check_model.py) and run it in ONNX Runtime (tests/onnx/run_model.js), then
compare with `stepwise-cli predict --proba` on the same file: equal labels, probabilities
within 1e-5, regression values within 1e-5 relative. A pipeline ONNX cannot express is
exit code 4 with a one-line message naming the part.

    /usr/bin/python3 test_export_onnx.py path/to/stepwise-cli
"""
import csv
import json
import math
import os
import subprocess

import onnx

from cli_support import DATASETS, CliTestCase, main, read_csv, run

ONNX_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "onnx")
MISSING = {"", "NA", "N/A", "NaN", "null", "?"}


def number(text):
    if text in MISSING:
        return None
    lowered = text.lower()
    if lowered in ("true", "false"):
        return 1.0 if lowered == "true" else 0.0
    return float(text)


def graph_inputs(model_path):
    """Input name → "float" or "string", as the graph declares them."""
    model = onnx.load(model_path)
    kinds = {}
    for value in model.graph.input:
        elem = value.type.tensor_type.elem_type
        kinds[value.name] = "string" if elem == onnx.TensorProto.STRING else "float"
    return kinds


class ExportOnnxTest(CliTestCase):
    def train(self, data, *args):
        model = self.path("model.stepwise")
        result = run("train", data, *args, "--seed", "3", "--out", model, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        return model

    def export_and_run(self, model, data):
        onnx_path = self.path("model.onnx")
        result = run("export", model, "--onnx", onnx_path)
        self.assertEqual(result.returncode, 0, result.stderr)
        checked = subprocess.run(["/usr/bin/python3", os.path.join(ONNX_DIR, "check_model.py"), onnx_path],
                                 capture_output=True, text=True)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertIn("ai.onnx 15", checked.stdout)
        self.assertIn("ai.onnx.ml 3", checked.stdout)

        kinds = graph_inputs(onnx_path)
        with open(data, newline="") as f:
            rows = list(csv.DictReader(f))
        inputs = {}
        for name, kind in kinds.items():
            texts = [row[name] for row in rows]
            if kind == "string":
                values = [None if t in MISSING else t for t in texts]
            else:
                values = [number(t) for t in texts]
            inputs[name] = {"type": kind, "values": values}
        with open(self.path("inputs.json"), "w") as f:
            json.dump(inputs, f)
        ran = subprocess.run(["node", os.path.join(ONNX_DIR, "run_model.js"), onnx_path, self.path("inputs.json"),
                              self.path("outputs.json")], capture_output=True, text=True)
        self.assertEqual(ran.returncode, 0, ran.stderr)
        with open(self.path("outputs.json")) as f:
            outputs = json.load(f)

        predicted = self.path("pred.csv")
        result = run("predict", model, data, "--out", predicted, "--proba")
        self.assertEqual(result.returncode, 0, result.stderr)
        return outputs, read_csv(predicted)

    def test_titanic_logistic_regression(self):
        data = os.path.join(DATASETS, "titanic.csv")
        model = self.train(data, "--target", "survived", "--model", "logistic_regression", "--drop", "alive")
        outputs, ours = self.export_and_run(model, data)
        labels = outputs["label"]["values"]
        self.assertEqual(len(labels), len(ours))
        self.assertEqual(labels, [row["predicted"] for row in ours])
        proba = outputs["probabilities"]
        classes = proba["dims"][1]
        names = [key[len("proba_"):] for key in ours[0] if key.startswith("proba_")]
        self.assertEqual(len(names), classes)
        worst = 0.0
        for r, row in enumerate(ours):
            for c, name in enumerate(names):
                worst = max(worst, abs(proba["values"][r * classes + c] - float(row["proba_" + name])))
        self.assertLessEqual(worst, 1e-5)

    def test_iris_multiclass(self):
        data = os.path.join(DATASETS, "iris.csv")
        model = self.train(data, "--target", "species", "--model", "logistic_regression")
        outputs, ours = self.export_and_run(model, data)
        self.assertEqual(outputs["label"]["values"], [row["predicted"] for row in ours])
        self.assertEqual(outputs["probabilities"]["dims"], [len(ours), 3])

    def test_diabetes_regression(self):
        data = os.path.join(DATASETS, "diabetes.csv")
        model = self.train(data, "--target", "target", "--task", "regression", "--model", "ridge")
        outputs, ours = self.export_and_run(model, data)
        self.assertNotIn("probabilities", outputs)
        values = outputs["label"]["values"]
        self.assertEqual(len(values), len(ours))
        for value, row in zip(values, ours):
            expected = float(row["predicted"])
            self.assertLessEqual(abs(value - expected) / max(1.0, abs(expected)), 1e-5)

    def test_dates_cannot_be_exported(self):
        data = self.path("dates.csv")
        with open(data, "w") as f:
            f.write("when,x,y\n")
            for i in range(60):
                f.write(f"2024-01-{1 + i % 28:02d},{i * 0.5},{'a' if i % 3 else 'b'}\n")
        model = self.train(data, "--target", "y", "--model", "logistic_regression")
        result = run("export", model, "--onnx", self.path("dates.onnx"))
        self.assertError(result, 4, "when", "dates")
        self.assertFalse(os.path.exists(self.path("dates.onnx")))


if __name__ == "__main__":
    main()
