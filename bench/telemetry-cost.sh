#!/usr/bin/env bash
# What telemetry costs the scorer in CPU per request, and where it goes.
#   bench/telemetry-cost.sh            # ROUNDS rounds (default 3) of every variant, interleaved
# Each variant: the packaged scorer (iris), with its JVM options as in its default pod (bench/scorer_jvm.py), under wrk -c CONNECTIONS for DURATION s after WARMUP s
# (30 by default: the JIT's work on the agent's code done, as in a pod that has served a minute), ingestion at a capture server
# on 127.0.0.1 over HTTPS that answers 200 after INGESTION_RTT_MS (40 by default: Azure's endpoint is TLS and remote); the scorer process's CPU
# time (user + system, /proc) divided by the requests served. The median of the rounds is reported,
# since the load generator, the capture server and the scorer share the machine's cores. Then one
# JFR profile of the default path (agent + data collection) split by thread and by what the thread
# was doing (bench/jfr-breakdown.py).
# Needs: mvn -B verify (scorer.jar, the agent), wrk, python3, curl, Java 17 (jfr).
source "$(dirname "$0")/../local-cluster/lib/strict.sh"
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-4}
WARMUP=${WARMUP:-30}
INGESTION_RTT_MS=${INGESTION_RTT_MS:-40}
OUT=${OUT:-bench/results}
WORK=$(mktemp -d)

source bench/harness.sh
mapfile -t POD_JVM < <(pod_jvm_options)
bench/ingestion-tls.sh "$WORK"
TRUST=(-Djavax.net.ssl.trustStore="$WORK/trust.p12" -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12)

# run VARIANT [java args...] -> prints "VARIANT CPU_US RPS QUEUE_OVERFLOWED(yes|no)"
# The scorer's log says when the agent's export queue overflowed (it then drops telemetry, so that
# run's CPU figure leaves out the envelopes it never serialized).
# Variants: off | agent (requests only) | agent+dc (the default path: request sampling 100 %, the
# classic-SDK bridge) | agent+dc-log (request sampling 99.99 %, so the scorer takes the log-record
# bridge it uses whenever requests are sampled).
run() {
  local variant=$1; shift
  local capture_port scorer_port sampling=100 collect=false agent=()
  capture_port=$(free_port); scorer_port=$(free_port)
  case $variant in
    off) ;;
    agent) agent=("-javaagent:$AGENT") ;;
    agent+dc) agent=("-javaagent:$AGENT"); collect=true ;;
    agent+dc-log) agent=("-javaagent:$AGENT"); collect=true; sampling=99.99 ;;
  esac
  # A /tmp of its own, as a pod's emptyDir: the agent keeps batches it could not send there and
  # would send an earlier run's in this one.
  local tmp="$WORK/tmp-$variant-$capture_port"; mkdir -p "$tmp"
  java -cp "$DEV_TOOLS" io.mlws.devtools.capture.CaptureServer "$capture_port" --quiet \
    --tls "$WORK/capture.p12" changeit --delay-ms "$INGESTION_RTT_MS" > /dev/null 2>&1 &
  local capture=$!; PIDS+=("$capture")
  env MLWS_MODEL_URI="$MODEL" MLWS_PORT="$scorer_port" MLWS_DATA_COLLECTION_ENABLED=$collect \
    APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:$capture_port/;LiveEndpoint=https://127.0.0.1:$capture_port/" \
    APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE=$sampling \
    java "${POD_JVM[@]}" -Djava.io.tmpdir="$tmp" "${TRUST[@]}" "${agent[@]}" "$@" -jar "$JAR" > "$WORK/scorer-$variant.log" 2>&1 &
  local scorer=$!; PIDS+=("$scorer")
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$scorer_port/ready" > /dev/null 2>&1 && break
    sleep 0.5
  done
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/wrk/score.lua "http://127.0.0.1:$scorer_port" > /dev/null
  local before result ticks requests
  before=$(awk '{print $14 + $15}' "/proc/$scorer/stat")
  result=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/wrk/score.lua "http://127.0.0.1:$scorer_port")
  ticks=$(( $(awk '{print $14 + $15}' "/proc/$scorer/stat") - before ))
  requests=$(echo "$result" | awk '/requests in/ {print $1}')
  local dropped=no
  grep -q "export queue capacity" "$WORK/scorer-$variant.log" && dropped=yes
  echo "$variant $(python3 -c "print(round($ticks * 1e6 / $(getconf CLK_TCK) / $requests, 1))") $(echo "$result" | awk '/Requests\/sec/ {print $2}') $dropped"
  kill "$scorer"; wait "$scorer" 2> /dev/null || true
  kill "$capture"; wait "$capture" 2> /dev/null || true
}

VARIANTS=(off agent agent+dc agent+dc-log)
for _ in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do run "$variant"; done
done > "$WORK/runs.txt"

mkdir -p "$OUT"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; iris, wrk -c$CONNECTIONS, ${DURATION} s per run after ${WARMUP} s, median of $ROUNDS interleaved rounds."
  echo
  echo "| variant | scorer CPU µs/request (median) | over telemetry off | each round | requests/s (median) | agent's export queue overflowed (items dropped) in rounds |"
  echo "| --- | --- | --- | --- | --- | --- |"
  python3 - "$WORK/runs.txt" "${VARIANTS[@]}" <<'EOF'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
labels = {"off": "telemetry off", "agent": "agent, requests only",
          "agent+dc": "agent + data collection (default: classic-SDK bridge)",
          "agent+dc-log": "agent + data collection through a log record (request sampling < 100 %)"}
off = statistics.median(float(r[1]) for r in runs if r[0] == "off")
for variant in sys.argv[2:]:
    cpu = [float(r[1]) for r in runs if r[0] == variant]
    rps = [float(r[2]) for r in runs if r[0] == variant]
    median = statistics.median(cpu)
    dropped = sum(1 for r in runs if r[0] == variant and r[3] == "yes")
    print(f"| {labels[variant]} | {median:.1f} | +{median - off:.1f} | {', '.join(f'{c:.1f}' for c in cpu)} | {statistics.median(rps):.0f} | {dropped} of {len(cpu)} |")
EOF
  echo
  echo "Where the CPU goes on the default path (JFR execution samples, agent + data collection):"
  echo
  profiled=$(run agent+dc -XX:StartFlightRecording=filename="$WORK/profile.jfr",settings=profile,dumponexit=true)
  python3 bench/jfr-breakdown.py "$WORK/profile.jfr" "$(echo "$profiled" | cut -d' ' -f2)"
} | tee "$OUT/telemetry-cost.md"
