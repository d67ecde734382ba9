"""Trains small models on data bundled with scikit-learn and converts them with the real converters.

Writes, per model, NAME.onnx and NAME.expected.json (the inputs of a few test rows, keyed by ONNX input name, and
what the original library predicts for them) into the output folder. The scorer's tests serve each model and compare
its answers with these. Run through make-models.sh, which builds the pinned virtual environment.

  python make_models.py OUT_DIR            write the models
  python make_models.py --check OUT_DIR    write into a temporary folder and fail if anything differs from OUT_DIR
"""

import filecmp
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# An opset and IR version that the scorer's ONNX Runtime (Java 1.23) and every recent runtime load.
OPSET = {"": 17, "ai.onnx.ml": 3}
IR_VERSION = 8
# onnxmltools 1.16 converts up to opset 15.
ONNXMLTOOLS_OPSET = 15
TEST_ROWS = [0, 1, 50, 51, 100, 149]


def finish(model, name, out, metadata=None):
    """Makes the file byte-stable (no producer version drift) and records metadata the scorer reads."""
    model.ir_version = IR_VERSION
    model.graph.name = name  # onnxmltools names graphs with a random UUID
    model.producer_name = "mlws test-models"
    model.producer_version = "1"
    del model.metadata_props[:]
    for key, value in sorted((metadata or {}).items()):
        model.metadata_props.append(onnx.StringStringEntryProto(key=key, value=value))
    onnx.checker.check_model(model)
    path = os.path.join(out, name + ".onnx")
    with open(path, "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    return path


def write_expected(out, name, kind, inputs, expected):
    doc = {"model": name + ".onnx", "kind": kind, "inputs": inputs, "expected": expected}
    with open(os.path.join(out, name + ".expected.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")


def runtime_outputs(path, feeds):
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def assert_close(name, got, want):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if not np.allclose(got, want, rtol=1e-5, atol=1e-5):
        raise SystemExit(f"{name}: the converted model disagrees with the library: {got} vs {want}")


def classifier_expected(model, x, classes=None):
    return {
        "predictions": model.predict(x).tolist(),
        "probabilities": model.predict_proba(x).tolist(),
        "classes": [c.item() if hasattr(c, "item") else c for c in (classes if classes is not None else model.classes_)],
    }


def iris():
    data = load_iris()
    return data.data.astype(np.float32), data.target, [str(n) for n in data.target_names]


def sklearn_logistic(out):
    from skl2onnx import to_onnx

    x, y, names = iris()
    test = x[TEST_ROWS]
    model = LogisticRegression(max_iter=500).fit(x, y)
    for name, options in [("sklearn-logreg-zipmap", None), ("sklearn-logreg-nozipmap", {"zipmap": False})]:
        onx = to_onnx(model, x[:1], target_opset=OPSET, options={id(model): options} if options else None)
        path = finish(onx, name, out)
        label = runtime_outputs(path, {"X": test})[0]
        assert_close(name, label, model.predict(test))
        write_expected(out, name, "classifier", {"X": test.tolist()}, classifier_expected(model, test))

    labelled = LogisticRegression(max_iter=500).fit(x, np.array(names)[y])
    onx = to_onnx(labelled, x[:1], target_opset=OPSET)
    path = finish(onx, "sklearn-logreg-strings", out)
    if list(runtime_outputs(path, {"X": test})[0]) != list(labelled.predict(test)):
        raise SystemExit("sklearn-logreg-strings: labels disagree")
    write_expected(out, "sklearn-logreg-strings", "classifier", {"X": test.tolist()}, classifier_expected(labelled, test))


def sklearn_forest(out):
    from skl2onnx import to_onnx

    data = load_breast_cancer()
    x, y = data.data.astype(np.float32), data.target
    test = x[[0, 1, 19, 20, 100, 300]]
    model = RandomForestClassifier(n_estimators=3, max_depth=3, random_state=0, n_jobs=1).fit(x, y)
    onx = to_onnx(model, x[:1], target_opset=OPSET, options={id(model): {"zipmap": False}})
    path = finish(onx, "sklearn-forest-binary", out)
    assert_close("forest", runtime_outputs(path, {"X": test})[1], model.predict_proba(test))
    write_expected(out, "sklearn-forest-binary", "classifier", {"X": test.tolist()}, classifier_expected(model, test))


def sklearn_regressors(out):
    from skl2onnx import to_onnx

    data = load_diabetes()
    test_rows = [0, 1, 2, 3]
    for name, dtype in [("sklearn-linear-regression", np.float32), ("sklearn-linear-regression-float64", np.float64)]:
        x = data.data.astype(dtype)
        model = LinearRegression().fit(x, data.target)
        test = x[test_rows]
        onx = to_onnx(model, x[:1], target_opset=OPSET)
        path = finish(onx, name, out)
        assert_close(name, runtime_outputs(path, {"X": test})[0].ravel(), model.predict(test))
        write_expected(out, name, "regressor", {"X": test.tolist()}, {"predictions": model.predict(test).tolist()})


def sklearn_two_inputs(out):
    """A DataFrame pipeline: skl2onnx gives each column an input of its own, numeric and string, each [N, 1]."""
    import pandas
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    x, y, _ = iris()
    frame = pandas.DataFrame({"petal_length": x[:, 2], "size": np.where(x[:, 3] > 1.0, "large", "small")})
    pipe = Pipeline(
        [
            ("columns", ColumnTransformer([("num", StandardScaler(), ["petal_length"]), ("cat", OneHotEncoder(), ["size"])])),
            ("classifier", LogisticRegression(max_iter=500)),
        ]
    ).fit(frame, y)
    initial = [("petal_length", FloatTensorType([None, 1])), ("size", StringTensorType([None, 1]))]
    onx = to_onnx(pipe, initial_types=initial, target_opset=OPSET)
    path = finish(onx, "sklearn-two-inputs", out)
    test = frame.iloc[TEST_ROWS]
    inputs = {
        "petal_length": test[["petal_length"]].to_numpy(dtype=np.float32),
        "size": test[["size"]].to_numpy(dtype=object),
    }
    assert_close("two-inputs", runtime_outputs(path, inputs)[0], pipe.predict(test))
    expected = classifier_expected(pipe, test)
    write_expected(out, "sklearn-two-inputs", "classifier", {k: v.tolist() for k, v in inputs.items()}, expected)


def onnxmltools_classifier(out, name, model, convert):
    """A gradient-boosting classifier on iris, converted by onnxmltools (label first, then scores)."""
    from onnxmltools.convert.common.data_types import FloatTensorType

    x, y, _ = iris()
    test = x[TEST_ROWS]
    model.fit(x, y)
    onx = convert(model, initial_types=[("input", FloatTensorType([None, 4]))], target_opset=ONNXMLTOOLS_OPSET)
    path = finish(onx, name, out)
    assert_close(name, runtime_outputs(path, {"input": test})[0], model.predict(test))
    write_expected(out, name, "classifier", {"input": test.tolist()}, classifier_expected(model, test))


def lightgbm_classifier(out):
    import lightgbm
    from onnxmltools import convert_lightgbm

    model = lightgbm.LGBMClassifier(
        n_estimators=5, num_leaves=4, min_child_samples=5, n_jobs=1, deterministic=True, verbose=-1
    )
    onnxmltools_classifier(out, "lightgbm-classifier", model, convert_lightgbm)


def xgboost_classifier(out):
    import xgboost
    from onnxmltools import convert_xgboost

    model = xgboost.XGBClassifier(n_estimators=5, max_depth=2, n_jobs=1, random_state=0)
    onnxmltools_classifier(out, "xgboost-classifier", model, convert_xgboost)


def mlp_logits(out):
    """A PyTorch-style MLP (Gemm, Relu, Gemm to logits), its weights trained by scikit-learn, written with onnx.helper."""
    x, y, names = iris()
    test = x[TEST_ROWS]
    mlp = MLPClassifier(hidden_layer_sizes=(8,), max_iter=2000, random_state=0).fit(x, y)
    (w1, w2), (b1, b2) = mlp.coefs_, mlp.intercepts_
    inits = [numpy_helper.from_array(a.astype(np.float32), n) for a, n in [(w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2")]]
    graph = helper.make_graph(
        [
            helper.make_node("Gemm", ["input", "w1", "b1"], ["hidden"]),
            helper.make_node("Relu", ["hidden"], ["activated"]),
            helper.make_node("Gemm", ["activated", "w2", "b2"], ["logits"]),
        ],
        "mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch_size", 4])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", 3])],
        inits,
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = finish(onx, "pytorch-style-mlp-logits", out, {"labels": ",".join(names)})
    hidden = np.maximum(test.astype(np.float64) @ w1 + b1, 0)
    logits = hidden @ w2 + b2
    assert_close("mlp", runtime_outputs(path, {"input": test})[0], logits)
    expected = {"predictions": [names[i] for i in mlp.predict(test)], "probabilities": logits.tolist(), "classes": names}
    write_expected(out, "pytorch-style-mlp-logits", "classifier", {"input": test.tolist()}, expected)


def token_ids(out):
    """A Hugging Face-shaped encoder: int64 input_ids and attention_mask [batch, sequence] to hidden states."""
    rng = np.random.default_rng(7)
    vocab, hidden = 16, 4
    embeddings = rng.normal(size=(vocab, hidden)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["embeddings", "input_ids"], ["token_vectors"]),
            helper.make_node("Cast", ["attention_mask"], ["mask_float"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["mask_float", "last_axis"], ["mask_column"]),
            helper.make_node("Mul", ["token_vectors", "mask_column"], ["last_hidden_state"]),
            helper.make_node("ReduceSum", ["last_hidden_state", "sequence_axis"], ["summed"], keepdims=0),
            helper.make_node("ReduceSum", ["mask_column", "sequence_axis"], ["counts"], keepdims=0),
            helper.make_node("Div", ["summed", "counts"], ["pooler_output"]),
        ],
        "encoder",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
        ],
        [
            helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden]),
            helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch", hidden]),
        ],
        [
            numpy_helper.from_array(embeddings, "embeddings"),
            numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "sequence_axis"),
        ],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = finish(onx, "token-ids-encoder", out)
    ids = np.array([[1, 5, 9, 0], [3, 3, 2, 15]], dtype=np.int64)
    mask = np.array([[1, 1, 1, 0], [1, 1, 1, 1]], dtype=np.int64)
    states = embeddings[ids] * mask[:, :, None]
    pooled = states.sum(axis=1) / mask.sum(axis=1, keepdims=True)
    got = runtime_outputs(path, {"input_ids": ids, "attention_mask": mask})
    assert_close("token-ids", got[0], states)
    assert_close("token-ids", got[1], pooled)
    expected = {"outputs": {"last_hidden_state": states.tolist(), "pooler_output": pooled.tolist()}}
    write_expected(out, "token-ids-encoder", "generic", {"input_ids": ids.tolist(), "attention_mask": mask.tolist()}, expected)


