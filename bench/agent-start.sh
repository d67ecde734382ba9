#!/usr/bin/env bash
# What the Application Insights agent adds to the scorer's start, and what the levers against it do.
#   bench/agent-start.sh            # ROUNDS rounds (default 5) of every variant, interleaved
# Each variant: the packaged scorer (iris) with its JVM options as in its default pod (bench/scorer_jvm.py),
# data collection on, ingestion at a capture server on 127.0.0.1; the time from starting java to the first 200
# from /ready, and the agent's own report of when its start ended ("JVM running for N s"). Medians of the rounds.
# Needs: mvn -B verify (scorer.jar, the agent), python3, curl.
source "$(dirname "$0")/../local-cluster/lib/strict.sh"
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
OUT=${OUT:-bench/results}
WORK=$(mktemp -d)
source bench/harness.sh
mapfile -t POD_JVM < <(pod_jvm_options)

# The instrumentations the scorer's telemetry uses: its HTTP server, its HTTP clients (model download, Blob
# Storage, Entra ID keys, versions), the OpenTelemetry API it calls, logback, and executors. The agent's own
# switch that leaves the choice to the otel.instrumentation.* properties is internal
# (applicationinsights.testing.instrumentation.disabled), so this is measured, not shipped.
NEEDED=(jetty java-http-client http-url-connection azure-core executors opentelemetry-api
  opentelemetry-instrumentation-api logback-appender logback-mdc)
only_needed=(-Dapplicationinsights.testing.instrumentation.disabled=true -Dotel.instrumentation.common.default-enabled=false)
for name in "${NEEDED[@]}"; do only_needed+=("-Dotel.instrumentation.$name.enabled=true"); done

# run VARIANT [java args...] -> "VARIANT READY_S AGENT_S"
run() {
  local variant=$1; shift
  local capture_port scorer_port probe_port agent=("-javaagent:$AGENT")
  [ "$variant" = no-agent ] && agent=()
  capture_port=$(free_port); scorer_port=$(free_port); probe_port=$(free_port)
  local tmp="$WORK/tmp-$variant-$capture_port"; mkdir -p "$tmp"
  java -cp "$DEV_TOOLS" io.mlws.devtools.capture.CaptureServer "$capture_port" --quiet > /dev/null 2>&1 &
  local capture=$!; PIDS+=("$capture")
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$capture_port/" && break; sleep 0.1; done
  local began; began=$(date +%s%N)
  env MLWS_MODEL_URI="$MODEL" MLWS_PORT="$scorer_port" MLWS_PROBE_PORT="$probe_port" MLWS_DATA_COLLECTION_ENABLED=true \
    APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:$capture_port/" \
    java "${POD_JVM[@]}" -Djava.io.tmpdir="$tmp" "$@" "${agent[@]}" -jar "$JAR" > "$WORK/scorer-$variant.log" 2>&1 &
  local scorer=$!; PIDS+=("$scorer")
  local ready=""
  for _ in $(seq 1 1500); do
    if curl -sf -o /dev/null "http://127.0.0.1:$scorer_port/ready"; then ready=$(( $(date +%s%N) - began )); break; fi
    kill -0 "$scorer" 2> /dev/null || break
    sleep 0.02
  done
  local agent_s; agent_s=$(grep -o 'JVM running for [0-9.]*' "$WORK/scorer-$variant.log" | awk '{print $4}' || true)
  echo "$variant ${ready:-failed} ${agent_s:--}"
  kill "$scorer" 2> /dev/null; wait "$scorer" 2> /dev/null || true
  kill "$capture"; wait "$capture" 2> /dev/null || true
}

VARIANTS=(no-agent agent only-needed larger-start-heap c1-only compilers-niced no-verify)
variant_args() {
  case $1 in
    no-agent | agent) ;;
    only-needed) printf '%s\n' "${only_needed[@]}" ;;
    larger-start-heap) printf '%s\n' -Xms96m -XX:MetaspaceSize=96m ;;
    c1-only) echo -XX:TieredStopAtLevel=1 ;;
    compilers-niced) printf '%s\n' -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=1 ;;
    no-verify) printf '%s\n' -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote ;;
  esac
}
for _ in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do
    mapfile -t args < <(variant_args "$variant")
    run "$variant" "${args[@]}"
  done
done > "$WORK/runs.txt"

mkdir -p "$OUT"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; iris, data collection on; medians of $ROUNDS interleaved rounds."
  echo
  echo "| variant | start to ready s | the agent's start ended at s | each round (ready) |"
  echo "| --- | --- | --- | --- |"
  python3 - "$WORK/runs.txt" "${VARIANTS[@]}" <<'PY'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
labels = {"no-agent": "no agent (telemetry off)", "agent": "agent (as shipped)",
          "only-needed": "agent, only the instrumentations the scorer uses",
          "larger-start-heap": "agent, a 96 MiB heap and metaspace from the start (-Xms96m -XX:MetaspaceSize=96m)",
          "c1-only": "agent, the client compiler only (-XX:TieredStopAtLevel=1)",
          "compilers-niced": "agent, compiler threads at a lower priority",
          "no-verify": "agent, bytecode verification off"}
for variant in sys.argv[2:]:
    rows = [r for r in runs if r[0] == variant]
    ready = [int(r[1]) / 1e9 for r in rows if r[1] != "failed"]
    agent = [float(r[2]) for r in rows if r[2] != "-"]
    med = lambda xs: f"{statistics.median(xs):.2f}" if xs else "-"
    failed = sum(1 for r in rows if r[1] == "failed")
    print(f"| {labels[variant]} | {med(ready)} | {med(agent)} | {', '.join(f'{x:.2f}' for x in ready)}"
          f"{f' ({failed} failed)' if failed else ''} |")
PY
} | tee "$OUT/agent-start.md"
