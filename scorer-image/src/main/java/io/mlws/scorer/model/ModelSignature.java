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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a model takes and gives, read once from the ONNX file (as Triton's model configuration and
 * MLServer's metadata do): every input and output with type and shape, the outputs that are ZipMaps
 * (a sequence of class→probability maps, reported as a float [N, C] tensor), and the metadata the
 * scorer reads: {@code labels}, {@code feature_names} and {@code mlws.kind}.
 *
 * @param zipMapOutputs the outputs that are ZipMaps (int64 or string keys, float values)
 * @param featureNames the columns of a single [batch, features] input, from the {@code
 *     feature_names} metadata (comma-separated) when it has the right count, else f0, f1, ...;
 *     empty for other signatures
 */
public record ModelSignature(
    List<TensorSpec> inputs,
    List<TensorSpec> outputs,
    Set<String> zipMapOutputs,
    Map<String, String> metadata,
    String description,
    List<String> featureNames) {

  public static ModelSignature read(OrtSession session) throws OrtException, UnservableModel {
    List<TensorSpec> inputs = new ArrayList<>();
    for (NodeInfo input : session.getInputInfo().values()) {
      inputs.add(input(input));
    }
    List<TensorSpec> outputs = new ArrayList<>();
    Set<String> zipMaps = new HashSet<>();
    for (NodeInfo output : session.getOutputInfo().values()) {
      if (isZipMap(output)) {
        zipMaps.add(output.getName());
        outputs.add(new TensorSpec(output.getName(), ElementType.FLOAT, new long[] {-1, -1}));
      } else {
        outputs.add(output(output));
      }
    }
    var meta = session.getMetadata();
    Map<String, String> metadata = Map.copyOf(meta.getCustomMetadata());
    return new ModelSignature(
        List.copyOf(inputs),
        List.copyOf(outputs),
        Set.copyOf(zipMaps),
        metadata,
        Optional.ofNullable(meta.getDescription()).orElse(""),
        featureNames(inputs, metadata));
  }

  public TensorSpec output(String name) {
    return outputs.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }

  public boolean isZipMap(String output) {
    return zipMapOutputs.contains(output);
  }

  private static List<String> featureNames(List<TensorSpec> inputs, Map<String, String> metadata) {
    if (inputs.size() != 1 || inputs.get(0).rank() != 2 || inputs.get(0).shape()[1] <= 0) {
      return List.of();
    }
    return ColumnNames.parse(metadata.get("feature_names"), "f").of((int) inputs.get(0).shape()[1]);
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

  private static boolean isZipMap(NodeInfo node) {
    if (node.getInfo() instanceof SequenceInfo sequence && sequence.isSequenceOfMaps()) {
      MapInfo map = sequence.mapInfo;
      return map.valueType == OnnxJavaType.FLOAT
          && (map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING);
    }
    return false;
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
