#!/usr/bin/env python3
"""Counts a capture dump's envelopes by type, and the model_data_collection traces with the 8
dimensions as flat custom dimensions and in the operation of a request: one line for a report."""
import json
import sys

DIMENSIONS = ["Container Id", "Request Id", "Client Request Id", "Workspace Name", "Service Name", "Models", "Input", "Prediction"]
envelopes = []
for line in open(sys.argv[1]):
    try:
        envelopes.append(json.loads(line))
    except ValueError:
        pass  # a line cut when the dump was emptied between runs
requests = [e for e in envelopes if e["data"]["baseType"] == "RequestData"]
traces = [e for e in envelopes if e["data"]["baseType"] == "MessageData" and e["data"]["baseData"].get("message") == "model_data_collection"]
operations = {e["tags"].get("ai.operation.id") for e in requests}
flat = [t for t in traces if all(d in t["data"]["baseData"].get("properties", {}) for d in DIMENSIONS)]
linked = [t for t in traces if t["tags"].get("ai.operation.id") in operations]
names = sorted({e["data"]["baseData"].get("name") for e in requests})
print(f"{len(requests)} RequestData {names}, {len(traces)} model_data_collection ({len(flat)} with the 8 dimensions flat, {len(linked)} in a request's operation)")
