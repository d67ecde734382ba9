# shellcheck shell=bash disable=SC2154 # state, repo, bridge, ...: set by lib/settings.sh and the script that sources this
# Sourced by cluster: a stand-in for Application Insights' ingestion endpoint, on the node's bridge so that pods
# reach it. It is the capture server of dev-tools (dev-tools/target/dev-tools.jar), run as the cluster's component
# "capture": stopped by `cluster down` like the rest, every envelope it receives printed to its log.
capture_log() { echo "$state/logs/capture.log"; }

# Prints the connection string that sends a pod's telemetry here, starting the server when it is not running.
capture_up() {
  local jar="$repo/dev-tools/target/dev-tools.jar" log; log=$(capture_log)
  running || { say "the cluster is not up: run local-cluster/cluster up first"; exit 1; }
  if ! alive capture; then
    [ -f "$jar" ] || { say "$jar is missing: run mvn -B -DskipTests package first"; exit 1; }
    start capture java -cp "$jar" io.mlws.devtools.capture.CaptureServer 0 --bind "$bridge_ip"
  fi
  local deadline=$((SECONDS + 30)) why=""
  until grep -q '^connection string: ' "$log" 2>/dev/null; do
    alive capture || why="the process exited"
    [ "$SECONDS" -lt "$deadline" ] || why="no connection string after 30s"
    if [ -n "$why" ]; then # the cluster stays up; only the capture server goes
      say "capture failed: $why; last lines of $log:"
      tail -n 25 "$log" >&2
      stop_component capture
      exit 1
    fi
    sleep 0.2
  done
  grep -m1 '^connection string: ' "$log" | sed 's/^connection string: //'
}

# Prints every envelope received so far, one line each (type, name, result, dimensions, operation id).
capture_envelopes() {
  local log; log=$(capture_log)
  [ -f "$log" ] || { say "no capture server has run: local-cluster/cluster capture starts one"; exit 1; }
  grep -v -e '^capturing Application Insights telemetry on ' -e '^connection string: ' "$log" || true
}
