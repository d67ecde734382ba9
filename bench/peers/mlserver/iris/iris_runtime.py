"""The iris model as an MLServer custom runtime: load() opens the ONNX model with onnxruntime,
predict() decodes the V2 request with MLServer's NumpyCodec and encodes the label and the scores."""
import os

import numpy as np
import onnxruntime as ort
from mlserver import MLModel
from mlserver.codecs import NumpyCodec, StringCodec
from mlserver.types import InferenceRequest, InferenceResponse


class IrisRuntime(MLModel):
    async def load(self) -> bool:
        self.session = ort.InferenceSession(os.environ["IRIS_MODEL"], providers=["CPUExecutionProvider"])
        self.labels = self.session.get_modelmeta().custom_metadata_map["labels"].split(",")
        return True

    async def predict(self, payload: InferenceRequest) -> InferenceResponse:
        rows = NumpyCodec.decode_input(payload.inputs[0]).astype(np.float32).reshape(-1, 4)
        (scores,) = self.session.run(None, {"input": rows})
        return InferenceResponse(
            model_name=self.name,
            outputs=[
                StringCodec.encode_output("label", [self.labels[int(i)] for i in scores.argmax(axis=1)]),
                NumpyCodec.encode_output("output", scores),
            ],
        )
