#!/usr/bin/python3
"""Side-by-side CSV read benchmark: Stepwise's reader vs pandas.read_csv, same file, same run.

Generates a numeric CSV (default 1,000,000 rows x 50 columns of normal values x 100 written
with 6 decimals, ~540 MB; numpy seed 0, cached in the temp folder and reused), then reads it
--repeats times with each reader, every read in a fresh process so that each reports its own
peak resident memory (getrusage ru_maxrss):

  * Stepwise: bench/csv_read_bench.cpp (CMake target stepwise_bench_csv), which times
    readCsvFile() alone;
  * pandas:   pandas.read_csv(path) with the C engine and default options, timed around the
    call alone (interpreter start-up and `import pandas` are excluded; they are in its RSS).

Prints the median seconds of each (and the median CPU seconds, user + system over all
threads, which say more than wall time on a busy machine), the ratio (ours / pandas; issue 3 asks for <= 0.2), MB/s,
the peak RSS of each and the memory budget check: peak RSS <= 1.5 x the parsed numbers
(rows x columns x 8 bytes). With --check it exits 1 when either target is missed.

Usage: /usr/bin/python3 bench/read_csv.py build/bench/stepwise_bench_csv
       [--rows 1000000] [--columns 50] [--repeats 3] [--threads N] [--file PATH] [--check]
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

PANDAS_READ = """
import json, resource, sys, time
import pandas as pd
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
cpu = time.process_time()
start = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpu_seconds": time.process_time() - cpu,
                  "rows": len(frame), "columns": frame.shape[1],
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rss_before_read_bytes": before, "pandas": pd.__version__}))
"""


def generate(path, rows, columns):
    """Writes the benchmark file (atomically, so an interrupted run leaves no half file)."""
    rng = np.random.default_rng(0)
    partial = path + ".partial"
    start = time.perf_counter()
    with open(partial, "wb") as out:
        out.write((",".join(f"x{i}" for i in range(columns)) + "\n").encode())
        block = 100_000
        for first in range(0, rows, block):
            values = rng.standard_normal((min(block, rows - first), columns)) * 100.0
            np.savetxt(out, values, fmt="%.6f", delimiter=",")
    os.replace(partial, path)
    print(f"generated {path} ({os.path.getsize(path) / 1e6:.0f} MB) in {time.perf_counter() - start:.0f} s")


def run_json(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", help="path of the stepwise_bench_csv executable")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="Stepwise threads (default: all cores)")
    parser.add_argument("--file", help="CSV to use (default: generated in the temp folder)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the time or memory target is missed")
    args = parser.parse_args()

    path = args.file or os.path.join(tempfile.gettempdir(), f"stepwise_bench_{args.rows}x{args.columns}.csv")
    if not os.path.exists(path):
        generate(path, args.rows, args.columns)
    size = os.path.getsize(path)

    ours_command = [args.bench, path] + (["--threads", str(args.threads)] if args.threads else [])
    ours, pandas = [], []
    # Alternate the two so that both see the same machine load and page cache.
    for _ in range(args.repeats):
        ours.append(run_json(ours_command))
        pandas.append(run_json(["/usr/bin/python3", "-c", PANDAS_READ, path]))

    rows, columns = ours[0]["rows"], ours[0]["columns"]
    if (rows, columns) != (pandas[0]["rows"], pandas[0]["columns"]):
        sys.exit(f"shape differs: ours {rows} x {columns}, pandas {pandas[0]['rows']} x {pandas[0]['columns']}")
    ours_s = statistics.median(r["seconds"] for r in ours)
    pandas_s = statistics.median(r["seconds"] for r in pandas)
    ours_rss = max(r["peak_rss_bytes"] for r in ours)
    pandas_rss = max(r["peak_rss_bytes"] for r in pandas)
    numbers = rows * columns * 8
    budget = 1.5 * numbers
    ratio = ours_s / pandas_s

    mb = 1e6
    print(f"file: {path}: {size / mb:.0f} MB, {rows} rows x {columns} columns; {args.repeats} runs each, "
          f"fresh process per run; Stepwise threads: {ours[0]['threads']}, pandas {pandas[0]['pandas']}")
    print(f"{'':10}{'median s':>10}{'cpu s':>8}{'MB/s':>8}{'peak RSS MB':>13}   runs (s)")
    for name, runs, seconds, rss in (("stepwise", ours, ours_s, ours_rss), ("pandas", pandas, pandas_s, pandas_rss)):
        cpu = statistics.median(r["cpu_seconds"] for r in runs)
        each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        print(f"{name:10}{seconds:10.3f}{cpu:8.2f}{size / mb / seconds:8.0f}{rss / mb:13.0f}   {each}")
    print(f"pandas RSS before its read (interpreter + pandas): {pandas[0]['rss_before_read_bytes'] / mb:.0f} MB")
    time_ok = ratio <= 0.2
    memory_ok = ours_rss <= budget
    print(f"ratio stepwise / pandas: {ratio:.3f} (target <= 0.2: {'met' if time_ok else 'MISSED'}); "
          f"speed-up {1 / ratio:.1f}x")
    print(f"memory: parsed numbers {numbers / mb:.0f} MB, budget 1.5x = {budget / mb:.0f} MB, "
          f"Stepwise peak {ours_rss / mb:.0f} MB = {ours_rss / numbers:.2f}x ({'met' if memory_ok else 'MISSED'})")
    if args.check and not (time_ok and memory_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
