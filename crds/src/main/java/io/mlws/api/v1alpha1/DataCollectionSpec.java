package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Which scored inputs and predictions leave the pod as model_data_collection traces. */
public class DataCollectionSpec {
  @Default("false")
  @JsonPropertyDescription(
      "Send one model_data_collection trace per scored request with its input and prediction."
          + " Takes effect without restarting pods. Needs appInsights.enabled. Defaults to false.")
  private Boolean enabled = false;

  @Min(0)
  @Max(100)
  @Default("100")
  @JsonPropertyDescription(
      "Percentage of scored requests whose input and prediction are collected, 0 to 100."
          + " Defaults to 100.")
  private Double samplingPercentage = 100.0;

  @Min(16)
  @Max(8192)
  @Default("8192")
  @JsonPropertyDescription(
      "Longest Input or Prediction value sent, in characters; longer values are truncated with a"
          + " visible marker. Application Insights keeps at most 8192 per dimension. Defaults to"
          + " 8192.")
  private Integer maxPayloadChars = 8192;

  @ValidationRule(
      value = "self.all(f, size(f) > 0 && size(f) <= 256)",
      message = "redactFields entries must be 1 to 256 characters")
  @JsonPropertyDescription(
      "Input field names whose values are replaced by \"[REDACTED]\" before anything leaves the"
          + " pod.")
  private List<String> redactFields = new ArrayList<>();

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Double getSamplingPercentage() {
    return samplingPercentage;
  }

  public void setSamplingPercentage(Double samplingPercentage) {
    this.samplingPercentage = samplingPercentage;
  }

  public Integer getMaxPayloadChars() {
    return maxPayloadChars;
  }

  public void setMaxPayloadChars(Integer maxPayloadChars) {
    this.maxPayloadChars = maxPayloadChars;
  }

  public List<String> getRedactFields() {
    return redactFields;
  }

  public void setRedactFields(List<String> redactFields) {
    this.redactFields = redactFields;
  }
}
