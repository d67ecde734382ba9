package io.mlws.scorer.model;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Makes scorer-image/models/iris.onnx: a multinomial logistic regression trained with Tribuo on 150
 * iris-like flowers drawn (seed 42) from the per-species means and standard deviations of Fisher's
 * iris data, exported as ONNX with the label and feature names in its metadata.
 *
 * <p>Run from scorer-image/: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.mlws.scorer.model.IrisModelExporter}, or through {@code IrisModelTest} which
 * checks the committed file against what this makes.
 */
public final class IrisModelExporter {
  static final String[] SPECIES = {"setosa", "versicolor", "virginica"};
  static final String[] FEATURES = {"sepal_length", "sepal_width", "petal_length", "petal_width"};
  static final double[][] MEANS = {
    {5.006, 3.428, 1.462, 0.246}, {5.936, 2.770, 4.260, 1.326}, {6.588, 2.974, 5.552, 2.026}
  };
  static final double[][] STD_DEVS = {
    {0.352, 0.379, 0.174, 0.105}, {0.516, 0.314, 0.470, 0.198}, {0.636, 0.322, 0.552, 0.275}
  };

  private IrisModelExporter() {}

  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "models/iris.onnx");
    Files.write(target, export(train()));
    System.out.println("wrote " + target.toAbsolutePath());
  }

  /** 50 flowers per species; feature names x0..x3 keep Tribuo's (sorted) order = column order. */
  static List<float[]> flowers(int species) {
    Random random = new Random(42L + species);
    List<float[]> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      float[] row = new float[4];
      for (int f = 0; f < 4; f++) {
        row[f] =
            (float) Math.max(0.1, MEANS[species][f] + random.nextGaussian() * STD_DEVS[species][f]);
      }
      rows.add(row);
    }
    return rows;
  }

  static LinearSGDModel train() {
    var dataset =
        new MutableDataset<Label>(
            new SimpleDataSourceProvenance("iris-like samples, seed 42", new LabelFactory()),
            new LabelFactory());
    String[] names = {"x0", "x1", "x2", "x3"};
    for (int s = 0; s < SPECIES.length; s++) {
      for (float[] row : flowers(s)) {
        double[] values = new double[4];
        for (int f = 0; f < 4; f++) {
          values[f] = row[f];
        }
        Example<Label> example = new ArrayExample<>(new Label(SPECIES[s]), names, values);
        dataset.add(example);
      }
    }
    // AdaGrad, 200 epochs, fixed seed: the same model on every run, well separated classes.
    var trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), 200, 42L);
    return (LinearSGDModel) trainer.train(dataset);
  }

  static byte[] export(LinearSGDModel model) {
    OnnxMl.ModelProto proto = model.exportONNXModel("io.mlws.iris", 1L);
    var builder = proto.toBuilder().clearMetadataProps();
    String[] labels = new String[model.getOutputIDInfo().size()];
    model.getOutputIDInfo().forEach(pair -> labels[pair.getA()] = pair.getB().getLabel());
    builder.addMetadataProps(prop("labels", String.join(",", labels)));
    builder.addMetadataProps(prop("feature_names", String.join(",", FEATURES)));
    builder.addMetadataProps(prop("description", "Iris species from sepal and petal sizes in cm"));
    builder.setDocString("mlws sample model: multinomial logistic regression on iris-like data");
    return builder.build().toByteArray();
  }

  private static OnnxMl.StringStringEntryProto prop(String key, String value) {
    return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }
}
