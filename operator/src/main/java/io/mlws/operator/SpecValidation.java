package io.mlws.operator;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.mlws.api.v1alpha1.AutoscalingSpec;
import io.mlws.api.v1alpha1.DataCollectionStorage;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceSpec;
import io.mlws.api.v1alpha1.ModelSpec;
import io.mlws.api.v1alpha1.ModelVersionSpec;
import io.mlws.api.v1alpha1.SamplingPercentage;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.api.v1alpha1.StorageCredential;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.ResolvedSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The checks the operator repeats at run time: the CRD schema rejects most of these at admission,
 * but a cluster with an older CRD, or one without CEL, lets them through; and one check (a default
 * Secret) depends on the operator's configuration, which no schema can know.
 */
public final class SpecValidation {
  private static final Pattern URI = Pattern.compile(ModelSpec.URI_PATTERN);

  private static final List<BiFunction<MLWebServiceSpec, OperatorConfig, Optional<String>>> CHECKS =
      List.of(
          SpecValidation::modelUri,
          SpecValidation::replicasOrAutoscaling,
          SpecValidation::autoscalingBounds,
          SpecValidation::connectionStringSecret,
          SpecValidation::percentages,
          SpecValidation::collectStorage,
          SpecValidation::versions);

  private static final Pattern DNS_1035_LABEL = Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");

  private SpecValidation() {}

  /** Problems with the resource's name (it names the Service) and with its spec. */
  public static List<String> problems(MLWebService mlws, OperatorConfig config) {
    List<String> problems = new ArrayList<>();
    String name = mlws.getMetadata().getName();
    if (name.length() > 63 || !DNS_1035_LABEL.matcher(name).matches()) {
      problems.add(
          "metadata.name must be a DNS-1035 label of at most 63 characters (it names the scorer"
              + " Service), got "
              + name);
    }
    problems.addAll(problems(mlws.getSpec(), config));
    return problems;
  }

  /** Every problem found, each a sentence naming the field; empty when the spec can be realized. */
  public static List<String> problems(MLWebServiceSpec spec, OperatorConfig config) {
    if (spec == null) {
      return List.of("spec is missing");
    }
    return CHECKS.stream().flatMap(check -> check.apply(spec, config).stream()).toList();
  }

  static Optional<String> modelUri(MLWebServiceSpec spec, OperatorConfig config) {
    if (spec.getModel() == null || spec.getModel().getUri() == null) {
      return Optional.of("spec.model.uri is required");
    }
    if (!URI.matcher(spec.getModel().getUri()).matches()) {
      return Optional.of(
          "spec.model.uri must be https://, http://, file:///<absolute path> or"
              + " pvc://<claim>/<path>, got "
              + spec.getModel().getUri());
    }
    return Optional.empty();
  }

  /** What the CRD's rules say of spec.versions, again: an older CRD may lack them. */
  static Optional<String> versions(MLWebServiceSpec spec, OperatorConfig config) {
    List<ModelVersionSpec> versions = spec.getVersions();
    if (versions == null) {
      return Optional.empty();
    }
    if (versions.size() > SpecDefaults.MAX_VERSIONS) {
      return Optional.of("spec.versions has at most " + SpecDefaults.MAX_VERSIONS + " entries");
    }
    Set<String> names = new HashSet<>();
    int weights = 0;
    for (ModelVersionSpec version : versions) {
      String name = version.getName();
      if (name == null
          || name.length() > SpecDefaults.VERSION_NAME_LENGTH
          || !DNS_1035_LABEL.matcher(name).matches()
          || name.equals(SpecDefaults.DEFAULT_VERSION_NAME)
          || !names.add(name)) {
        return Optional.of(
            "spec.versions[].name must be a unique DNS-1035 label of at most "
                + SpecDefaults.VERSION_NAME_LENGTH
                + " characters other than '"
                + SpecDefaults.DEFAULT_VERSION_NAME
                + "', got "
                + name);
      }
      if (version.getModel() == null
          || version.getModel().getUri() == null
          || !URI.matcher(version.getModel().getUri()).matches()) {
        return Optional.of(
            "spec.versions[" + name + "].model.uri is required, in the form spec.model.uri has");
      }
      int weight = java.util.Objects.requireNonNullElse(version.getWeight(), -1);
      if (weight < 0 || weight > 100) {
        return Optional.of("spec.versions[" + name + "].weight must be from 0 to 100");
      }
      int mirror = java.util.Objects.requireNonNullElse(version.getMirrorPercentage(), 0);
      if (mirror < 0 || mirror > 100 || (mirror > 0 && weight > 0)) {
        return Optional.of(
            "spec.versions["
                + name
                + "].mirrorPercentage must be from 0 to 100, and needs weight 0");
      }
      weights += weight;
    }
    return weights > 100
        ? Optional.of(
            "the weights of spec.versions must not add up to more than 100, got " + weights)
        : Optional.empty();
  }

