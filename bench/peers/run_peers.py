#!/usr/bin/env python3
"""Side by side with the peers: the same ONNX model (iris) and the same load (wrk, fixed
concurrency, 127.0.0.1) against azureml-inference-server-http, KServe's model server, MLServer and
the mlws scorer, one after another in one run. For each: requests/s, p50, p99, CPU time per request
of all the server's processes, their RSS, time from start to ready. Then telemetry fidelity, counted
at a capture endpoint on 127.0.0.1 for the servers that send Application Insights telemetry, and
what an ingestion outage does to them.

    bench/peers/setup.sh && mvn -B verify && python3 bench/peers/run_peers.py

Prints a Markdown report (and writes it to --out). Every server is started in its own session and
stopped by its process group; every wait is bounded.
"""
import argparse
import functools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import count_envelopes  # beside this script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import scorer_jvm  # noqa: E402 (bench/)

ROOT = Path(__file__).resolve().parents[2]
PEERS = Path(__file__).resolve().parent
VENVS = Path(os.environ.get("MLWS_PEERS_DIR", Path.home() / ".cache/mlws/peers"))
SCORER_JAR = ROOT / "scorer-image/target/scorer.jar"
DEV_TOOLS_JAR = ROOT / "dev-tools/target/dev-tools.jar"
AGENT_JAR = ROOT / "scorer-image/target/agent/applicationinsights-agent.jar"
MODEL = ROOT / "scorer-image/models/iris.onnx"
SCORE_LUA = ROOT / "bench/wrk/score.lua"
INFER_LUA = ROOT / "bench/wrk/infer.lua"
SCORE_BODY = b'{"data": [[5.1, 3.5, 1.4, 0.2]]}'
IKEY = "00000000-0000-0000-0000-000000000000"
CORES = os.cpu_count() or 2
LOG_DIR = Path(os.environ.get("PEERS_LOG_DIR", "/tmp/mlws-peers"))
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_pids(leader):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == leader:  # field 6, the session id
                pids.append(int(entry))
    return pids


def cpu_ticks(leader):
    total = 0
    for pid in session_pids(leader):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total


def rss_mib(leader):
    kib = 0
    for pid in session_pids(leader):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kib += int(line.split()[1])
        except OSError:
            pass
    return kib // 1024


class Server:
    """One server under test: how to start it, where it answers, which load script it takes."""

    def __init__(self, name, command, env, ready_path, lua, path, cwd=None):
        self.name, self.command, self.env = name, command, env
        self.ready_path, self.lua, self.path, self.cwd = ready_path, lua, path, cwd
        self.port = free_port()
        self.process = None
        self.log = None

    def start(self, log_dir):
        env = dict(os.environ)
        env.update({k: v.replace("{port}", str(self.port)) for k, v in self.env.items()})
        command = [c.replace("{port}", str(self.port)) for c in self.command]
        self.log = log_dir / (re.sub(r"\W+", "-", self.name) + ".log")
        began = time.monotonic()
        self.process = subprocess.Popen(
            command, env=env, cwd=self.cwd, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = began + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=2) as answer:
                    if answer.status == 200:
                        return time.monotonic() - began
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.name} not ready in 180 s; see {self.log}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def wrk(server, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(server.lua),
         server.url("")], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout

    def latency(label):
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)] if m else float("nan")

    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50%"), "p99": latency("99%"), "requests": total,
        "failed": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "none",
    }


def measure(server, log_dir, seconds, connections, warmup):
    ready = server.start(log_dir)
    try:
        # The same warm-up for every server: long enough for a JVM's compilers to finish with the
        # hot paths (the agent's included), as in a pod that has served for a minute. With 3 s, the
        # mlws scorer with the agent measured about 260 µs a request instead of about 190: the
        # compilers' own CPU.
        wrk(server, warmup, connections)
        before = cpu_ticks(server.process.pid)
        result = wrk(server, seconds, connections)
        ticks = cpu_ticks(server.process.pid) - before
        result["cpu_us"] = ticks * 1e6 / TICK / max(result["requests"], 1)
        result["rss"] = rss_mib(server.process.pid)
        result["ready"] = ready
        return result
    finally:
        server.stop()


