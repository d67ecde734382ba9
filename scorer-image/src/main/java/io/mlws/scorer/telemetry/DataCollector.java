package io.mlws.scorer.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.settings.RuntimeSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends one model_data_collection trace per sampled scoring request, with the custom dimensions
 * Azure ML's inference server uses, so existing queries keep working.
 *
 * <p>The trace is a log record written in the request's context (so it shares the request's
 * operation id) with the dimensions as MDC entries (which the agent turns into custom dimensions).
 * The agent would drop it with a sampled-out request; the applicationinsights.json shipped beside
 * the agent has a sampling override that keeps every record carrying a "Models" dimension, so this
 * class alone decides what share is collected.
 */
public final class DataCollector {
  public static final String MESSAGE = "model_data_collection";
  private static final Logger TRACES = LoggerFactory.getLogger("mlws.data_collection");

  private final Supplier<RuntimeSettings> settings;
  private final String podName;

  public DataCollector(Supplier<RuntimeSettings> settings, String podName) {
    this.settings = settings;
    this.podName = podName;
  }

  /** Identifies the request a collection belongs to. */
  public record RequestIds(String requestId, String clientRequestId) {}

  public void collect(RequestIds ids, JsonNode input, JsonNode prediction) {
    RuntimeSettings now = settings.get();
    if (!now.dataCollectionEnabled() || !sampledIn(now.dataCollectionSamplingPercentage())) {
      return;
    }
    Map<String, String> dimensions = dimensions(now, podName, ids, input, prediction);
    try {
      dimensions.forEach(MDC::put);
      TRACES.info(MESSAGE);
    } catch (Throwable ignored) {
      // Telemetry must never affect the response.
    } finally {
      dimensions.keySet().forEach(MDC::remove);
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
