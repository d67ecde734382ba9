package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Model data collection as it really is in the pods. */
public enum DataCollectionState {
  @JsonProperty("Enabled")
  ENABLED,
  @JsonProperty("Disabled")
  DISABLED,
  /** Asked for, but Application Insights is not sending, so nothing can be collected. */
  @JsonProperty("Inactive")
  INACTIVE
}
