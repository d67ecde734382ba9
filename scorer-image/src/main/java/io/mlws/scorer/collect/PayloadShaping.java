package io.mlws.scorer.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mlws.scorer.metrics.ScorerMetrics;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Redaction and truncation of collected payloads: what leaves the pod, and how much of it. */
public final class PayloadShaping {
  public static final String REDACTED = "[REDACTED]";
  private static final String TENSOR_NAME = "name";
  private static final String TENSOR_DATA = "data";

  private PayloadShaping() {}

  /**
   * A copy with every value named in {@code fields} replaced, at any depth, names compared without
   * regard to case ({@code customer_id} also hides {@code Customer_ID}): the value of an object's
   * field of that name, and the {@code data} of a tensor of that name in the Open Inference
   * Protocol ({@code {"name": "customer_id", "data": [...]}}, where the name is a value).
   */
  public static JsonNode redact(JsonNode payload, Set<String> fields) {
    if (fields.isEmpty() || payload == null) {
      return payload;
    }
    Set<String> names =
        fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    JsonNode copy = payload.deepCopy();
    ScorerMetrics.redactedFields(redactInPlace(copy, names));
    return copy;
  }

  /** Redacts in place and says how many values it replaced; {@code fields} in lower case. */
  private static int redactInPlace(JsonNode node, Set<String> fields) {
    int redacted = 0;
    if (node instanceof ObjectNode object) {
      if (isNamedTensor(object, fields)) {
        object.set(TENSOR_DATA, TextNode.valueOf(REDACTED));
        redacted++;
      }
      var names = new java.util.ArrayList<String>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (fields.contains(name.toLowerCase(Locale.ROOT))) {
          object.set(name, TextNode.valueOf(REDACTED));
          redacted++;
        } else {
          redacted += redactInPlace(object.get(name), fields);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        redacted += redactInPlace(element, fields);
      }
    }
    return redacted;
  }

  /** An Open Inference Protocol tensor whose name is listed: its data is what the name names. */
  private static boolean isNamedTensor(ObjectNode object, Set<String> fields) {
    JsonNode name = object.get(TENSOR_NAME);
    return name != null
        && name.isTextual()
        && object.has(TENSOR_DATA)
        && fields.contains(name.asText().toLowerCase(Locale.ROOT));
  }

  /** At most {@code maxChars} characters; a longer text ends with a marker saying how much went. */
  public static String truncate(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    String marker = "...[truncated " + text.length() + " chars]";
    return text.substring(0, Math.max(0, maxChars - marker.length())) + marker;
  }
}
