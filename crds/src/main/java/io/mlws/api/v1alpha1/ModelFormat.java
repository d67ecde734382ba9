package io.mlws.api.v1alpha1;

/** Model file formats the scorer can run; values are constants in Kubernetes' casing (like TCP). */
public enum ModelFormat {
  ONNX
}
