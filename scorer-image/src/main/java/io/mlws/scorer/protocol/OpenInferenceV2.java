package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.model.ElementType;
import io.mlws.scorer.model.ModelKind;
import io.mlws.scorer.model.ModelSignature;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.Prediction;
import io.mlws.scorer.model.Tensor;
import io.mlws.scorer.model.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Open Inference Protocol (V2) REST API that KServe, Triton and Seldon clients speak: model
 * metadata and {@code infer} with every tensor as name, datatype, shape and row-major data. A
 * ZipMap output is answered as FP32 [N, C]; a classifier without a label output gets a BYTES
 * "label" output.
 */
public final class OpenInferenceV2 {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  public static final String LABEL_OUTPUT = "label";

  /**
   * The scorer's version, pom.xml's, from the jar's manifest; "development" where the classes run
   * outside the jar (tests in the build).
   */
  static final String SERVER_VERSION =
      java.util.Objects.requireNonNullElse(
          OpenInferenceV2.class.getPackage().getImplementationVersion(), "development");

  private OpenInferenceV2() {}

  public static ObjectNode serverMetadata() {
    ObjectNode metadata = NODES.objectNode();
    metadata.put("name", "mlws-scorer");
    metadata.put("version", SERVER_VERSION);
    metadata.putArray("extensions").add(BinaryTensorData.EXTENSION);
    return metadata;
  }

  public static ObjectNode modelMetadata(OnnxModel model, String name, String version) {
    ObjectNode metadata = NODES.objectNode();
    metadata.put("name", name);
    metadata.putArray("versions").add(version);
    metadata.put("platform", "onnxruntime_onnx");
    ArrayNode inputs = metadata.putArray("inputs");
    model
        .signature()
        .inputs()
        .forEach(i -> describe(inputs.addObject(), i.name(), i.type(), i.shape()));
    ArrayNode outputs = metadata.putArray("outputs");
    model
        .signature()
        .outputs()
        .forEach(o -> describe(outputs.addObject(), o.name(), o.type(), o.shape()));
    if (addsLabel(model.kind(), model.signature())) {
      describe(outputs.addObject(), LABEL_OUTPUT, ElementType.STRING, new long[] {-1});
    }
    return metadata;
  }

  private static void describe(ObjectNode node, String name, ElementType type, long[] shape) {
    node.put("name", name);
    node.put("datatype", type.v2Name());
    ArrayNode dims = node.putArray("shape");
    for (long dim : shape) {
      dims.add(dim);
    }
  }

  /**
   * Decodes {@code inputs}: every model input by name, with a datatype its values fit and its
   * shape.
   */
  public static Map<String, Tensor> inputs(JsonNode body, ModelSignature signature, int maxRows)
      throws ApiError {
    if (!body.isObject() || !body.path("inputs").isArray() || body.get("inputs").isEmpty()) {
      throw ApiError.badRequest(
          "the body must be {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}, ...]}");
    }
    Map<String, JsonNode> sent = new LinkedHashMap<>();
    for (JsonNode input : body.get("inputs")) {
      String name = input.path("name").asText("");
      Optional<TensorSpec> spec =
          signature.inputs().stream().filter(i -> i.name().equals(name)).findFirst();
      if (spec.isEmpty()) {
        throw ApiError.badRequest(
            "there is no input named \"%s\"; the model takes %s"
                .formatted(name, expected(signature)));
      }
      if (sent.put(name, input) != null) {
        throw ApiError.badRequest("input \"" + name + "\" is sent twice");
      }
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec spec : signature.inputs()) {
      JsonNode input = sent.get(spec.name());
      if (input == null) {
        throw ApiError.badRequest(
            "input \"%s\" is missing; the model takes %s"
                .formatted(spec.name(), expected(signature)));
      }
      checkDatatype(input.path("datatype").asText(""), spec);
      long[] shape = shape(input.path("shape"), spec);
      if (shape[0] > maxRows) {
        throw AzureMlScoring.tooManyRows((int) Math.min(shape[0], Integer.MAX_VALUE), maxRows);
      }
      inputs.put(spec.name(), TensorJson.shaped(input.path("data"), shape, spec));
    }
    AzureMlScoring.checkBatch(inputs, maxRows);
    return inputs;
  }

  private static void checkDatatype(String datatype, TensorSpec spec) throws ApiError {
    Optional<ElementType> sent = ElementType.ofV2(datatype);
    boolean fits =
        sent.isPresent()
            && (sent.get() == spec.type() || (sent.get().numeric() && spec.type().numeric()));
    if (!fits) {
      throw ApiError.badRequest(
          "input \"%s\" has datatype \"%s\"; the model takes %s"
              .formatted(spec.name(), datatype, spec.type().v2Name()));
    }
  }

  private static long[] shape(JsonNode shape, TensorSpec spec) throws ApiError {
    if (!shape.isArray() || shape.size() != spec.rank()) {
      throw ApiError.badRequest(
          "input \"%s\": \"shape\" must be a list of %d sizes like %s"
              .formatted(spec.name(), spec.rank(), TensorSpec.shapeText(spec.shape())));
    }
    long[] dims = new long[shape.size()];
    for (int d = 0; d < dims.length; d++) {
      if (!shape.get(d).canConvertToLong() || !shape.get(d).isIntegralNumber()) {
        throw ApiError.badRequest(
            "input \"" + spec.name() + "\": \"shape\" holds sizes, got " + shape);
      }
      dims[d] = shape.get(d).asLong();
    }
    TensorJson.checkShape(dims, spec);
    return dims;
  }

  public static ObjectNode response(
      OnnxModel.Answer answer, OnnxModel model, String name, String version, JsonNode request) {
    ObjectNode response = NODES.objectNode();
    response.put("model_name", name);
    response.put("model_version", version);
    if (request.path("id").isTextual()) {
      response.put("id", request.get("id").asText());
    }
    ArrayNode outputs = response.putArray("outputs");
    answer
        .outputs()
        .tensors()
        .forEach((output, tensor) -> tensor(outputs.addObject(), output, tensor));
    if (addsLabel(model.kind(), model.signature())
        && answer.prediction() instanceof Prediction.Classification c) {
      String[] labels = c.labels().stream().map(String::valueOf).toArray(String[]::new);
      tensor(
          outputs.addObject(),
          LABEL_OUTPUT,
          new Tensor(ElementType.STRING, new long[] {labels.length}, labels));
    }
    return response;
  }

  private static void tensor(ObjectNode node, String name, Tensor tensor) {
    describe(node, name, tensor.type(), tensor.shape());
    node.set("data", TensorJson.flat(tensor));
  }

  /** A classifier that predicts by argmax has no label output of its own: V2 clients get one. */
  private static boolean addsLabel(ModelKind kind, ModelSignature signature) {
    return kind instanceof ModelKind.Classifier c
        && c.labelOutput().isEmpty()
        && signature.outputs().stream().noneMatch(o -> o.name().equals(LABEL_OUTPUT));
  }

  private static String expected(ModelSignature signature) {
    StringBuilder text = new StringBuilder();
    for (TensorSpec input : signature.inputs()) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(input.name())
          .append(' ')
          .append(input.type().v2Name())
          .append(' ')
          .append(TensorSpec.shapeText(input.shape()));
    }
    return text.toString();
  }
}
