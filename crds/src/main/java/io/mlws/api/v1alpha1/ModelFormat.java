package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Model file formats the scorer can run. */
public enum ModelFormat {
  @JsonProperty("onnx")
  ONNX
}
