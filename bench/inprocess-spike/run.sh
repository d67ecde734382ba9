#!/usr/bin/env bash
# The in-process exporter against the agent, on the same synthetic requests (one SERVER span and
# one model_data_collection record each), paced at RATE per second for SECONDS, exported to a
# capture server on 127.0.0.1; prints process CPU µs per request for each and what arrived.
#   mvn -B verify && bench/inprocess-spike/run.sh
source "$(dirname "$0")/../../local-cluster/lib/strict.sh"
cd "$(dirname "$0")"
RATE=${RATE:-5000}; SECONDS_=${SECONDS_:-15}
DEV_TOOLS=../../dev-tools/target/dev-tools.jar; AGENT=../../scorer-image/target/agent/applicationinsights-agent.jar
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt > /dev/null
mvn -B -q compile > /dev/null
CP="target/classes:$(cat target/classpath.txt)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dump=$(mktemp)
java -cp "$DEV_TOOLS" io.mlws.devtools.capture.CaptureServer "$port" --quiet --dump "$dump" > /dev/null 2>&1 &
capture=$!; trap 'kill $capture 2> /dev/null || true' EXIT
sleep 2
cs="InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:$port/;LiveEndpoint=http://127.0.0.1:$port/"
java -Xmx256m -cp "$CP" io.mlws.spike.InProcessExportCost none "$RATE" "$SECONDS_"
java -Xmx256m -cp "$CP" io.mlws.spike.InProcessExportCost "$cs" "$RATE" "$SECONDS_"
sleep 6; echo "arrived (in-process): $(python3 ../peers/count_envelopes.py "$dump")"; : > "$dump"
APPLICATIONINSIGHTS_CONNECTION_STRING="$cs" APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE=100 \
  java -Xmx256m -javaagent:"$AGENT" -cp "$CP" io.mlws.spike.InProcessExportCost agent "$RATE" "$SECONDS_"
sleep 6; echo "arrived (agent): $(python3 ../peers/count_envelopes.py "$dump")"
