package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/**
 * Which scored inputs and predictions leave the pod: as model_data_collection traces to Application
 * Insights, and as JSON lines to a Blob Storage container when one is named.
 */
public class DataCollectionSpec {
  @Default(SpecDefaults.DATA_COLLECTION_ENABLED)
  @JsonPropertyDescription(
      "Collect each scored request's input and prediction: as one model_data_collection trace"
          + " when appInsights.enabled, and as JSON lines in storage when storage is set."
          + " Takes effect without restarting pods. Defaults to false.")
  private Boolean enabled;

  @Default(SpecDefaults.SAMPLING_PERCENTAGE)
  @ValidationRule(value = SamplingPercentage.RULE, message = SamplingPercentage.RULE_MESSAGE)
  @JsonPropertyDescription(
      "Percentage of scored requests whose input and prediction are collected: an integer"
          + " from 0 to 100, or a decimal string such as \"12.5\" (at most 3 decimals). Defaults to"
          + " 100.")
  private IntOrString samplingPercentage;

  @Min(16)
  @Max(8192)
  @Default(SpecDefaults.MAX_PAYLOAD_CHARS)
  @JsonPropertyDescription(
      "Longest Input or Prediction value sent, in characters; longer values are truncated with a"
          + " visible marker. Application Insights keeps at most 8192 per dimension. Defaults to"
          + " 8192.")
  private Integer maxPayloadChars;

  @Size(max = 64)
  @JsonPropertyDescription(
      "Input field names whose values are replaced by \"[REDACTED]\" before anything leaves the"
          + " pod. At most 64 names of 1 to 256 characters.")
  private List<@Size(min = 1, max = 256) String> redactFields;

  @JsonPropertyDescription(
      "A Blob Storage container that collected data is also written to, as JSON lines in hourly"
          + " folders (Application Insights traces are sent as before when appInsights.enabled)."
          + " Sampling and redactFields apply the same way; maxPayloadChars does not (records are"
          + " written whole).")
  private DataCollectionStorage storage;

  public DataCollectionStorage getStorage() {
    return storage;
  }

  public void setStorage(DataCollectionStorage storage) {
    this.storage = storage;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public IntOrString getSamplingPercentage() {
    return samplingPercentage;
  }

  public void setSamplingPercentage(IntOrString samplingPercentage) {
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
