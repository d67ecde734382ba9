# shellcheck shell=bash
# Shared by the scorer load scripts (sourced, not run): what they need checked, every process they
# start stopped by its PID on exit, and free loopback ports.
JAR=scorer-image/target/scorer.jar
DEV_TOOLS=dev-tools/target/dev-tools.jar
AGENT=scorer-image/target/agent/applicationinsights-agent.jar
MODEL=scorer-image/models/iris.onnx
for f in "$JAR" "$DEV_TOOLS" "$AGENT" "$MODEL"; do [ -f "$f" ] || { echo "missing $f: run mvn -B verify first" >&2; exit 2; }; done
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# The scorer's JVM options as in its default pod, one a line (bench/scorer_jvm.py): the image's, the
# pod's memory and the operator's heap ceiling.
pod_jvm_options() { python3 bench/scorer_jvm.py; }