@functools.lru_cache(maxsize=None)
def ingestion_tls(log_dir):
    """The capture server's key store and what clients trust it by, made once a run
    (bench/ingestion-tls.sh)."""
    tls = log_dir / "ingestion-tls"
    subprocess.run(["bash", str(ROOT / "bench/ingestion-tls.sh"), str(tls)], check=True, timeout=60)
    return tls


class Capture:
    """The mlws capture server (java) on 127.0.0.1 over HTTPS, answering after a round trip like a
    remote ingestion endpoint's, writing every envelope to a file."""

    def __init__(self, log_dir, label, rtt_ms, status=200):
        self.port = free_port()
        self.dump = log_dir / f"envelopes-{label}.jsonl"
        self.process = subprocess.Popen(
            ["java", "-cp", str(DEV_TOOLS_JAR), "io.mlws.devtools.capture.CaptureServer", str(self.port),
             "--quiet", "--dump", str(self.dump), "--status", str(status),
             "--tls", str(ingestion_tls(log_dir) / "capture.p12"), "changeit", "--delay-ms", str(rtt_ms)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("capture server did not start")

    def endpoint(self):
        return f"https://127.0.0.1:{self.port}/"

    def envelopes(self):
        return count_envelopes.read(self.dump) if self.dump.exists() else []

    def await_quiet(self, quiet_seconds=8, limit=90):
        """Waits until no envelope has arrived for quiet_seconds (exporters batch every few)."""
        last, since, deadline = -1, time.monotonic(), time.monotonic() + limit
        while time.monotonic() < deadline:
            count = len(self.envelopes())
            if count != last:
                last, since = count, time.monotonic()
            elif time.monotonic() - since >= quiet_seconds:
                return count
            time.sleep(0.5)
        return last

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(20)


def azureml_model_dir():
    """The layout Azure ML mounts: AZUREML_MODEL_DIR/<model>/<version>/ (it names the Models)."""
    root = LOG_DIR / "azureml-models"
    (root / "iris/1").mkdir(parents=True, exist_ok=True)
    target = root / "iris/1/iris.onnx"
    if not target.exists():
        target.write_bytes(MODEL.read_bytes())
    return root


def azureml(workers, telemetry_endpoint=None):
    env = {"AZUREML_MODEL_DIR": str(azureml_model_dir()), "SERVICE_NAME": "iris",
           "WORKSPACE_NAME": "bench", "HOSTNAME": "azureml-bench"}
    if telemetry_endpoint:
        # The server passes "InstrumentationKey=<key>" to the Azure Monitor exporter, which takes
        # the ingestion endpoint from APPLICATIONINSIGHTS_CONNECTION_STRING when the string it was
        # given has none. Model data collection is AML_MDC_STORAGE_ENABLED (the server's settings
        # read AML_<field>; the AML_MODEL_DC_STORAGE_ENABLED alias it also lists names no field).
        env.update({"AML_APP_INSIGHTS_ENABLED": "true", "AML_APP_INSIGHTS_KEY": IKEY,
                    "APPLICATIONINSIGHTS_CONNECTION_STRING":
                        f"InstrumentationKey={IKEY};IngestionEndpoint={telemetry_endpoint}",
                    "AML_MDC_STORAGE_ENABLED": "true",
                    # The Azure Monitor exporter sends with requests, which trusts this bundle.
                    "REQUESTS_CA_BUNDLE": str(ingestion_tls(LOG_DIR) / "capture.pem")})
    command = [str(VENVS / "azureml/bin/azmlinfsrv"), "--entry_script",
               str(PEERS / "azureml/score.py"), "--port", "{port}"]
    if workers:
        command += ["--worker_count", str(workers)]
    return Server("azureml-inference-server-http", command, env, "/", SCORE_LUA, "/score")


def kserve(workers):
    command = [str(VENVS / "kserve/bin/python"), str(PEERS / "kserve/iris_model.py"),
               "--http_port", "{port}", "--grpc_port", str(free_port())]
    if workers:
        command += ["--workers", str(workers)]
    return Server("kserve", command, {"IRIS_MODEL": str(MODEL)}, "/v2/models/iris/ready",
                  INFER_LUA, "/v2/models/iris/infer")


def mlserver(workers):
    env = {"IRIS_MODEL": str(MODEL), "MLSERVER_HTTP_PORT": "{port}",
           "MLSERVER_GRPC_PORT": str(free_port()), "MLSERVER_METRICS_PORT": str(free_port())}
    if workers:
        env["MLSERVER_PARALLEL_WORKERS"] = str(workers)
    return Server("mlserver", [str(VENVS / "mlserver/bin/mlserver"), "start", str(PEERS / "mlserver")],
                  env, "/v2/models/iris/ready", INFER_LUA, "/v2/models/iris/infer")


def mlws(v2, telemetry_endpoint=None):
    env = {"MLWS_MODEL_URI": str(MODEL), "MLWS_PORT": "{port}", "MLWS_SERVICE_NAME": "iris",
           "MLWS_NAMESPACE": "bench", "MLWS_POD_NAME": "mlws-bench"}
    # As in its default pod (bench/scorer_jvm.py), with a /tmp of its own as a pod's emptyDir: the
    # agent keeps batches it could not send there, and would send an earlier row's in this one.
    tmp = tempfile.mkdtemp(prefix="mlws-tmp-", dir=LOG_DIR)
    command = ["java", *scorer_jvm.pod_options(), f"-Djava.io.tmpdir={tmp}"]
    if telemetry_endpoint:
        env.update({
            "APPLICATIONINSIGHTS_CONNECTION_STRING":
                f"InstrumentationKey={IKEY};IngestionEndpoint={telemetry_endpoint};"
                f"LiveEndpoint={telemetry_endpoint}",
            "MLWS_DATA_COLLECTION_ENABLED": "true",
            # What the operator sets by default (spec.appInsights.samplingPercentage: 100).
            "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE": "100"})
        trust = ingestion_tls(LOG_DIR) / "trust.p12"
        command += [f"-Djavax.net.ssl.trustStore={trust}", "-Djavax.net.ssl.trustStorePassword=changeit",
                    "-Djavax.net.ssl.trustStoreType=PKCS12", f"-javaagent:{AGENT_JAR}"]
    command += ["-jar", str(SCORER_JAR)]
    return Server("mlws scorer", command, env, "/ready", INFER_LUA if v2 else SCORE_LUA,
                  "/v2/models/iris/infer" if v2 else "/score")


def post(url, body, timeout=10):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code


def fidelity(make_server, log_dir, label, n, rtt_ms):
    """n good requests and 10 malformed ones, one at a time; what arrives at the capture."""
    capture = Capture(log_dir, label, rtt_ms)
    server = make_server(capture.endpoint())
    try:
        server.start(log_dir)
        statuses = [post(server.url("/score"), SCORE_BODY) for _ in range(n)]
        bad = [post(server.url("/score"), b'{"data": "not rows"}') for _ in range(10)]
        capture.await_quiet()
    finally:
        server.stop()
    envelopes = capture.envelopes()
    capture.stop()
    summary = count_envelopes.summarize(envelopes, request_path="/score")
    summary["answered"] = f"{statuses.count(200)}/{n} 200, malformed answered {sorted(set(bad))}"
    summary["expected_requests"] = n + len(bad)
    return summary


def outage(make_server, log_dir, seconds, connections):
    """Telemetry on, ingestion down (nothing listens): load, latency, memory, what is logged."""
    server = make_server(f"https://127.0.0.1:{free_port()}/")
    ready = server.start(log_dir)
    try:
        rss_before = rss_mib(server.process.pid)
        result = wrk(server, seconds, connections)
        result["rss_before"], result["rss_after"] = rss_before, rss_mib(server.process.pid)
        result["ready"] = ready
    finally:
        server.stop()
    text = server.log.read_text(errors="replace")
    result["log_errors"] = len(re.findall(r"(?i)\b(error|exception|failed)\b", text))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", 20)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 4)))
    parser.add_argument("--warmup", type=int, default=int(os.environ.get("WARMUP", 30)))
    parser.add_argument("--fidelity-requests", type=int, default=200)
    # Azure's ingestion endpoint is HTTPS and remote: the capture answers after this long.
    parser.add_argument("--ingestion-rtt-ms", type=int, default=int(os.environ.get("INGESTION_RTT_MS", 40)))
    parser.add_argument("--out", default=str(ROOT / "bench/results/peers.md"))
    args = parser.parse_args()
    for needed in (SCORER_JAR, AGENT_JAR, MODEL):
        if not needed.exists():
            sys.exit(f"missing {needed}: run mvn -B verify first")
    for venv in ("azureml", "kserve", "mlserver"):
        if not (VENVS / venv / "bin/python").exists():
            sys.exit(f"missing the {venv} environment: run bench/peers/setup.sh first")
    log_dir = LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {CORES} cores; wrk -t1 "
             f"-c{args.connections}, {args.duration} s per row after a {args.warmup} s warm-up; iris (skl2onnx), "
             f"one row per request; telemetry to a capture endpoint over HTTPS answering after "
             f"{args.ingestion_rtt_ms} ms.", "",
             "| server | protocol | workers | telemetry | requests/s | p50 µs | p99 µs | non-2xx | "
             "CPU µs/request (all processes) | RSS MiB | start to ready s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def row(label, protocol, workers, telemetry, server):
        try:
            r = measure(server, log_dir, args.duration, args.connections, args.warmup)
            line = (f"| {label} | {protocol} | {workers} | {telemetry} | {r['rps']:.0f} | "
                    f"{r['p50']:.0f} | {r['p99']:.0f} | {r['failed']} | {r['cpu_us']:.0f} | "
                    f"{r['rss']} | {r['ready']:.1f} |")
        except Exception as e:  # a peer that fails is reported, not hidden
            line = f"| {label} | {protocol} | {workers} | {telemetry} | failed: {e} | | | | | | |"
        print(line, flush=True)
        lines.append(line)

    for workers, shown in ((None, "default (1)"), (CORES, str(CORES))):
        row("azureml-inference-server-http", "/score", shown, "off", azureml(workers))
        capture = Capture(log_dir, f"azureml-{workers}", args.ingestion_rtt_ms)
        row("azureml-inference-server-http", "/score", shown, "App Insights + model data collection",
            azureml(workers, capture.endpoint()))
        capture.stop()
        row("KServe model server", "V2", shown, "none built in", kserve(workers))
        row("MLServer", "V2", shown, "none built in (Prometheus metrics)", mlserver(workers))
    for v2 in (False, True):
        protocol = "V2" if v2 else "/score"
        row("mlws scorer", protocol, f"threads ({CORES} cores)", "off", mlws(v2))
        capture = Capture(log_dir, f"mlws-{protocol.strip('/')}", args.ingestion_rtt_ms)
        row("mlws scorer", protocol, f"threads ({CORES} cores)",
            "App Insights agent + model data collection", mlws(v2, capture.endpoint()))
        capture.stop()

    n = args.fidelity_requests
    lines += ["", f"Telemetry fidelity: {n} good /score requests and 10 malformed ones, sent one at a "
              "time; counted at the capture endpoint once it had been quiet for 8 s.", "",
              "| server | answered | request items | model_data_collection items | with the 8 "
              "dimensions as flat custom dimensions | in the request's operation | request items by "
              "responseCode/success | properties of a model_data_collection item |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, make in (("azureml-inference-server-http", lambda e: azureml(None, e)),
                        ("mlws scorer", lambda e: mlws(False, e))):
        try:
            f = fidelity(make, log_dir, re.sub(r"\W+", "-", label), n, args.ingestion_rtt_ms)
            line = (f"| {label} | {f['answered']} | {f['requests']} of {f['expected_requests']} | "
                    f"{f['collections']} of {n} | {f['flat']} | {f['linked']} | "
                    f"{', '.join(f'{k} ×{v}' for k, v in sorted(f['outcomes'].items()))} | "
                    f"{', '.join(f['dimension_keys'])} |")
        except Exception as e:
            line = f"| {label} | failed: {e} | | | | | | |"
        print(line, flush=True)
        lines.append(line)

    lines += ["", "Ingestion down (telemetry on, nothing listening at the ingestion endpoint):", "",
              "| server | requests/s | p50 µs | p99 µs | non-2xx | RSS MiB before → after | "
              "error lines logged |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for label, make in (("azureml-inference-server-http", lambda e: azureml(None, e)),
                        ("mlws scorer", lambda e: mlws(False, e))):
        try:
            o = outage(make, log_dir, args.duration, args.connections)
            line = (f"| {label} | {o['rps']:.0f} | {o['p50']:.0f} | {o['p99']:.0f} | {o['failed']} | "
                    f"{o['rss_before']} → {o['rss_after']} | {o['log_errors']} |")
        except Exception as e:
            line = f"| {label} | failed: {e} | | | | | |"
        print(line, flush=True)
        lines.append(line)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
