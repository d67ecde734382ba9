package io.mlws.scorer.model;

import java.util.List;
import java.util.Map;

/**
 * Every output of one model run, in the model's order, as tensors: a ZipMap output is a float [N,
 * C] tensor whose class names are in {@code zipMapClasses}.
 */
public record ModelOutputs(Map<String, Tensor> tensors, Map<String, List<String>> zipMapClasses) {

  public Tensor get(String name) {
    return tensors.get(name);
  }
}
