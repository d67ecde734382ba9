package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.http.ApiError;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.Prediction;

/**
 * The Azure ML web service contract: {@code {"data": [[...], ...]}} in, {@code {"predictions":
 * [...], "probabilities": [{class: p}, ...]}} out.
 */
public final class AzureMlScoring {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AzureMlScoring() {}

  public static float[][] rows(JsonNode body, OnnxModel model, int maxRows) throws ApiError {
    if (!body.isObject()) {
      throw ApiError.badRequest("the body must be a JSON object with \"data\": a list of rows");
    }
    if (!body.has("data")) {
      throw ApiError.badRequest(
          "the body has no \"data\": send {\"data\": [[...feature values...]]}");
    }
    return FeatureRows.fromRows(body.get("data"), model, maxRows);
  }

  public static ObjectNode response(Prediction prediction) {
    ObjectNode response = JSON.createObjectNode();
    ArrayNode labels = response.putArray("predictions");
    prediction.labels().forEach(labels::add);
    ArrayNode probabilities = response.putArray("probabilities");
    for (float[] row : prediction.probabilities()) {
      ObjectNode byClass = probabilities.addObject();
      for (int c = 0; c < row.length; c++) {
        byClass.put(prediction.classes().get(c), row[c]);
      }
    }
    return response;
  }
}
