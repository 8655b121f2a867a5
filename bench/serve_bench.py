#!/usr/bin/python3
"""The prediction server against Flask + scikit-learn, the same model on both sides.

The model: titanic (`survived`, `alive` dropped), imputation (median / most frequent),
standard scaling, one-hot encoding and a random forest of 100 trees. Stepwise trains it
with `stepwise-cli train` and serves it with `stepwise-cli serve`; scikit-learn trains
the same pipeline (SimpleImputer, StandardScaler, OneHotEncoder, RandomForestClassifier)
and serves it from Flask at its strongest without extra packages: one pre-forked
Werkzeug process per core sharing the listening socket (what gunicorn's sync workers do).
Both answer `POST /predict` with `{"rows": [...]}` → predictions and probabilities.

wrk (Debian package `wrk`) POSTs one titanic row per request (a Lua script):
  latency:    1 connection, 1 thread — p50 and p99 of single-row requests;
  throughput: 64 connections, 2 threads — requests per second.
Each measurement runs REPEATS times (default 3) for DURATION seconds; the medians are
printed for both sides, with the ratios. Stepwise's server uses --threads 64 so every
connection has a worker (cpp-httplib serves one connection per worker thread).

Usage: bench/serve_bench.py build/app/stepwise-cli [--duration 10] [--repeats 3]
"""
import argparse
import json
import os
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "resources", "datasets", "titanic.csv")
PYTHON = "/usr/bin/python3"

FLASK_APP = textwrap.dedent('''
    import json, os, pickle, socket, sys
    import pandas as pd
    from flask import Flask, request, jsonify
    from werkzeug.serving import make_server

    with open(sys.argv[1], "rb") as f:
        model, numeric, classes = pickle.load(f)
    app = Flask(__name__)

    @app.post("/predict")
    def predict():
        frame = pd.DataFrame(request.get_json()["rows"])
        for name in numeric:
            frame[name] = frame[name].astype(float)
        proba = model.predict_proba(frame)
        labels = [classes[i] for i in proba.argmax(axis=1)]
        return jsonify({"predictions": labels,
                        "probabilities": [dict(zip(classes, map(float, row))) for row in proba]})

    @app.get("/health")
    def health():
        return jsonify({"status": "ok"})

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    print(listener.getsockname()[1], flush=True)
    workers = int(sys.argv[2])
    for _ in range(workers - 1):
        if os.fork() == 0:
            break
    make_server("127.0.0.1", 0, app, threaded=False, fd=listener.fileno()).serve_forever()
''')

TRAIN_SKLEARN = textwrap.dedent('''
    import json, pickle, subprocess, sys
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    data_path, numeric, categorical, out = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
    data = pd.read_csv(data_path)
    x = data[numeric + categorical].copy()
    for name in numeric:
        if x[name].dtype == object or x[name].dtype == bool:
            x[name] = x[name].map({True: 1.0, False: 0.0, "True": 1.0, "False": 0.0})
    prep = ColumnTransformer([
        ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                      OneHotEncoder(handle_unknown="ignore")), categorical)])
    model = make_pipeline(prep, RandomForestClassifier(n_estimators=100, random_state=0))
    model.fit(x, data["survived"])
    with open(out, "wb") as f:
        pickle.dump((model, numeric, [str(c) for c in model.classes_]), f)
''')

WRK_SCRIPT = textwrap.dedent('''
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = io.open(os.getenv("SERVE_BENCH_BODY")):read("*a")
''')


