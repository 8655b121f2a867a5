#!/usr/bin/env python3
"""The model zoo side by side with scikit-learn: the issue-5 speed targets in one run.

For each comparison the data is generated once with `stepwise-cli generate` (cached in the
temp folder), split 80/20 in file order, standard-scaled on the training rows (numpy), and
written as raw float64 files that both sides read. Each measurement runs in a fresh
process — ours is `stepwise_bench_models` (the engine's model, no pipeline), scikit-learn's
is this script in worker mode — alternating ours/theirs, so caches and the machine's load
hit both alike. Both use the same number of threads (`--threads`, default all cores):
ours through OpenMP, scikit-learn through `n_jobs`, OpenBLAS and OpenMP (the environment
variables are set for its process). Prints the median times, the ratio ours/theirs next to
the target, the quality of both and both peak resident memories.

| key    | what is timed                       | data              | target          | quality check |
|--------|-------------------------------------|-------------------|-----------------|---------------|
| rf     | fit, 100 trees                      | 100,000 × 20      | ratio ≤ 0.10    | accuracy ≥ sklearn − 0.5 points |
| lr     | fit, lbfgs, C=1                     | 1,000,000 × 50    | ratio ≤ 0.50    | log loss within 1e-4 |
| gbt    | fit vs HistGradientBoostingClassifier | 100,000 × 20    | ratio ≤ 0.70    | accuracy within 0.5 points |
| knn    | predict 20,000 queries, k=5         | 80,000 × 20 train | ratio ≤ 0.20    | accuracy within 0.5 points |
| search | 12-candidate grid, 5-fold CV, forest | 20,000 × 20 (CLI) | ratio ≤ 0.20   | best score within 1 point |

Usage: bench/model_zoo.py build [--only rf,lr,gbt,knn,search] [--repeats 3] [--threads N]
       [--scale 1.0] [--check]
`build` is the build folder (it needs build/bench/stepwise_bench_models and
build/app/stepwise-cli). `--scale 0.1` runs every comparison on a tenth of the rows (a
quick look; the targets are stated for 1.0). With --check the exit code is 1 when a
quality check fails; times are printed, never asserted.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

COMPARISONS = {
    "rf": dict(title="random forest (100 trees)", rows=125_000, features=20, informative=10, redundant=4,
               model="random_forest", params={"n_estimators": "100"}, timed="fit", target=0.10,
               quality="accuracy", tolerance=0.5),
    "lr": dict(title="logistic regression", rows=1_250_000, features=50, informative=20, redundant=0,
               model="logistic_regression", params={}, timed="fit", target=0.50, quality="log_loss",
               tolerance=1e-4),
    "gbt": dict(title="gradient boosting", rows=125_000, features=20, informative=10, redundant=4,
                model="gradient_boosting", params={}, timed="fit", target=0.70, quality="accuracy",
                tolerance=0.5),
    "knn": dict(title="kNN predict (k=5)", rows=100_000, features=20, informative=10, redundant=4,
                model="knn", params={"n_neighbors": "5"}, timed="predict", target=0.20, quality="accuracy",
                tolerance=0.5),
}

SEARCH_GRID = {"n_estimators": ["50", "100"], "max_depth": ["5", "10", "none"], "min_samples_leaf": ["1", "5"]}
SEARCH = dict(title="grid search (12 × 5-fold forest)", rows=20_000, features=20, informative=10, redundant=4,
              target=0.20, tolerance=1.0)


def sklearn_estimator(key, threads):
    if key == "rf":
        from sklearn.ensemble import RandomForestClassifier
        return RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=0)
    if key == "lr":
        from sklearn.linear_model import LogisticRegression
        return LogisticRegression(C=1.0, max_iter=100, tol=1e-4)
    if key == "gbt":
        from sklearn.ensemble import HistGradientBoostingClassifier
        return HistGradientBoostingClassifier(random_state=0)
    if key == "knn":
        from sklearn.neighbors import KNeighborsClassifier
        return KNeighborsClassifier(n_neighbors=5, n_jobs=threads)
    raise ValueError(key)


def peak_rss_bytes():
    """VmHWM of this process (ru_maxrss would include the forking parent's peak on Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def read_f64(path, features):
    raw = np.fromfile(path, dtype=np.float64).reshape(-1, features + 1)
    return raw[:, :-1], raw[:, -1].astype(np.int64)


def sklearn_worker(key, train, test, features, threads):
    """One scikit-learn measurement; prints the same JSON line as stepwise_bench_models."""
    from sklearn.metrics import accuracy_score, log_loss
    x_train, y_train = read_f64(train, features)
    x_test, y_test = read_f64(test, features)
    estimator = sklearn_estimator(key, threads)
    start = time.perf_counter()
    estimator.fit(x_train, y_train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    proba = estimator.predict_proba(x_test)
    predict_s = time.perf_counter() - start
    predicted = estimator.classes_[np.argmax(proba, axis=1)]
    print(json.dumps({"fit_s": fit_s, "predict_s": predict_s, "accuracy": accuracy_score(y_test, predicted),
                      "log_loss": log_loss(y_test, proba), "threads": threads, "peak_rss_bytes": peak_rss_bytes()}))


def generate(cli, spec, tmp):
    """CSV from stepwise-cli generate, once per shape (kept in the temp folder)."""
    name = f"zoo_{spec['rows']}x{spec['features']}_{spec['informative']}_{spec['redundant']}.csv"
    path = os.path.join(tmp, name)
    if not os.path.exists(path):
        subprocess.run([cli, "generate", "classification", "--rows", str(spec["rows"]), "--features",
                        str(spec["features"]), "--informative", str(spec["informative"]), "--redundant",
                        str(spec["redundant"]), "--seed", "1", "--out", path, "--quiet"], check=True)
    return path


def prepared_matrices(cli, spec, tmp):
    """Train/test raw float64 files: 80/20 in file order, scaled on the training rows."""
    csv = generate(cli, spec, tmp)
    base = csv[:-4]
    train_path, test_path = base + ".train.f64", base + ".test.f64"
    if not os.path.exists(test_path):
        import pandas as pd
        frame = pd.read_csv(csv)
        x = frame.drop(columns=["target"]).to_numpy(dtype=np.float64)
        y = frame["target"].to_numpy(dtype=np.float64)
        cut = int(len(x) * 0.8)
        mean = x[:cut].mean(axis=0)
        std = x[:cut].std(axis=0)
        std[std == 0] = 1.0
        x = (x - mean) / std
        np.hstack([x[:cut], y[:cut, None]]).tofile(train_path)
        np.hstack([x[cut:], y[cut:, None]]).tofile(test_path)
    return train_path, test_path


def run_json(command, env=None):
    result = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def sklearn_env(threads):
    env = dict(os.environ)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[variable] = str(threads)
    return env


def compare_model(key, args, tmp):
    spec = dict(COMPARISONS[key])
    spec["rows"] = max(1000, int(spec["rows"] * args.scale))
    cli = os.path.join(args.build, "app", "stepwise-cli")
    driver = os.path.join(args.build, "bench", "stepwise_bench_models")
    train, test = prepared_matrices(cli, spec, tmp)
    ours_command = [driver, train, test, str(spec["features"]), "classification", spec["model"], "--threads",
                    str(args.threads)]
    for name, value in spec["params"].items():
        ours_command += ["--param", f"{name}={value}"]
    theirs_command = [sys.executable, os.path.abspath(__file__), "--sklearn-worker", key, train, test,
                      str(spec["features"]), str(args.threads)]
    ours, theirs = [], []
    for _ in range(args.repeats):
        ours.append(run_json(ours_command))
        theirs.append(run_json(theirs_command, sklearn_env(args.threads)))
    timed = spec["timed"] + "_s"
    ours_s = statistics.median(run[timed] for run in ours)
    theirs_s = statistics.median(run[timed] for run in theirs)
    quality = spec["quality"]
    ours_q = ours[-1].get(quality)
    theirs_q = theirs[-1].get(quality)
    if quality == "accuracy":
        difference = 100.0 * (ours_q - theirs_q)
        passed = difference >= -spec["tolerance"] if key == "rf" else abs(difference) <= spec["tolerance"]
        quality_text = f"accuracy {ours_q:.4f} vs {theirs_q:.4f} ({difference:+.2f} points)"
    else:
        difference = (ours_q if ours_q is not None else float("inf")) - theirs_q
        passed = abs(difference) <= spec["tolerance"]
        quality_text = f"log loss {ours_q:.6f} vs {theirs_q:.6f} ({difference:+.1e})"
    return dict(title=spec["title"], shape=f"{spec['rows'] * 4 // 5:,} × {spec['features']}", timed=spec["timed"],
                ours_s=ours_s, theirs_s=theirs_s, target=spec["target"], quality=quality_text, passed=passed,
                ours_rss=max(run["peak_rss_bytes"] for run in ours),
                theirs_rss=max(run["peak_rss_bytes"] for run in theirs))


def search_files(cli, spec, tmp):
    """The generated CSV cut 80/20 in file order into a training and a test file."""
    csv = generate(cli, spec, tmp)
    train_csv, test_csv = csv[:-4] + ".train.csv", csv[:-4] + ".test.csv"
    if not os.path.exists(test_csv):
        import pandas as pd
        frame = pd.read_csv(csv)
        cut = int(len(frame) * 0.8)
        frame.iloc[:cut].to_csv(train_csv, index=False)
        frame.iloc[cut:].to_csv(test_csv, index=False)
    return train_csv, test_csv


def sklearn_search_worker(train_csv, threads):
    """GridSearchCV on the same training rows and the same folds as the CLI; one JSON line."""
    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    frame = pd.read_csv(train_csv)
    x = frame.drop(columns=["target"]).to_numpy(dtype=np.float64)
    y = frame["target"].to_numpy()
    grid = {name: [None if value == "none" else int(value) for value in values] for name, values in SEARCH_GRID.items()}
    search = GridSearchCV(RandomForestClassifier(random_state=0, n_jobs=1), grid, cv=StratifiedKFold(5),
                          scoring="accuracy", n_jobs=threads)
    start = time.perf_counter()
    search.fit(x, y)
    seconds = time.perf_counter() - start
    best = {name: ("none" if value is None else str(value)) for name, value in search.best_params_.items()}
    print(json.dumps({"search_s": seconds, "best_score": search.best_score_, "best_params": best,
                      "peak_rss_bytes": peak_rss_bytes()}))


def compare_search(args, tmp):
    spec = dict(SEARCH)
    spec["rows"] = max(1000, int(spec["rows"] * args.scale))
    cli = os.path.join(args.build, "app", "stepwise-cli")
    train_csv, test_csv = search_files(cli, spec, tmp)
    report = os.path.join(tmp, "search_report.json")
    ours_command = [cli, "train", train_csv, "--test-data", test_csv, "--target", "target", "--model",
                    "random_forest", "--scale", "none", "--search", "grid", "--cv", "stratified:5", "--scoring",
                    "accuracy", "--threads", str(args.threads), "--report", report, "--quiet"]
    for name, values in SEARCH_GRID.items():
        ours_command += ["--grid", f"{name}={','.join(values)}"]
    theirs_command = [sys.executable, os.path.abspath(__file__), "--sklearn-search-worker", train_csv,
                      str(args.threads)]
    ours, theirs = [], []
    for _ in range(args.repeats):
        subprocess.run(ours_command, check=True)
        with open(report) as handle:
            ours.append(json.load(handle))
        theirs.append(run_json(theirs_command, sklearn_env(args.threads)))
    # GridSearchCV.fit includes refitting the best candidate on all rows; ours reports it as fit_s.
    ours_s = statistics.median(run["timings"]["search_s"] + run["timings"]["fit_s"] for run in ours)
    theirs_s = statistics.median(run["search_s"] for run in theirs)
    ours_best = ours[-1]["search"]["best_score"]
    theirs_best = theirs[-1]["best_score"]
    difference = 100.0 * (ours_best - theirs_best)
    quality_text = (f"best {ours_best:.4f} {ours[-1]['search']['best_params']} vs {theirs_best:.4f} "
                    f"{theirs[-1]['best_params']} ({difference:+.2f} points)")
    return dict(title=spec["title"], shape=f"{spec['rows'] * 4 // 5:,} × {spec['features']}", timed="search",
                ours_s=ours_s, theirs_s=theirs_s, target=spec["target"], quality=quality_text,
                passed=abs(difference) <= spec["tolerance"], ours_rss=None,
                theirs_rss=max(run["peak_rss_bytes"] for run in theirs))


def megabytes(value):
    return "—" if value is None else f"{value / 1e6:,.0f} MB"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--sklearn-worker":
        key, train, test, features, threads = sys.argv[2:7]
        sklearn_worker(key, train, test, int(features), int(threads))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--sklearn-search-worker":
        sklearn_search_worker(sys.argv[2], int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build")
    parser.add_argument("--only", default="rf,lr,gbt,knn,search")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--check", action="store_true", help="exit 1 when a quality check fails")
    args = parser.parse_args()

    import sklearn
    print(f"threads: {args.threads}   repeats: {args.repeats} (medians)   scikit-learn {sklearn.__version__}   "
          f"scale: {args.scale}")
    header = (f"{'comparison':<36} {'train rows × cols':>18} {'timed':>8} {'ours s':>9} {'sklearn s':>10} "
              f"{'ratio':>7} {'target':>7}  {'peak ours':>10} {'peak sklearn':>12}  quality")
    print(header)
    print("-" * len(header))
    failed = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = os.environ.get("STEPWISE_BENCH_CACHE", scratch)
        for key in args.only.split(","):
            row = compare_search(args, tmp) if key == "search" else compare_model(key, args, tmp)
            ratio = row["ours_s"] / row["theirs_s"]
            verdict = "" if ratio <= row["target"] else "  (target missed)"
            print(f"{row['title']:<36} {row['shape']:>18} {row['timed']:>8} {row['ours_s']:>9.3f} "
                  f"{row['theirs_s']:>10.3f} {ratio:>7.3f} {row['target']:>7.2f}  {megabytes(row['ours_rss']):>10} "
                  f"{megabytes(row['theirs_rss']):>12}  {row['quality']}{'' if row['passed'] else '  QUALITY FAILED'}"
                  f"{verdict}", flush=True)
            if not row["passed"]:
                failed.append(key)
    if failed and args.check:
        print("quality check failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
