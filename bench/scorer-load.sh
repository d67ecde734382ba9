#!/usr/bin/env bash
# Scorer load harness: the packaged scorer under wrk on 127.0.0.1, side by side in one run.
#   bench/scorer-load.sh                 # every mode, DURATION seconds each (default 20)
#   SOAK_SECONDS=600 bench/scorer-load.sh soak   # memory over time with ingestion down
# Needs: mvn -B verify (scorer.jar, the agent), wrk (apt-get install wrk), Java 17, python3, curl.
source "$(dirname "$0")/../local-cluster/lib/strict.sh"
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-8}
OUT=${OUT:-bench/results}
mkdir -p "$OUT"

source bench/harness.sh

# start_capture ARGS... -> sets CAPTURE_PID, CAPTURE_PORT
start_capture() {
  CAPTURE_PORT=$(free_port)
  java -cp "$DEV_TOOLS" io.mlws.devtools.capture.CaptureServer "$CAPTURE_PORT" --quiet "$@" > /dev/null 2>&1 &
  CAPTURE_PID=$!; PIDS+=("$CAPTURE_PID")
  sleep 1
}

# start_scorer agent(yes|no) collect(true|false) ingestion_port -> sets SCORER_PID, SCORER_PORT
start_scorer() {
  local agent=$1 collect=$2 ingestion=$3
  SCORER_PORT=$(free_port)
  local cs="InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:$ingestion/;LiveEndpoint=http://127.0.0.1:$ingestion/;ProfilerEndpoint=http://127.0.0.1:$ingestion/"
  local args=(-Xmx256m)
  [ "$agent" = yes ] && args+=("-javaagent:$AGENT")
  env MLWS_MODEL_URI="$MODEL" MLWS_PORT="$SCORER_PORT" MLWS_DATA_COLLECTION_ENABLED="$collect" \
      APPLICATIONINSIGHTS_CONNECTION_STRING="$cs" APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE=100 \
      APPLICATIONINSIGHTS_PREVIEW_LIVE_METRICS_ENABLED=false \
      java "${args[@]}" -jar "$JAR" > "$OUT/scorer-$SCORER_PORT.log" 2>&1 &
  SCORER_PID=$!; PIDS+=("$SCORER_PID")
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$SCORER_PORT/ready" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "scorer did not become ready" >&2; exit 1
}

rss_mib() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks

to_us() { # wrk latency (e.g. 812.00us, 1.23ms, 2.01s) -> microseconds
  python3 -c 'import sys,re; v=sys.argv[1]; m=re.match(r"([\d.]+)(us|ms|s)",v); f={"us":1,"ms":1000,"s":1e6}[m.group(2)]; print(round(float(m.group(1))*f,1))' "$1"
}

# measure LABEL SCRIPT CONNECTIONS -> prints a table row
measure() {
  local label=$1 script=$2 connections=$3
  wrk -t1 -c"$connections" -d3s -s "bench/wrk/$script" "http://127.0.0.1:$SCORER_PORT" > /dev/null
  local before; before=$(cpu_ticks "$SCORER_PID")
  local result; result=$(wrk -t1 -c"$connections" -d"${DURATION}s" --latency -s "bench/wrk/$script" "http://127.0.0.1:$SCORER_PORT")
  local ticks=$(( $(cpu_ticks "$SCORER_PID") - before ))
  local rps p50 p99 errors total
  rps=$(echo "$result" | awk '/Requests\/sec/ {print $2}')
  p50=$(to_us "$(echo "$result" | awk '$1=="50%" {print $2}')")
  p99=$(to_us "$(echo "$result" | awk '$1=="99%" {print $2}')")
  errors=$(echo "$result" | awk '/Non-2xx/ {print $5}'); errors=${errors:-0}
  total=$(echo "$result" | awk '/requests in/ {print $1}')
  local cpu_us; cpu_us=$(python3 -c "print(round($ticks * 1e6 / $(getconf CLK_TCK) / $total, 1))")
  echo "| $label | $connections | $rps | $p50 | $p99 | $total | $errors | $cpu_us | $(rss_mib "$SCORER_PID") |"
}

stop_scorer() { kill "$SCORER_PID"; wait "$SCORER_PID" 2>/dev/null || true; }
stop_capture() { kill "$CAPTURE_PID"; wait "$CAPTURE_PID" 2>/dev/null || true; }

header() {
  echo "| mode | connections | requests/s | p50 µs | p99 µs | requests | non-2xx | scorer CPU µs/request | RSS MiB |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
}

if [ "${1:-all}" = soak ]; then
  start_scorer yes true "$(free_port)"   # nothing listens there: ingestion down
  echo "| seconds | RSS MiB |"; echo "| --- | --- |"
  wrk -t1 -c"$CONNECTIONS" -d"${SOAK_SECONDS:-600}s" -s bench/wrk/score.lua "http://127.0.0.1:$SCORER_PORT" > "$OUT/soak-wrk.txt" &
  WRK=$!
  for s in $(seq 0 30 "${SOAK_SECONDS:-600}"); do
    echo "| $s | $(rss_mib "$SCORER_PID") |"
    sleep 30
  done
  wait "$WRK" || true
  cat "$OUT/soak-wrk.txt"
  exit 0
fi

header
# Framework overhead over HTTP: one connection, telemetry off.
start_scorer no false 1
measure "/score, telemetry off, 1 connection" score.lua 1
measure "/v2 infer, telemetry off, 1 connection" infer.lua 1
# Telemetry cost at a fixed concurrency.
measure "/score, telemetry off" score.lua "$CONNECTIONS"
stop_scorer
start_capture
start_scorer yes false "$CAPTURE_PORT"
measure "/score, agent 100 % sampling" score.lua "$CONNECTIONS"
stop_scorer
start_scorer yes true "$CAPTURE_PORT"
measure "/score, agent + data collection 100 %" score.lua "$CONNECTIONS"
stop_scorer
stop_capture
# Ingestion outages, agent + data collection.
start_capture --status 500
start_scorer yes true "$CAPTURE_PORT"
measure "/score, ingestion answers 500" score.lua "$CONNECTIONS"
stop_scorer; stop_capture
start_capture --status 429
start_scorer yes true "$CAPTURE_PORT"
measure "/score, ingestion answers 429" score.lua "$CONNECTIONS"
stop_scorer; stop_capture
start_capture --delay-ms 3000
start_scorer yes true "$CAPTURE_PORT"
measure "/score, ingestion slow (3 s per answer)" score.lua "$CONNECTIONS"
stop_scorer; stop_capture
start_scorer yes true "$(free_port)"
measure "/score, ingestion down (nothing listening)" score.lua "$CONNECTIONS"
stop_scorer