def typed_inputs(out):
    """int32 and bool inputs: counts where the flag is set, and their row totals."""
    graph = helper.make_graph(
        [
            helper.make_node("Cast", ["flags"], ["flags_int"], to=TensorProto.INT32),
            helper.make_node("Mul", ["counts", "flags_int"], ["masked"]),
            helper.make_node("Cast", ["masked"], ["masked_float"], to=TensorProto.DOUBLE),
            helper.make_node("ReduceSum", ["masked_float", "row_axis"], ["total"], keepdims=0),
        ],
        "typed",
        [
            helper.make_tensor_value_info("counts", TensorProto.INT32, [None, 3]),
            helper.make_tensor_value_info("flags", TensorProto.BOOL, [None, 3]),
        ],
        [
            helper.make_tensor_value_info("masked", TensorProto.INT32, [None, 3]),
            helper.make_tensor_value_info("total", TensorProto.DOUBLE, [None]),
        ],
        [numpy_helper.from_array(np.array([1], dtype=np.int64), "row_axis")],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = finish(onx, "int32-bool-inputs", out)
    counts = np.array([[1, 2, 3], [40, 50, 60]], dtype=np.int32)
    flags = np.array([[True, False, True], [False, True, True]])
    masked = counts * flags
    got = runtime_outputs(path, {"counts": counts, "flags": flags})
    assert_close("typed", got[0], masked)
    expected = {"outputs": {"masked": masked.tolist(), "total": masked.sum(axis=1).astype(float).tolist()}}
    write_expected(out, "int32-bool-inputs", "generic", {"counts": counts.tolist(), "flags": flags.tolist()}, expected)


def fails_on_odd_batch(out):
    """Reshapes [batch, 2] to [-1, 4]: ONNX Runtime fails at run time when the batch is odd (the scorer's 500 path)."""
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "pairs"], ["paired"])],
        "fails",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2])],
        [helper.make_tensor_value_info("paired", TensorProto.FLOAT, [None, 4])],
        [numpy_helper.from_array(np.array([-1, 4], dtype=np.int64), "pairs")],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = finish(onx, "fails-on-odd-batch", out, {"mlws.kind": "generic"})
    x = np.array([[1, 2], [3, 4]], dtype=np.float32)
    expected = {"outputs": {"paired": runtime_outputs(path, {"x": x})[0].tolist()}}
    write_expected(out, "fails-on-odd-batch", "generic", {"x": x.tolist()}, expected)


