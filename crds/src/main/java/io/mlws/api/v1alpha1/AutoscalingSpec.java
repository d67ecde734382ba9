package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds and target of the HorizontalPodAutoscaler the operator creates. */
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
public class AutoscalingSpec {
  @Min(1)
  @Default("1")
  @JsonPropertyDescription("Fewest scorer pods. Defaults to 1.")
  private Integer minReplicas = 1;

  @Required
  @Min(1)
  @JsonPropertyDescription("Most scorer pods.")
  private Integer maxReplicas;

  @Min(1)
  @Max(100)
  @Default("70")
  @JsonPropertyDescription(
      "Average CPU utilization, in percent of requests, to aim for. Defaults to 70.")
  private Integer targetCPUUtilizationPercentage = 70;

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
