package io.mlws.scorer.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Open Inference Protocol's binary tensor data extension, as KServe and Triton define it (and
 * tritonclient sends by default): a body of a JSON header of {@code
 * Inference-Header-Content-Length} bytes, then each binary input's values in the order of {@code
 * inputs}, little-endian and row-major (BYTES: each element a 4-byte length, then its bytes). An
 * input in binary names its size in {@code parameters.binary_data_size} instead of sending {@code
 * data}. Outputs asked for in binary ({@code parameters.binary_data} on a requested output, or
 * {@code parameters.binary_data_output} on the request) come back the same way.
 */
public final class BinaryTensorData {
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";
  public static final String EXTENSION = "binary_tensor_data";
  private static final String SIZE = "binary_data_size";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BinaryTensorData() {}

  /**
   * The request as if every input had come as JSON: the header, each binary input's values read
   * into its {@code data}. Sizes that do not add up to the body are refused.
   */
  public static JsonNode request(byte[] body, String headerLength) throws ApiError {
    int length;
    try {
      length = Integer.parseInt(headerLength.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(HEADER_LENGTH + " must be a number of bytes, got " + headerLength);
    }
    if (length <= 0 || length > body.length) {
      throw ApiError.badRequest(
          "%s is %d, but the body has %d bytes".formatted(HEADER_LENGTH, length, body.length));
    }
    JsonNode header;
    try {
      header = JSON.readTree(body, 0, length);
    } catch (java.io.IOException e) {
      throw ApiError.badRequest(
          "the first "
              + length
              + " bytes ("
              + HEADER_LENGTH
              + ") are not valid JSON: "
              + (e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage()));
    }
    ByteBuffer rest = ByteBuffer.wrap(body, length, body.length - length).slice();
    rest.order(ByteOrder.LITTLE_ENDIAN);
    if (header.path("inputs").isArray()) {
      for (JsonNode input : header.get("inputs")) {
        JsonNode size = input.path("parameters").path(SIZE);
        if (size.isMissingNode() || !(input instanceof ObjectNode node)) {
          continue;
        }
        String name = input.path("name").asText("");
        if (!size.canConvertToInt() || size.asInt() < 0 || size.asInt() > rest.remaining()) {
          throw ApiError.badRequest(
              "input \"%s\": %s %s, but %d bytes are left in the body"
                  .formatted(name, SIZE, size, rest.remaining()));
        }
        if (input.has("data")) {
          throw ApiError.badRequest(
              "input \"%s\" has both \"data\" and %s: send one".formatted(name, SIZE));
        }
        ByteBuffer values =
            rest.slice(rest.position(), size.asInt()).order(ByteOrder.LITTLE_ENDIAN);
        rest.position(rest.position() + size.asInt());
        node.set("data", decode(name, input.path("datatype").asText(""), values));
        ((ObjectNode) node.get("parameters")).remove(SIZE);
      }
    }
    if (rest.hasRemaining()) {
      throw ApiError.badRequest(
          "%d bytes after the inputs' %s: each binary input must say its size"
              .formatted(rest.remaining(), SIZE));
    }
    return header;
  }

  private static ArrayNode decode(String name, String datatype, ByteBuffer values) throws ApiError {
    ArrayNode data = NODES.arrayNode();
    int width =
        switch (datatype) {
          case "FP32", "INT32" -> 4;
          case "FP64", "INT64" -> 8;
          case "BOOL" -> 1;
          case "BYTES" -> 0;
          default ->
              throw ApiError.badRequest(
                  "input \"%s\": datatype \"%s\" is not served in binary (FP32, FP64, INT32,"
                          .formatted(name, datatype)
                      + " INT64, BOOL, BYTES)");
        };
    if (width > 0 && values.remaining() % width != 0) {
      throw ApiError.badRequest(
          "input \"%s\": %d bytes are not a whole number of %s values"
              .formatted(name, values.remaining(), datatype));
    }
    while (values.hasRemaining()) {
      switch (datatype) {
        case "FP32" -> data.add(values.getFloat());
        case "FP64" -> data.add(values.getDouble());
        case "INT32" -> data.add(values.getInt());
        case "INT64" -> data.add(values.getLong());
        case "BOOL" -> data.add(values.get() != 0);
        default -> {
          if (values.remaining() < 4) {
            throw ApiError.badRequest("input \"" + name + "\": a BYTES element cut short");
          }
          int length = values.getInt();
          if (length < 0 || length > values.remaining()) {
            throw ApiError.badRequest(
                "input \"%s\": a BYTES element of %d bytes, %d left"
                    .formatted(name, length, values.remaining()));
          }
          byte[] bytes = new byte[length];
          values.get(bytes);
          data.add(new String(bytes, StandardCharsets.UTF_8));
        }
      }
    }
    return data;
  }

  /**
   * The answer with the outputs the request asked for in binary moved after its JSON header, or
   * empty when none was: the bytes to send and the header's length.
   */
  public static Optional<Body> response(ObjectNode answer, JsonNode request) {
    boolean all = request.path("parameters").path("binary_data_output").asBoolean(false);
    List<String> asked = new ArrayList<>();
    for (JsonNode output : request.path("outputs")) {
      if (output.path("parameters").path("binary_data").asBoolean(false)) {
        asked.add(output.path("name").asText(""));
      }
    }
    if (!all && asked.isEmpty()) {
      return Optional.empty();
    }
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    for (JsonNode output : answer.path("outputs")) {
      if (!(output instanceof ObjectNode node)
          || !(all || asked.contains(output.path("name").asText("")))) {
        continue;
      }
      byte[] values = encode(output.path("datatype").asText(""), output.path("data"));
      node.remove("data");
      node.putObject("parameters").put(SIZE, values.length);
      binary.writeBytes(values);
    }
    byte[] header = answer.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream whole = new ByteArrayOutputStream(header.length + binary.size());
    whole.writeBytes(header);
    whole.writeBytes(binary.toByteArray());
    return Optional.of(new Body(whole.toByteArray(), header.length));
  }

  /** A body in the extension: its bytes and how many of them are the JSON header. */
  public record Body(byte[] bytes, int headerLength) {}

  private static byte[] encode(String datatype, JsonNode data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode element : data) {
      value.clear();
      switch (datatype) {
        case "FP32" -> value.putFloat(element.floatValue());
        case "FP64" -> value.putDouble(element.doubleValue());
        case "INT32" -> value.putInt(element.intValue());
        case "INT64" -> value.putLong(element.longValue());
        case "BOOL" -> value.put((byte) (element.asBoolean() ? 1 : 0));
        default -> {
          byte[] bytes = element.asText().getBytes(StandardCharsets.UTF_8);
          value.putInt(bytes.length);
          out.write(value.array(), 0, 4);
          out.writeBytes(bytes);
          continue;
        }
      }
      out.write(value.array(), 0, value.position());
    }
    return out.toByteArray();
  }
}
