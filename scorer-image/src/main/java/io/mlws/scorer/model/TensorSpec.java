package io.mlws.scorer.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One model input or output as the signature declares it: name, element type and shape, with -1 for
 * a dimension the model leaves open (the batch, a sequence length).
 */
public record TensorSpec(String name, ElementType type, long[] shape) {

  public int rank() {
    return shape.length;
  }

  /** The shape of one row: the declared shape without its batch dimension. */
  public long[] rowShape() {
    return shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length);
  }

  /** E.g. {@code X: float [-1, 4]}. */
  public String describe() {
    return name + ": " + type.onnxName() + " " + shapeText(shape);
  }

  public static String shapeText(long[] shape) {
    return Arrays.stream(shape)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec spec
        && name.equals(spec.name)
        && type == spec.type
        && Arrays.equals(shape, spec.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return describe();
  }
}
