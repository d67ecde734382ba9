package io.mlws.scorer.collect;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.storage.CollectedRecord;
import io.mlws.scorer.storage.StorageSink;
import io.mlws.scorer.telemetry.TraceBridge;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends one model_data_collection trace per sampled scoring request, with the custom dimensions
 * Azure ML's inference server uses, so existing queries keep working; and, when a container is
 * named, the same record (redacted the same way, not truncated) to Blob Storage.
 *
 * <p>The trace is sent in the request's context (so it shares the request's operation id) through a
 * {@link TraceBridge}; this class alone decides what share is collected.
 */
public final class DataCollector {
  public static final String MESSAGE = "model_data_collection";

  private final Supplier<RuntimeSettings> settings;
  private final String podName;
  private final TraceBridge bridge;
  private final Optional<StorageSink> storage;
  private final CollectionSampling sampling;

  public DataCollector(Supplier<RuntimeSettings> settings, String podName, TraceBridge bridge) {
    this(settings, podName, bridge, Optional.empty());
  }

  /** The same, each record also written to Blob Storage through {@code storage}. */
  public DataCollector(
      Supplier<RuntimeSettings> settings,
      String podName,
      TraceBridge bridge,
      Optional<StorageSink> storage) {
    this(settings, podName, bridge, storage, CollectionSampling.random());
  }

  DataCollector(
      Supplier<RuntimeSettings> settings,
      String podName,
      TraceBridge bridge,
      Optional<StorageSink> storage,
      CollectionSampling sampling) {
    this.settings = settings;
    this.podName = podName;
    this.bridge = bridge;
    this.storage = storage;
    this.sampling = sampling;
  }

  /** Identifies the request a collection belongs to. */
  public record RequestIds(String requestId, String clientRequestId) {}

  public void collect(RequestIds ids, JsonNode input, JsonNode prediction) {
    RuntimeSettings now = settings.get();
    if (!now.dataCollectionEnabled()) {
      return;
    }
    if (!sampling.keeps(now.dataCollectionSamplingPercentage())) {
      ScorerMetrics.dataCollection("sampled_out");
      return;
    }
    JsonNode redacted = PayloadShaping.redact(input, now.redactFields());
    try {
      bridge.send(MESSAGE, dimensionsOfRedacted(now, podName, ids, redacted, prediction));
      ScorerMetrics.dataCollection("kept");
    } catch (Throwable ignored) {
      // Telemetry must never affect the response.
      ScorerMetrics.dataCollection("failed");
    }
    storage.ifPresent(sink -> toStorage(sink, now, ids, redacted, prediction));
  }

  private void toStorage(
      StorageSink sink, RuntimeSettings now, RequestIds ids, JsonNode input, JsonNode prediction) {
    try {
      sink.offer(
          CollectedRecord.of(
              new CollectedRecord.Origin(
                  now.namespace(),
                  now.serviceName(),
                  podName,
                  now.modelName(),
                  now.modelVersion(),
                  now.routes().active() ? Optional.of(now.routes().own()) : Optional.empty()),
              new CollectedRecord.RequestIds(
                  operationId().orElse(ids.requestId()), ids.requestId(), ids.clientRequestId()),
              input,
              prediction,
              Instant.now()));
    } catch (Throwable ignored) {
      // Collection must never affect the response.
      ScorerMetrics.collectStorage("dropped");
    }
  }

  /** The request's operation id in Application Insights, when the agent traces it. */
  private static Optional<String> operationId() {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty();
  }

  /** The trace's dimensions, the input redacted and both values truncated. */
  public static Map<String, String> dimensions(
      RuntimeSettings now, String podName, RequestIds ids, JsonNode input, JsonNode prediction) {
    return dimensionsOfRedacted(
        now, podName, ids, PayloadShaping.redact(input, now.redactFields()), prediction);
  }

  private static Map<String, String> dimensionsOfRedacted(
      RuntimeSettings now, String podName, RequestIds ids, JsonNode input, JsonNode prediction) {
    Map<String, String> dimensions = new LinkedHashMap<>();
    dimensions.put("Request Id", ids.requestId());
    dimensions.put("Client Request Id", ids.clientRequestId() == null ? "" : ids.clientRequestId());
    dimensions.put("Container Id", podName);
    dimensions.put("Service Name", now.serviceName());
    dimensions.put("Workspace Name", now.namespace());
    dimensions.put("Models", now.models());
    if (now.routes().active()) {
      dimensions.put("Version", now.routes().own());
    }
    dimensions.put("Input", PayloadShaping.truncate(input.toString(), now.maxPayloadChars()));
    dimensions.put(
        "Prediction", PayloadShaping.truncate(prediction.toString(), now.maxPayloadChars()));
    return dimensions;
  }
}
