package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.model.ModelSignature;
import io.mlws.scorer.model.Prediction;
import io.mlws.scorer.model.Tensor;
import io.mlws.scorer.model.TensorSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Azure ML web service contract. In: {@code {"data": ...}} as rows (lists, or objects keyed by
 * feature names or by input names) or as an object holding each input's batch by name. Out: {@code
 * predictions} (and {@code probabilities} per class for a classifier), or {@code outputs} by name.
 */
public final class AzureMlScoring {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AzureMlScoring() {}

  /** Decodes a request body into the model's inputs, by name. */
  public static Map<String, Tensor> inputs(JsonNode body, ModelSignature signature, int maxRows)
      throws ApiError {
    if (!body.isObject()) {
      throw ApiError.badRequest(
          "the body must be a JSON object with \"data\": " + forms(signature));
    }
    JsonNode data = body.get("data");
    if (data == null) {
      throw ApiError.badRequest("the body has no \"data\": send " + forms(signature));
    }
    Map<String, Tensor> inputs =
        data.isObject() ? byInputName(data, signature) : fromRows(data, signature, maxRows);
    checkBatch(inputs, maxRows);
    return inputs;
  }

  /** {@code {"x1": [[...]], "x2": [[...]]}}: each input's whole batch. */
  private static Map<String, Tensor> byInputName(JsonNode data, ModelSignature signature)
      throws ApiError {
    refuseUnknownNames(data, signature, "\"data\"");
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec input : signature.inputs()) {
      JsonNode batch = data.get(input.name());
      if (batch == null) {
        throw ApiError.badRequest(
            "\"data\" has no \"%s\"; the model takes %s".formatted(input.name(), names(signature)));
      }
      inputs.put(input.name(), TensorJson.batch(batch, input));
    }
    return inputs;
  }

  private static Map<String, Tensor> fromRows(JsonNode rows, ModelSignature signature, int maxRows)
      throws ApiError {
    if (!rows.isArray()) {
      throw ApiError.badRequest(
          "\"data\" must be a list of rows or an object of inputs: " + forms(signature));
    }
    if (rows.isEmpty()) {
      throw ApiError.badRequest("\"data\" has no rows");
    }
    if (rows.size() > maxRows) {
      throw tooManyRows(rows.size(), maxRows);
    }
    Map<String, List<JsonNode>> perInput = new LinkedHashMap<>();
    signature.inputs().forEach(i -> perInput.put(i.name(), new ArrayList<>(rows.size())));
    for (int r = 0; r < rows.size(); r++) {
      JsonNode row = rows.get(r);
      if (signature.inputs().size() == 1) {
        perInput.get(signature.inputs().get(0).name()).add(singleInputRow(row, r, signature));
      } else {
        splitRow(row, r, signature, perInput);
      }
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec input : signature.inputs()) {
      inputs.put(input.name(), TensorJson.rows(perInput.get(input.name()), input));
    }
    return inputs;
  }

  /**
   * A row of a one-input model: its value, or an object keyed by feature names or the input name.
   */
  private static JsonNode singleInputRow(JsonNode row, int index, ModelSignature signature)
      throws ApiError {
    if (!row.isObject()) {
      return row;
    }
    String inputName = signature.inputs().get(0).name();
    List<String> features = signature.featureNames();
    if (row.has(inputName) && !features.contains(inputName) && row.size() == 1) {
      return row.get(inputName);
    }
    if (features.isEmpty()) {
      throw ApiError.badRequest(
          "row %d is an object; send the row's value, or {\"%s\": value}"
              .formatted(index, inputName));
    }
    ArrayNode values = NODES.arrayNode(features.size());
    for (String feature : features) {
      JsonNode value = row.get(feature);
      if (value == null) {
        throw ApiError.badRequest(
            "row %d has no \"%s\"; the model takes %s"
                .formatted(index, feature, String.join(", ", features)));
      }
      values.add(value);
    }
    return values;
  }

  /** A row of a several-input model: {@code {"x1": ..., "x2": ...}}. */
  private static void splitRow(
      JsonNode row, int index, ModelSignature signature, Map<String, List<JsonNode>> perInput)
      throws ApiError {
    if (!row.isObject()) {
      throw ApiError.badRequest(
          "row %d must be an object keyed by input name (%s), or send \"data\" as {name: batch}"
              .formatted(index, names(signature)));
    }
    refuseUnknownNames(row, signature, "row " + index);
    for (TensorSpec input : signature.inputs()) {
      JsonNode value = row.get(input.name());
      if (value == null) {
        throw ApiError.badRequest(
            "row %d has no \"%s\"; the model takes %s"
                .formatted(index, input.name(), names(signature)));
      }
      perInput.get(input.name()).add(value);
    }
  }

  private static void refuseUnknownNames(JsonNode object, ModelSignature signature, String where)
      throws ApiError {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (signature.inputs().stream().noneMatch(i -> i.name().equals(name))) {
        throw ApiError.badRequest(
            "%s has \"%s\", which is not an input; the model takes %s"
                .formatted(where, name, names(signature)));
      }
    }
  }

  static void checkBatch(Map<String, Tensor> inputs, int maxRows) throws ApiError {
    int rows = -1;
    for (var input : inputs.entrySet()) {
      int these = input.getValue().rows();
      if (these > maxRows) {
        throw tooManyRows(these, maxRows);
      }
      if (rows >= 0 && these != rows) {
        throw ApiError.badRequest(
            "the inputs have different numbers of rows: \"%s\" has %d, others %d"
                .formatted(input.getKey(), these, rows));
      }
      rows = these;
    }
  }

  static ApiError tooManyRows(int rows, int maxRows) {
    return new ApiError(
        413, "TooManyRows", rows + " rows; at most " + maxRows + " are scored per request");
  }

  /** Encodes what the model said: by its kind, as Azure ML scoring scripts answer. */
  public static ObjectNode response(Prediction prediction) {
    ObjectNode response = NODES.objectNode();
    if (prediction instanceof Prediction.Classification c) {
      classification(response, c);
    } else if (prediction instanceof Prediction.Regression r) {
      response.set("predictions", regression(r.values()));
    } else if (prediction instanceof Prediction.NamedOutputs n) {
      ObjectNode outputs = response.putObject("outputs");
      n.outputs().forEach((name, tensor) -> outputs.set(name, TensorJson.nested(tensor)));
    }
    return response;
  }

  private static void classification(ObjectNode response, Prediction.Classification c) {
    ArrayNode labels = response.putArray("predictions");
    for (Object label : c.labels()) {
      labels.add(
          label instanceof Long l ? NODES.numberNode(l) : NODES.textNode(String.valueOf(label)));
    }
    if (c.scores() != null) {
      ArrayNode probabilities = response.putArray("probabilities");
      for (float[] row : c.scores()) {
        ObjectNode byClass = probabilities.addObject();
        for (int k = 0; k < row.length; k++) {
          byClass.put(c.classes().get(k), row[k]);
        }
      }
    }
  }

  /** [N] and [N, 1] give one number per row; [N, K] gives K numbers per row. */
  private static JsonNode regression(Tensor values) {
    long[] shape = values.shape();
    boolean onePerRow = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
    return onePerRow ? TensorJson.flat(values) : TensorJson.nested(values);
  }

  private static String names(ModelSignature signature) {
    return signature.inputs().stream().map(TensorSpec::name).collect(Collectors.joining(", "));
  }

  /** The request forms this model accepts, for error messages. */
  static String forms(ModelSignature signature) {
    if (signature.inputs().size() == 1) {
      TensorSpec input = signature.inputs().get(0);
      return "{\"data\": [row, ...]} with each row shaped %s, or {\"data\": {\"%s\": [row, ...]}}"
          .formatted(TensorSpec.shapeText(input.rowShape()), input.name());
    }
    return "{\"data\": [{%s}, ...]} or {\"data\": {%s}}"
        .formatted(
            signature.inputs().stream()
                .map(i -> "\"" + i.name() + "\": row")
                .collect(Collectors.joining(", ")),
            signature.inputs().stream()
                .map(i -> "\"" + i.name() + "\": [rows]")
                .collect(Collectors.joining(", ")));
  }
}
