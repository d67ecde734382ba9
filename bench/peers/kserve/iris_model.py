"""The iris model in KServe's Python model server: a kserve.Model whose predict() takes the V2
inference request and runs onnxruntime, started with KServe's own argument parser. The session is
opened in each worker process (an onnxruntime session cannot be sent to another process)."""
import argparse
import os
import uuid

import numpy as np
import onnxruntime as ort
from kserve import InferOutput, InferRequest, InferResponse, Model, ModelServer, model_server


class IrisModel(Model):
    def __init__(self, name, path):
        super().__init__(name)
        self.path = path
        self.session = None
        self.labels = None

    def load(self):
        self.session = ort.InferenceSession(self.path, providers=["CPUExecutionProvider"])
        self.labels = self.session.get_modelmeta().custom_metadata_map["labels"].split(",")
        self.ready = True
        return self.ready

    def __getstate__(self):
        state = dict(self.__dict__)
        state["session"] = None
        return state

    def predict(self, payload: InferRequest, headers=None, response_headers=None):
        if self.session is None:
            self.load()
        rows = payload.inputs[0].as_numpy().astype(np.float32).reshape(-1, 4)
        (scores,) = self.session.run(None, {"input": rows})
        label_output = InferOutput(name="label", shape=[len(rows)], datatype="BYTES")
        label_output.set_data_from_numpy(
            np.asarray([self.labels[int(i)] for i in scores.argmax(axis=1)], dtype=object), binary_data=False)
        score_output = InferOutput(name="output", shape=list(scores.shape), datatype="FP32")
        score_output.set_data_from_numpy(scores, binary_data=False)
        return InferResponse(
            model_name=self.name, infer_outputs=[label_output, score_output], response_id=payload.id or str(uuid.uuid4()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(parents=[model_server.parser])
    args, _ = parser.parse_known_args()
    model = IrisModel("iris", os.environ["IRIS_MODEL"])
    model.load()
    ModelServer().start([model])
