package io.mlws.scorer.model;

import java.util.List;
import java.util.Map;

/** What the model said about a batch, read according to the model's kind. */
public sealed interface Prediction {

  /**
   * @param labels the predicted class of each row: from the label output (Long or String), or the
   *     class of the highest score
   * @param scores per row, the score of each class in the order of {@code classes}; null when the
   *     model has no score output
   * @param classes the class names, or empty when the model has no score output
   */
  record Classification(List<Object> labels, float[][] scores, List<String> classes)
      implements Prediction {}

  /**
   * @param values the predicted number(s): shape [N] or [N, 1] gives one per row, [N, K] gives K
   */
  record Regression(Tensor values) implements Prediction {}

  /** Every output by name, for models that are neither classifiers nor regressors. */
  record NamedOutputs(Map<String, Tensor> outputs) implements Prediction {}
}
