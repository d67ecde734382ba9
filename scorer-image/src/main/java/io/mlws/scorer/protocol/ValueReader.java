package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.model.TensorSpec;

/**
 * Reads one JSON value as the element type of an input, refusing what does not fit (1.5 for an
 * int64 input, a string for a float input) with a message naming the input, row and position.
 */
final class ValueReader {
  private final TensorSpec spec;
  private final int rowSize;

  ValueReader(TensorSpec spec, int rowSize) {
    this.spec = spec;
    this.rowSize = rowSize;
  }

  float toFloat(JsonNode value, int index) throws ApiError {
    double number = toDouble(value, index);
    if (Math.abs(number) > Float.MAX_VALUE) {
      throw refused(index, "is out of range for a 32-bit float");
    }
    return (float) number;
  }

  double toDouble(JsonNode value, int index) throws ApiError {
    if (value == null || !value.isNumber()) {
      throw refused(index, "must be a number, got " + TensorJson.kind(value));
    }
    double number = value.asDouble();
    if (!Double.isFinite(number)) {
      throw refused(index, "is out of range for a 64-bit float");
    }
    return number;
  }

  long toLong(JsonNode value, int index, long min, long max) throws ApiError {
    if (value == null || !value.isNumber()) {
      throw refused(index, "must be an integer, got " + TensorJson.kind(value));
    }
    boolean integral =
        value.isIntegralNumber()
            ? value.canConvertToLong()
            : value.asDouble() == Math.rint(value.asDouble()) && Double.isFinite(value.asDouble());
    if (!integral) {
      throw refused(index, "must be an integer for " + spec.type().onnxName() + ", got " + value);
    }
    long number = value.isIntegralNumber() ? value.asLong() : (long) value.asDouble();
    if (number < min
        || number > max
        || (!value.isIntegralNumber() && Math.abs(value.asDouble()) > 9.0e18)) {
      throw refused(index, "is out of range for " + spec.type().onnxName() + ": " + value);
    }
    return number;
  }

  boolean toBoolean(JsonNode value, int index) throws ApiError {
    if (value == null || !value.isBoolean()) {
      throw refused(index, "must be true or false, got " + TensorJson.kind(value));
    }
    return value.asBoolean();
  }

  String toText(JsonNode value, int index) throws ApiError {
    if (value == null || !value.isTextual()) {
      throw refused(index, "must be a string, got " + TensorJson.kind(value));
    }
    return value.asText();
  }

  private ApiError refused(int index, String why) {
    return ApiError.badRequest(
        "input \"%s\" (%s), row %d, value %d %s"
            .formatted(spec.name(), spec.type().onnxName(), index / rowSize, index % rowSize, why));
  }
}
