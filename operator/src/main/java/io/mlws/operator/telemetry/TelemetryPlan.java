package io.mlws.operator.telemetry;

import io.fabric8.kubernetes.api.model.Secret;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.operator.ResolvedSpec;
import java.util.Optional;

/**
 * Whether the scorer pods get the Application Insights agent, decided from the spec and from the
 * connection-string Secret as it exists now, so a missing Secret never stops serving.
 *
 * @param state what the pods will really do
 * @param secret the Secret key the pods read the connection string from, when enabled
 * @param reason a CamelCase reason for the AppInsightsReady condition
 * @param message a sentence for people; never contains the connection string
 */
public record TelemetryPlan(
    AppInsightsState state, Optional<SecretKeyReference> secret, String reason, String message) {

  public static TelemetryPlan of(ResolvedSpec spec, Optional<Secret> secretFound) {
    if (!spec.appInsightsRequested()) {
      return new TelemetryPlan(
          AppInsightsState.DISABLED,
          Optional.empty(),
          "Disabled",
          "spec.appInsights.enabled is false; the agent is not loaded");
    }
    if (spec.connectionStringSecret().isEmpty()) {
      return new TelemetryPlan(
          AppInsightsState.SECRET_MISSING,
          Optional.empty(),
          "NoConnectionStringSecret",
          "spec.appInsights.connectionStringSecretRef is not set and the operator has no default"
              + " Secret (MLWS_DEFAULT_APPINSIGHTS_SECRET)");
    }
    SecretKeyReference ref = spec.connectionStringSecret().get();
    if (secretFound.isEmpty()) {
      return missing(
          ref,
          "SecretNotFound",
          "Secret %s not found in namespace %s; serving without telemetry until it exists"
              .formatted(ref.getName(), spec.namespace()));
    }
    Secret secret = secretFound.get();
    boolean hasKey =
        (secret.getData() != null && !isBlank(secret.getData().get(ref.getKey())))
            || (secret.getStringData() != null
                && !isBlank(secret.getStringData().get(ref.getKey())));
    if (!hasKey) {
      return missing(
          ref,
          "SecretKeyNotFound",
          "Secret %s has no non-empty key %s; serving without telemetry until it has"
              .formatted(ref.getName(), ref.getKey()));
    }
    return new TelemetryPlan(
        AppInsightsState.ENABLED,
        Optional.of(ref),
        "TelemetryEnabled",
        "scorer pods send telemetry with the connection string from Secret %s key %s"
            .formatted(ref.getName(), ref.getKey()));
  }

  public boolean enabled() {
    return state == AppInsightsState.ENABLED;
  }

  /** Data collection travels through Application Insights, so it is only live when that is. */
  public DataCollectionState dataCollection(ResolvedSpec spec) {
    if (!spec.dataCollectionRequested()) {
      return DataCollectionState.DISABLED;
    }
    return enabled() ? DataCollectionState.ENABLED : DataCollectionState.INACTIVE;
  }

  private static TelemetryPlan missing(SecretKeyReference ref, String reason, String message) {
    return new TelemetryPlan(AppInsightsState.SECRET_MISSING, Optional.of(ref), reason, message);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isEmpty();
  }
}
