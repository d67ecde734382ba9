#!/usr/bin/env bash
# The scorer in its pod, as the operator makes it (default resources: 1Gi limit, the heap sized from it), serving a
# model of about 100 MB with the Application Insights agent and data collection on, under load through its ClusterIP
# for DURATION seconds (120): whether the pod is OOMKilled or restarts, its RSS over time, and the JVM's flags.
# Prints a Markdown table (results/scorer-memory.md). Starts the local cluster and takes it down at the end.
#   bench/scorer-memory.sh            (after mvn -B verify, or mvn -B -DskipTests package)
# With "saturate": the iris model in a pod limited to 200m CPU under far more load than it can serve
# (CONNECTIONS 64): the probes, on their own port and threads, keep the pod from being restarted, and the excess
# gets fast 503s (results/scorer-saturation.md).
#   bench/scorer-memory.sh saturate
# With "footprint": the iris model in two pods with the default resources, telemetry off and on: the CPU the JVM
# spends from start to ready, the RSS idle, the millicores while warming up at 20 requests/s for a minute (what an HPA
# sees of a new pod), then RSS and CPU per request after 30 s at 4 connections (results/scorer-footprint.md).
#   bench/scorer-memory.sh footprint
source "$(dirname "$0")/../local-cluster/lib/strict.sh"
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
MODE=${1:-memory}
DURATION=${DURATION:-120}
if [ "$MODE" = saturate ]; then CONNECTIONS=${CONNECTIONS:-64}; else CONNECTIONS=${CONNECTIONS:-4}; fi
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; fi
  local-cluster/cluster down > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# A model of about 100 MB: X [N, 4] -> 5000 -> 5000 -> 3 (softmax), random weights with a fixed seed; never in git.
if [ "$MODE" = memory ]; then
scorer-image/test-models/make-models.sh --big "$work/big.onnx"
size=$(stat -c %s "$work/big.onnx")
sha=$(sha256sum "$work/big.onnx" | cut -c1-64)
fi

local-cluster/cluster down > /dev/null 2>&1 || true
KUBECONFIG=$(local-cluster/cluster up | tail -1)
PATH="$(local-cluster/cluster bin):$PATH"
export KUBECONFIG PATH
local-cluster/cluster images > /dev/null
kubectl apply --server-side -k deploy/local > /dev/null
kubectl -n mlws-system rollout status deployment/mlws-operator --timeout=5m > /dev/null

# The capture server stands in for Application Insights; the model is served from the same bridge address, as storage
# would serve it.
connection_string=$(local-cluster/cluster capture)
bridge_ip=$(sed -E 's#.*IngestionEndpoint=https?://([^:/;]+).*#\1#' <<< "$connection_string")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind "$bridge_ip" --directory "$work" > "$work/http.log" 2>&1 &
server_pid=$!

kubectl create secret generic appinsights --from-literal=connection-string="$connection_string" > /dev/null
kubectl label secret appinsights mlws.io/connection-string=true > /dev/null

# The scorer JVM of a pod: found by the pod name in its environment (the node runs here).
scorer_pid() { for p in $(pgrep -f /opt/mlws/scorer.jar); do
  if tr '\0' '\n' < "/proc/$p/environ" | grep -qx "MLWS_POD_NAME=$1"; then echo "$p"; fi; done | head -1; }
