package io.mlws.scorer.model;

import java.util.List;

/**
 * What the model said about a batch.
 *
 * @param labels the predicted class of each row
 * @param probabilities per row, the probability of each class, in the order of {@code classes}
 * @param classes every class the model knows
 */
public record Prediction(List<String> labels, float[][] probabilities, List<String> classes) {}
