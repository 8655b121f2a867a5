#!/usr/bin/env python3
"""stepwise-cli serve (../shared/CLI.md "Prediction server"): a trained titanic model
behind HTTP(S). /health, /schema and /metrics (Prometheus text); /predict answers equal
`predict --proba`; every abuse gets its 4xx with a JSON error and the server keeps
serving; bearer tokens; TLS with a self-signed certificate; SIGTERM finishes the request
in flight and exits 0; bad flags exit 2.

Usage: test_serve.py PATH/TO/stepwise-cli   (CTest passes the built binary)
"""
import csv
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

import cli_support
from cli_support import DATASETS, CliTestCase, read_csv, run

TITANIC_CSV = os.path.join(DATASETS, "titanic.csv")
SERVING_LINE = re.compile(r"^stepwise-cli: serving (.+) on (https?)://127\.0\.0\.1:(\d+)$")
SAMPLE_LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$")


def titanic_records():
    with open(TITANIC_CSV, newline="") as f:
        return list(csv.DictReader(f))


def json_value(text, kind):
    """A CSV field as the JSON value a client sends for a column of `kind`."""
    if text == "":
        return None
    if kind in ("numeric", "integer", "datetime"):
        return float(text) if kind != "datetime" else text
    if kind == "boolean":
        return text == "True"
    return text


