package io.mlws.scorer.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.ScorerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the scorer may be told without a restart: model identity for telemetry and data collection.
 * Read from the settings file the operator's ConfigMap provides, or from the environment when there
 * is no file.
 */
public record RuntimeSettings(
    String modelName,
    String modelVersion,
    String serviceName,
    String namespace,
    boolean dataCollectionEnabled,
    double dataCollectionSamplingPercentage,
    int maxPayloadChars,
    Set<String> redactFields) {

  public static RuntimeSettings fromConfig(ScorerConfig config) {
    return new RuntimeSettings(
        config.modelName(),
        config.modelVersion(),
        config.serviceName(),
        config.namespace(),
        config.dataCollectionEnabled(),
        config.dataCollectionSamplingPercentage(),
        config.maxPayloadChars(),
        Set.copyOf(config.redactFields()));
  }

  /**
   * The settings file (docs/api.md has its format) over the environment's values: a field the file
   * leaves out keeps the value from {@code base}. Invalid values are refused with a message.
   */
  public static RuntimeSettings fromFile(JsonNode file, RuntimeSettings base) {
    JsonNode model = file.path("model");
    JsonNode service = file.path("service");
    JsonNode collection = file.path("dataCollection");
    double sampling =
        collection.path("samplingPercentage").asDouble(base.dataCollectionSamplingPercentage());
    if (!(sampling >= 0 && sampling <= 100)) {
      throw new IllegalArgumentException(
          "dataCollection.samplingPercentage must be from 0 to 100, got " + sampling);
    }
    int maxChars = collection.path("maxPayloadChars").asInt(base.maxPayloadChars());
    if (maxChars < 16 || maxChars > 8192) {
      throw new IllegalArgumentException(
          "dataCollection.maxPayloadChars must be from 16 to 8192, got " + maxChars);
    }
    Set<String> redact = base.redactFields();
    if (collection.has("redactFields")) {
      List<String> fields = new ArrayList<>();
      collection.get("redactFields").forEach(f -> fields.add(f.asText()));
      redact = Set.copyOf(fields);
    }
    return new RuntimeSettings(
        model.path("name").asText(base.modelName()),
        model.path("version").asText(base.modelVersion()),
        service.path("name").asText(base.serviceName()),
        service.path("namespace").asText(base.namespace()),
        collection.path("enabled").asBoolean(base.dataCollectionEnabled()),
        sampling,
        maxChars,
        redact);
  }

  /** The Models dimension, as Azure ML writes it: name:version. */
  public String models() {
    return modelName + ":" + modelVersion;
  }
}
