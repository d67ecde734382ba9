package io.mlws.scorer.model;

import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One ONNX model in ONNX Runtime, shared by every request thread (OrtSession.run is thread-safe):
 * typed tensors in by input name, every output back as a tensor, and the model's kind to read them.
 * Protocols decode requests into its inputs and encode its answers; nothing here knows JSON.
 */
public final class OnnxModel implements AutoCloseable {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ModelSignature signature;
  private final ModelKind kind;

  private OnnxModel(OrtEnvironment environment, OrtSession session, Optional<String> kindOverride)
      throws OrtException, UnservableModel {
    this.environment = environment;
    this.session = session;
    this.signature = ModelSignature.read(session);
    this.kind = ModelKindDecision.decide(signature, kindOverride);
  }

  /**
   * Loads a model and decides how to read it.
   *
   * @param kindOverride classifier, regressor, generic or auto; empty to use the model's metadata
   * @throws UnservableModel when an input or output is of a kind the scorer cannot serve
   */
  public static OnnxModel load(Path file, Optional<String> kindOverride)
      throws OrtException, UnservableModel {
    // Warnings such as onnxmltools' label declared [1] but answered [N] would print on every
    // request.
    OrtEnvironment environment =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "mlws-scorer");
    OrtSession session;
    try (var options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      session = environment.createSession(file.toString(), options);
    }
    try {
      return new OnnxModel(environment, session, kindOverride);
    } catch (OrtException | UnservableModel | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** The model's answer: every output as a tensor, and the prediction read by the model's kind. */
  public record Answer(ModelOutputs outputs, Prediction prediction) {}

  /** Runs the model once; the inputs must be those of {@link #signature()}, already checked. */
  public Answer predict(Map<String, Tensor> inputs) throws OrtException {
    Map<String, OnnxTensor> feeds = feeds(inputs);
    try (OrtSession.Result result = session.run(feeds)) {
      return answer(result);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * Runs the model once, stopped by ONNX Runtime if it runs longer than {@code timeout}.
   *
   * @throws ScoringTimedOut when the run was stopped at its deadline
   */
  public Answer predict(Map<String, Tensor> inputs, Duration timeout)
      throws OrtException, ScoringTimedOut {
    Map<String, OnnxTensor> feeds = feeds(inputs);
    try (RunDeadline deadline = RunDeadline.start(timeout)) {
      try (OrtSession.Result result = session.run(feeds, deadline.options())) {
        return answer(result);
      } catch (OrtException e) {
        if (deadline.passed()) {
          throw new ScoringTimedOut(timeout);
        }
        throw e;
      }
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private Map<String, OnnxTensor> feeds(Map<String, Tensor> inputs) throws OrtException {
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try {
      for (var input : inputs.entrySet()) {
        feeds.put(input.getKey(), OrtValues.toOrt(environment, input.getValue()));
      }
      return feeds;
    } catch (OrtException | RuntimeException e) {
      feeds.values().forEach(OnnxTensor::close);
      throw e;
    }
  }

  private Answer answer(OrtSession.Result result) throws OrtException {
    ModelOutputs outputs = outputs(result);
    return new Answer(outputs, kind.read(outputs));
  }

  private ModelOutputs outputs(OrtSession.Result result) throws OrtException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, java.util.List<String>> zipMapClasses = new LinkedHashMap<>();
    for (TensorSpec spec : signature.outputs()) {
      OnnxValue value = result.get(spec.name()).orElseThrow();
      if (signature.isZipMap(spec.name())) {
        OrtValues.ZipMapScores zipMap = OrtValues.fromZipMap((OnnxSequence) value);
        tensors.put(spec.name(), zipMap.scores());
        zipMapClasses.put(spec.name(), zipMap.classes());
      } else {
        tensors.put(spec.name(), OrtValues.fromOrt((OnnxTensor) value, spec.type()));
      }
    }
    return new ModelOutputs(tensors, zipMapClasses);
  }

  public ModelSignature signature() {
    return signature;
  }

  public ModelKind kind() {
    return kind;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
