package io.mlws.scorer.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.settings.RuntimeSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sends one model_data_collection trace per sampled scoring request, with the custom dimensions
 * Azure ML's inference server uses, so existing queries keep working.
 *
 * <p>The trace is sent in the request's context (so it shares the request's operation id) through a
 * {@link TraceBridge}; this class alone decides what share is collected.
 */
public final class DataCollector {
  public static final String MESSAGE = "model_data_collection";

  private final Supplier<RuntimeSettings> settings;
  private final String podName;
  private final TraceBridge bridge;

  public DataCollector(Supplier<RuntimeSettings> settings, String podName, TraceBridge bridge) {
    this.settings = settings;
    this.podName = podName;
    this.bridge = bridge;
  }

  /** Identifies the request a collection belongs to. */
  public record RequestIds(String requestId, String clientRequestId) {}

  public void collect(RequestIds ids, JsonNode input, JsonNode prediction) {
    RuntimeSettings now = settings.get();
    if (!now.dataCollectionEnabled()) {
      return;
    }
    if (!sampledIn(now.dataCollectionSamplingPercentage())) {
      ScorerMetrics.dataCollection("sampled_out");
      return;
    }
    try {
      bridge.send(MESSAGE, dimensions(now, podName, ids, input, prediction));
      ScorerMetrics.dataCollection("kept");
    } catch (Throwable ignored) {
      // Telemetry must never affect the response.
      ScorerMetrics.dataCollection("failed");
    }
  }

  public static Map<String, String> dimensions(
      RuntimeSettings now, String podName, RequestIds ids, JsonNode input, JsonNode prediction) {
    Map<String, String> dimensions = new LinkedHashMap<>();
    dimensions.put("Request Id", ids.requestId());
    dimensions.put("Client Request Id", ids.clientRequestId() == null ? "" : ids.clientRequestId());
    dimensions.put("Container Id", podName);
    dimensions.put("Service Name", now.serviceName());
    dimensions.put("Workspace Name", now.namespace());
    dimensions.put("Models", now.models());
    dimensions.put(
        "Input",
        PayloadShaping.truncate(
            PayloadShaping.redact(input, now.redactFields()).toString(), now.maxPayloadChars()));
    dimensions.put(
        "Prediction", PayloadShaping.truncate(prediction.toString(), now.maxPayloadChars()));
    return dimensions;
  }

  private static boolean sampledIn(double percentage) {
    return percentage >= 100 || ThreadLocalRandom.current().nextDouble(100) < percentage;
  }
}
