package io.mlws.scorer.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One ONNX model in ONNX Runtime, shared by every request thread (OrtSession.run is thread-safe).
 * It takes a batch of float feature rows and gives a class and probabilities per row, with the
 * label and feature names the model's metadata carries.
 */
public final class OnnxModel implements AutoCloseable {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String inputName;
  private final int featureCount;
  private final String outputName;
  private final int outputWidth;
  private final List<String> labels;
  private final List<String> featureNames;
  private final Map<String, String> metadata;

  private OnnxModel(OrtEnvironment environment, OrtSession session) throws OrtException {
    this.environment = environment;
    this.session = session;
    if (session.getInputInfo().size() != 1) {
      throw new OrtException(
          "the scorer serves models with exactly one input, this one has "
              + session.getInputNames());
    }
    NodeInfo input = session.getInputInfo().values().iterator().next();
    TensorInfo inputInfo = tensor(input);
    if (inputInfo.type != OnnxJavaType.FLOAT || inputInfo.getShape().length != 2) {
      throw new OrtException(
          "the model input must be a float tensor [batch, features], is " + inputInfo);
    }
    this.inputName = input.getName();
    this.featureCount = (int) inputInfo.getShape()[1];
    NodeInfo output = session.getOutputInfo().values().iterator().next();
    TensorInfo outputInfo = tensor(output);
    if (outputInfo.type != OnnxJavaType.FLOAT || outputInfo.getShape().length != 2) {
      throw new OrtException(
          "the first model output must be a float tensor [batch, classes], is " + outputInfo);
    }
    this.outputName = output.getName();
    this.outputWidth = (int) outputInfo.getShape()[1];
    this.metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
    this.labels = names(metadata.get("labels"), "class_", outputWidth);
    this.featureNames = names(metadata.get("feature_names"), "f", featureCount);
  }

  public static OnnxModel load(Path file) throws OrtException {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (var options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      return new OnnxModel(environment, environment.createSession(file.toString(), options));
    }
  }

  /** Scores a batch; each row must have {@link #featureCount()} values. */
  public Prediction predict(float[][] rows) throws OrtException {
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, rows);
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      float[][] scores = (float[][]) result.get(0).getValue();
      List<String> predicted = new ArrayList<>(scores.length);
      for (float[] row : scores) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
          if (row[c] > row[best]) {
            best = c;
          }
        }
        predicted.add(labels.get(best));
      }
      return new Prediction(predicted, scores, labels);
    }
  }

  public String inputName() {
    return inputName;
  }

  public int featureCount() {
    return featureCount;
  }

  public String outputName() {
    return outputName;
  }

  public List<String> labels() {
    return labels;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public String description() {
    try {
      return session.getMetadata().getDescription();
    } catch (OrtException e) {
      return "";
    }
  }

  private static TensorInfo tensor(NodeInfo node) throws OrtException {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new OrtException(node.getName() + " is not a tensor: " + node.getInfo());
    }
    return info;
  }

  private static List<String> names(String csv, String prefix, int count) {
    if (csv != null && !csv.isBlank()) {
      List<String> names = Arrays.stream(csv.split(",")).map(String::trim).toList();
      if (names.size() == count) {
        return names;
      }
    }
    List<String> generated = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      generated.add(prefix + i);
    }
    return generated;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
