"""KServe's Python client (InferenceRESTClient, Open Inference Protocol V2) as its users call it, against a scorer:
server and model readiness, then `infer` with inputs as JSON and in the binary tensor data extension. Prints
what it read as one JSON object.
  python kserve_infer.py http://HOST:PORT MODEL KEY ROWS_JSON
"""
import asyncio
import json
import sys

import numpy as np
from kserve import InferenceRESTClient, InferInput, InferRequest, RESTConfig

base_url, model, key, rows = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
headers = {"Authorization": f"Bearer {key}"}


def request(binary):
    data = np.array(rows, dtype=np.float32)
    tensor = InferInput(name="input", shape=list(data.shape), datatype="FP32")
    tensor.set_data_from_numpy(data, binary_data=binary)
    return InferRequest(model_name=model, infer_inputs=[tensor], request_id=f"kserve-client-{binary}")


def read(response):
    answer = {}
    for output in response.outputs:
        values = output.as_numpy().tolist()
        answer[output.name] = [v.decode() if isinstance(v, bytes) else v for v in values]
    return answer


async def main():
    client = InferenceRESTClient(RESTConfig(protocol="v2", retries=0, timeout=30))
    try:
        printed = {
            "server_ready": await client.is_server_ready(base_url, headers=headers),
            "model_ready": await client.is_model_ready(base_url, model, headers=headers),
            "answers": {
                "json_inputs": read(await client.infer(base_url, request(False), model, headers=dict(headers))),
                "binary_inputs": read(await client.infer(base_url, request(True), model, headers=dict(headers))),
            },
        }
    finally:
        await client.close()
    print(json.dumps(printed))


asyncio.run(main())
