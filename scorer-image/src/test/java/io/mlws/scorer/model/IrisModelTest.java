package io.mlws.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed sample model is exactly what its documented program makes, and it works. */
class IrisModelTest {
  static final Path MODEL = Path.of("models/iris.onnx");

  @Test
  void committedModelIsReproducible() throws Exception {
    assertThat(Files.readAllBytes(MODEL))
        .as("models/iris.onnx differs from IrisModelExporter's output: rerun it (see its javadoc)")
        .isEqualTo(IrisModelExporter.export(IrisModelExporter.train()));
  }

  @Test
  void classifiesTheFlowersItWasTrainedOn() throws Exception {
    try (OnnxModel model = OnnxModel.load(MODEL)) {
      assertThat(model.featureCount()).isEqualTo(4);
      assertThat(model.featureNames())
          .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
      assertThat(model.labels()).containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
      int correct = 0;
      for (int species = 0; species < 3; species++) {
        List<float[]> flowers = IrisModelExporter.flowers(species);
        Prediction prediction = model.predict(flowers.toArray(new float[0][]));
        for (String label : prediction.labels()) {
          correct += label.equals(IrisModelExporter.SPECIES[species]) ? 1 : 0;
        }
        for (float[] probabilities : prediction.probabilities()) {
          float sum = 0;
          for (float p : probabilities) {
            sum += p;
          }
          assertThat(sum).isCloseTo(1.0f, org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
      assertThat(correct / 150.0).isGreaterThanOrEqualTo(0.95);
    }
  }
}
