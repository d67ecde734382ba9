package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.http.ApiError;
import io.mlws.scorer.model.OnnxModel;
import java.util.List;

/** Reads model input rows from JSON, naming the row and column of anything that is wrong. */
final class FeatureRows {
  private FeatureRows() {}

  /** Rows as arrays of numbers, or objects keyed by the model's feature names. */
  static float[][] fromRows(JsonNode rows, OnnxModel model, int maxRows) throws ApiError {
    if (rows == null || !rows.isArray()) {
      throw ApiError.badRequest(
          "\"data\" must be a list of rows, e.g. {\"data\": [[" + example(model) + "]]}");
    }
    if (rows.isEmpty()) {
      throw ApiError.badRequest("\"data\" has no rows");
    }
    if (rows.size() > maxRows) {
      throw new ApiError(
          413,
          "TooManyRows",
          "\"data\" has " + rows.size() + " rows; at most " + maxRows + " are scored per request");
    }
    float[][] features = new float[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      features[r] = row(rows.get(r), r, model);
    }
    return features;
  }

  private static float[] row(JsonNode row, int index, OnnxModel model) throws ApiError {
    int width = model.featureCount();
    float[] values = new float[width];
    if (row.isArray()) {
      if (row.size() != width) {
        throw ApiError.badRequest(
            "row %d has %d values; the model takes %d (%s)"
                .formatted(index, row.size(), width, String.join(", ", model.featureNames())));
      }
      for (int c = 0; c < width; c++) {
        values[c] = number(row.get(c), "row %d, column %d".formatted(index, c));
      }
      return values;
    }
    if (row.isObject()) {
      List<String> names = model.featureNames();
      for (int c = 0; c < width; c++) {
        JsonNode value = row.get(names.get(c));
        if (value == null) {
          throw ApiError.badRequest(
              "row %d has no \"%s\"; the model takes %s"
                  .formatted(index, names.get(c), String.join(", ", names)));
        }
        values[c] = number(value, "row %d, \"%s\"".formatted(index, names.get(c)));
      }
      return values;
    }
    throw ApiError.badRequest(
        "row %d must be a list of %d numbers or an object with %s"
            .formatted(index, width, String.join(", ", model.featureNames())));
  }

  static float number(JsonNode value, String where) throws ApiError {
    if (value == null || !value.isNumber()) {
      throw ApiError.badRequest(
          where
              + " must be a number, got "
              + (value == null ? "nothing" : value.getNodeType().toString().toLowerCase()));
    }
    double number = value.asDouble();
    if (!Double.isFinite(number) || Math.abs(number) > Float.MAX_VALUE) {
      throw ApiError.badRequest(where + " is out of range for a 32-bit float");
    }
    return (float) number;
  }

  private static String example(OnnxModel model) {
    StringBuilder example = new StringBuilder();
    for (int c = 0; c < model.featureCount(); c++) {
      example.append(c == 0 ? "" : ", ").append("1.0");
    }
    return example.toString();
  }
}
