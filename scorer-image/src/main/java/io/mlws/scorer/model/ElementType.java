package io.mlws.scorer.model;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;
import java.util.Optional;

/**
 * The tensor element types the scorer can read from JSON and hand to ONNX Runtime, with their V2
 * names.
 */
public enum ElementType {
  FLOAT("float", "FP32"),
  DOUBLE("double", "FP64"),
  INT64("int64", "INT64"),
  INT32("int32", "INT32"),
  BOOL("bool", "BOOL"),
  STRING("string", "BYTES");

  private final String onnxName;
  private final String v2Name;

  ElementType(String onnxName, String v2Name) {
    this.onnxName = onnxName;
    this.v2Name = v2Name;
  }

  /** The type as ONNX and its converters name it, e.g. {@code float}. */
  public String onnxName() {
    return onnxName;
  }

  /** The Open Inference Protocol datatype, e.g. {@code FP32}. */
  public String v2Name() {
    return v2Name;
  }

  public boolean numeric() {
    return this != BOOL && this != STRING;
  }

  public static Optional<ElementType> of(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> Optional.of(FLOAT);
      case DOUBLE -> Optional.of(DOUBLE);
      case INT64 -> Optional.of(INT64);
      case INT32 -> Optional.of(INT32);
      case BOOL -> Optional.of(BOOL);
      case STRING -> Optional.of(STRING);
      default -> Optional.empty();
    };
  }

  public static Optional<ElementType> ofV2(String datatype) {
    return Arrays.stream(values()).filter(t -> t.v2Name.equals(datatype)).findFirst();
  }

  public static String supported() {
    return "float, double, int64, int32, bool and string";
  }
}
