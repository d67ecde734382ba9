package io.mlws.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scorer's runtime settings file. Data collection lives here, not in the pod template, so
 * switching it is a file change the scorer reloads, never a rollout.
 */
public class ScorerConfigMap extends ScorerObject<ConfigMap> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ScorerConfigMap() {
    super(ConfigMap.class);
  }

  @Override
  public String objectName(String name) {
    return ScorerNames.configMap(name);
  }

  @Override
  protected ConfigMap desired(ScorerPlan plan) {
    return desired(plan.spec());
  }

  public static ConfigMap desired(ResolvedSpec spec) {
    return new ConfigMapBuilder()
        .withMetadata(
            ScorerNames.metadata(ScorerNames.configMap(spec.name()), spec.name(), spec.namespace()))
        .withData(Map.of(ScorerNames.SETTINGS_FILE, settingsJson(spec)))
        .build();
  }

  /**
   * The settings file's format is the contract with the scorer (docs/api.md, "The scorer
   * contract").
   */
  static String settingsJson(ResolvedSpec spec) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", spec.model().name());
    model.put("version", spec.model().version());
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("name", spec.name());
    service.put("namespace", spec.namespace());
    Map<String, Object> dataCollection = new LinkedHashMap<>();
    dataCollection.put("enabled", spec.dataCollection().requested());
    dataCollection.put("samplingPercentage", spec.dataCollection().samplingPercentage());
    dataCollection.put("maxPayloadChars", spec.dataCollection().maxPayloadChars());
    dataCollection.put("redactFields", spec.dataCollection().redactFields());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("model", model);
    settings.put("service", service);
    settings.put("dataCollection", dataCollection);
    try {
      return JSON.writeValueAsString(settings) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
