"""tritonclient's HTTP client as its users call it, against a scorer: the model's metadata, then `infer` with the
client's defaults (no Content-Type, inputs in the binary tensor data extension), outputs asked for in binary and
in JSON, and no outputs named. Prints what it read as one JSON object.
  python tritonclient_infer.py HOST:PORT MODEL KEY ROWS_JSON
"""
import json
import sys

import numpy as np
import tritonclient.http as httpclient

url, model, key, rows = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
headers = {"Authorization": f"Bearer {key}"}
client = httpclient.InferenceServerClient(url=url)

metadata = client.get_model_metadata(model, headers=headers)
first = metadata["inputs"][0]
data = np.array(rows, dtype=np.float32)
tensor = httpclient.InferInput(first["name"], list(data.shape), first["datatype"])
tensor.set_data_from_numpy(data)  # binary_data=True: the client's default

outputs = [o["name"] for o in metadata["outputs"]]
asked_binary = [httpclient.InferRequestedOutput(name, binary_data=True) for name in outputs]
asked_json = [httpclient.InferRequestedOutput(name, binary_data=False) for name in outputs]


def read(result):
    return {name: result.as_numpy(name).tolist() for name in outputs if result.as_numpy(name) is not None}


def text(values):
    return [v.decode() if isinstance(v, bytes) else v for v in values]


answers = {
    "default": read(client.infer(model, [tensor], headers=headers)),
    "binary_outputs": read(client.infer(model, [tensor], outputs=asked_binary, headers=headers)),
    "json_outputs": read(client.infer(model, [tensor], outputs=asked_json, headers=headers)),
}
for answer in answers.values():
    for name, values in answer.items():
        answer[name] = text(values)
print(json.dumps({"server": client.get_server_metadata(headers=headers), "answers": answers}))
