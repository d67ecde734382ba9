package io.mlws.operator.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.mlws.api.v1alpha1.AppInsightsSpec;
import io.mlws.api.v1alpha1.AuthMode;
import io.mlws.api.v1alpha1.AuthSpec;
import io.mlws.api.v1alpha1.AutoscalingSpec;
import io.mlws.api.v1alpha1.DataCollectionSpec;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceSpec;
import io.mlws.api.v1alpha1.ModelSpec;
import io.mlws.api.v1alpha1.ProbeSettings;
import io.mlws.api.v1alpha1.ProbesSpec;
import io.mlws.api.v1alpha1.ScorerResources;
import io.mlws.api.v1alpha1.ScoringSpec;
import io.mlws.api.v1alpha1.SecretKeyReference;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure ML v1 AKS web service, as {@code az ml service show} prints it or as its deployment
 * configuration file gives it (the service API's camelCase fields: autoScaler,
 * containerResourceRequirements, livenessProbeRequirements, scoringTimeoutMs, ...), converted to an
 * MLWebService: every setting that has a field, and a note for each that needs a person (the
 * model's new location, the Secret, what mlws does otherwise or not at all).
 */
public final class AzureMlV1Service {
  /** The name of the connection-string Secret the converted service refers to. */
  static final String APP_INSIGHTS_SECRET = "appinsights";

  private AzureMlV1Service() {}

  /** The manifest and the notes that go with it. */
  public record Conversion(MLWebService service, List<String> notes) {}

  public static Conversion convert(JsonNode v1) {
    List<String> notes = new ArrayList<>();
    String name = v1.path("name").asText("");
    if (name.isEmpty()) {
      throw new IllegalArgumentException(
          "the JSON has no \"name\": give the output of `az ml service show --name NAME` or the"
              + " service's serialize()");
    }
    if (!v1.path("computeType").asText("AKS").toUpperCase(Locale.ROOT).startsWith("AKS")) {
      notes.add(
          "computeType is "
              + v1.path("computeType").asText()
              + ", not AKS: the settings are converted as an AKS service's");
    }
    MLWebService service = new MLWebService();
    service.getMetadata().setName(name.toLowerCase(Locale.ROOT));
    text(v1, "namespace").ifPresent(service.getMetadata()::setNamespace);
    MLWebServiceSpec spec = new MLWebServiceSpec();
    service.setSpec(spec);
    spec.setModel(model(v1, notes));
    replicas(v1, spec, notes);
    spec.setResources(resources(v1.path("containerResourceRequirements"), notes));
    spec.setScoring(scoring(v1));
    liveness(v1.path("livenessProbeRequirements"))
        .ifPresent(
            liveness -> {
              ProbesSpec probes = new ProbesSpec();
              probes.setLiveness(liveness);
              spec.setProbes(probes);
            });
    telemetry(v1, spec, notes);
    auth(v1, service.getMetadata().getName(), spec, notes);
    if (v1.has("trafficPercentile") || v1.has("isDefault") || v1.has("type")) {
      notes.add(
          "an AksEndpoint version (trafficPercentile, isDefault, type): mlws serves one model per"
              + " MLWebService; convert each version to its own service");
    }
    text(v1, "computeName").ifPresent(compute -> notes.add("it ran on the AKS compute " + compute));
    return new Conversion(service, notes);
  }

  private static ModelSpec model(JsonNode v1, List<String> notes) {
    ModelSpec model = new ModelSpec();
    JsonNode models = v1.path("models");
    if (models.isArray() && !models.isEmpty()) {
      JsonNode first = models.get(0);
      text(first, "name").ifPresent(model::setName);
      if (first.hasNonNull("version")) {
        model.setVersion(first.get("version").asText());
      }
      if (models.size() > 1) {
        notes.add(
            models.size() + " models: an MLWebService serves one ONNX model; the first is kept");
      }
    }
    String file = Optional.ofNullable(model.getName()).orElse("model");
    model.setUri("https://ACCOUNT.blob.core.windows.net/models/" + file + ".onnx");
    notes.add(
        "spec.model.uri is a placeholder: export the model as ONNX (docs/migrate-from-azureml-v1.md,"
            + " \"The model\"), put it where the pods can read it and name it there; mlws runs no"
            + " score.py and no environment image");
    return model;
  }

  private static void replicas(JsonNode v1, MLWebServiceSpec spec, List<String> notes) {
    JsonNode scaler = v1.path("autoScaler");
    boolean autoscale = scaler.path("autoscaleEnabled").asBoolean(!v1.hasNonNull("numReplicas"));
    if (autoscale) {
      AutoscalingSpec autoscaling = new AutoscalingSpec();
      autoscaling.setMinReplicas(scaler.path("minReplicas").asInt(1));
      autoscaling.setMaxReplicas(scaler.path("maxReplicas").asInt(10));
      autoscaling.setTargetCPUUtilizationPercentage(scaler.path("targetUtilization").asInt(70));
      spec.setAutoscaling(autoscaling);
      notes.add(
          "autoScaler: v1 scaled on busy replicas (requests in flight); spec.autoscaling scales on"
              + " CPU. To scale on requests in flight, target the MLWebService with KEDA"
              + " (docs/migrate-from-azureml-v1.md, \"Autoscaling\")");
      if (scaler.hasNonNull("refreshPeriodInSeconds")) {
        notes.add(
            "autoScaler.refreshPeriodInSeconds has no field: the HorizontalPodAutoscaler looks"
                + " every 15 s (the cluster's --horizontal-pod-autoscaler-sync-period)");
      }
    } else {
      spec.setReplicas(v1.path("numReplicas").asInt(1));
    }
  }

  private static ScorerResources resources(JsonNode v1, List<String> notes) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    cores(v1, "cpu").ifPresent(cpu -> requests.put("cpu", cpu));
    mebibytes(v1, "memoryInGB").ifPresent(memory -> requests.put("memory", memory));
    cores(v1, "cpuLimit").ifPresent(cpu -> limits.put("cpu", cpu));
    mebibytes(v1, "memoryInGBLimit").ifPresent(memory -> limits.put("memory", memory));
    if (v1.path("gpu").asInt(0) > 0) {
      limits.put("nvidia.com/gpu", new Quantity(String.valueOf(v1.get("gpu").asInt())));
      notes.add("gpu: the scorer runs ONNX Runtime on the CPU; the GPU is requested but unused");
    }
    if (v1.path("fpga").asInt(0) > 0) {
      notes.add("fpga has no equivalent");
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return null;
    }
    ScorerResources resources = new ScorerResources();
    resources.setRequests(requests.isEmpty() ? null : requests);
    resources.setLimits(limits.isEmpty() ? null : limits);
    return resources;
  }

  private static ScoringSpec scoring(JsonNode v1) {
    ScoringSpec scoring = new ScoringSpec();
    integer(v1, "scoringTimeoutMs").ifPresent(scoring::setTimeoutMilliseconds);
    integer(v1, "maxConcurrentRequestsPerContainer").ifPresent(scoring::setMaxConcurrentRequests);
    integer(v1, "maxQueueWaitMs").ifPresent(scoring::setMaxQueueWaitMilliseconds);
    boolean any =
        scoring.getTimeoutMilliseconds() != null
            || scoring.getMaxConcurrentRequests() != null
            || scoring.getMaxQueueWaitMilliseconds() != null;
    return any ? scoring : null;
  }

  private static Optional<ProbeSettings> liveness(JsonNode v1) {
    if (!v1.isObject() || v1.isEmpty()) {
      return Optional.empty();
    }
    ProbeSettings probe = new ProbeSettings();
    integer(v1, "initialDelaySeconds").ifPresent(probe::setInitialDelaySeconds);
    integer(v1, "periodSeconds").ifPresent(probe::setPeriodSeconds);
    integer(v1, "timeoutSeconds").ifPresent(probe::setTimeoutSeconds);
    integer(v1, "successThreshold").ifPresent(probe::setSuccessThreshold);
    integer(v1, "failureThreshold").ifPresent(probe::setFailureThreshold);
    return Optional.of(probe);
  }

  private static void telemetry(JsonNode v1, MLWebServiceSpec spec, List<String> notes) {
    boolean insights = v1.path("appInsightsEnabled").asBoolean(false);
    if (insights) {
      AppInsightsSpec appInsights = new AppInsightsSpec();
      appInsights.setEnabled(true);
      SecretKeyReference secret = new SecretKeyReference();
      secret.setName(APP_INSIGHTS_SECRET);
      appInsights.setConnectionStringSecretRef(secret);
      spec.setAppInsights(appInsights);
      notes.add(
          "appInsightsEnabled: create the Secret "
              + APP_INSIGHTS_SECRET
              + " with your Application Insights connection string and the label"
              + " mlws.io/connection-string=true (README, \"On AKS\")");
    }
    JsonNode collection = v1.path("dataCollection");
    boolean collect =
        collection.path("storageEnabled").asBoolean(false)
            || collection.path("eventHubEnabled").asBoolean(false);
    if (collect) {
      DataCollectionSpec dataCollection = new DataCollectionSpec();
      dataCollection.setEnabled(true);
      spec.setDataCollection(dataCollection);
      notes.add(
          "dataCollection: the inputs and predictions go to Application Insights as"
              + " model_data_collection traces; for files in Blob Storage, set"
              + " spec.dataCollection.storage (docs/telemetry.md)");
      if (collection.path("eventHubEnabled").asBoolean(false)) {
        notes.add("dataCollection.eventHubEnabled has no equivalent: there is no Event Hubs sink");
      }
    }
  }

  private static void auth(JsonNode v1, String name, MLWebServiceSpec spec, List<String> notes) {
    if (v1.path("authEnabled").asBoolean(false)) {
      AuthSpec auth = new AuthSpec();
      auth.setMode(AuthMode.Keys);
      spec.setAuth(auth);
      notes.add(
          "authEnabled: the operator makes new keys, in the Secret "
              + name
              + "-keys; give your callers those (v1's keys are not carried over)");
    }
    if (v1.path("aadAuthEnabled").asBoolean(false)) {
      notes.add(
          "aadAuthEnabled (token_auth_enabled): for Entra ID tokens on the scoring endpoint, set"
              + " spec.auth.mode EntraId and spec.auth.entraId's tenantId and audience (the"
              + " audience your callers ask their tokens for); until then the converted service"
              + " uses keys or none");
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    return node.hasNonNull(field) && !node.get(field).asText().isEmpty()
        ? Optional.of(node.get(field).asText())
        : Optional.empty();
  }

  private static Optional<Integer> integer(JsonNode node, String field) {
    return node.hasNonNull(field) && node.get(field).isNumber()
        ? Optional.of(node.get(field).asInt())
        : Optional.empty();
  }

  /** v1's cores (0.1) as a Kubernetes quantity (100m). */
  private static Optional<Quantity> cores(JsonNode node, String field) {
    if (!node.hasNonNull(field) || !node.get(field).isNumber()) {
      return Optional.empty();
    }
    BigDecimal millis = node.get(field).decimalValue().movePointRight(3);
    return Optional.of(new Quantity(millis.setScale(0, java.math.RoundingMode.CEILING) + "m"));
  }

  /** v1's memory in GB (0.5) as mebibytes (512Mi), as Azure ML sized the container. */
  private static Optional<Quantity> mebibytes(JsonNode node, String field) {
    if (!node.hasNonNull(field) || !node.get(field).isNumber()) {
      return Optional.empty();
    }
    BigDecimal mebibytes = node.get(field).decimalValue().multiply(BigDecimal.valueOf(1024));
    return Optional.of(new Quantity(mebibytes.setScale(0, java.math.RoundingMode.CEILING) + "Mi"));
  }
}
