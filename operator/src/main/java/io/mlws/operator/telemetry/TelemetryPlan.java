package io.mlws.operator.telemetry;

import io.fabric8.kubernetes.api.model.Secret;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.operator.spec.ResolvedSpec;
import java.util.Optional;

/**
 * Whether the scorer pods get the Application Insights agent, decided from the spec and from the
 * connection-string Secret as it exists now, so a missing Secret never stops serving.
 *
 * @param state what the pods will really do
 * @param secret the Secret key the pods read the connection string from, when enabled
 * @param message a sentence for people; never contains the connection string
 * @param secretDigest SHA-256 of the connection string, when enabled, so that rotation rolls pods
 */
public record TelemetryPlan(
    AppInsightsState state,
    Optional<SecretKeyReference> secret,
    String message,
    Optional<String> secretDigest) {

  public static TelemetryPlan of(ResolvedSpec spec, Optional<Secret> secretFound) {
    if (!spec.appInsights().requested()) {
      return new TelemetryPlan(
          AppInsightsState.DISABLED,
          Optional.empty(),
          "spec.appInsights.enabled is false; the agent is not loaded",
          Optional.empty());
    }
    if (spec.appInsights().connectionStringSecret().isEmpty()) {
      return new TelemetryPlan(
          AppInsightsState.SECRET_MISSING,
          Optional.empty(),
          "spec.appInsights.connectionStringSecretRef is not set and the operator has no default"
              + " Secret (MLWS_DEFAULT_APPINSIGHTS_SECRET)",
          Optional.empty());
    }
    SecretKeyReference ref = spec.appInsights().connectionStringSecret().get();
    if (secretFound.isEmpty()) {
      return missing(
          ref,
          ("Secret %s labelled %s not found in namespace %s; serving without telemetry until it"
                  + " exists (an existing Secret needs the label: kubectl label secret %s %s)")
              .formatted(
                  ref.getName(),
                  ConnectionStringSecrets.SELECTOR,
                  spec.namespace(),
                  ref.getName(),
                  ConnectionStringSecrets.SELECTOR));
    }
    Secret secret = secretFound.get();
    Optional<String> digest =
        Optional.ofNullable(secret.getData())
            .map(data -> data.get(ref.getKey()))
            .filter(value -> !value.isEmpty());
    if (digest.isEmpty()) {
      return missing(
          ref,
          "Secret %s has no non-empty key %s; serving without telemetry until it has"
              .formatted(ref.getName(), ref.getKey()));
    }
    return new TelemetryPlan(
        AppInsightsState.ENABLED,
        Optional.of(ref),
        "scorer pods send telemetry with the connection string from Secret %s key %s"
            .formatted(ref.getName(), ref.getKey()),
        digest);
  }

  public boolean enabled() {
    return state == AppInsightsState.ENABLED;
  }

  /**
   * Data collection is live when it has somewhere to go: Application Insights (traces) or a Blob
   * Storage container (JSON lines).
   */
  public DataCollectionState dataCollection(ResolvedSpec spec) {
    if (!spec.dataCollection().requested()) {
      return DataCollectionState.DISABLED;
    }
    return enabled() || spec.dataCollection().storage().isPresent()
        ? DataCollectionState.ENABLED
        : DataCollectionState.INACTIVE;
  }

  private static TelemetryPlan missing(SecretKeyReference ref, String message) {
    return new TelemetryPlan(
        AppInsightsState.SECRET_MISSING, Optional.of(ref), message, Optional.empty());
  }

  /** The AppInsightsReady condition's reason: the state's own name, as status.appInsights says. */
  public String reason() {
    return state.reason();
  }

  /** Telemetry was asked for and cannot be delivered: the service serves, unmonitored. */
  public boolean requestedButMissing() {
    return state == AppInsightsState.SECRET_MISSING;
  }
}
