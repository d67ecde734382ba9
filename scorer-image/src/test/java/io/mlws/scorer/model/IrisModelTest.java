package io.mlws.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
    try (OnnxModel model = OnnxModel.load(MODEL, Optional.empty())) {
      assertThat(model.signature().inputs().get(0).shape()).containsExactly(-1, 4);
      assertThat(model.signature().featureNames())
          .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
      assertThat(model.kind()).isInstanceOf(ModelKind.Classifier.class);
      int correct = 0;
      for (int species = 0; species < 3; species++) {
        float[][] flowers = IrisModelExporter.flowers(species).toArray(new float[0][]);
        float[] flat = new float[flowers.length * 4];
        for (int r = 0; r < flowers.length; r++) {
          System.arraycopy(flowers[r], 0, flat, r * 4, 4);
        }
        Tensor input = new Tensor(ElementType.FLOAT, new long[] {flowers.length, 4}, flat);
        var prediction =
            (Prediction.Classification)
                model.predict(Map.of(model.signature().inputs().get(0).name(), input)).prediction();
        assertThat(prediction.classes())
            .containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
        for (Object label : prediction.labels()) {
          correct += label.equals(IrisModelExporter.SPECIES[species]) ? 1 : 0;
        }
        for (float[] probabilities : prediction.scores()) {
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
