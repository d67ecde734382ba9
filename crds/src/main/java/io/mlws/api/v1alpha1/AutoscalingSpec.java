package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds and target of the HorizontalPodAutoscaler the operator creates. */
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
public class AutoscalingSpec {
  @Min(1)
  @Default(SpecDefaults.MIN_REPLICAS)
  @JsonPropertyDescription("Fewest scorer pods. Defaults to 1.")
  private Integer minReplicas;

  @Required
  @Min(1)
  @JsonPropertyDescription("Most scorer pods.")
  private Integer maxReplicas;

  @Min(1)
  @Default(SpecDefaults.TARGET_CPU_UTILIZATION_PERCENTAGE)
  @JsonPropertyDescription(
      "Average CPU utilization to aim for, in percent of the CPU request; may exceed 100 when"
          + " the CPU limit is above the request. Defaults to 70.")
  private Integer targetCPUUtilizationPercentage;

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getTargetCPUUtilizationPercentage() {
    return targetCPUUtilizationPercentage;
  }

  public void setTargetCPUUtilizationPercentage(Integer targetCPUUtilizationPercentage) {
    this.targetCPUUtilizationPercentage = targetCPUUtilizationPercentage;
  }
}
