package io.mlws.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.scorer.collect.DataCollector;
import io.mlws.scorer.model.ElementType;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.Tensor;
import io.mlws.scorer.protocol.AzureMlScoring;
import io.mlws.scorer.protocol.OpenInferenceV2;
import io.mlws.scorer.settings.RuntimeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the scorer adds over ONNX Runtime, in one JVM run: a raw {@code session.run} on the sample
 * model, the scorer's model wrapper, the whole /score and V2 infer work without HTTP (JSON in,
 * prediction, JSON out), and the data-collection record. Sample mode, so medians and tails are
 * reported; the differences between rows are the framework overhead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScoringOverheadBenchmark {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] SCORE_BODY =
      "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}".getBytes(StandardCharsets.UTF_8);

  /**
   * The sample model (one float [N, 3] output) and skl2onnx's default classifier (label + ZipMap).
   */
  @Param({
    "../scorer-image/models/iris.onnx",
    "../scorer-image/src/test/resources/models/sklearn-logreg-zipmap.onnx"
  })
  public String modelPath;

  OrtEnvironment environment;
  OrtSession rawSession;
  OnnxModel model;
  RuntimeSettings settings;
  JsonNode scoreInput;
  JsonNode prediction;
  String inputName;
  byte[] inferBody;
  Map<String, Tensor> inputs;
  float[][] row = {{5.1f, 3.5f, 1.4f, 0.2f}};

  @Setup(Level.Trial)
  public void load() throws Exception {
    environment = OrtEnvironment.getEnvironment();
    try (var options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      rawSession = environment.createSession(modelPath, options);
    }
    model = OnnxModel.load(Path.of(modelPath), Optional.empty());
    inputName = rawSession.getInputNames().iterator().next();
    inferBody =
        ("{\"inputs\": [{\"name\": \""
                + inputName
                + "\", \"shape\": [1, 4], \"datatype\": \"FP32\","
                + " \"data\": [5.1, 3.5, 1.4, 0.2]}]}")
            .getBytes(StandardCharsets.UTF_8);
    inputs = Map.of(inputName, new Tensor(ElementType.FLOAT, new long[] {1, 4}, row[0].clone()));
    settings =
        new RuntimeSettings("iris", "1", "iris", "bench", true, 100, 8192, Set.of("customer_id"));
    scoreInput = JSON.readTree(SCORE_BODY);
    prediction = AzureMlScoring.response(model.predict(inputs).prediction());
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    rawSession.close();
    model.close();
  }

  @Benchmark
  public Object[] rawSessionRun() throws Exception {
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, row);
        OrtSession.Result result = rawSession.run(Map.of(inputName, tensor))) {
      Object[] values = new Object[result.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = result.get(i).getValue();
      }
      return values;
    }
  }

  @Benchmark
  public Object modelPredict() throws Exception {
    return model.predict(inputs);
  }

  @Benchmark
  public byte[] scoreRequest() throws Exception {
    JsonNode body = JSON.readTree(SCORE_BODY);
    return JSON.writeValueAsBytes(
        AzureMlScoring.response(
            model.predict(AzureMlScoring.inputs(body, model.signature(), 10_000)).prediction()));
  }

  @Benchmark
  public byte[] v2InferRequest() throws Exception {
    JsonNode body = JSON.readTree(inferBody);
    return JSON.writeValueAsBytes(
        OpenInferenceV2.response(
            model.predict(OpenInferenceV2.inputs(body, model.signature(), 10_000)),
            model,
            "iris",
            "1",
            body));
  }

  @Benchmark
  public Map<String, String> dataCollectionRecord() {
    return DataCollector.dimensions(
        settings, "pod", new DataCollector.RequestIds("r", "c"), scoreInput, prediction);
  }
}