  static final long MIN_COLLECT_BUFFER_BYTES =
      Quantity.getAmountInBytes(new Quantity(SpecDefaults.COLLECT_BUFFER_SIZE_MIN))
          .longValueExact();

  /**
   * What the CRD's schema and rules say of spec.dataCollection.storage, again: an older CRD may
   * lack them.
   */
  static Optional<String> collectStorage(MLWebServiceSpec spec, OperatorConfig config) {
    DataCollectionStorage storage =
        spec.getDataCollection() == null ? null : spec.getDataCollection().getStorage();
    if (storage == null) {
      return Optional.empty();
    }
    String url = storage.getContainerUrl();
    if (url == null || !url.startsWith("https://") || url.contains("?")) {
      return Optional.of(
          "spec.dataCollection.storage.containerUrl must be a container's https:// URL without a"
              + " query (a SAS goes in credential.secretRef)");
    }
    StorageCredential credential = storage.getCredential();
    if (credential == null || credential.getType() == null) {
      return Optional.of(
          "spec.dataCollection.storage.credential.type is required: WorkloadIdentity or SASToken");
    }
    if (credential.getType().sasToken()
        && (credential.getSecretRef() == null
            || credential.getSecretRef().getName() == null
            || credential.getSecretRef().getKey() == null)) {
      return Optional.of(
          "spec.dataCollection.storage.credential.secretRef.{name,key} is required with SASToken");
    }
    String limit =
        java.util.Objects.requireNonNullElse(
            storage.getBufferSizeLimit(), SpecDefaults.COLLECT_BUFFER_SIZE_LIMIT);
    try {
      if (Quantity.getAmountInBytes(new Quantity(limit)).longValue() < MIN_COLLECT_BUFFER_BYTES) {
        return Optional.of(
            "spec.dataCollection.storage.bufferSizeLimit must be at least "
                + SpecDefaults.COLLECT_BUFFER_SIZE_MIN
                + ", got "
                + limit);
      }
    } catch (RuntimeException e) {
      return Optional.of(
          "spec.dataCollection.storage.bufferSizeLimit must be a quantity such as 1Gi, got "
              + limit);
    }
    return Optional.empty();
  }

  static Optional<String> replicasOrAutoscaling(MLWebServiceSpec spec, OperatorConfig config) {
    if (spec.getReplicas() != null && spec.getAutoscaling() != null) {
      return Optional.of("set either spec.replicas or spec.autoscaling, not both");
    }
    if (spec.getReplicas() != null && spec.getReplicas() < 0) {
      return Optional.of("spec.replicas must not be negative");
    }
    return Optional.empty();
  }

  static Optional<String> autoscalingBounds(MLWebServiceSpec spec, OperatorConfig config) {
    AutoscalingSpec autoscaling = spec.getAutoscaling();
    if (autoscaling == null) {
      return Optional.empty();
    }
    if (autoscaling.getMaxReplicas() == null || autoscaling.getMaxReplicas() < 1) {
      return Optional.of("spec.autoscaling.maxReplicas must be at least 1");
    }
    int min = ResolvedSpec.autoscaling(autoscaling).minReplicas();
    if (min < 1 || min > autoscaling.getMaxReplicas()) {
      return Optional.of(
          "spec.autoscaling.minReplicas must be between 1 and maxReplicas (%d), got %d"
              .formatted(autoscaling.getMaxReplicas(), min));
    }
    return Optional.empty();
  }

  static Optional<String> connectionStringSecret(MLWebServiceSpec spec, OperatorConfig config) {
    boolean enabled =
        spec.getAppInsights() != null && Boolean.TRUE.equals(spec.getAppInsights().getEnabled());
    if (enabled
        && spec.getAppInsights().getConnectionStringSecretRef() == null
        && config.defaultAppInsightsSecret().isEmpty()) {
      return Optional.of(
          "spec.appInsights.connectionStringSecretRef is required when appInsights is enabled"
              + " (this operator has no default Secret)");
    }
    return Optional.empty();
  }

  static Optional<String> percentages(MLWebServiceSpec spec, OperatorConfig config) {
    if (spec.getAppInsights() != null) {
      Optional<String> refused =
          refusal(
              spec.getAppInsights().getSamplingPercentage(), "spec.appInsights.samplingPercentage");
      if (refused.isPresent()) {
        return refused;
      }
    }
    if (spec.getDataCollection() != null) {
      return refusal(
          spec.getDataCollection().getSamplingPercentage(),
          "spec.dataCollection.samplingPercentage");
    }
    return Optional.empty();
  }

  private static Optional<String> refusal(IntOrString percentage, String field) {
    if (percentage == null) {
      return Optional.empty();
    }
    try {
      SamplingPercentage.of(percentage);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(field + ": " + e.getMessage());
    }
  }
}