def loops_until_cancelled(out):
    """A Loop of 2^62 steps adding one: a model that runs until ONNX Runtime is told to stop (the scoring timeout)."""
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Add", ["state_in", "one"], ["state_out"])],
        "step",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("state_in", TensorProto.FLOAT, None)],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("state_out", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one")],
    )
    graph = helper.make_graph(
        [helper.make_node("Loop", ["steps", "always", "x"], ["y"], body=body)],
        "loops",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])],
        [numpy_helper.from_array(np.array(1 << 62, dtype=np.int64), "steps"),
         numpy_helper.from_array(np.array(True), "always")],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    finish(onx, "loops-until-cancelled", out, {"mlws.kind": "generic"})


def unservable_uint8_input(out):
    """An image-style uint8 input the scorer does not take: start-up must refuse it, naming the input."""
    graph = helper.make_graph(
        [helper.make_node("Cast", ["pixels"], ["scaled"], to=TensorProto.FLOAT)],
        "unservable",
        [helper.make_tensor_value_info("pixels", TensorProto.UINT8, [None, 4])],
        [helper.make_tensor_value_info("scaled", TensorProto.FLOAT, [None, 4])],
    )
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    finish(onx, "unservable-uint8-input", out)


def sklearn_threshold_classifier(out):
    """A binary classifier with a custom decision threshold (scikit-learn's FixedThresholdClassifier at 0.2):
    its label output disagrees with the highest probability on purpose, so the scorer must answer the label."""
    from sklearn.model_selection import FixedThresholdClassifier
    from skl2onnx import to_onnx

    data = load_breast_cancer()
    x, y = data.data[:, :4].astype(np.float32), data.target
    pipe = Pipeline([("scale", StandardScaler()), ("classifier", LogisticRegression(max_iter=1000))])
    threshold = 0.2
    model = FixedThresholdClassifier(pipe, threshold=threshold, response_method="predict_proba").fit(x, y)
    fitted = model.estimator_
    onx = to_onnx(fitted, x[:1], target_opset=OPSET, options={id(fitted.steps[-1][1]): {"zipmap": False}})
    # skl2onnx writes argmax labels; the threshold rule replaces them: label = int64(p[:, 1] >= threshold).
    label, scores = onx.graph.output[0].name, onx.graph.output[1].name
    for node in onx.graph.node:
        node.output[:] = [o + "_argmax" if o == label else o for o in node.output]
    onx.graph.initializer.extend(
        [
            numpy_helper.from_array(np.array([1], dtype=np.int64), "positive_column"),
            numpy_helper.from_array(np.array(threshold, dtype=np.float32), "threshold"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "column_axis"),
        ]
    )
    onx.graph.node.extend(
        [
            helper.make_node("Gather", [scores, "positive_column"], ["positive"], axis=1),
            helper.make_node("GreaterOrEqual", ["positive", "threshold"], ["over"]),
            helper.make_node("Cast", ["over"], ["over_int"], to=TensorProto.INT64),
            helper.make_node("Squeeze", ["over_int", "column_axis"], [label]),
        ]
    )
    path = finish(onx, "sklearn-threshold-classifier", out)
    proba = model.predict_proba(x)[:, 1]
    disagreeing = [int(i) for i in np.flatnonzero((proba >= threshold) & (proba < 0.5))[:3]]
    rows = [0, 1, 19] + disagreeing
    if len(disagreeing) < 2:
        raise SystemExit("threshold classifier: too few rows where the threshold and argmax disagree")
    test = x[rows]
    got = runtime_outputs(path, {"X": test})
    if list(got[0]) != list(model.predict(test)) or list(got[0]) == list(np.argmax(got[1], axis=1)):
        raise SystemExit(f"threshold classifier: labels {list(got[0])} vs {list(model.predict(test))}")
    write_expected(out, "sklearn-threshold-classifier", "classifier", {"X": test.tolist()}, classifier_expected(model, test))


