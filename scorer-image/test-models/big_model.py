"""A model of about 100 MB for memory tests (issue 16): X [N, 4] -> 5000 -> 5000 -> 3 (softmax), float weights
from a fixed seed. Never in git: the e2e and bench/scorer-memory.sh write it where they need it.

    python big_model.py OUT.onnx
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main(out):
    rng = np.random.default_rng(0)
    h = 5000
    weights = {
        "w1": (rng.standard_normal((4, h)) * 0.1).astype(np.float32),
        "w2": (rng.standard_normal((h, h)) * 0.01).astype(np.float32),
        "w3": (rng.standard_normal((h, 3)) * 0.01).astype(np.float32),
    }
    nodes = [
        helper.make_node("MatMul", ["X", "w1"], ["a"]), helper.make_node("Relu", ["a"], ["b"]),
        helper.make_node("MatMul", ["b", "w2"], ["c"]), helper.make_node("Relu", ["c"], ["d"]),
        helper.make_node("MatMul", ["d", "w3"], ["e"]), helper.make_node("Softmax", ["e"], ["probabilities"], axis=1),
    ]
    graph = helper.make_graph(
        nodes, "big", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 4])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3])],
        [numpy_helper.from_array(w, name) for name, w in weights.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, out + ".partial")
    os.replace(out + ".partial", out)


if __name__ == "__main__":
    main(sys.argv[1])
