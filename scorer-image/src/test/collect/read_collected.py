"""Reads collected data the way a data scientist would: each hour's file of a pod with one
pandas.read_json(path, lines=True), then the hours and pods together; then the table the records'
data rows make (one row per scored row, pandas.json_normalize), as Azure ML's model monitoring reads
a data collector's folder. Prints what it read as JSON.

    python read_collected.py DIR    (DIR holds the container's blobs at their paths:
                                     NAMESPACE/SERVICE/model_inputs|model_outputs/yyyy/MM/dd/HH/POD.jsonl)
"""
import json
import pathlib
import sys

import pandas as pd


def main(root):
    summary = {}
    for kind in ("inputs", "outputs"):
        files = sorted(pathlib.Path(root).glob(f"*/*/model_{kind}/*/*/*/*/*.jsonl"))
        frames = [pd.read_json(f, lines=True, dtype=False) for f in files]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        summary[kind] = {
            "files": [str(f.relative_to(root)) for f in files],
            "rows": len(frame),
            "columns": list(frame.columns),
            "xrequestids": frame["xrequestid"].tolist() if len(frame) else [],
            "correlationids": frame["correlationid"].tolist() if len(frame) else [],
            "models": sorted({f"{n}:{v}" for n, v in zip(frame["modelname"], frame["modelversion"])})
            if len(frame) else [],
            "data": [json.dumps(d, separators=(",", ":")) for d in frame["data"]] if len(frame) else [],
            "times_parse": bool(len(frame) == 0 or pd.to_datetime(frame["time"], utc=True).notna().all()),
        }
        table = pd.json_normalize([row for rows in frame["data"] for row in rows]) if len(frame) else pd.DataFrame()
        summary[kind]["table_rows"] = len(table)
        summary[kind]["table_columns"] = [str(c) for c in table.columns]
    json.dump(summary, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
