#!/usr/bin/env bash
# What spec.auth.mode: Keys costs the scorer, and what a flood of wrong keys does to callers with a good one.
#   bench/key-check-cost.sh            # ROUNDS rounds (default 3) of every variant, interleaved
# The packaged scorer (iris), telemetry off so that only the check is measured, under wrk for DURATION s
# after a 5 s warm-up:
#   open      no keys; wrk -c4 scoring
#   keys      MLWS_KEYS_DIR; wrk -c4 scoring with the primary key
#   refusals  MLWS_KEYS_DIR; wrk -c4 with a wrong key (every answer a 401 that closes the connection)
#   flood     MLWS_KEYS_DIR; wrk -c4 with the primary key while a second wrk -c8 sends wrong keys
# CPU is the scorer process's (user + system, /proc) per answer of the variant's own wrk; for the flood, the
# good callers' requests/s and p99 are compared with `keys` in the same round. Medians of the rounds.
# Needs: mvn -B verify (scorer.jar), wrk, python3, curl.
source "$(dirname "$0")/../local-cluster/lib/strict.sh"
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
OUT=${OUT:-bench/results}
WORK=$(mktemp -d)

source bench/harness.sh

mkdir -p "$WORK/keys"
PRIMARY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
printf '%s' "$PRIMARY" > "$WORK/keys/primary"
python3 -c 'import secrets; print(secrets.token_urlsafe(32), end="")' > "$WORK/keys/secondary"
WRONG="Bearer $(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"

# wrk's summary -> "REQUESTS RPS P99_MS NON2XX"
summary() {
  python3 -c '
import re, sys
text = sys.stdin.read()
requests = re.search(r"(\d+) requests in", text).group(1)
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(requests, rps, round(p99, 2), non2xx.group(1) if non2xx else 0)'
}

# run VARIANT -> "VARIANT CPU_US RPS P99_MS NON2XX FLOOD_RPS"
run() {
  local variant=$1 port keys=()
  port=$(free_port)
  [ "$variant" = open ] || keys=(MLWS_KEYS_DIR="$WORK/keys")
  env MLWS_MODEL_URI="$MODEL" MLWS_PORT="$port" MLWS_PROBE_PORT="$(free_port)" "${keys[@]}" \
    java -Xmx256m -jar "$JAR" > "$WORK/scorer-$variant.log" 2>&1 &
  local scorer=$!; PIDS+=("$scorer")
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
    sleep 0.5
  done
  local auth=(-H "Authorization: Bearer $PRIMARY")
  case $variant in
    open) auth=() ;;
    refusals) auth=(-H "Authorization: $WRONG") ;;
  esac
  wrk -t1 -c4 -d5s -s bench/wrk/score.lua "${auth[@]}" "http://127.0.0.1:$port" > /dev/null
  local flood=""
  if [ "$variant" = flood ]; then
    wrk -t1 -c8 -d"$((DURATION + 2))s" -s bench/wrk/score.lua -H "Authorization: $WRONG" \
      "http://127.0.0.1:$port" > "$WORK/flood.txt" &
    flood=$!; PIDS+=("$flood")
    sleep 1
  fi
  local before result ticks
  before=$(awk '{print $14 + $15}' "/proc/$scorer/stat")
  result=$(wrk -t1 -c4 -d"${DURATION}s" --latency -s bench/wrk/score.lua "${auth[@]}" "http://127.0.0.1:$port" | summary)
  ticks=$(( $(awk '{print $14 + $15}' "/proc/$scorer/stat") - before ))
  local flood_rps=-
  if [ -n "$flood" ]; then
    wait "$flood" || true
    flood_rps=$(summary < "$WORK/flood.txt" | cut -d' ' -f2)
  fi
  read -r requests rps p99 non2xx <<< "$result"
  echo "$variant $(python3 -c "print(round($ticks * 1e6 / $(getconf CLK_TCK) / $requests, 1))") $rps $p99 $non2xx $flood_rps"
  kill "$scorer"; wait "$scorer" 2> /dev/null || true
}

VARIANTS=(open keys refusals flood)
for _ in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do run "$variant"; done
done > "$WORK/runs.txt"

mkdir -p "$OUT"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores; iris, telemetry off, wrk -c4 (flood: plus wrk -c8 with a wrong key), ${DURATION} s per run, median of $ROUNDS interleaved rounds."
  echo
  echo "| variant | scorer CPU µs per answer of its wrk | requests/s | p99 ms | non-2xx | wrong-key requests/s beside it | each round's CPU |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  python3 - "$WORK/runs.txt" "${VARIANTS[@]}" <<'PY'
import statistics, sys
runs = [line.split() for line in open(sys.argv[1]) if line.strip()]
labels = {"open": "no keys (auth.mode None)", "keys": "keys, every call with the primary key",
          "refusals": "keys, every call with a wrong key (401)",
          "flood": "keys, good calls while a flood of wrong keys runs beside them"}
for variant in sys.argv[2:]:
    rows = [r for r in runs if r[0] == variant]
    med = lambda i: statistics.median(float(r[i]) for r in rows)
    flood = f"{med(5):.0f}" if rows[0][5] != "-" else ""
    non2xx = sum(int(r[4]) for r in rows)
    print(f"| {labels[variant]} | {med(1):.1f} | {med(2):.0f} | {med(3):.2f} | {non2xx} | {flood} | {', '.join(r[1] for r in rows)} |")
keys_rps = statistics.median(float(r[2]) for r in runs if r[0] == "keys")
flood_rps = statistics.median(float(r[2]) for r in runs if r[0] == "flood")
print()
print(f"Good calls under the flood: {flood_rps / keys_rps:.2f} of their requests/s without it (same rounds).")
PY
} | tee "$OUT/key-check-cost.md"
