package io.mlws.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The status Flux's wait and `kubectl wait` tooling computes for a custom resource, following
 * kstatus (sigs.k8s.io/cli-utils/pkg/kstatus/status): deletion means Terminating; an
 * observedGeneration behind metadata.generation means InProgress; Reconciling=True means
 * InProgress; Stalled=True means Failed; then a Ready condition decides (True: Current, False:
 * InProgress); with none of these the resource is Current.
 */
final class Kstatus {
  enum Status {
    CURRENT,
    IN_PROGRESS,
    FAILED,
    TERMINATING
  }

  private Kstatus() {}

  static Status compute(JsonNode resource) {
    if (resource.at("/metadata/deletionTimestamp").isTextual()) {
      return Status.TERMINATING;
    }
    JsonNode observed = resource.at("/status/observedGeneration");
    if (observed.isNumber() && observed.asLong() != resource.at("/metadata/generation").asLong()) {
      return Status.IN_PROGRESS;
    }
    for (JsonNode condition : resource.at("/status/conditions")) {
      boolean isTrue = "True".equals(condition.path("status").asText());
      if ("Reconciling".equals(condition.path("type").asText()) && isTrue) {
        return Status.IN_PROGRESS;
      }
      if ("Stalled".equals(condition.path("type").asText()) && isTrue) {
        return Status.FAILED;
      }
    }
    for (JsonNode condition : resource.at("/status/conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText())
            ? Status.CURRENT
            : Status.IN_PROGRESS;
      }
    }
    return Status.CURRENT;
  }
}
