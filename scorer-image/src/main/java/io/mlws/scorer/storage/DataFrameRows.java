package io.mlws.scorer.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A request's or a response's JSON as the rows of a table, the shape Azure ML's data collector
 * writes a pandas DataFrame in ({@code data: [{column: value, ...}, ...]}), so that Azure ML's
 * model monitoring and {@code pandas.json_normalize} read one row per scored row. The shapes the
 * scorer takes become rows; anything else is one row holding the JSON as it was, so nothing is
 * lost.
 *
 * <ul>
 *   <li>Azure ML's {@code {"data": [[...], ...]}} (or a single row {@code {"data": [...]}}), with
 *       {@code "columns"} naming the columns, else {@code "0"}, {@code "1"}, ... as pandas names
 *       them; rows given as objects stay as they are; {@code "input_data"} (MLflow's split form)
 *       the same. The request's other fields (an id, a redacted customer field) become columns of
 *       every row.
 *   <li>Open Inference Protocol V2 {@code {"inputs" | "outputs": [tensor, ...]}}: row r holds each
 *       tensor's r-th row by the tensor's name (a value, or a list for a tensor of several
 *       columns).
 *   <li>A response {@code {"predictions": [...], "probabilities": [...]}}: row r holds each list's
 *       r-th element.
 * </ul>
 */
final class DataFrameRows {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private DataFrameRows() {}

  static ArrayNode of(JsonNode json) {
    if (json == null) {
      return NODES.arrayNode();
    }
    if (json.isArray()) {
      return fromList(json, null, NODES.objectNode());
    }
    if (!json.isObject()) {
      return one(valueRow(json));
    }
    for (String tensors : List.of("inputs", "outputs")) {
      if (json.path(tensors).isArray() && isTensorList(json.get(tensors))) {
        return fromTensors(json.get(tensors), others(json, tensors));
      }
    }
    for (String table : List.of("data", "input_data")) {
      JsonNode value = json.path(table);
      if (value.isArray()) {
        return fromList(value, json.path("columns"), others(json, table, "columns"));
      }
      if (value.isObject() && value.path("data").isArray()) {
        return fromList(value.get("data"), value.path("columns"), others(json, table));
      }
    }
    return fromColumns(json);
  }

  /** Rows from a list: of lists (named by {@code columns} or by number), of objects, or one row. */
  private static ArrayNode fromList(JsonNode list, JsonNode columns, ObjectNode constants) {
    ArrayNode rows = NODES.arrayNode();
    if (list.isEmpty()) {
      return rows;
    }
    boolean allArrays = true;
    boolean allObjects = true;
    for (JsonNode element : list) {
      allArrays &= element.isArray();
      allObjects &= element.isObject();
    }
    if (allObjects) {
      list.forEach(
          element -> rows.add(withConstants(((ObjectNode) element).deepCopy(), constants)));
    } else if (allArrays) {
      list.forEach(element -> rows.add(withConstants(named(element, columns), constants)));
    } else {
      rows.add(withConstants(named(list, columns), constants));
    }
    return rows;
  }

  /** V2 tensors: row r holds each tensor's r-th row by name. */
  private static ArrayNode fromTensors(JsonNode tensors, ObjectNode constants) {
    int rowCount = 0;
    for (JsonNode tensor : tensors) {
      rowCount = Math.max(rowCount, rowsOf(tensor));
    }
    ArrayNode rows = NODES.arrayNode();
    for (int r = 0; r < rowCount; r++) {
      ObjectNode row = NODES.objectNode();
      for (JsonNode tensor : tensors) {
        row.set(tensor.path("name").asText(), rowOf(tensor, r));
      }
      rows.add(withConstants(row, constants));
    }
    return rows;
  }

  /** An object of equal-length lists (a response's predictions, probabilities) as rows. */
  private static ArrayNode fromColumns(JsonNode json) {
    int length = -1;
    for (Iterator<JsonNode> it = json.elements(); it.hasNext(); ) {
      JsonNode value = it.next();
      if (!value.isArray() || (length >= 0 && value.size() != length)) {
        return one((ObjectNode) json.deepCopy());
      }
      length = value.size();
    }
    ArrayNode rows = NODES.arrayNode();
    for (int r = 0; r < Math.max(length, 0); r++) {
      ObjectNode row = NODES.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> column = it.next();
        row.set(column.getKey(), column.getValue().get(r));
      }
      rows.add(row);
    }
    return rows;
  }

  private static boolean isTensorList(JsonNode list) {
    if (list.isEmpty()) {
      return false;
    }
    for (JsonNode tensor : list) {
      if (!tensor.isObject() || !tensor.has("name") || !tensor.path("data").isArray()) {
        return false;
      }
    }
    return true;
  }

  private static int rowsOf(JsonNode tensor) {
    JsonNode shape = tensor.path("shape");
    if (shape.isArray() && !shape.isEmpty() && shape.get(0).canConvertToInt()) {
      return Math.max(shape.get(0).asInt(), 0);
    }
    return tensor.path("data").isArray() && !tensor.path("data").isEmpty() ? 1 : 0;
  }

  /** The r-th row of a tensor whose data may be nested or flat (row-major). */
  private static JsonNode rowOf(JsonNode tensor, int r) {
    JsonNode data = tensor.path("data");
    int rows = rowsOf(tensor);
    if (data.size() == rows && rows > 0) {
      return data.get(r);
    }
    int width = rows == 0 ? 0 : data.size() / rows;
    if (width == 0 || r * width >= data.size()) {
      return NODES.nullNode();
    }
    if (width == 1) {
      return data.get(r);
    }
    ArrayNode row = NODES.arrayNode();
    for (int i = r * width; i < (r + 1) * width && i < data.size(); i++) {
      row.add(data.get(i));
    }
    return row;
  }

  private static ObjectNode named(JsonNode values, JsonNode columns) {
    ObjectNode row = NODES.objectNode();
    boolean useColumns = columns != null && columns.isArray() && columns.size() == values.size();
    for (int i = 0; i < values.size(); i++) {
      row.set(useColumns ? columns.get(i).asText() : String.valueOf(i), values.get(i));
    }
    return row;
  }

  /** The request's fields other than its table: the same in every row. */
  private static ObjectNode others(JsonNode json, String... table) {
    ObjectNode constants = NODES.objectNode();
    List<String> skip = List.of(table);
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!skip.contains(field.getKey())) {
        constants.set(field.getKey(), field.getValue());
      }
    }
    return constants;
  }

  private static ObjectNode withConstants(ObjectNode row, ObjectNode constants) {
    constants.fields().forEachRemaining(field -> row.putIfAbsent(field.getKey(), field.getValue()));
    return row;
  }

  private static ObjectNode valueRow(JsonNode value) {
    ObjectNode row = NODES.objectNode();
    row.set("value", value);
    return row;
  }

  private static ArrayNode one(ObjectNode row) {
    ArrayNode rows = NODES.arrayNode();
    rows.add(row);
    return rows;
  }
}
