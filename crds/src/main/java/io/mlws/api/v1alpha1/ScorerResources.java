package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Compute resources of the scorer container: requests and limits only. Kubernetes' own
 * ResourceRequirements also has claims (dynamic resource allocation), which would need matching
 * pod-level resourceClaims the operator does not create, so it is not offered.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScorerResources {
  /**
   * A bad quantity is refused at admission, not later as ApplyFailed on the Deployment. At most 8
   * resources per map keeps the rule within the API server's CEL cost budget.
   */
  static final String QUANTITIES_RULE = "self.all(k, isQuantity(string(self[k])))";

  static final String QUANTITIES_MESSAGE =
      "resource amounts must be Kubernetes quantities, e.g. 500m, 2, 512Mi, 1Gi";

  @Size(max = 8)
  @ValidationRule(value = QUANTITIES_RULE, message = QUANTITIES_MESSAGE)
  @JsonPropertyDescription(
      "Resources the scheduler reserves, e.g. cpu: 500m, memory: 1Gi. A request left out defaults"
          + " to "
          + SpecDefaults.CPU_REQUEST
          + " CPU, or to "
          + SpecDefaults.MEMORY_REQUEST
          + " memory or the heap ceiling the memory limit gives if that is more (never above its"
          + " limit), so setting only limits keeps a CPU request for the autoscaler.")
  private Map<String, Quantity> requests;

  @Size(max = 8)
  @ValidationRule(value = QUANTITIES_RULE, message = QUANTITIES_MESSAGE)
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
