#!/usr/bin/python3
"""Load and abuse test of `stepwise-cli serve` on loopback: every answer checked, while
another client sends malformed, oversized and slow (slowloris) requests.

1. Trains a titanic random forest and computes, with `stepwise-cli predict --proba`, the
   expected answer of each of four request bodies (batches of 1, 5, 20 and 50 rows from
   different places of the file, missing values included).
2. Starts `stepwise-cli serve` and fetches each body's answer once; it must equal
   predict's labels and probabilities (the server writes the shortest text that reads
   back as the same double, so the numbers are compared exactly). That text is then the
   reference for every later answer.
3. wrk (Debian package `wrk`) keeps CONNECTIONS connections busy for SECONDS; each wrk
   thread POSTs its own body, and a Lua `response()` compares every answer's status and
   body with the reference, byte for byte. wrk's own socket errors (connect, read, write,
   timeout), non-200 answers and wrong answers must all be zero.
4. Meanwhile, a second client:
   - sends malformed requests (bad JSON, wrong column, wrong type, a broken request line,
     an unknown path) and oversized ones (Content-Length and chunked, over the limit),
     each on a fresh connection, each expecting its 4xx;
   - keeps SLOW slowloris connections open, half trickling header lines and half a
     body, one byte every second (below the server's 5 s per-read timeout, so only the
     whole-request deadline can stop them): each must be answered 408 or closed within
     the server's --request-timeout (plus a margin), and is replaced at once, so SLOW of
     them are held at every moment.
5. Samples the server's VmRSS and thread count (/proc/PID/status) every 0.25 s. Memory
   stays flat: the RSS at the end may exceed the highest RSS of the first quarter of the
   run (by then the worker pool and malloc's per-thread arenas have grown to their
   working size) by at most RSS_BOUND MiB (default 16). The last three quarters carry
   about 330,000 requests in the 60 s run and 70,000 in the 12 s CI form (7,000-8,000
   req/s on two cores), so a leak of about 50 bytes per request (60 s) or 250 bytes per
   request (CI) would break the bound; a quiet server's RSS moves by 1-3 MiB. Threads
   stay at or below --max-threads plus the main, listening and signal threads.
6. Stops the server with SIGTERM: it must exit 0.

Prints throughput, latency p50/p99, errors, wrong answers, RSS start/end/max, threads
and the slowloris figures; exits 1 when any check fails.

Usage: bench/serve_load.py build/app/stepwise-cli [--seconds 60] [--connections 64]
                           [--slow 150] [--request-timeout 10]
CTest runs a shortened form (tests/CMakeLists.txt, cli_serve_load).
"""
import argparse
import csv
import http.client
import json
import os
import re
import select
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "resources", "datasets", "titanic.csv")
SERVING_LINE = re.compile(r"^stepwise-cli: serving .+ on http://127\.0\.0\.1:(\d+)$")
# (first row, row count) of each request body; wrk runs one thread per body.
BATCHES = [(0, 1), (100, 5), (300, 20), (600, 50)]
MAX_BODY_BYTES = 200_000
MAX_THREADS = 512

