#!/usr/bin/env python3
"""Same seed, same result, whatever the thread count (issue 8): `stepwise-cli train` on
titanic with --threads 1, 2 and 4 writes the same report, the same predictions and the
same fitted pipeline.

What may differ is what measures time, never a result: the report's `timings`, `latency`
(single-row prediction times) and each search candidate's and leaderboard model's `fit_s`,
and a `manifest` (which records the thread count). The model files may differ only in
the creation time inside the pipeline's metadata and the header's SHA-256 of the payload
that follows from it.

Usage: test_reproducibility.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import json
import re

import cli_support
from cli_support import CliTestCase, run

# Every stage of a run that could use threads: a prep pipeline with SMOTE (nearest
# neighbours), cross-validation, a grid search and a leaderboard of models with parallel
# training and prediction.
TRAIN = ["train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--seed", "11",
         "--impute", "numeric=median", "--missing-indicator", "--resample", "smote",
         "--model", "gradient_boosting", "--param", "max_iter=60",
         "--cv", "stratified:3", "--search", "grid", "--grid", "max_leaf_nodes=8,31",
         "--compare", "random_forest:n_estimators=40", "--compare", "knn:n_neighbors=6",
         "--compare", "logistic_regression"]

# Keys whose values are measured times, at any depth of the report.
TIME_KEYS = {"timings", "manifest", "latency", "fit_s"}

# ISO 8601 UTC time, as the pipeline metadata writes its creation time.
CREATED = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")
# Model file header (engine/include/stepwise/io/model_archive.hpp): the payload's SHA-256.
HEADER_BYTES = 64
DIGEST = slice(24, 56)


def load_exact(path):
    """The report with every number kept as the text written (the shortest text that reads
    back to the same double), so equal means the same bits, -0.0 and 0.0 included."""
    with open(path) as f:
        return json.load(f, parse_float=str, parse_int=str)


def without_times(value):
    if isinstance(value, dict):
        return {key: without_times(item) for key, item in value.items() if key not in TIME_KEYS}
    if isinstance(value, list):
        return [without_times(item) for item in value]
    return value


def first_difference(a, b, where="report"):
    """Where two JSON values first differ, for the failure message."""
    if type(a) is not type(b):
        return f"{where}: {a!r} against {b!r}"
    if isinstance(a, dict):
        if set(a) != set(b):
            return f"{where}: keys {sorted(set(a) ^ set(b))} in one report only"
        for key in a:
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} against {len(b)} entries"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} against {b!r}"


def masked_payload(data):
    payload = data[HEADER_BYTES:]
    stamps = CREATED.findall(payload)
    return CREATED.sub(lambda match: b"0" * len(match.group(0)), payload), stamps


class SameBitsOnAnyThreadCount(CliTestCase):

    def train(self, threads):
        report, predictions, model = (self.path(f"{name}-{threads}") for name in ("report.json", "pred.csv",
                                                                                  "model.stepwise"))
        result = run(*TRAIN, "--threads", threads, "--report", report, "--predictions", predictions,
                     "--out", model, "--quiet", timeout=900)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(predictions, "rb") as f:
            predicted = f.read()
        with open(model, "rb") as f:
            fitted = f.read()
        return load_exact(report), predicted, fitted

    def test_reports_predictions_and_models_agree(self):
        runs = {threads: self.train(threads) for threads in (1, 2, 4)}
        report, predictions, model = runs[1]
        # The run really did every stage, so the comparison below covers them.
        self.assertEqual(report["search"]["tried"], "2")
        self.assertEqual(len(report["leaderboard"]), 4)
        self.assertIn("cv", report)
        self.assertGreater(len(predictions.splitlines()), 100)
        payload, stamps = masked_payload(model)
        self.assertTrue(stamps, "the model file holds no creation time: the masking hides nothing")
        for threads in (2, 4):
            other_report, other_predictions, other_model = runs[threads]
            difference = first_difference(without_times(report), without_times(other_report))
            self.assertIsNone(difference, f"1 against {threads} threads: {difference}")
            self.assertEqual(predictions, other_predictions, f"1 against {threads} threads: the predictions differ")
            self.assertEqual(len(model), len(other_model), f"1 against {threads} threads: the model files' sizes")
            self.assertEqual(model[:DIGEST.start], other_model[:DIGEST.start])
            self.assertEqual(model[DIGEST.stop:HEADER_BYTES], other_model[DIGEST.stop:HEADER_BYTES])
            other_payload, _ = masked_payload(other_model)
            self.assertTrue(payload == other_payload,
                            f"1 against {threads} threads: the fitted pipelines differ beyond their creation time")


if __name__ == "__main__":
    cli_support.main()
