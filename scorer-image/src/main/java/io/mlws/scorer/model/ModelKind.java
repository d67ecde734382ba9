package io.mlws.scorer.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the scorer reads a model's outputs: as a classifier, a regressor or named outputs. Decided
 * once at load from the signature ({@link ModelKindDecision}); each kind turns one run's outputs
 * into a {@link Prediction} and says in one line what it returns.
 */
public sealed interface ModelKind {

  Prediction read(ModelOutputs outputs);

  /** One line for the start-up log: what the scorer returns for this model. */
  String describe();

  /**
   * Predictions from the label output when there is one, else the class of the highest score;
   * scores from a float [N, C] output or a ZipMap.
   *
   * @param classNames names a plain score tensor's columns: the {@code labels} metadata when its
   *     count matches, else the prefix and the column number
   */
  record Classifier(
      Optional<String> labelOutput, Optional<String> scoreOutput, ColumnNames classNames)
      implements ModelKind {

    @Override
    public Prediction read(ModelOutputs outputs) {
      float[][] scores = scoreOutput.map(name -> rows(outputs.get(name))).orElse(null);
      List<String> classes =
          scoreOutput.map(name -> classes(outputs, name, scores)).orElse(List.of());
      List<Object> labels = new ArrayList<>();
      if (labelOutput.isPresent()) {
        Tensor label = outputs.get(labelOutput.get());
        for (int i = 0; i < label.size(); i++) {
          labels.add(label.get(i));
        }
      } else {
        for (float[] row : scores) {
          labels.add(classes.get(argmax(row)));
        }
      }
      return new Prediction.Classification(labels, scores, classes);
    }

    private List<String> classes(ModelOutputs outputs, String name, float[][] scores) {
      List<String> fromZipMap = outputs.zipMapClasses().get(name);
      if (fromZipMap != null) {
        return fromZipMap;
      }
      return classNames.of(scores.length == 0 ? 0 : scores[0].length);
    }

    int outputsRead() {
      return (labelOutput.isPresent() ? 1 : 0) + (scoreOutput.isPresent() ? 1 : 0);
    }

    @Override
    public String describe() {
      return "classifier: predictions from "
          + labelOutput.map(l -> "output \"" + l + "\"").orElse("the highest score")
          + scoreOutput.map(s -> ", probabilities from output \"" + s + "\"").orElse("");
    }
  }

  /** Numbers from one float or double output: [N] or [N, 1] gives one per row, [N, K] gives K. */
  record Regressor(String output) implements ModelKind {
    @Override
    public Prediction read(ModelOutputs outputs) {
      return new Prediction.Regression(outputs.get(output));
    }

    @Override
    public String describe() {
      return "regressor: predictions are the numbers of output \"" + output + "\"";
    }
  }

  /** Every output by name. */
  record Generic(List<String> outputNames) implements ModelKind {
    @Override
    public Prediction read(ModelOutputs outputs) {
      return new Prediction.NamedOutputs(outputs.tensors());
    }

    @Override
    public String describe() {
      return "named outputs: " + String.join(", ", outputNames);
    }
  }

  private static float[][] rows(Tensor tensor) {
    int rows = tensor.rows();
    int width = rows == 0 ? 0 : tensor.size() / rows;
    float[][] out = new float[rows][width];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < width; c++) {
        out[r][c] = (float) tensor.number(r * width + c);
      }
    }
    return out;
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int c = 1; c < row.length; c++) {
      if (row[c] > row[best]) {
        best = c;
      }
    }
    return best;
  }
}
