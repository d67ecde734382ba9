package io.mlws.devtools.capture;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading Application Insights envelopes: what kind each is, and a one-line description. */
public final class Envelopes {
  private Envelopes() {}

  public static String type(JsonNode envelope) {
    return envelope.path("data").path("baseType").asText();
  }

  public static JsonNode data(JsonNode envelope) {
    return envelope.path("data").path("baseData");
  }

  public static String operationId(JsonNode envelope) {
    return envelope.path("tags").path("ai.operation.id").asText();
  }

  public static List<JsonNode> ofType(List<JsonNode> envelopes, String baseType) {
    List<JsonNode> matching = new ArrayList<>();
    for (JsonNode envelope : envelopes) {
      if (baseType.equals(type(envelope))) {
        matching.add(envelope);
      }
    }
    return matching;
  }

  public static String describe(JsonNode envelope) {
    JsonNode data = data(envelope);
    String op = operationId(envelope);
    String opShort = op.length() > 8 ? op.substring(0, 8) : op;
    return switch (type(envelope)) {
      case "RequestData" ->
          "[request]    %s -> %s success=%s duration=%s op=%s"
              .formatted(
                  data.path("name").asText(),
                  data.path("responseCode").asText(),
                  data.path("success").asText(),
                  data.path("duration").asText(),
                  opShort);
      case "RemoteDependencyData" ->
          "[dependency] %s %s -> %s success=%s op=%s"
              .formatted(
                  data.path("type").asText(),
                  data.path("data").asText(data.path("name").asText()),
                  data.path("resultCode").asText(),
                  data.path("success").asText(),
                  opShort);
      case "ExceptionData" ->
          "[exception]  %s: %s op=%s"
              .formatted(
                  data.path("exceptions").path(0).path("typeName").asText(),
                  data.path("exceptions").path(0).path("message").asText(),
                  opShort);
      case "MessageData" ->
          "[trace]      %s %s op=%s"
              .formatted(
                  data.path("message").asText(),
                  data.path("properties").isEmpty() ? "" : data.path("properties"),
                  opShort);
      case "EventData" ->
          "[event]      %s %s".formatted(data.path("name").asText(), data.path("properties"));
      case "MetricData" ->
          "[metric]     %s".formatted(data.path("metrics").path(0).path("name").asText());
      default -> "[" + type(envelope) + "] " + data;
    };
  }
}
