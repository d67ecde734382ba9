#!/usr/bin/env python3
"""What arrived at a capture endpoint, for reports: request items, model_data_collection traces,
how many carry the 8 Azure ML dimensions as flat custom dimensions and how many sit in the operation
of a request. Used by run_peers.py, and on its own on a capture dump (one envelope a line):

    python3 bench/peers/count_envelopes.py envelopes.jsonl
"""
import json
import sys

DIMENSIONS = [
    "Container Id", "Request Id", "Client Request Id", "Workspace Name",
    "Service Name", "Models", "Input", "Prediction",
]


def read(path):
    envelopes = []
    for line in open(path):
        try:
            envelopes.append(json.loads(line))
        except ValueError:
            pass  # blank, or a line cut when the dump was emptied between runs
    return envelopes


def summarize(envelopes, request_path=None):
    requests = [e for e in envelopes if e.get("data", {}).get("baseType") == "RequestData"
                and (request_path is None or request_path in (e["data"]["baseData"].get("url")
                                                             or e["data"]["baseData"].get("name", "")))]
    traces = [e for e in envelopes if e.get("data", {}).get("baseType") == "MessageData"
              and e["data"]["baseData"].get("message") == "model_data_collection"]
    operations = {e.get("tags", {}).get("ai.operation.id") for e in requests}
    outcomes = {}
    for e in requests:
        key = f'{e["data"]["baseData"].get("responseCode")}/{str(e["data"]["baseData"].get("success")).lower()}'
        outcomes[key] = outcomes.get(key, 0) + 1
    return {
        "requests": len(requests),
        "names": sorted({e["data"]["baseData"].get("name") for e in requests}),
        "collections": len(traces),
        "flat": sum(1 for t in traces if all(d in (t["data"]["baseData"].get("properties") or {}) for d in DIMENSIONS)),
        "linked": sum(1 for t in traces if t.get("tags", {}).get("ai.operation.id") in operations),
        "outcomes": outcomes,
        "dimension_keys": sorted((traces[0]["data"]["baseData"].get("properties") or {}).keys())[:12] if traces else [],
    }


if __name__ == "__main__":
    s = summarize(read(sys.argv[1]))
    print(f"{s['requests']} RequestData {s['names']}, {s['collections']} model_data_collection "
          f"({s['flat']} with the 8 dimensions flat, {s['linked']} in a request's operation)")
