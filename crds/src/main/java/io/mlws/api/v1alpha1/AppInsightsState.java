package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Telemetry as it really is in the pods, which can differ from what the spec asks. */
public enum AppInsightsState {
  @JsonProperty("Enabled")
  ENABLED,
  @JsonProperty("Disabled")
  DISABLED,
  /** Asked for, but the connection-string Secret or its key is missing; pods serve without it. */
  @JsonProperty("SecretMissing")
  SECRET_MISSING
}
