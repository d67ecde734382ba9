package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Telemetry as it really is in the pods, which can differ from what the spec asks. Its one name is
 * status.appInsights, the AppInsightsReady condition's reason, and the reason of the event that
 * says it changed.
 */
public enum AppInsightsState {
  @JsonProperty("Enabled")
  ENABLED("Enabled"),
  @JsonProperty("Disabled")
  DISABLED("Disabled"),
  /**
   * Asked for, but no connection-string Secret is named, or it or its key is missing (the
   * condition's message says which); pods serve without it.
   */
  @JsonProperty("SecretMissing")
  SECRET_MISSING("SecretMissing");

  private final String reason;

  AppInsightsState(String reason) {
    this.reason = reason;
  }

  /** The state's name in status, as a condition reason and as an event reason. */
  public String reason() {
    return reason;
  }
}
