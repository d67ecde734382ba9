package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Compute resources of the scorer container: requests and limits only. Kubernetes' own
 * ResourceRequirements also has claims (dynamic resource allocation), which would need matching
 * pod-level resourceClaims the operator does not create, so it is not offered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScorerResources {
  @Size(max = 16)
  @JsonPropertyDescription(
      "Resources the scheduler reserves, e.g. cpu: 500m, memory: 1Gi. Defaults to 100m CPU and"
          + " 512Mi memory when spec.resources is unset.")
  private Map<String, Quantity> requests;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Most the container may use, e.g. memory: 2Gi. Defaults to a 1Gi memory limit when"
          + " spec.resources is unset. Requests above a limit are refused by the API server and"
          + " reported as ApplyFailed.")
  private Map<String, Quantity> limits;

  public Map<String, Quantity> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, Quantity> requests) {
    this.requests = requests;
  }

  public Map<String, Quantity> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, Quantity> limits) {
    this.limits = limits;
  }
}
