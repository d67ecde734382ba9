package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The timing of the scorer container's liveness and readiness probes. */
@ValidationRule(
    value =
        "!has(self.liveness) || !has(self.liveness.successThreshold)"
            + " || self.liveness.successThreshold == 1",
    message = "probes.liveness.successThreshold must be 1: Kubernetes allows no other for liveness")
public class ProbesSpec {
  @JsonPropertyDescription(
      "GET /healthz on the probe port: failing failureThreshold times in a row restarts the"
          + " container.")
  private ProbeSettings liveness;

  @JsonPropertyDescription(
      "GET /ready on the probe port: failing failureThreshold times in a row takes the pod out of"
          + " the Service until it passes again.")
  private ProbeSettings readiness;

  public ProbeSettings getLiveness() {
    return liveness;
  }

  public void setLiveness(ProbeSettings liveness) {
    this.liveness = liveness;
  }

  public ProbeSettings getReadiness() {
    return readiness;
  }

  public void setReadiness(ProbeSettings readiness) {
    this.readiness = readiness;
  }
}
