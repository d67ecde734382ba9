package io.mlws.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    return desired(
        plan.spec(), plan.spec().versions().isEmpty() ? Map.of() : plan.versionAddresses().get());
  }

  public static ConfigMap desired(ResolvedSpec spec, Map<String, String> versionAddresses) {
    return new ConfigMapBuilder()
        .withMetadata(
            ScorerNames.metadata(ScorerNames.configMap(spec.name()), spec.name(), spec.namespace()))
        .withData(Map.of(ScorerNames.SETTINGS_FILE, settingsJson(spec, versionAddresses)))
        .build();
  }

  /**
   * The settings file's format is the contract with the scorer (docs/api.md, "The scorer
   * contract").
   */
  static String settingsJson(ResolvedSpec spec, Map<String, String> versionAddresses) {
    Map<String, Object> model = modelIdentity(spec.model());
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
    if (!spec.versions().isEmpty()) {
      settings.put("routing", routing(spec, versionAddresses));
    }
    try {
      return JSON.writeValueAsString(settings) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every version with its weight, where its Service is (blank until the cache has its cluster IP:
   * the scorer then answers that version's share itself) and what its model is called.
   */
  static Map<String, Object> routing(ResolvedSpec spec, Map<String, String> versionAddresses) {
    List<Map<String, Object>> versions = new ArrayList<>();
    versions.add(
        route(
            SpecDefaults.DEFAULT_VERSION_NAME,
            spec.defaultWeight(),
            0,
            spec.model(),
            versionAddresses));
    for (ResolvedSpec.Version version : spec.versions()) {
      versions.add(
          route(
              version.name(),
              version.weight(),
              version.mirrorPercentage(),
              version.model(),
              versionAddresses));
    }
    return Map.of("versions", versions);
  }

  private static Map<String, Object> route(
      String name,
      int weight,
      int mirror,
      ResolvedSpec.Model model,
      Map<String, String> versionAddresses) {
    Map<String, Object> route = new LinkedHashMap<>();
    route.put("name", name);
    route.put("weight", weight);
    if (mirror > 0) {
      route.put("mirror", mirror);
    }
    route.put(
        "url",
        Optional.ofNullable(versionAddresses.get(name)).map(ScorerConfigMap::url).orElse(""));
    route.put("model", modelIdentity(model));
    return route;
  }

  /** A version Service's address: its cluster IP and the Services' port. */
  static String url(String clusterIp) {
    return "http://"
        + (clusterIp.contains(":") ? "[" + clusterIp + "]" : clusterIp)
        + ":"
        + ScorerNames.SERVICE_PORT;
  }

  private static Map<String, Object> modelIdentity(ResolvedSpec.Model model) {
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("name", model.name());
    identity.put("version", model.version());
    return identity;
  }
}