WRK_SCRIPT = textwrap.dedent('''
    -- One body per wrk thread; every answer compared with the reference text.
    local threads = {}
    local count = 0

    function setup(thread)
        count = count + 1
        thread:set("index", count)
        table.insert(threads, thread)
    end

    local function slurp(path)
        local file = assert(io.open(path, "rb"))
        local text = file:read("*a")
        file:close()
        return text
    end

    function init(args)
        local dir = os.getenv("SERVE_LOAD_DIR")
        local body = slurp(dir .. "/body" .. index .. ".json")
        expected = slurp(dir .. "/answer" .. index .. ".json")
        prepared = wrk.format("POST", "/predict", {["Content-Type"] = "application/json"}, body)
        right, wrong, bad_status = 0, 0, 0
    end

    function request()
        return prepared
    end

    function response(status, headers, body)
        if status ~= 200 then
            bad_status = bad_status + 1
        elseif body ~= expected then
            wrong = wrong + 1
        else
            right = right + 1
        end
    end

    function done(summary, latency, requests)
        local right_total, wrong_total, bad_total = 0, 0, 0
        for _, thread in ipairs(threads) do
            right_total = right_total + thread:get("right")
            wrong_total = wrong_total + thread:get("wrong")
            bad_total = bad_total + thread:get("bad_status")
        end
        local e = summary.errors
        io.write(string.format(
            'SERVE_LOAD {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
            '"status": %d, "timeout": %d, "right": %d, "wrong": %d, "bad_status": %d, ' ..
            '"p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
            summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
            right_total, wrong_total, bad_total,
            latency:percentile(50), latency:percentile(99), latency.max))
    end
''')


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def json_value(text, kind):
    """A CSV field as the JSON value a client sends for a column of `kind`."""
    if text == "":
        return None
    if kind in ("numeric", "integer"):
        return float(text)
    if kind == "boolean":
        return text == "True"
    return text


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def start_server(cli, model, *flags):
    process = subprocess.Popen([cli, "serve", model, "--port", "0", "--quiet", *flags],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([process.stdout], [], [], 60)
    line = process.stdout.readline().strip() if ready else ""
    match = SERVING_LINE.match(line)
    if not match:
        process.kill()
        raise SystemExit("serve_load: no serving line, got %r; stderr: %s" % (line, process.stderr.read()))
    return process, int(match.group(1))


def request(port, method, path, body=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        chunked = (headers or {}).get("Transfer-Encoding") == "chunked"
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def proc_status(pid):
    """(VmRSS in KiB, threads) of `pid`."""
    rss = threads = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, threads


class Checks:
    """Failed checks, collected from every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = []

    def fail(self, message):
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(message)

    def check(self, condition, message):
        if not condition:
            self.fail(message)


class Sampler(threading.Thread):
    def __init__(self, pid, stop):
        super().__init__(daemon=True)
        self.pid, self.stop, self.samples = pid, stop, []

    def run(self):
        while not self.stop.is_set():
            try:
                self.samples.append((time.monotonic(),) + proc_status(self.pid))
            except OSError:
                return
            self.stop.wait(0.25)


class Abuser(threading.Thread):
    """Malformed and oversized requests on fresh connections, each expecting its 4xx."""

    def __init__(self, port, good_row, stop, checks):
        super().__init__(daemon=True)
        self.port, self.stop, self.checks = port, stop, checks
        self.sent = 0
        wrong_type = dict(good_row, age="forty")
        unknown = dict(good_row, cabin="C85")
        json_type = {"Content-Type": "application/json"}
        self.cases = [
            ("bad JSON", 400, lambda: request(self.port, "POST", "/predict", '{"rows": [', json_type)),
            ("wrong type", 400, lambda: request(self.port, "POST", "/predict", json.dumps({"rows": [wrong_type]}),
                                                json_type)),
            ("unknown column", 422, lambda: request(self.port, "POST", "/predict", json.dumps({"rows": [unknown]}),
                                                    json_type)),
            ("not a list", 400, lambda: request(self.port, "POST", "/predict", json.dumps({"rows": good_row}),
                                                json_type)),
            ("unknown path", 404, lambda: request(self.port, "GET", "/nowhere")),
            ("oversized", 413, lambda: request(self.port, "POST", "/predict",
                                               json.dumps({"rows": [good_row], "pad": "x" * (MAX_BODY_BYTES + 10)}),
                                               json_type)),
            ("oversized chunked", 413, lambda: request(self.port, "POST", "/predict",
                                                       (b"x" * 4096 for _ in range(MAX_BODY_BYTES // 4096 + 2)),
                                                       {"Transfer-Encoding": "chunked"})),
            ("broken request line", 400, self.raw(b"NONSENSE\r\n\r\n")),
            ("header line over 8 KiB", 400, self.raw(b"GET /health HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n")),
            ("URL over 8 KiB", 414, self.raw(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n")),
            ("unknown HTTP version", 400, self.raw(b"GET /health HTTP/9.9\r\n\r\n")),
            ("bad chunk size", 400, self.raw(b"POST /predict HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                             b"ZZ\r\nxx\r\n0\r\n\r\n")),
            ("negative Content-Length", 413, self.raw(b"POST /predict HTTP/1.1\r\nContent-Length: -5\r\n\r\n")),
        ]
        self.counts = {name: 0 for name, _, _ in self.cases}

    def raw(self, data):
        def send():
            with socket.create_connection(("127.0.0.1", self.port), timeout=30) as s:
                s.sendall(data)
                reply = b""
                while b"\r\n" not in reply:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
            match = re.match(rb"HTTP/1\.1 (\d+)", reply)
            return (int(match.group(1)) if match else None), reply
        return send

    def run(self):
        i = 0
        while not self.stop.is_set():
            name, want, send = self.cases[i % len(self.cases)]
            i += 1
            try:
                status, body = send()
                self.checks.check(status == want, "%s: status %s, wanted %d: %r" % (name, status, want, body[:200]))
            except OSError as error:
                self.checks.fail("%s: %s" % (name, error))
            self.counts[name] += 1
            self.sent += 1
            self.stop.wait(0.02)


class Slowloris(threading.Thread):
    """`count` connections trickling one byte a second: half of them header lines that
    never end, half a body that never completes. Each must get a 408 or be closed within
    the request timeout plus a margin, and is then replaced at once."""

    def __init__(self, port, count, request_timeout, stop, checks):
        super().__init__(daemon=True)
        self.port, self.count, self.stop, self.checks = port, count, stop, checks
        self.limit = request_timeout + 3.0  # a worker may be busy for a moment first
        self.opened = self.closed = self.answered_408 = 0
        self.longest = 0.0
        self.held = []  # (time, connections open at that moment)
        self.selector = selectors.DefaultSelector()
        self.serial = 0

    def open_one(self):
        """Connects without blocking (the loop never waits on one socket); the clock of a
        connection starts when its first bytes are sent."""
        self.serial += 1
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        if self.serial % 2 == 0:
            head = (b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100000\r\n\r\n")
            trickle = b"{"
        else:
            head = b"POST /predict HTTP/1.1\r\nHost: x\r\n"
            trickle = b"X"
        state = {"head": head, "byte": trickle, "reply": b"", "start": None, "next": None}
        self.selector.register(s, selectors.EVENT_WRITE, state)
        self.opened += 1

    def finish(self, s, state):
        self.selector.unregister(s)
        s.close()
        took = time.monotonic() - state["start"]
        self.longest = max(self.longest, took)
        self.closed += 1
        if state["reply"].startswith(b"HTTP/1.1 408"):
            self.answered_408 += 1
        elif state["reply"]:
            self.checks.fail("slowloris: answered %r instead of 408" % state["reply"][:60])
        self.checks.check(took <= self.limit, "slowloris connection held %.1f s (limit %.1f s)" % (took, self.limit))

    def run(self):
        try:
            for _ in range(self.count):
                self.open_one()
            while not self.stop.is_set():
                for key, events in self.selector.select(timeout=0.1):
                    s, state = key.fileobj, key.data
                    if state["start"] is None:  # connected
                        error = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                        if error:
                            self.checks.fail("slowloris connect: %s" % os.strerror(error))
                            self.selector.unregister(s)
                            s.close()
                            self.open_one()
                            continue
                        s.send(state["head"])
                        state["start"] = time.monotonic()
                        state["next"] = state["start"] + 1.0
                        self.selector.modify(s, selectors.EVENT_READ, state)
                        continue
                    try:
                        data = s.recv(4096)
                    except (ConnectionResetError, BlockingIOError):
                        data = b""
                    if data:
                        state["reply"] += data
                    else:
                        self.finish(s, state)
                        self.open_one()
                now = time.monotonic()
                open_now = 0
                for key in list(self.selector.get_map().values()):
                    s, state = key.fileobj, key.data
                    if state["start"] is None:
                        continue
                    open_now += 1
                    if now >= state["next"]:
                        state["next"] = now + 1.0
                        try:
                            s.send(state["byte"])
                        except OSError:
                            pass
                    if now - state["start"] > self.limit + 5:
                        self.checks.fail("slowloris connection still open after %.1f s" % (now - state["start"]))
                        self.finish(s, state)
                        self.open_one()
                self.held.append((now, open_now))
        except OSError as error:
            self.checks.fail("slowloris client: %s" % error)
        finally:
            for key in list(self.selector.get_map().values()):
                key.fileobj.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--slow", type=int, default=150, help="slowloris connections held at once")
    parser.add_argument("--request-timeout", type=float, default=10, help="the server's --request-timeout")
    parser.add_argument("--wrk-timeout", default="2s", help="wrk's --timeout: a slower answer is an error")
    parser.add_argument("--rss-bound", type=float, default=16, help="MiB the RSS may grow after the first quarter")
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    checks = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "titanic.stepwise")
        subprocess.run([cli, "train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--model",
                        "random_forest", "--param", "n_estimators=40", "--impute", "numeric=median", "--seed", "3",
                        "--out", model, "--quiet"], check=True)
        server, port = start_server(cli, model, "--max-body-bytes", str(MAX_BODY_BYTES), "--max-threads",
                                    str(MAX_THREADS), "--request-timeout", str(args.request_timeout))
        try:
            status, text = request(port, "GET", "/schema")
            kinds = {column["name"]: column["type"] for column in json.loads(text)["columns"]}
            records = read_csv(DATA)

            # The expected answers: predict --proba on the same rows.
            for index, (first, count) in enumerate(BATCHES, 1):
                batch = records[first:first + count]
                rows_csv = os.path.join(tmp, "rows%d.csv" % index)
                with open(rows_csv, "w", newline="") as f:
                    writer = csv.DictWriter(f, fieldnames=list(kinds))
                    writer.writeheader()
                    for record in batch:
                        writer.writerow({name: record[name] for name in kinds})
                predicted = os.path.join(tmp, "predicted%d.csv" % index)
                subprocess.run([cli, "predict", model, rows_csv, "--proba", "--out", predicted, "--quiet"],
                               check=True)
                expected = read_csv(predicted)
                body = json.dumps({"rows": [{name: json_value(r[name], kinds[name]) for name in kinds}
                                            for r in batch]})
                with open(os.path.join(tmp, "body%d.json" % index), "w") as f:
                    f.write(body)
                status, answer_text = request(port, "POST", "/predict", body, {"Content-Type": "application/json"})
                if status != 200:
                    raise SystemExit("serve_load: body %d answered %d: %s" % (index, status, answer_text[:300]))
                answer = json.loads(answer_text)
                if len(answer["predictions"]) != count:
                    raise SystemExit("serve_load: body %d: %d predictions for %d rows"
                                     % (index, len(answer["predictions"]), count))
                for row, want in enumerate(expected):
                    checks.check(answer["predictions"][row] == want["predicted"],
                                 "body %d row %d: server says %r, predict %r"
                                 % (index, row, answer["predictions"][row], want["predicted"]))
                    for label, p in answer["probabilities"][row].items():
                        checks.check(p == float(want["proba_" + label]),
                                     "body %d row %d class %s: server %r, predict %r"
                                     % (index, row, label, p, want["proba_" + label]))
                with open(os.path.join(tmp, "answer%d.json" % index), "wb") as f:
                    f.write(answer_text)
            if checks.failures:
                raise SystemExit("serve_load: the server's answers differ from predict's:\n  " +
                                 "\n  ".join(checks.failures))
            script = os.path.join(tmp, "check.lua")
            with open(script, "w") as f:
                f.write(WRK_SCRIPT)

            stop = threading.Event()
            sampler = Sampler(server.pid, stop)
            sampler.start()
            good_row = {name: json_value(records[0][name], kinds[name]) for name in kinds}
            abuser = Abuser(port, good_row, stop, checks)
            slowloris = Slowloris(port, args.slow, args.request_timeout, stop, checks)
            abuser.start()
            slowloris.start()
            time.sleep(1.0)  # the slow connections are in before wrk starts
            started = time.monotonic()
            env = dict(os.environ, SERVE_LOAD_DIR=tmp)
            wrk = subprocess.run(["wrk", "-t%d" % len(BATCHES), "-c%d" % args.connections,
                                  "-d%ds" % args.seconds, "--timeout", args.wrk_timeout, "-s", script,
                                  "http://127.0.0.1:%d/predict" % port],
                                 capture_output=True, text=True, env=env)
            wrk_seconds = time.monotonic() - started
            health_during, _ = request(port, "GET", "/health", timeout=10)
            stop.set()
            abuser.join(timeout=60)
            slowloris.join(timeout=60)
            sampler.join(timeout=10)
            final_rss, final_threads = proc_status(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                code = server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                code = "killed after 60 s"
            stderr = server.stderr.read()

    checks.check(code == 0, "the server exited with %s after SIGTERM: %s" % (code, stderr.strip()))
    checks.check(health_during == 200, "/health after the load answered %d" % health_during)
    match = re.search(r"^SERVE_LOAD (\{.*\})$", wrk.stdout, re.M)
    if wrk.returncode != 0 or not match:
        raise SystemExit("serve_load: wrk failed (%d): %s %s" % (wrk.returncode, wrk.stdout, wrk.stderr))
    w = json.loads(match.group(1))
    socket_errors = w["connect"] + w["read"] + w["write"] + w["timeout"]
    checks.check(w["requests"] > 0, "wrk made no requests")
    checks.check(socket_errors == 0, "wrk socket errors: connect %d, read %d, write %d, timeout %d"
                 % (w["connect"], w["read"], w["write"], w["timeout"]))
    checks.check(w["status"] == 0 and w["bad_status"] == 0, "wrk got %d non-2xx answers" % w["bad_status"])
    checks.check(w["wrong"] == 0, "%d wrong answers" % w["wrong"])
    checks.check(w["right"] + w["wrong"] + w["bad_status"] == w["requests"],
                 "wrk checked %d answers of %d requests" % (w["right"] + w["wrong"] + w["bad_status"], w["requests"]))

    # Memory: the end against the first quarter of the run (warm-up included).
    samples = sampler.samples
    quarter_end = samples[0][0] + (samples[-1][0] - samples[0][0]) / 4
    first_quarter_max = max(rss for t, rss, _ in samples if t <= quarter_end)
    rss_start, rss_max = samples[0][1], max(rss for _, rss, _ in samples)
    rss_end = samples[-1][1]
    threads_max = max(threads for _, _, threads in samples)
    growth_mib = (rss_end - first_quarter_max) / 1024
    checks.check(growth_mib <= args.rss_bound, "RSS grew %.1f MiB after the first quarter (bound %.1f MiB)"
                 % (growth_mib, args.rss_bound))
    checks.check(threads_max <= MAX_THREADS + 3, "%d threads, above --max-threads %d + 3"
                 % (threads_max, MAX_THREADS))
    # Held at once, from the moment all were first connected.
    filled = next((t for t, count in slowloris.held if count == args.slow), None)
    held = [count for t, count in slowloris.held if filled is not None and t >= filled]
    checks.check(filled is not None, "the %d slowloris connections were never all open at once" % args.slow)
    checks.check(slowloris.closed > 0, "no slowloris connection was closed by the server")

    seconds = w["duration_us"] / 1e6
    print("serve_load: %d s, %d connections (wrk, %d bodies of %s rows), %d slowloris connections held, "
          "request timeout %g s" % (args.seconds, args.connections, len(BATCHES),
                                    "/".join(str(c) for _, c in BATCHES), args.slow, args.request_timeout))
    print("  requests        %d in %.1f s = %.0f req/s; latency p50 %.2f ms, p99 %.2f ms, max %.1f ms"
          % (w["requests"], seconds, w["requests"] / seconds, w["p50_us"] / 1e3, w["p99_us"] / 1e3,
             w["max_us"] / 1e3))
    print("  errors          socket %d (connect %d, read %d, write %d, timeout %d), non-2xx %d; wrong answers %d"
          % (socket_errors, w["connect"], w["read"], w["write"], w["timeout"], w["bad_status"], w["wrong"]))
    print("  abuse           %d malformed/oversized requests, each answered its 4xx (%s)"
          % (abuser.sent, ", ".join("%s %d" % item for item in abuser.counts.items())))
    print("  slowloris       %d opened, %d closed by the server (%d with 408), longest held %.1f s, "
          "open at once %d-%d" % (slowloris.opened, slowloris.closed, slowloris.answered_408, slowloris.longest,
                                  min(held) if held else 0, max(held) if held else 0))
    print("  memory          RSS start %.1f MiB, first-quarter max %.1f MiB, end %.1f MiB, max %.1f MiB "
          "(growth after the first quarter %.1f MiB, bound %g); after the run %.1f MiB"
          % (rss_start / 1024, first_quarter_max / 1024, rss_end / 1024, rss_max / 1024, growth_mib,
             args.rss_bound, final_rss / 1024))
    print("  threads         max %d (cap %d + 3), after the run %d" % (threads_max, MAX_THREADS, final_threads))
    print("  wall time       wrk %.1f s" % wrk_seconds)
    if checks.failures:
        print("FAILED:\n  " + "\n  ".join(checks.failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
