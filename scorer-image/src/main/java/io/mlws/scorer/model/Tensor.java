package io.mlws.scorer.model;

import java.util.Arrays;

/**
 * A typed tensor in row-major order: the one value both protocols decode requests into and encode
 * answers from. {@code data} is a float[], double[], long[], int[], boolean[] or String[] matching
 * {@code type}.
 */
public record Tensor(ElementType type, long[] shape, Object data) {

  public Tensor {
    int length = java.lang.reflect.Array.getLength(data);
    if (length != elementCount(shape)) {
      throw new IllegalArgumentException(
          "shape "
              + TensorSpec.shapeText(shape)
              + " needs "
              + elementCount(shape)
              + " values, has "
              + length);
    }
  }

  public static long elementCount(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return count;
  }

  public int rows() {
    return shape.length == 0 ? 1 : (int) shape[0];
  }

  public int size() {
    return java.lang.reflect.Array.getLength(data);
  }

  /**
   * The element at a flat index as a JSON-ready Java value: Float, Double, Long, Integer, Boolean
   * or String.
   */
  public Object get(int index) {
    return switch (type) {
      case FLOAT -> ((float[]) data)[index];
      case DOUBLE -> ((double[]) data)[index];
      case INT64 -> ((long[]) data)[index];
      case INT32 -> ((int[]) data)[index];
      case BOOL -> ((boolean[]) data)[index];
      case STRING -> ((String[]) data)[index];
    };
  }

  /** The element at a flat index as a double (numeric and bool types only). */
  public double number(int index) {
    return switch (type) {
      case FLOAT -> ((float[]) data)[index];
      case DOUBLE -> ((double[]) data)[index];
      case INT64 -> ((long[]) data)[index];
      case INT32 -> ((int[]) data)[index];
      case BOOL -> ((boolean[]) data)[index] ? 1 : 0;
      case STRING -> throw new IllegalStateException("a string tensor has no numbers");
    };
  }

  @Override
  public String toString() {
    return type.onnxName() + " " + Arrays.toString(shape);
  }
}