rss_of() { echo $(( $(awk '/^VmRSS/ {print $2}' "/proc/$1/status") / 1024 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

if [ "$MODE" = footprint ]; then
  for svc in fp-off fp-on; do
    on=$([ "$svc" = fp-on ] && echo true || echo false)
    kubectl apply -f - > /dev/null << YAML
apiVersion: mlws.io/v1alpha1
kind: MLWebService
metadata: {name: $svc}
spec:
  model: {uri: "file:///opt/mlws/models/iris.onnx"}
  replicas: 1
  appInsights: {enabled: $on, connectionStringSecretRef: {name: appinsights}}
  dataCollection: {enabled: $on}
YAML
  done
  kubectl wait --for=condition=Ready mlws/fp-off mlws/fp-on --timeout=10m > /dev/null
  hz=$(getconf CLK_TCK)
  { cat bench/wrk/score.lua; echo 'function delay() return 50 end'; } > "$work/paced.lua"
  echo "| telemetry | CPU s start to ready | RSS MiB idle | millicores idle (probes only) | warm-up at 20 requests/s: millicores in each 10 s | RSS MiB after 30 s at -c4 | requests/s | CPU µs per request | threads |"
  echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
  for svc in fp-off fp-on; do
    pod=$(kubectl get pods -l app.kubernetes.io/instance=$svc -o jsonpath='{.items[0].metadata.name}')
    pid=$(scorer_pid "$pod")
    ip=$(kubectl get service $svc -o jsonpath='{.spec.clusterIP}')
    start_cpu=$(awk -v t="$(cpu_ticks "$pid")" -v hz="$hz" 'BEGIN {printf "%.1f", t / hz}')
    idle=$(rss_of "$pid")
    c0=$(cpu_ticks "$pid"); sleep 20; c1=$(cpu_ticks "$pid")
    idle_cpu=$(( (c1 - c0) * 1000 / hz / 20 ))
    wrk -t1 -c1 -d60s -s "$work/paced.lua" "http://$ip" > /dev/null &
    paced=$!
    warm=()
    for _ in 1 2 3 4 5 6; do
      c0=$(cpu_ticks "$pid"); sleep 10; c1=$(cpu_ticks "$pid")
      warm+=("$(( (c1 - c0) * 1000 / hz / 10 ))")
    done
    wait "$paced"
    c0=$(cpu_ticks "$pid")
    wrk -t1 -c4 -d30s -s bench/wrk/score.lua "http://$ip" > "$work/wrk.txt"
    c1=$(cpu_ticks "$pid")
    requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    rate=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$work/wrk.txt")
    per_request=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.0f", c / hz * 1e6 / n}')
    echo "| $([ "$svc" = fp-on ] && echo "on (agent, data collection)" || echo off) | $start_cpu | $idle | $idle_cpu |" \
      "$(IFS=' '; echo "${warm[*]}") | $(rss_of "$pid") | $rate | $per_request | $(find "/proc/$pid/task" -mindepth 1 -maxdepth 1 | wc -l) |"
  done
  echo
  echo "JVM: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
  echo "environment: $(tr '\0' '\n' < "/proc/$pid/environ" | grep -E '^(JDK_JAVA_OPTIONS|JAVA_TOOL_OPTIONS|MALLOC_ARENA_MAX)=' | tr '\n' ' ')"
  echo "resources: $(kubectl get pod "$pod" -o jsonpath='{.spec.containers[0].resources}')"
  exit 0
fi
if [ "$MODE" = saturate ]; then
  model='{uri: "file:///opt/mlws/models/iris.onnx"}'
  resources='resources: {limits: {cpu: 200m, memory: 1Gi}}'
else
  model="{uri: \"http://$bridge_ip:$port/big.onnx\", sha256: \"$sha\"}"
  resources=''
fi
kubectl apply -f - > /dev/null << YAML
apiVersion: mlws.io/v1alpha1
kind: MLWebService
metadata: {name: big}
spec:
  model: $model
  replicas: 1
  appInsights: {enabled: true, connectionStringSecretRef: {name: appinsights}}
  dataCollection: {enabled: true}
  $resources
YAML
kubectl wait --for=condition=Ready mlws/big --timeout=10m > /dev/null
pod=$(kubectl get pods -l app.kubernetes.io/instance=big -o jsonpath='{.items[0].metadata.name}')
pid=$(scorer_pid "$pod")
rss() { rss_of "$pid"; }
ip=$(kubectl get service big -o jsonpath='{.spec.clusterIP}')

echo "| seconds under load | RSS MiB |"
echo "| ---: | ---: |"
echo "| 0 | $(rss) |"
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/wrk/score.lua "http://$ip" > "$work/wrk.txt" &
wrk_pid=$!
for ((s = 10; s <= DURATION; s += 10)); do
  sleep 10
  echo "| $s | $(rss) |"
done
wait "$wrk_pid"
echo
restarts=$(kubectl get pod "$pod" -o jsonpath='{.status.containerStatuses[0].restartCount}')
last=$(kubectl get pod "$pod" -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}')
echo "model: $([ "$MODE" = saturate ] && echo iris || echo "$size bytes"); pod $pod: restarts $restarts${last:+, last terminated: $last}"
echo "JVM: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
echo "environment: $(tr '\0' '\n' < "/proc/$pid/environ" | grep -E '^(JDK_JAVA_OPTIONS|JAVA_TOOL_OPTIONS)=' | tr '\n' ' ')"
echo "limits: $(kubectl get pod "$pod" -o jsonpath='{.spec.containers[0].resources}')"
grep -E 'requests in|Requests/sec|Non-2xx|Socket errors|Latency' "$work/wrk.txt" || true
[ "$restarts" = 0 ]