def column_groups(cli):
    report = json.loads(subprocess.run([cli, "inspect", "builtin:titanic", "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    numeric, categorical, kinds = [], [], {}
    for column in report["columns"]:
        if column["name"] in ("survived", "alive"):
            continue
        kinds[column["name"]] = column["type"]
        (categorical if column["type"] in ("categorical", "text") else numeric).append(column["name"])
    return numeric, categorical, kinds


def one_row(kinds):
    import csv
    with open(DATA, newline="") as f:
        record = next(csv.DictReader(f))
    row = {}
    for name, kind in kinds.items():
        text = record[name]
        if text == "":
            row[name] = None
        elif kind == "boolean":
            row[name] = text == "True"
        elif kind in ("categorical", "text"):
            row[name] = text
        else:
            row[name] = float(text)
    return {"rows": [row]}


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("no answer from " + url)


def to_seconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def run_wrk(url, script, body_path, connections, threads, duration):
    env = dict(os.environ, SERVE_BENCH_BODY=body_path)
    out = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency",
                          "-s", script, url], capture_output=True, text=True, env=env, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for percent in ("50", "99"):
        result["p" + percent] = to_seconds(re.search(r"^\s+%s%%\s+(\S+)" % percent, out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if errors or socket_errors:
        print("  wrk reported: %s %s" % (errors.group(0) if errors else "", socket_errors.group(0) if socket_errors else ""),
              file=sys.stderr)
    return result


def predict_histogram(base):
    """Cumulative /predict latency buckets [(le, count)] from the server's /metrics."""
    with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
        text = response.read().decode()
    buckets = []
    for match in re.finditer(r'^stepwise_request_duration_seconds_bucket\{endpoint="/predict",le="([^"]+)"\} (\S+)$',
                             text, re.M):
        buckets.append((float(match.group(1)), float(match.group(2))))
    return buckets


def server_side(before, after):
    """From two histogram snapshots: the share answered within 1 ms and the bucket
    holding the 99th percentile, of the requests between them."""
    delta = [(le, b - a) for (le, a), (_, b) in zip(before, after)]
    total = delta[-1][1]
    within_1ms = next(count for le, count in delta if le >= 0.001) / total
    p99_bucket = next(le for le, count in delta if count >= 0.99 * total)
    return within_1ms, p99_bucket


def measure(name, url, script, body_path, duration, repeats, histogram=False):
    latency, throughput = [], []
    base = url.rsplit("/", 1)[0]
    for i in range(repeats):
        before = predict_histogram(base) if histogram else None
        latency.append(run_wrk(url, script, body_path, 1, 1, duration))
        if histogram:
            latency[-1]["within_1ms"], latency[-1]["p99_bucket"] = server_side(before, predict_histogram(base))
        throughput.append(run_wrk(url, script, body_path, 64, 2, duration))
        print("  %s run %d: p50 %.3f ms, p99 %.3f ms, %.0f req/s at 64 connections" %
              (name, i + 1, latency[-1]["p50"] * 1e3, latency[-1]["p99"] * 1e3, throughput[-1]["rps"]),
              file=sys.stderr)
    result = {"p50": statistics.median(r["p50"] for r in latency),
              "p99": statistics.median(r["p99"] for r in latency),
              "rps": statistics.median(r["rps"] for r in throughput)}
    if histogram:
        result["within_1ms"] = statistics.median(r["within_1ms"] for r in latency)
        result["p99_bucket"] = statistics.median(r["p99_bucket"] for r in latency)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory() as tmp:
        numeric, categorical, kinds = column_groups(cli)
        model = os.path.join(tmp, "titanic.stepwise")
        subprocess.run([cli, "train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--model",
                        "random_forest", "--param", "n_estimators=100", "--seed", "0", "--impute",
                        "numeric=median,categorical=most_frequent", "--scale", "standard", "--encode", "onehot",
                        "--out", model, "--quiet"], check=True)
        pickled = os.path.join(tmp, "titanic.pickle")
        subprocess.run([PYTHON, "-c", TRAIN_SKLEARN, DATA, json.dumps(numeric), json.dumps(categorical), pickled],
                       check=True)
        body_path = os.path.join(tmp, "body.json")
        with open(body_path, "w") as f:
            json.dump(one_row(kinds), f)
        script = os.path.join(tmp, "post.lua")
        with open(script, "w") as f:
            f.write(WRK_SCRIPT)
        flask_path = os.path.join(tmp, "flask_app.py")
        with open(flask_path, "w") as f:
            f.write(FLASK_APP)

        results = {}
        server = subprocess.Popen([cli, "serve", model, "--port", "0", "--threads", "64", "--quiet"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline()
            url = re.search(r"(http://\S+)", line).group(1)
            wait_for(url + "/health")
            print("stepwise-cli serve at %s" % url, file=sys.stderr)
            results["stepwise"] = measure("stepwise", url + "/predict", script, body_path, args.duration,
                                          args.repeats, histogram=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)

        flask = subprocess.Popen([PYTHON, flask_path, pickled, str(cores)], stdout=subprocess.PIPE, text=True,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            port = int(flask.stdout.readline())
            url = "http://127.0.0.1:%d" % port
            wait_for(url + "/health")
            print("Flask + scikit-learn (%d pre-forked workers) at %s" % (cores, url), file=sys.stderr)
            results["flask"] = measure("flask", url + "/predict", script, body_path, args.duration, args.repeats)
        finally:
            os.killpg(flask.pid, signal.SIGTERM)
            flask.wait(timeout=60)

    s, f = results["stepwise"], results["flask"]
    print("\nServing titanic (random forest, 100 trees), one row per request; medians of %d runs of %d s, "
          "%d cores" % (args.repeats, args.duration, cores))
    print("%-28s %14s %14s %10s" % ("", "stepwise serve", "Flask+sklearn", "ratio"))
    print("%-28s %14.3f %14.3f %9.1fx" % ("latency p50 (ms, 1 conn)", s["p50"] * 1e3, f["p50"] * 1e3,
                                           f["p50"] / s["p50"]))
    print("%-28s %14.3f %14.3f %9.1fx" % ("latency p99 (ms, 1 conn)", s["p99"] * 1e3, f["p99"] * 1e3,
                                           f["p99"] / s["p99"]))
    print("%-28s %14.0f %14.0f %9.1fx" % ("throughput (req/s, 64 conn)", s["rps"], f["rps"], s["rps"] / f["rps"]))
    print("stepwise server side (its /metrics histogram, headers read to answer written, 1 connection): "
          "%.1f %% of requests within 1 ms, p99 at most %g ms" % (s["within_1ms"] * 100, s["p99_bucket"] * 1e3))
    print("load average during the run: %.1f (the client, both servers and anything else share %d cores)"
          % (os.getloadavg()[0], cores))


if __name__ == "__main__":
    main()