def make_all(out):
    os.makedirs(out, exist_ok=True)
    sklearn_logistic(out)
    sklearn_forest(out)
    sklearn_threshold_classifier(out)
    sklearn_regressors(out)
    sklearn_two_inputs(out)
    lightgbm_classifier(out)
    xgboost_classifier(out)
    mlp_logits(out)
    token_ids(out)
    typed_inputs(out)
    fails_on_odd_batch(out)
    loops_until_cancelled(out)
    unservable_uint8_input(out)


# When a file is not byte for byte what the converters write (a CPU whose arithmetic the pins below do not
# cover), what matters is compared instead: the model's outputs on the committed inputs, and the expected
# answers, to this tolerance (relative, and absolute near zero); labels and every non-number exactly.
TOLERANCE = {"rtol": 1e-4, "atol": 1e-6}


def largest_difference(got, want, where):
    """The largest relative difference between two JSON-like values; raises if their structure or a label differs."""
    if isinstance(want, dict):
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            raise ValueError(f"{where}: keys {sorted(got) if isinstance(got, dict) else got} vs {sorted(want)}")
        return max([largest_difference(got[k], want[k], f"{where}.{k}") for k in want] or [0.0])
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            raise ValueError(f"{where}: {len(got) if isinstance(got, list) else got} items vs {len(want)}")
        return max([largest_difference(g, w, f"{where}[{i}]") for i, (g, w) in enumerate(zip(got, want))] or [0.0])
    if isinstance(want, float) or (isinstance(got, float) and isinstance(want, int) and not isinstance(want, bool)):
        if not np.isclose(got, want, **TOLERANCE):
            raise ValueError(f"{where}: {got} vs {want}, beyond rtol {TOLERANCE['rtol']}")
        return abs(got - want) / max(abs(want), TOLERANCE["atol"])
    if got != want or type(got) is not type(want):
        raise ValueError(f"{where}: {got!r} vs {want!r}")
    return 0.0


