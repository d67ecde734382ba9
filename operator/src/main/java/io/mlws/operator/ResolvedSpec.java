package io.mlws.operator;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.mlws.api.v1alpha1.AppInsightsSpec;
import io.mlws.api.v1alpha1.AutoscalingSpec;
import io.mlws.api.v1alpha1.DataCollectionSpec;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceSpec;
import io.mlws.api.v1alpha1.ModelSpec;
import io.mlws.api.v1alpha1.SecretKeyReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An MLWebService with every default filled in, in one place, so that desired state never depends
 * on whether the API server applied the CRD's schema defaults (objects read from a cache or built
 * in tests have none).
 */
public record ResolvedSpec(
    String name,
    String namespace,
    String modelUri,
    Optional<String> modelSha256,
    String modelName,
    String modelVersion,
    String image,
    Optional<Integer> replicas,
    Optional<AutoscalingSpec> autoscaling,
    boolean appInsightsRequested,
    Optional<SecretKeyReference> connectionStringSecret,
    double appInsightsSamplingPercentage,
    String roleName,
    boolean dataCollectionRequested,
    double dataCollectionSamplingPercentage,
    int maxPayloadChars,
    List<String> redactFields,
    Optional<ResourceRequirements> resources) {

  public static ResolvedSpec of(MLWebService mlws, OperatorConfig config) {
    String name = mlws.getMetadata().getName();
    MLWebServiceSpec spec = Objects.requireNonNullElseGet(mlws.getSpec(), MLWebServiceSpec::new);
    ModelSpec model = Objects.requireNonNullElseGet(spec.getModel(), ModelSpec::new);
    AppInsightsSpec insights =
        Objects.requireNonNullElseGet(spec.getAppInsights(), AppInsightsSpec::new);
    DataCollectionSpec collection =
        Objects.requireNonNullElseGet(spec.getDataCollection(), DataCollectionSpec::new);
    Optional<AutoscalingSpec> autoscaling = Optional.ofNullable(spec.getAutoscaling());
    return new ResolvedSpec(
        name,
        mlws.getMetadata().getNamespace(),
        model.getUri(),
        Optional.ofNullable(model.getSha256()).map(String::toLowerCase),
        Objects.requireNonNullElse(model.getName(), name),
        Objects.requireNonNullElse(model.getVersion(), "1"),
        Objects.requireNonNullElse(spec.getImage(), config.scorerImage()),
        autoscaling.isPresent()
            ? Optional.empty()
            : Optional.of(Objects.requireNonNullElse(spec.getReplicas(), 1)),
        autoscaling,
        Boolean.TRUE.equals(insights.getEnabled()),
        Optional.ofNullable(insights.getConnectionStringSecretRef())
            .map(
                ref ->
                    new SecretKeyReference(
                        ref.getName(),
                        Objects.requireNonNullElse(ref.getKey(), SecretKeyReference.DEFAULT_KEY)))
            .or(config::defaultAppInsightsSecret),
        Objects.requireNonNullElse(insights.getSamplingPercentage(), 100.0),
        Objects.requireNonNullElse(insights.getRoleName(), name),
        Boolean.TRUE.equals(collection.getEnabled()),
        Objects.requireNonNullElse(collection.getSamplingPercentage(), 100.0),
        Objects.requireNonNullElse(collection.getMaxPayloadChars(), 8192),
        List.copyOf(Objects.requireNonNullElse(collection.getRedactFields(), List.of())),
        Optional.ofNullable(spec.getResources()));
  }

  /** The most pods that may run at once: what decides whether a disruption budget is worth it. */
  public static int maxReplicas(MLWebServiceSpec spec) {
    if (spec == null) {
      return 1;
    }
    if (spec.getAutoscaling() != null) {
      return Objects.requireNonNullElse(spec.getAutoscaling().getMaxReplicas(), 1);
    }
    return Objects.requireNonNullElse(spec.getReplicas(), 1);
  }
}
