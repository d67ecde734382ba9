#!/usr/bin/env python3
"""Splits a JFR CPU profile of the scorer into what a request costs: the request thread's share
(the HTTP server, the protocol codecs, the model, the agent's instrumentation, data collection) and
the agent's background threads (spans and log records mapped to envelopes, envelopes serialized and
compressed, sent). Each share of the execution samples is also shown in µs per request, scaled by
the CPU µs per request measured in the same run.

    python3 bench/jfr-breakdown.py profile.jfr 84.5
"""
import collections
import json
import subprocess
import sys

REQUEST_PARTS = [  # the first of these found on a request thread's stack, innermost first, wins
    ("agent instrumentation (request span)", ("io/opentelemetry/javaagent", "com/microsoft/applicationinsights/agent")),
    ("data collection (dimensions, bridge)", ("io/mlws/scorer/telemetry", "com/microsoft/applicationinsights/TelemetryClient")),
    ("model (ONNX Runtime)", ("ai/onnxruntime",)),
    ("protocol codecs and JSON", ("io/mlws/scorer/protocol", "com/fasterxml/jackson")),
    ("HTTP server (Jetty)", ("org/eclipse/jetty",)),
]
THREADS = [
    ("agent: spans to envelopes (BatchSpanProcessor)", "BatchSpanProcessor"),
    ("agent: log records to envelopes (BatchLogRecordProcessor)", "BatchLogRecordProcessor"),
    ("agent: envelopes serialized and gzipped (BatchItemProcessor)", "BatchItemProcessor"),
    ("agent: HTTP to the ingestion endpoint (reactor-netty)", "reactor-http"),
]


def main():
    path, cpu_us = sys.argv[1], float(sys.argv[2])
    data = json.loads(subprocess.check_output(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path]))
    shares = collections.Counter()
    events = data["recording"]["events"]
    for event in events:
        thread = event["values"]["sampledThread"]["javaName"] or ""
        frames = [f["method"]["type"]["name"] for f in event["values"]["stackTrace"]["frames"]]
        if thread.startswith("scorer"):
            part = "request thread: other"
            for frame in frames:
                found = next((label for label, prefixes in REQUEST_PARTS if frame.startswith(prefixes)), None)
                if found:
                    part = "request thread: " + found
                    break
            shares[part] += 1
        else:
            shares[next((label for label, prefix in THREADS if prefix in thread), "other threads (agent housekeeping, JVM)")] += 1
    total = sum(shares.values())
    print(f"| where | share of {total} samples | ≈ µs per request |")
    print("| --- | --- | --- |")
    for part, count in sorted(shares.items(), key=lambda kv: -kv[1]):
        print(f"| {part} | {count * 100 / total:.1f} % | {count * cpu_us / total:.1f} |")


if __name__ == "__main__":
    main()
