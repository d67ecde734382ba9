-- POST /v2/models/iris/infer with one iris row, as a KServe or Triton client sends it.
wrk.method = "POST"
wrk.path = "/v2/models/iris/infer"
wrk.body = '{"inputs": [{"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}'
wrk.headers["Content-Type"] = "application/json"
