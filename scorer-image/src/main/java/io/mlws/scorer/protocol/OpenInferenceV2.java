package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.http.ApiError;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Open Inference Protocol (V2) REST API that KServe, Triton and Seldon clients speak: model
 * metadata and {@code infer} with tensors as shape, datatype and row-major data.
 */
public final class OpenInferenceV2 {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NUMERIC =
      Set.of(
          "FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32",
          "UINT64");
  public static final String LABEL_OUTPUT = "label";

  private OpenInferenceV2() {}

  public static ObjectNode serverMetadata() {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("name", "mlws-scorer");
    metadata.put("version", "0.1.0");
    metadata.putArray("extensions");
    return metadata;
  }

  public static ObjectNode modelMetadata(OnnxModel model, String name, String version) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("name", name);
    metadata.putArray("versions").add(version);
    metadata.put("platform", "onnxruntime_onnx");
    ObjectNode input = metadata.putArray("inputs").addObject();
    input.put("name", model.inputName());
    input.put("datatype", "FP32");
    input.putArray("shape").add(-1).add(model.featureCount());
    ArrayNode outputs = metadata.putArray("outputs");
    ObjectNode scores = outputs.addObject();
    scores.put("name", model.outputName());
    scores.put("datatype", "FP32");
    scores.putArray("shape").add(-1).add(model.labels().size());
    ObjectNode label = outputs.addObject();
    label.put("name", LABEL_OUTPUT);
    label.put("datatype", "BYTES");
    label.putArray("shape").add(-1);
    return metadata;
  }

  public static float[][] rows(JsonNode body, OnnxModel model, int maxRows) throws ApiError {
    if (!body.isObject() || !body.path("inputs").isArray() || body.get("inputs").isEmpty()) {
      throw ApiError.badRequest(
          "the body must be {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]}");
    }
    JsonNode input = null;
    for (JsonNode candidate : body.get("inputs")) {
      if (model.inputName().equals(candidate.path("name").asText())) {
        input = candidate;
      }
    }
    if (input == null) {
      throw ApiError.badRequest(
          "no input named \"" + model.inputName() + "\"; the model has one input of that name");
    }
    String datatype = input.path("datatype").asText();
    if (!NUMERIC.contains(datatype)) {
      throw ApiError.badRequest(
          "input \""
              + model.inputName()
              + "\" has datatype \""
              + datatype
              + "\"; send FP32 (or another numeric type)");
    }
    JsonNode shape = input.path("shape");
    if (!shape.isArray()
        || shape.size() != 2
        || !shape.get(0).canConvertToInt()
        || !shape.get(1).canConvertToInt()) {
      throw ApiError.badRequest("\"shape\" must be [rows, " + model.featureCount() + "]");
    }
    int rows = shape.get(0).asInt();
    if (shape.get(1).asInt() != model.featureCount() || rows < 1) {
      throw ApiError.badRequest(
          "\"shape\" is " + shape + "; the model takes [rows, " + model.featureCount() + "]");
    }
    if (rows > maxRows) {
      throw new ApiError(
          413, "TooManyRows", rows + " rows; at most " + maxRows + " are scored per request");
    }
    List<JsonNode> flat = new ArrayList<>();
    flatten(input.path("data"), flat, 0);
    if (flat.size() != rows * model.featureCount()) {
      throw ApiError.badRequest(
          "\"data\" has "
              + flat.size()
              + " values; shape "
              + shape
              + " needs "
              + rows * model.featureCount());
    }
    float[][] features = new float[rows][model.featureCount()];
    for (int i = 0; i < flat.size(); i++) {
      features[i / model.featureCount()][i % model.featureCount()] =
          FeatureRows.number(flat.get(i), "data[" + i + "]");
    }
    return features;
  }

  private static void flatten(JsonNode data, List<JsonNode> into, int depth) throws ApiError {
    if (!data.isArray() || depth > 8) {
      throw ApiError.badRequest("\"data\" must be a list of numbers (flat or nested, row-major)");
    }
    for (JsonNode element : data) {
      if (element.isArray()) {
        flatten(element, into, depth + 1);
      } else {
        into.add(element);
      }
    }
  }

  public static ObjectNode response(
      Prediction prediction, OnnxModel model, String name, String version, JsonNode request) {
    ObjectNode response = JSON.createObjectNode();
    response.put("model_name", name);
    response.put("model_version", version);
    if (request.path("id").isTextual()) {
      response.put("id", request.get("id").asText());
    }
    ArrayNode outputs = response.putArray("outputs");
    ObjectNode scores = outputs.addObject();
    scores.put("name", model.outputName());
    scores.put("datatype", "FP32");
    scores
        .putArray("shape")
        .add(prediction.probabilities().length)
        .add(prediction.classes().size());
    ArrayNode data = scores.putArray("data");
    for (float[] row : prediction.probabilities()) {
      for (float p : row) {
        data.add(p);
      }
    }
    ObjectNode labels = outputs.addObject();
    labels.put("name", LABEL_OUTPUT);
    labels.put("datatype", "BYTES");
    labels.putArray("shape").add(prediction.labels().size());
    ArrayNode labelData = labels.putArray("data");
    prediction.labels().forEach(labelData::add);
    return response;
  }
}
