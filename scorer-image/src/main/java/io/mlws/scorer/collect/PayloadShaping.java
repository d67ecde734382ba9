package io.mlws.scorer.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mlws.scorer.metrics.ScorerMetrics;
import java.util.Set;

/** Redaction and truncation of collected payloads: what leaves the pod, and how much of it. */
public final class PayloadShaping {
  public static final String REDACTED = "[REDACTED]";

  private PayloadShaping() {}

  /** A copy with the value of every field named in {@code fields}, at any depth, replaced. */
  public static JsonNode redact(JsonNode payload, Set<String> fields) {
    if (fields.isEmpty() || payload == null) {
      return payload;
    }
    JsonNode copy = payload.deepCopy();
    ScorerMetrics.redactedFields(redactInPlace(copy, fields));
    return copy;
  }

  /** Redacts in place and says how many values it replaced. */
  private static int redactInPlace(JsonNode node, Set<String> fields) {
    int redacted = 0;
    if (node instanceof ObjectNode object) {
      var names = new java.util.ArrayList<String>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (fields.contains(name)) {
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

  /** At most {@code maxChars} characters; a longer text ends with a marker saying how much went. */
  public static String truncate(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    String marker = "...[truncated " + text.length() + " chars]";
    return text.substring(0, Math.max(0, maxChars - marker.length())) + marker;
  }
}