def outputs_on_committed_inputs(model_path, expected_path):
    with open(expected_path) as f:
        doc = json.load(f)
    session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
    feeds = {i.name: np.array(doc["inputs"][i.name], dtype=ONNX_NUMPY[i.type]) for i in session.get_inputs()}
    return [o.tolist() if hasattr(o, "tolist") else o for o in session.run(None, feeds)]


ONNX_NUMPY = {"tensor(float)": np.float32, "tensor(double)": np.float64, "tensor(int64)": np.int64,
              "tensor(int32)": np.int32, "tensor(bool)": np.bool_, "tensor(string)": object}


def compare_within_tolerance(committed, fresh, changed):
    """Says, per changed file, by how much it differs; returns the names that differ beyond the tolerance."""
    beyond = []
    for name in changed:
        stem = name[: -len(".onnx")] if name.endswith(".onnx") else name[: -len(".expected.json")]
        expected = os.path.join(committed, stem + ".expected.json")
        try:
            if name.endswith(".onnx"):
                if not os.path.exists(expected):
                    raise ValueError("no expected outputs to compare it on")
                got = outputs_on_committed_inputs(os.path.join(fresh, name), expected)
                want = outputs_on_committed_inputs(os.path.join(committed, name), expected)
                diff = largest_difference(got, want, "outputs")
            else:
                with open(os.path.join(fresh, name)) as f, open(expected) as g:
                    diff = largest_difference(json.load(f), json.load(g), "expected")
            print(f"{name}: not byte-identical; outputs within tolerance (largest relative difference {diff:.2e})")
        except ValueError as e:
            print(f"{name}: differs beyond tolerance: {e}")
            beyond.append(name)
    return beyond


def check(committed):
    with tempfile.TemporaryDirectory() as fresh:
        make_all(fresh)
        names = sorted(os.listdir(fresh))
        match, mismatch, errors = filecmp.cmpfiles(committed, fresh, names, shallow=False)
        extra = sorted(set(os.listdir(committed)) - set(names) - {"README.md"})
        beyond = compare_within_tolerance(committed, fresh, mismatch)
        if beyond or errors or extra:
            raise SystemExit(f"test models differ from what the converters write: beyond tolerance {beyond}, "
                             f"missing {errors}, not written by the script {extra}")
        print(f"{len(match)} files identical to what the converters write, {len(mismatch)} within tolerance")


# What the numbers depend on besides the code, fixed here so that every machine writes the same bytes:
# - skl2onnx orders some sets of names by hash: a fixed hash seed.
# - OpenBLAS (inside numpy and scipy, which train the models) picks its kernels by CPU: on an AVX-512 CPU its
#   SkylakeX kernels train logistic-regression probabilities up to 1.4 % away from the Haswell ones. Haswell
#   kernels (AVX2, which every x86-64 machine of ours has) on one thread give the same bytes everywhere.
# - OpenMP threads (LightGBM, XGBoost, scikit-learn) change the order of floating-point sums.
PINNED_ENVIRONMENT = {
    "PYTHONHASHSEED": "0",
    "OPENBLAS_CORETYPE": "Haswell",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}

if __name__ == "__main__":
    if any(os.environ.get(k) != v for k, v in PINNED_ENVIRONMENT.items()):
        # Numpy has loaded OpenBLAS already: the pins take effect in a fresh interpreter.
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **PINNED_ENVIRONMENT})
    onnxruntime.set_default_logger_severity(3)
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    elif len(sys.argv) == 2:
        make_all(sys.argv[1])
    else:
        raise SystemExit(__doc__)
