package io.mlws.scorer.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mlws.scorer.model.Tensor;
import io.mlws.scorer.model.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * JSON arrays to and from typed tensors, checked against the input's declared type and shape; every
 * refusal names the input and where in it the problem is. Both protocols use it.
 */
final class TensorJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_RANK = 8;

  private TensorJson() {}

  /** A whole batch for one input as nested arrays, e.g. [[1, 2], [3, 4]] for a [N, 2] input. */
  static Tensor batch(JsonNode nested, TensorSpec spec) throws ApiError {
    long[] dims = new long[spec.rank()];
    Arrays.fill(dims, -1);
    List<JsonNode> values = new ArrayList<>();
    collect(nested, 0, dims, values, spec, "");
    return typed(values, dims, spec);
  }

  /**
   * One value per row for one input; a row is nested like the input without its batch dimension,
   * and may be a bare value when a row of the input holds exactly one.
   */
  static Tensor rows(List<JsonNode> rows, TensorSpec spec) throws ApiError {
    long[] rowShape = spec.rowShape();
    boolean oneValuePerRow = Tensor.elementCount(rowShape) == 1 && allFixed(rowShape);
    long[] dims = new long[spec.rank()];
    Arrays.fill(dims, -1);
    dims[0] = rows.size();
    List<JsonNode> values = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      JsonNode row = rows.get(r);
      if (oneValuePerRow && !row.isArray()) {
        values.add(row);
      } else {
        collect(row, 1, dims, values, spec, "row " + r + " ");
      }
    }
    if (oneValuePerRow) {
      Arrays.fill(dims, 1, dims.length, 1);
    }
    return typed(values, dims, spec);
  }

  /** V2: data flat or nested in row-major order, with the shape the client declared. */
  static Tensor shaped(JsonNode data, long[] shape, TensorSpec spec) throws ApiError {
    List<JsonNode> values = new ArrayList<>();
    flatten(data, values, 0, spec);
    long expected = Tensor.elementCount(shape);
    if (values.size() != expected) {
      throw ApiError.badRequest(
          "input \"%s\": \"data\" has %d values; shape %s needs %d"
              .formatted(spec.name(), values.size(), TensorSpec.shapeText(shape), expected));
    }
    return typed(values, shape, spec);
  }

  /** Refuses a shape of the wrong rank, or with a fixed dimension of the wrong size. */
  static void checkShape(long[] shape, TensorSpec spec) throws ApiError {
    boolean fits = shape.length == spec.rank();
    for (int d = 0; fits && d < shape.length; d++) {
      fits = shape[d] >= 0 && (spec.shape()[d] < 0 || spec.shape()[d] == shape[d]);
    }
    if (!fits || (shape.length > 0 && shape[0] < 1)) {
      throw ApiError.badRequest(
          "input \"%s\" has shape %s; the model takes %s (-1: any size, at least one row)"
              .formatted(
                  spec.name(), TensorSpec.shapeText(shape), TensorSpec.shapeText(spec.shape())));
    }
  }

  static JsonNode nested(Tensor tensor) {
    if (tensor.shape().length == 0) {
      return value(tensor, 0);
    }
    return nested(tensor, 0, 0);
  }

  static ArrayNode flat(Tensor tensor) {
    ArrayNode data = NODES.arrayNode(tensor.size());
    for (int i = 0; i < tensor.size(); i++) {
      data.add(value(tensor, i));
    }
    return data;
  }

  static JsonNode value(Tensor tensor, int index) {
    Object value = tensor.get(index);
    return switch (tensor.type()) {
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case INT64 -> NODES.numberNode((Long) value);
      case INT32 -> NODES.numberNode((Integer) value);
      case BOOL -> NODES.booleanNode((Boolean) value);
      case STRING -> NODES.textNode((String) value);
    };
  }

  private static JsonNode nested(Tensor tensor, int depth, int offset) {
    ArrayNode array = NODES.arrayNode();
    long stride = 1;
    for (int d = depth + 1; d < tensor.shape().length; d++) {
      stride *= tensor.shape()[d];
    }
    for (int i = 0; i < tensor.shape()[depth]; i++) {
      int at = (int) (offset + i * stride);
      array.add(
          depth == tensor.shape().length - 1 ? value(tensor, at) : nested(tensor, depth + 1, at));
    }
    return array;
  }

  /** Walks nested arrays to the input's rank, fixing each dimension on first sight. */
  private static void collect(
      JsonNode node, int depth, long[] dims, List<JsonNode> into, TensorSpec spec, String where)
      throws ApiError {
    if (depth == dims.length) {
      if (node.isArray() || node.isObject()) {
        throw ApiError.badRequest(
            "input \"%s\" %shas more nesting than its shape %s"
                .formatted(spec.name(), where, TensorSpec.shapeText(spec.shape())));
      }
      into.add(node);
      return;
    }
    if (!node.isArray()) {
      throw ApiError.badRequest(
          "input \"%s\" %smust be a list at depth %d for shape %s, got %s"
              .formatted(
                  spec.name(), where, depth, TensorSpec.shapeText(spec.shape()), kind(node)));
    }
    long declared = spec.shape()[depth];
    if (dims[depth] < 0) {
      dims[depth] = node.size();
      if ((declared >= 0 && declared != node.size()) || node.isEmpty()) {
        throw ApiError.badRequest(
            "input \"%s\" %shas %d values at depth %d; the model takes shape %s"
                .formatted(
                    spec.name(), where, node.size(), depth, TensorSpec.shapeText(spec.shape())));
      }
    } else if (dims[depth] != node.size()) {
      throw ApiError.badRequest(
          "input \"%s\" %sis ragged: lists at depth %d have %d and %d values"
              .formatted(spec.name(), where, depth, dims[depth], node.size()));
    }
    for (JsonNode child : node) {
      collect(child, depth + 1, dims, into, spec, where);
    }
  }

  private static void flatten(JsonNode data, List<JsonNode> into, int depth, TensorSpec spec)
      throws ApiError {
    if (!data.isArray() || depth > MAX_RANK) {
      throw ApiError.badRequest(
          "input \""
              + spec.name()
              + "\": \"data\" must be a list of values (flat or nested, row-major)");
    }
    for (JsonNode element : data) {
      if (element.isArray()) {
        flatten(element, into, depth + 1, spec);
      } else {
        into.add(element);
      }
    }
  }

  private static Tensor typed(List<JsonNode> values, long[] shape, TensorSpec spec)
      throws ApiError {
    int rowSize =
        (int) Math.max(1, Tensor.elementCount(Arrays.copyOfRange(shape, 1, shape.length)));
    ValueReader reader = new ValueReader(spec, rowSize);
    Object data =
        switch (spec.type()) {
          case FLOAT -> {
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = reader.toFloat(values.get(i), i);
            }
            yield out;
          }
          case DOUBLE -> {
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = reader.toDouble(values.get(i), i);
            }
            yield out;
          }
          case INT64 -> {
            long[] out = new long[values.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = reader.toLong(values.get(i), i, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            yield out;
          }
          case INT32 -> {
            int[] out = new int[values.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = (int) reader.toLong(values.get(i), i, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            yield out;
          }
          case BOOL -> {
            boolean[] out = new boolean[values.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = reader.toBoolean(values.get(i), i);
            }
            yield out;
          }
          case STRING -> {
            String[] out = new String[values.size()];
            for (int i = 0; i < out.length; i++) {
              out[i] = reader.toText(values.get(i), i);
            }
            yield out;
          }
        };
    return new Tensor(spec.type(), shape, data);
  }

  private static boolean allFixed(long[] shape) {
    return Arrays.stream(shape).allMatch(d -> d >= 0);
  }

  static String kind(JsonNode node) {
    return node == null ? "nothing" : node.getNodeType().toString().toLowerCase();
  }
}
