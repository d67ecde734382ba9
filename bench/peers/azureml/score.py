"""The iris model behind azureml-inference-server-http, as an Azure ML user writes score.py:
init() loads the ONNX model with onnxruntime, run() answers {"data": [[...]]} with predictions and
per-class probabilities (class names from the model's "labels" metadata), as the mlws scorer does."""
import json
import os

import numpy as np
import onnxruntime as ort

session = None
labels = None


def init():
    global session, labels
    model = os.path.join(os.environ["AZUREML_MODEL_DIR"], "iris", "1", "iris.onnx")
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    labels = session.get_modelmeta().custom_metadata_map["labels"].split(",")


def run(raw_data):
    rows = np.asarray(json.loads(raw_data)["data"], dtype=np.float32)
    (scores,) = session.run(None, {"input": rows})
    return {
        "predictions": [labels[int(i)] for i in scores.argmax(axis=1)],
        "probabilities": [dict(zip(labels, map(float, row))) for row in scores],
    }