def parse_metrics(text):
    """Prometheus text format 0.0.4 → ({(name, labels): value}, {name: type})."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        match = SAMPLE_LINE.match(line)
        assert match, "not a Prometheus sample: " + line
        labels = tuple(sorted(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or "")))
        samples[(match.group(1), labels)] = float(match.group(3))
    return samples, types


class Server:
    """One `stepwise-cli serve` process on a free port."""

    def __init__(self, model, *flags, env=None, cafile=None):
        self.process = subprocess.Popen([cli_support.CLI, "serve", model, "--port", "0", *flags],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env=env)
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        line = self.process.stdout.readline().strip() if ready else ""
        match = SERVING_LINE.match(line)
        if not match:
            self.process.kill()
            raise AssertionError("no serving line, got %r; stderr: %s" % (line, self.process.stderr.read()))
        self.scheme, self.port = match.group(2), int(match.group(3))
        self.cafile = cafile

    def connection(self, timeout=60):
        if self.scheme == "https":
            context = ssl.create_default_context(cafile=self.cafile)
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body text) on a fresh connection."""
        connection = self.connection()
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def get_json(self, path, headers=None):
        status, response_headers, text = self.request("GET", path, headers=headers)
        assert status == 200, (status, text)
        assert response_headers["Content-Type"].startswith("application/json")
        return json.loads(text)

    def stop(self):
        """SIGTERM; returns (exit code, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        stderr = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        return code, stderr


class ServeTest(CliTestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared = tempfile.TemporaryDirectory()
        cls.model = os.path.join(cls.shared.name, "titanic.stepwise")
        result = run("train", "builtin:titanic", "--target", "survived", "--drop", "alive", "--model",
                     "random_forest", "--param", "n_estimators=40", "--impute", "numeric=median", "--seed", "3",
                     "--out", cls.model)
        assert result.returncode == 0, result.stderr
        cls.server = Server(cls.model, "--max-rows", "50", "--max-body-bytes", "100000", "--threads", "4")
        cls.schema = cls.server.get_json("/schema")
        cls.kinds = {column["name"]: column["type"] for column in cls.schema["columns"]}

    @classmethod
    def tearDownClass(cls):
        code, stderr = cls.server.stop()
        cls.shared.cleanup()
        assert code == 0, stderr

    def rows(self, records):
        return [{name: json_value(record[name], kind) for name, kind in self.kinds.items()} for record in records]

    def assertJsonError(self, server, method, path, status, *fragments, body=None, headers=None):
        got, response_headers, text = server.request(method, path, body=body, headers=headers)
        self.assertEqual(got, status, text)
        self.assertTrue(response_headers["Content-Type"].startswith("application/json"), response_headers)
        error = json.loads(text)
        self.assertEqual(list(error), ["error"], text)
        for fragment in fragments:
            self.assertIn(fragment, error["error"])
        return response_headers

    # --- the endpoints ---------------------------------------------------------------

    def test_health_and_schema(self):
        health = self.server.get_json("/health")
        self.assertEqual(health["status"], "ok")
        self.assertEqual(health["model"], "titanic.stepwise")
        self.assertRegex(health["stepwise_version"], r"^\d+\.\d+")
        self.assertEqual(health["task"], "classification")
        self.assertEqual(health["classes"], ["0", "1"])
        self.assertRegex(health["created"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(self.schema["target"], "survived")
        names = [column["name"] for column in self.schema["columns"]]
        self.assertEqual(names, ["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked", "class", "who",
                                 "adult_male", "deck", "embark_town", "alone"])
        self.assertEqual(self.kinds["age"], "numeric")
        self.assertEqual(self.kinds["adult_male"], "boolean")
        sex = next(column for column in self.schema["columns"] if column["name"] == "sex")
        self.assertEqual(sorted(sex["categories"]), ["female", "male"])

    def test_predict_equals_cli_predict_proba(self):
        records = titanic_records()[:40]
        data = self.path("rows.csv")
        with open(data, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(self.kinds))
            writer.writeheader()
            for record in records:
                writer.writerow({name: record[name] for name in self.kinds})
        result = run("predict", self.model, data, "--proba", "--out", self.path("pred.csv"))
        self.assertEqual(result.returncode, 0, result.stderr)
        expected = read_csv(self.path("pred.csv"))

        status, headers, text = self.server.request("POST", "/predict", {"rows": self.rows(records)},
                                                    {"Content-Type": "application/json"})
        self.assertEqual(status, 200, text)
        answer = json.loads(text)
        self.assertEqual(set(answer), {"predictions", "probabilities"})
        self.assertEqual(len(answer["predictions"]), len(records))
        for row, want in enumerate(expected):
            self.assertEqual(answer["predictions"][row], want["predicted"], row)
            probabilities = answer["probabilities"][row]
            self.assertEqual(list(probabilities), ["0", "1"])
            for label, p in probabilities.items():
                self.assertAlmostEqual(p, float(want["proba_" + label]), delta=1e-9)
            self.assertAlmostEqual(sum(probabilities.values()), 1.0, delta=1e-12)

    def test_metrics_count_requests_latency_and_rows(self):
        before, types = parse_metrics(self.server.request("GET", "/metrics")[2])
        one_row = {"rows": self.rows(titanic_records()[:3])}
        for _ in range(5):
            self.assertEqual(self.server.request("POST", "/predict", one_row)[0], 200)
        self.assertEqual(self.server.request("POST", "/predict", "{")[0], 400)
        status, headers, text = self.server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers)
        after, types = parse_metrics(text)

        self.assertEqual(types["stepwise_requests_total"], "counter")
        self.assertEqual(types["stepwise_request_duration_seconds"], "histogram")
        self.assertEqual(types["stepwise_feature_drift_psi"], "gauge")
        ok = ("stepwise_requests_total", (("code", "200"), ("endpoint", "/predict")))
        bad = ("stepwise_requests_total", (("code", "400"), ("endpoint", "/predict")))
        self.assertEqual(after[ok] - before.get(ok, 0), 5)
        self.assertEqual(after[bad] - before.get(bad, 0), 1)
        self.assertGreaterEqual(after[("stepwise_errors_total", ())] - before[("stepwise_errors_total", ())], 1)
        rows_key = ("stepwise_predicted_rows_total", ())
        self.assertEqual(after[rows_key] - before[rows_key], 15)

        buckets = sorted((float(dict(labels)["le"]), value) for (name, labels), value in after.items()
                         if name == "stepwise_request_duration_seconds_bucket"
                         and dict(labels)["endpoint"] == "/predict")
        self.assertGreater(len(buckets), 5)
        self.assertEqual(buckets[-1][0], float("inf"))
        counts = [value for _, value in buckets]
        self.assertEqual(counts, sorted(counts), "buckets are cumulative")
        count = after[("stepwise_request_duration_seconds_count", (("endpoint", "/predict"),))]
        self.assertEqual(counts[-1], count)
        self.assertGreaterEqual(count, 6)
        total = after[("stepwise_request_duration_seconds_sum", (("endpoint", "/predict"),))]
        self.assertGreater(total, 0)
        self.assertLess(total / count, 1.0)

        missing = {dict(labels)["feature"]: value for (name, labels), value in after.items()
                   if name == "stepwise_feature_missing_ratio"}
        self.assertEqual(set(missing), set(self.kinds))
        self.assertTrue(all(0 <= value <= 1 for value in missing.values()))
        self.assertGreater(missing["deck"], 0)
        psi = {dict(labels)["feature"]: value for (name, labels), value in after.items()
               if name == "stepwise_feature_drift_psi"}
        # Drift against the training distribution the model file carries, for every column.
        stored = [column["name"] for column in self.schema["columns"] if "training_distribution" in column]
        self.assertEqual(set(stored), set(self.kinds))
        self.assertEqual(set(psi), set(self.kinds))
        self.assertTrue(all(value >= 0 for value in psi.values()))

    # --- abuse ---------------------------------------------------------------------

    def test_bad_requests_get_a_json_4xx_and_the_server_keeps_serving(self):
        good = self.rows(titanic_records()[:1])[0]
        server = self.server
        self.assertJsonError(server, "POST", "/predict", 400, "not valid JSON", body='{"rows": [')
        self.assertJsonError(server, "POST", "/predict", 400, "not valid JSON", body="\x00\xff garbage")
        self.assertJsonError(server, "POST", "/predict", 400, "JSON object", body=[good])
        self.assertJsonError(server, "POST", "/predict", 400, "must be a list", body={"rows": good})
        self.assertJsonError(server, "POST", "/predict", 400, "empty", body={"rows": []})
        wrong = dict(good, age="forty")
        self.assertJsonError(server, "POST", "/predict", 400, "row 1", "'age'", "number", body={"rows": [good, wrong]})
        unknown = dict(good, cabin="C85")
        self.assertJsonError(server, "POST", "/predict", 422, "row 0", "'cabin'", body={"rows": [unknown]})
        absent = {name: value for name, value in good.items() if name != "fare"}
        self.assertJsonError(server, "POST", "/predict", 422, "row 0", "'fare'", body={"rows": [absent]})
        self.assertJsonError(server, "POST", "/predict", 413, "51 rows", "50", body={"rows": [good] * 51})
        self.assertJsonError(server, "POST", "/predict", 413, "100000 bytes",
                             body=json.dumps({"rows": [good], "padding": "x" * 200_000}))
        # Chunked bodies have the same limit, on every path.
        for path in ["/predict", "/elsewhere"]:
            connection = server.connection()
            chunks = (b"x" * 1000 for _ in range(101))
            connection.request("POST", path, body=chunks, encode_chunked=True,
                               headers={"Transfer-Encoding": "chunked"})
            response = connection.getresponse()
            self.assertEqual(response.status, 413, path)
            self.assertIn("100000 bytes", json.loads(response.read())["error"])
            connection.close()
        headers = self.assertJsonError(server, "GET", "/predict", 405, "POST")
        self.assertEqual(headers["Allow"], "POST")
        self.assertJsonError(server, "POST", "/health", 405, "GET")
        self.assertJsonError(server, "DELETE", "/schema", 405, "GET")
        self.assertJsonError(server, "PUT", "/metrics", 405, "GET", body="{}")
        self.assertJsonError(server, "GET", "/nowhere", 404, "/predict")
        self.assertJsonError(server, "GET", "/health/../etc/passwd", 404)
        self.assertEqual(server.get_json("/health")["status"], "ok")
        self.assertEqual(server.request("POST", "/predict", {"rows": [good]})[0], 200)

    def test_a_client_still_sending_a_refused_body_reads_its_413(self):
        # The server answers 413 at the limit while the client is still sending. It must
        # not reset the connection then: the client would fail its next write and never
        # read the answer (Python's http.client, for one, sends the whole body first).
        chunk = b"%x\r\n%s\r\n" % (20_000, b"x" * 20_000)
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
            raw.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        b"Transfer-Encoding: chunked\r\n\r\n" + chunk * 10)
            time.sleep(0.2)  # the server has answered and finished with the request by now
            for _ in range(10):
                raw.sendall(chunk)
                time.sleep(0.02)
            raw.sendall(b"0\r\n\r\n")
            raw.shutdown(socket.SHUT_WR)
            reply = b""
            while data := raw.recv(65536):
                reply += data
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:200])
        self.assertIn(b"100000 bytes", reply)
        self.assertEqual(self.server.get_json("/health")["status"], "ok")

    def test_a_broken_http_request_does_not_stop_the_server(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
            raw.sendall(b"NONSENSE\r\n\r\n")
            reply = raw.recv(4096)
        self.assertTrue(reply.startswith(b"HTTP/1.1 400"), reply)
        # A client that connects and leaves without a word.
        socket.create_connection(("127.0.0.1", self.server.port), timeout=10).close()
        self.assertEqual(self.server.get_json("/health")["status"], "ok")

    def test_a_request_trickled_byte_by_byte_gets_408_at_its_deadline(self):
        server = Server(self.model, "--request-timeout", "1.5", "--threads", "1", "--max-threads", "2")
        try:
            for head, trickle in [(b"POST /predict HTTP/1.1\r\nHost: x\r\n", b"X"),
                                  (b"POST /predict HTTP/1.1\r\nContent-Length: 1000\r\n\r\n", b"{")]:
                # Three of them with at most two workers: each is cut at its deadline, and a
                # normal request is still answered meanwhile.
                raws = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(3)]
                start = time.monotonic()
                for raw in raws:
                    raw.sendall(head)
                replies = [b""] * len(raws)
                while time.monotonic() - start < 8 and not all(replies):
                    for i, raw in enumerate(raws):
                        if replies[i]:
                            continue
                        raw.setblocking(False)
                        try:
                            replies[i] = raw.recv(4096) or b"closed"
                        except BlockingIOError:
                            raw.send(trickle)
                    time.sleep(0.2)
                took = time.monotonic() - start
                for raw in raws:
                    raw.close()
                for reply in replies:
                    self.assertTrue(reply.startswith(b"HTTP/1.1 408"), reply)
                    self.assertIn(b"did not arrive within 1.5 seconds", reply)
                # Two at once, then the third: within two deadlines and a margin, not the
                # 5 s a single read may wait.
                self.assertLess(took, 5.0)
                self.assertEqual(server.get_json("/health")["status"], "ok")
        finally:
            self.assertEqual(server.stop()[0], 0)

    # --- access --------------------------------------------------------------------

    def test_bearer_token(self):
        token_file = self.path("token")
        with open(token_file, "w") as f:
            f.write("s3cret-token\n")
        server = Server(self.model, "--token-file", token_file)
        try:
            body = {"rows": self.rows(titanic_records()[:1])}
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-token"},
                            {"Authorization": "Bearer s3cret-token2"}):
                response_headers = self.assertJsonError(server, "POST", "/predict", 401, "Bearer", body=body,
                                                        headers=headers)
                self.assertEqual(response_headers["WWW-Authenticate"], "Bearer")
                self.assertJsonError(server, "GET", "/metrics", 401, headers=headers)
                self.assertJsonError(server, "GET", "/nowhere", 401, headers=headers)
            right = {"Authorization": "Bearer s3cret-token"}
            self.assertEqual(server.request("POST", "/predict", body, right)[0], 200)
            self.assertEqual(server.get_json("/health", right)["status"], "ok")
            self.assertJsonError(server, "GET", "/nowhere", 404, headers=right)
        finally:
            self.assertEqual(server.stop()[0], 0)

        env = dict(os.environ, STEPWISE_TOKEN="from-the-environment")
        server = Server(self.model, env=env)
        try:
            self.assertJsonError(server, "GET", "/health", 401)
            self.assertEqual(server.request("GET", "/health", headers={
                "Authorization": "Bearer from-the-environment"})[0], 200)
        finally:
            self.assertEqual(server.stop()[0], 0)

    def test_tls_with_a_self_signed_certificate(self):
        if not shutil.which("openssl"):
            self.fail("the openssl command is needed to make a test certificate (Debian package openssl)")
        cert, key = self.path("cert.pem"), self.path("key.pem")
        made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                               cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                               "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
        self.assertEqual(made.returncode, 0, made.stderr)
        server = Server(self.model, "--tls-cert", cert, "--tls-key", key, cafile=cert)
        try:
            self.assertEqual(server.scheme, "https")
            self.assertEqual(server.get_json("/health")["status"], "ok")
            status, _, text = server.request("POST", "/predict", {"rows": self.rows(titanic_records()[:2])})
            self.assertEqual(status, 200, text)
            self.assertEqual(len(json.loads(text)["predictions"]), 2)
            # Plain HTTP to the HTTPS port gets no answer, and the server carries on.
            plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            with self.assertRaises((http.client.HTTPException, ConnectionError, OSError)):
                plain.request("GET", "/health")
                plain.getresponse().read()
            plain.close()
            self.assertEqual(server.get_json("/health")["status"], "ok")
        finally:
            self.assertEqual(server.stop()[0], 0)

        result = run("serve", self.model, "--port", "0", "--tls-cert", self.path("absent.pem"), "--tls-key", key)
        self.assertError(result, 2, "absent.pem")
        result = run("serve", self.model, "--port", "0", "--tls-cert", key, "--tls-key", cert)
        self.assertError(result, 2, "TLS certificate")

    # --- lifecycle and flags ---------------------------------------------------------

    def test_sigterm_finishes_the_request_in_flight(self):
        server = Server(self.model, "--max-rows", "200000", "--max-body-bytes", "100000000")
        records = self.rows(titanic_records())
        body = json.dumps({"rows": records * 40}).encode()  # 35640 rows
        head = ("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % len(body)).encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as raw:
            raw.sendall(head + body[: len(body) // 2])
            time.sleep(0.3)
            server.process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            self.assertIsNone(server.process.poll(), "the server must wait for the request in flight")
            raw.sendall(body[len(body) // 2:])
            response = http.client.HTTPResponse(raw)
            response.begin()
            self.assertEqual(response.status, 200)
            answer = json.loads(response.read())
        self.assertEqual(len(answer["predictions"]), len(records) * 40)
        code, stderr = server.stop()
        self.assertEqual(code, 0, stderr)
        self.assertIn("SIGTERM", stderr)
        # Stopped: nothing listens any more.
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", server.port), timeout=5).close()

    def test_encrypted_model_needs_its_passphrase(self):
        passphrase = self.path("passphrase")
        with open(passphrase, "w") as f:
            f.write("correct horse battery staple\n")
        model = self.path("encrypted.stepwise")
        result = run("train", "builtin:iris", "--target", "species", "--model", "logistic_regression", "--out", model,
                     "--encrypt", "--passphrase-file", passphrase)
        self.assertEqual(result.returncode, 0, result.stderr)
        env = {name: value for name, value in os.environ.items() if name != "STEPWISE_PASSPHRASE"}
        refused = subprocess.run([cli_support.CLI, "serve", model, "--port", "0"], capture_output=True, text=True,
                                 timeout=60, env=env)
        self.assertError(refused, 4, "passphrase")
        server = Server(model, "--passphrase-file", passphrase, env=env)
        try:
            self.assertEqual(server.get_json("/health")["classes"], ["setosa", "versicolor", "virginica"])
        finally:
            self.assertEqual(server.stop()[0], 0)

    def test_sigint_stops_an_idle_server_at_once(self):
        server = Server(self.model)
        start = time.monotonic()
        server.process.send_signal(signal.SIGINT)
        code, stderr = server.stop()
        self.assertEqual(code, 0, stderr)
        self.assertLess(time.monotonic() - start, 5)

    def assertUsage(self, result, *fragments):
        """A flag the parser rejects: exit 2, the flag and its allowed range named."""
        self.assertEqual(result.returncode, 2, result.stderr)
        for fragment in fragments:
            self.assertIn(fragment, result.stderr)

    def test_bad_flags_and_files(self):
        self.assertUsage(run("serve", self.model, "--port", "70000"), "--port", "0 to 65535")
        self.assertUsage(run("serve", self.model, "--port", "-1"), "--port")
        self.assertUsage(run("serve", self.model, "--max-rows", "0"), "--max-rows", "1 to 10000000")
        self.assertUsage(run("serve", self.model, "--threads", "0"), "--threads", "1 to 1024")
        self.assertUsage(run("serve", self.model, "--max-threads", "2000"), "--max-threads", "1 to 1024")
        self.assertUsage(run("serve", self.model, "--request-timeout", "0"), "--request-timeout")
        self.assertUsage(run("serve", self.model, "--max-body-bytes", "0"), "--max-body-bytes", "1 to")
        self.assertUsage(run("serve", self.model, "--tls-cert", "c.pem"), "--tls-key")
        self.assertError(run("serve", self.path("absent.stepwise")), 4, "absent.stepwise")
        self.assertError(run("serve", self.model, "--token-file", self.path("no-token")), 2, "no-token")
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = run("serve", self.model, "--port", port, timeout=30)
        self.assertError(result, 1, "cannot listen on 127.0.0.1:%d" % port, "in use")
        # Nor does it share a port with another server.
        result = run("serve", self.model, "--port", self.server.port, timeout=30)
        self.assertError(result, 1, "cannot listen on 127.0.0.1:%d" % self.server.port)
        help_text = run("serve", "--help").stdout
        for flag in ["--host", "--port", "--token-file", "STEPWISE_TOKEN", "--tls-cert", "--tls-key",
                     "--max-body-bytes", "--max-rows", "--threads", "--max-threads", "--request-timeout",
                     "--passphrase-file"]:
            self.assertIn(flag, help_text)


if __name__ == "__main__":
    cli_support.main()
