package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The timing of one of the scorer container's probes; Azure ML v1's liveness_probe_* settings. */
public class ProbeSettings {
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds after the startup probe passes before the first probe. Azure ML v1:"
          + " initial_delay_seconds (there counted from the container's start; here the startup"
          + " probe already waits for the model to load). Defaults to 0.")
  private Integer initialDelaySeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds between probes. Azure ML v1: period_seconds. Defaults to 10 for liveness, 2 for"
          + " readiness.")
  private Integer periodSeconds;

  @Min(1)
  @Max(3600)
  @JsonPropertyDescription(
      "Seconds a probe waits for an answer. Azure ML v1: timeout_seconds. Defaults to 2.")
  private Integer timeoutSeconds;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Probes in a row that must pass after a failure. Azure ML v1: success_threshold."
          + " Kubernetes allows only 1 for liveness. Defaults to 1.")
  private Integer successThreshold;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Probes in a row that must fail: liveness restarts the container, readiness takes the pod"
          + " out of the Service. Azure ML v1: failure_threshold. Defaults to 3.")
  private Integer failureThreshold;

  public Integer getInitialDelaySeconds() {
    return initialDelaySeconds;
  }

  public void setInitialDelaySeconds(Integer initialDelaySeconds) {
    this.initialDelaySeconds = initialDelaySeconds;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getSuccessThreshold() {
    return successThreshold;
  }

  public void setSuccessThreshold(Integer successThreshold) {
    this.successThreshold = successThreshold;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }
}
