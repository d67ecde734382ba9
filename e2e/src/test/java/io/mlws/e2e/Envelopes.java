package io.mlws.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What the scenarios read in the envelopes a capture server received. */
final class Envelopes {
  /**
   * The eight dimensions of a model_data_collection trace, as Azure ML's data collector names them.
   */
  static final List<String> DIMENSIONS =
      List.of(
          "Request Id",
          "Client Request Id",
          "Container Id",
          "Service Name",
          "Workspace Name",
          "Models",
          "Input",
          "Prediction");

  private Envelopes() {}

  /** The model_data_collection traces. */
  static List<JsonNode> collections(List<JsonNode> envelopes) {
    return envelopes.stream()
        .filter(e -> "MessageData".equals(e.at("/data/baseType").asText()))
        .filter(e -> "model_data_collection".equals(e.at("/data/baseData/message").asText()))
        .toList();
  }

  static Set<String> collectedRequestIds(List<JsonNode> envelopes) {
    return collections(envelopes).stream()
        .map(e -> e.at("/data/baseData/properties/Request Id").asText())
        .collect(Collectors.toSet());
  }

  /** The scorer's request ids (x-ms-request-id) of the /score RequestData envelopes. */
  static Set<String> requestIds(List<JsonNode> envelopes) {
    return envelopes.stream()
        .filter(e -> "RequestData".equals(e.at("/data/baseType").asText()))
        .filter(e -> e.at("/data/baseData/name").asText().equals("POST /score"))
        .map(e -> e.at("/data/baseData/properties/Request Id").asText())
        .collect(Collectors.toSet());
  }
}
