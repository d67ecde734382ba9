package io.mlws.scorer.model;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Converts between the scorer's {@link Tensor} and ONNX Runtime's values, ZipMaps included. */
final class OrtValues {
  private OrtValues() {}

  static OnnxTensor toOrt(OrtEnvironment environment, Tensor tensor) throws OrtException {
    long[] shape = tensor.shape();
    return switch (tensor.type()) {
      case FLOAT ->
          OnnxTensor.createTensor(environment, FloatBuffer.wrap((float[]) tensor.data()), shape);
      case DOUBLE ->
          OnnxTensor.createTensor(environment, DoubleBuffer.wrap((double[]) tensor.data()), shape);
      case INT64 ->
          OnnxTensor.createTensor(environment, LongBuffer.wrap((long[]) tensor.data()), shape);
      case INT32 ->
          OnnxTensor.createTensor(environment, IntBuffer.wrap((int[]) tensor.data()), shape);
      case BOOL -> {
        boolean[] values = (boolean[]) tensor.data();
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.length);
        for (boolean value : values) {
          bytes.put((byte) (value ? 1 : 0));
        }
        bytes.rewind();
        yield OnnxTensor.createTensor(environment, bytes, shape, ai.onnxruntime.OnnxJavaType.BOOL);
      }
      case STRING -> OnnxTensor.createTensor(environment, (String[]) tensor.data(), shape);
    };
  }

  static Tensor fromOrt(OnnxTensor value, ElementType type) throws OrtException {
    long[] shape = value.getInfo().getShape();
    Object data =
        switch (type) {
          case FLOAT -> copy(value.getFloatBuffer());
          case DOUBLE -> copy(value.getDoubleBuffer());
          case INT64 -> copy(value.getLongBuffer());
          case INT32 -> copy(value.getIntBuffer());
          case BOOL -> booleans(value.getByteBuffer());
          case STRING -> strings(value.getValue(), (int) Tensor.elementCount(shape));
        };
    return new Tensor(type, shape, data);
  }

  /**
   * A ZipMap (one class→probability map per row) as a float [N, C] tensor; the classes are the
   * maps' keys in their natural order (numbers ascending, strings alphabetically), as scikit-learn
   * orders {@code classes_}.
   */
  static ZipMapScores fromZipMap(OnnxSequence sequence) throws OrtException {
    List<? extends OnnxValue> maps = sequence.getValue();
    List<Object> keys = new ArrayList<>();
    if (!maps.isEmpty()) {
      keys.addAll(((OnnxMap) maps.get(0)).getValue().keySet());
      keys.sort(KEY_ORDER);
    }
    float[] data = new float[maps.size() * keys.size()];
    for (int r = 0; r < maps.size(); r++) {
      Map<?, ?> row = ((OnnxMap) maps.get(r)).getValue();
      for (int c = 0; c < keys.size(); c++) {
        Object probability = row.get(keys.get(c));
        data[r * keys.size() + c] = probability == null ? 0f : ((Number) probability).floatValue();
      }
    }
    return new ZipMapScores(
        new Tensor(ElementType.FLOAT, new long[] {maps.size(), keys.size()}, data),
        keys.stream().map(String::valueOf).toList());
  }

  /** A ZipMap's probabilities as a tensor, and the class of each column. */
  record ZipMapScores(Tensor scores, List<String> classes) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final Comparator<Object> KEY_ORDER = (a, b) -> ((Comparable) a).compareTo(b);

  private static float[] copy(FloatBuffer buffer) {
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static double[] copy(DoubleBuffer buffer) {
    double[] out = new double[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static long[] copy(LongBuffer buffer) {
    long[] out = new long[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static int[] copy(IntBuffer buffer) {
    int[] out = new int[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static boolean[] booleans(ByteBuffer buffer) {
    boolean[] out = new boolean[buffer.remaining()];
    for (int i = 0; i < out.length; i++) {
      out[i] = buffer.get() != 0;
    }
    return out;
  }

  /** ONNX Runtime gives string tensors as nested String arrays: flatten them in row-major order. */
  private static String[] strings(Object nested, int count) {
    String[] out = new String[count];
    int[] next = {0};
    flatten(nested, out, next);
    return out;
  }

  private static void flatten(Object value, String[] out, int[] next) {
    if (value instanceof String s) {
      out[next[0]++] = s;
      return;
    }
    for (int i = 0; i < Array.getLength(value); i++) {
      flatten(Array.get(value, i), out, next);
    }
  }
}
