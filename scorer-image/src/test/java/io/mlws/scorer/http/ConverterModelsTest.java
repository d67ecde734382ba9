package io.mlws.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.ScorerHttpServer;
import io.mlws.scorer.TestServers;
import io.mlws.scorer.model.ModelKind;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.TensorSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model the real converters wrote (scorer-image/test-models), served through /score in each
 * request form and through V2, compared with what the original library predicted: to 1e-5, relative
 * above 1.
 */
class ConverterModelsTest {
  static final Path MODELS = Path.of("src/test/resources/models");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static Stream<String> models() throws Exception {
    try (Stream<Path> files = Files.list(MODELS)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".expected.json"))
          .map(n -> n.substring(0, n.length() - ".expected.json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  /** One model served in process on a free port. */
  record Served(Server server, String base, OnnxModel model) implements AutoCloseable {
    static Served start(String name) throws Exception {
      Path file = MODELS.resolve(name + ".onnx");
      ScorerConfig config =
          ScorerConfig.fromEnvironment(
              Map.of(
                  "MLWS_MODEL_URI",
                  file.toString(),
                  "MLWS_PORT",
                  "0",
                  "MLWS_MODEL_NAME",
                  name,
                  "MLWS_SHUTDOWN_TIMEOUT_SECONDS",
                  "0"));
      ModelHolder holder = new ModelHolder();
      OnnxModel model = OnnxModel.load(file, Optional.empty());
      holder.set(model);
      Server server = TestServers.scoring(config, holder);
      return new Served(server, "http://127.0.0.1:" + ScorerHttpServer.port(server), model);
    }

    HttpResponse<String> post(String path, JsonNode body) throws Exception {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws Exception {
      return JSON.readTree(
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(base + path)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }

    JsonNode ok(String path, JsonNode body) throws Exception {
      HttpResponse<String> response = post(path, body);
      assertThat(response.statusCode())
          .as(path + " " + body + " -> " + response.body())
          .isEqualTo(200);
      return JSON.readTree(response.body());
    }

    @Override
    public void close() throws Exception {
      TestServers.stopNow(server);
      model.close();
    }
  }

  static JsonNode expected(String name) throws Exception {
    return JSON.readTree(MODELS.resolve(name + ".expected.json").toFile());
  }

  @ParameterizedTest
  @MethodSource("models")
  void decidesTheKindTheConverterMeant(String name) throws Exception {
    try (OnnxModel model = OnnxModel.load(MODELS.resolve(name + ".onnx"), Optional.empty())) {
      String kind = expected(name).get("kind").asText();
      Class<?> expectedKind =
          switch (kind) {
            case "classifier" -> ModelKind.Classifier.class;
            case "regressor" -> ModelKind.Regressor.class;
            default -> ModelKind.Generic.class;
          };
      assertThat(model.kind()).isInstanceOf(expectedKind);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void scoreAnswersWhatTheLibraryPredictedInEveryRequestForm(String name) throws Exception {
    JsonNode doc = expected(name);
    JsonNode inputs = doc.get("inputs");
    try (Served served = Served.start(name)) {
      List<JsonNode> bodies = new ArrayList<>();
      ObjectNode byName = JSON.createObjectNode();
      byName.set("data", inputs);
      bodies.add(byName);
      ArrayNode rowsOfObjects = JSON.createArrayNode();
      int rows = inputs.elements().next().size();
      for (int r = 0; r < rows; r++) {
        ObjectNode row = rowsOfObjects.addObject();
        for (var input : iterable(inputs.fieldNames())) {
          row.set(input, inputs.get(input).get(r));
        }
      }
      bodies.add(JSON.createObjectNode().set("data", rowsOfObjects));
      if (inputs.size() == 1) {
        bodies.add(JSON.createObjectNode().set("data", inputs.elements().next()));
      }
      for (JsonNode body : bodies) {
        JsonNode answer = served.ok("/score", body);
        assertScoreAnswer(doc, answer);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void v2InferAnswersEveryOutputWithItsDatatype(String name) throws Exception {
    JsonNode doc = expected(name);
    try (Served served = Served.start(name)) {
      JsonNode metadata = served.getJson("/v2/models/" + name);
      ObjectNode request = JSON.createObjectNode();
      ArrayNode tensors = request.putArray("inputs");
      for (JsonNode input : metadata.get("inputs")) {
        JsonNode batch = doc.get("inputs").get(input.get("name").asText());
        ObjectNode tensor = tensors.addObject();
        tensor.put("name", input.get("name").asText());
        tensor.put("datatype", input.get("datatype").asText());
        tensor.set("shape", shapeOf(batch));
        tensor.set("data", flatten(batch));
      }
      JsonNode answer = served.ok("/v2/models/" + name + "/infer", request);
      List<String> declared = new ArrayList<>();
      metadata
          .get("outputs")
          .forEach(o -> declared.add(o.get("name").asText() + " " + o.get("datatype").asText()));
      List<String> answered = new ArrayList<>();
      answer
          .get("outputs")
          .forEach(o -> answered.add(o.get("name").asText() + " " + o.get("datatype").asText()));
      assertThat(answered).containsExactlyElementsOf(declared);
      for (JsonNode output : answer.get("outputs")) {
        long count = 1;
        for (JsonNode dim : output.get("shape")) {
          count *= dim.asLong();
        }
        assertThat(output.get("data").size()).isEqualTo((int) count);
      }
      assertV2Answer(doc, served.model, answer);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void swaggerIsWrittenFromTheSignatureAndKind(String name) throws Exception {
    JsonNode doc = expected(name);
    try (Served served = Served.start(name)) {
      JsonNode swagger = served.getJson("/swagger.json");
      JsonNode row = swagger.at("/definitions/ServiceInput/properties/data/items");
      List<TensorSpec> inputs = served.model.signature().inputs();
      if (inputs.size() > 1) {
        for (TensorSpec input : inputs) {
          assertThat(row.at("/properties/" + input.name()).isObject()).as(input.name()).isTrue();
        }
      } else {
        assertThat(row.path("type").asText())
            .isIn("array", "number", "integer", "string", "boolean");
      }
      JsonNode output = swagger.at("/definitions/ServiceOutput/properties");
      switch (doc.get("kind").asText()) {
        case "classifier" -> assertThat(output.has("predictions")).isTrue();
        case "regressor" ->
            assertThat(output.at("/predictions/items/type").asText()).isEqualTo("number");
        default -> {
          for (TensorSpec spec : served.model.signature().outputs()) {
            assertThat(output.at("/outputs/properties/" + spec.name()).isObject())
                .as(spec.name())
                .isTrue();
          }
        }
      }
      assertThat(swagger.at("/paths/~1score/post/description").asText())
          .isEqualTo(served.model.kind().describe());
    }
  }

  static void assertScoreAnswer(JsonNode doc, JsonNode answer) {
    JsonNode expected = doc.get("expected");
    switch (doc.get("kind").asText()) {
      case "classifier" -> {
        assertSameValues(answer.get("predictions"), expected.get("predictions"));
        JsonNode classes = expected.get("classes");
        for (int r = 0; r < expected.get("probabilities").size(); r++) {
          for (int c = 0; c < classes.size(); c++) {
            JsonNode got = answer.get("probabilities").get(r).get(classes.get(c).asText());
            assertThat(got)
                .as("probability of class " + classes.get(c) + " in " + answer)
                .isNotNull();
            assertClose(got, expected.get("probabilities").get(r).get(c));
          }
        }
      }
      case "regressor" -> assertClose(answer.get("predictions"), expected.get("predictions"));
      default -> {
        for (var output : iterable(expected.get("outputs").fieldNames())) {
          assertClose(answer.get("outputs").get(output), expected.get("outputs").get(output));
        }
      }
    }
  }

  static void assertV2Answer(JsonNode doc, OnnxModel model, JsonNode answer) {
    JsonNode expected = doc.get("expected");
    Map<String, JsonNode> outputs = new java.util.HashMap<>();
    answer.get("outputs").forEach(o -> outputs.put(o.get("name").asText(), o));
    if (model.kind() instanceof ModelKind.Classifier c) {
      JsonNode labels = outputs.get(c.labelOutput().orElse("label"));
      assertSameValues(labels.get("data"), expected.get("predictions"));
      c.scoreOutput()
          .ifPresent(
              s -> assertClose(outputs.get(s).get("data"), flatten(expected.get("probabilities"))));
    } else if (model.kind() instanceof ModelKind.Regressor r) {
      assertClose(outputs.get(r.output()).get("data"), flatten(expected.get("predictions")));
    } else {
      for (TensorSpec spec : model.signature().outputs()) {
        assertClose(
            outputs.get(spec.name()).get("data"),
            flatten(expected.get("outputs").get(spec.name())));
      }
    }
  }

  static void assertClose(JsonNode got, JsonNode want) {
    if (want.isArray()) {
      assertThat(got.isArray()).as(got + " vs " + want).isTrue();
      assertThat(got.size()).as(got + " vs " + want).isEqualTo(want.size());
      for (int i = 0; i < want.size(); i++) {
        assertClose(got.get(i), want.get(i));
      }
      return;
    }
    if (want.isNumber()) {
      double tolerance = 1e-5 * Math.max(1, Math.abs(want.asDouble()));
      assertThat(got.asDouble())
          .as(got + " vs " + want)
          .isCloseTo(want.asDouble(), org.assertj.core.data.Offset.offset(tolerance));
      return;
    }
    assertThat(got.asText()).isEqualTo(want.asText());
  }

  /**
   * Labels compared as JSON values with their types: the integer 0 is not the string "0", so an
   * answer that turned int64 labels into text (or class names into numbers) fails.
   */
  static void assertSameValues(JsonNode got, JsonNode want) {
    assertThat(got.isArray()).as(got + " vs " + want).isTrue();
    assertThat(got.size()).as(got + " vs " + want).isEqualTo(want.size());
    for (int i = 0; i < want.size(); i++) {
      JsonNode g = got.get(i);
      JsonNode w = want.get(i);
      assertThat(g.getNodeType())
          .as("type of item %d: %s vs %s", i, got, want)
          .isEqualTo(w.getNodeType());
      if (w.isIntegralNumber()) {
        assertThat(g.isIntegralNumber())
            .as("item %d of %s is an integer like %s", i, got, want)
            .isTrue();
        assertThat(g.longValue()).as("item %d: %s vs %s", i, got, want).isEqualTo(w.longValue());
      } else {
        assertThat(g).as("item %d: %s vs %s", i, got, want).isEqualTo(w);
      }
    }
  }

  static ArrayNode shapeOf(JsonNode nested) {
    ArrayNode shape = JSON.createArrayNode();
    for (JsonNode node = nested; node.isArray(); node = node.get(0)) {
      shape.add(node.size());
    }
    return shape;
  }

  static ArrayNode flatten(JsonNode nested) {
    ArrayNode flat = JSON.createArrayNode();
    if (!nested.isArray()) {
      return flat.add(nested);
    }
    nested.forEach(element -> flat.addAll(flatten(element)));
    return flat;
  }

  static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }
}
