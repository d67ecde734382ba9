package io.mlws.scorer.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.routing.VersionRoutes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    Set<String> redactFields,
    VersionRoutes routes) {

  /** Settings of a pod that knows of no other model version. */
  public RuntimeSettings(
      String modelName,
      String modelVersion,
      String serviceName,
      String namespace,
      boolean dataCollectionEnabled,
      double dataCollectionSamplingPercentage,
      int maxPayloadChars,
      Set<String> redactFields) {
    this(
        modelName,
        modelVersion,
        serviceName,
        namespace,
        dataCollectionEnabled,
        dataCollectionSamplingPercentage,
        maxPayloadChars,
        redactFields,
        VersionRoutes.none(Optional.empty()));
  }

  public static RuntimeSettings fromConfig(ScorerConfig config) {
    return new RuntimeSettings(
        config.modelName(),
        config.modelVersion(),
        config.serviceName(),
        config.namespace(),
        config.dataCollectionEnabled(),
        config.dataCollectionSamplingPercentage(),
        config.maxPayloadChars(),
        Set.copyOf(config.redactFields()),
        VersionRoutes.none(config.versionName()));
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
    VersionRoutes routes =
        file.has("routing")
            ? VersionRoutes.fromSettings(file.get("routing"), base.routes().own())
            : VersionRoutes.none(Optional.of(base.routes().own()));
    // A version's pods share the file: their model's identity is in their version's route.
    Optional<VersionRoutes.Route> own = routes.named(routes.own());
    return new RuntimeSettings(
        own.map(VersionRoutes.Route::modelName)
            .filter(name -> !name.isEmpty())
            .orElse(model.path("name").asText(base.modelName())),
        own.map(VersionRoutes.Route::modelVersion)
            .filter(version -> !version.isEmpty())
            .orElse(model.path("version").asText(base.modelVersion())),
        service.path("name").asText(base.serviceName()),
        service.path("namespace").asText(base.namespace()),
        collection.path("enabled").asBoolean(base.dataCollectionEnabled()),
        sampling,
        maxChars,
        redact,
        routes);
  }

  /** The Models dimension, as Azure ML writes it: name:version. */
  public String models() {
    return modelName + ":" + modelVersion;
  }
}
