package io.mlws.scorer.model;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model takes and gives, read once from the ONNX file (as Triton's model configuration and
 * MLServer's metadata do): every input and output with type and shape, the outputs that are ZipMaps
 * (a sequence of class→probability maps, reported as a float [N, C] tensor), and the metadata the
 * scorer reads: {@code labels}, {@code feature_names} and {@code mlws.kind}.
 *
 * @param zipMapKeys for each ZipMap output, the type of its keys (int64 or string)
 */
public record ModelSignature(
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    Map<String, ElementType> zipMapKeys,
    Map<String, String> metadata,
    String description) {

  public static ModelSignature read(OrtSession session) throws OrtException, UnservableModel {
    List<TensorSpec> inputs = new ArrayList<>();
    for (NodeInfo input : session.getInputInfo().values()) {
      inputs.add(input(input));
    }
    List<TensorSpec> outputs = new ArrayList<>();
    Map<String, ElementType> zipMaps = new java.util.LinkedHashMap<>();
    for (NodeInfo output : session.getOutputInfo().values()) {
      Optional<ElementType> zipMapKey = zipMapKey(output);
      if (zipMapKey.isPresent()) {
        zipMaps.put(output.getName(), zipMapKey.get());
        outputs.add(new TensorSpec(output.getName(), ElementType.FLOAT, new long[] {-1, -1}));
      } else {
        outputs.add(output(output));
      }
    }
    var meta = session.getMetadata();
    return new ModelSignature(
        List.copyOf(inputs),
        List.copyOf(outputs),
        Map.copyOf(zipMaps),
        Map.copyOf(meta.getCustomMetadata()),
        Optional.ofNullable(meta.getDescription()).orElse(""));
  }

  public TensorSpec output(String name) {
    return outputs.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }

  public boolean isZipMap(String output) {
    return zipMapKeys.containsKey(output);
  }

  /** The one input when there is exactly one, else empty. */
  public Optional<TensorSpec> singleInput() {
    return inputs.size() == 1 ? Optional.of(inputs.get(0)) : Optional.empty();
  }

  /**
   * Names of the columns of a single [batch, features] input, from the {@code feature_names}
   * metadata (comma-separated) when it has the right count, else f0, f1, ...; empty for other
   * signatures.
   */
  public List<String> featureNames() {
    Optional<TensorSpec> input = singleInput().filter(i -> i.rank() == 2 && i.shape()[1] > 0);
    return input
        .map(i -> new ColumnNames(metadata.get("feature_names"), "f").of((int) i.shape()[1]))
        .orElse(List.of());
  }

  private static TensorSpec input(NodeInfo node) throws UnservableModel {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new UnservableModel(
          "input \""
              + node.getName()
              + "\" is "
              + kind(node.getInfo())
              + "; the scorer takes tensor inputs only");
    }
    ElementType type =
        ElementType.of(info.type)
            .orElseThrow(
                () ->
                    new UnservableModel(
                        "input \"%s\" is a %s tensor; the scorer takes %s tensors"
                            .formatted(node.getName(), typeName(info), ElementType.supported())));
    if (info.getShape().length == 0) {
      throw new UnservableModel(
          "input \"" + node.getName() + "\" is a scalar; the scorer needs a batch dimension first");
    }
    return new TensorSpec(node.getName(), type, info.getShape());
  }

  private static TensorSpec output(NodeInfo node) throws UnservableModel {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new UnservableModel(
          "output \"%s\" is %s; the scorer returns tensors and ZipMaps (sequences of maps to float)"
              .formatted(node.getName(), kind(node.getInfo())));
    }
    ElementType type =
        ElementType.of(info.type)
            .orElseThrow(
                () ->
                    new UnservableModel(
                        "output \"%s\" is a %s tensor; the scorer returns %s tensors"
                            .formatted(node.getName(), typeName(info), ElementType.supported())));
    return new TensorSpec(node.getName(), type, info.getShape());
  }

  private static Optional<ElementType> zipMapKey(NodeInfo node) {
    if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
      MapInfo map = sequence.mapInfo;
      if (map.valueType == OnnxJavaType.FLOAT
          && (map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING)) {
        return ElementType.of(map.keyType);
      }
    }
    return Optional.empty();
  }

  private static String kind(ValueInfo info) {
    if (info instanceof SequenceInfo) {
      return "a sequence (" + info + ")";
    }
    return info instanceof MapInfo ? "a map (" + info + ")" : String.valueOf(info);
  }

  private static String typeName(TensorInfo info) {
    return info.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "").toLowerCase();
  }
}
