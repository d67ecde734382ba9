package io.mlws.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.ScorerHttpServer;
import io.mlws.scorer.TestServers;
import io.mlws.scorer.collect.DataCollector;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.telemetry.TraceBridge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scorer's endpoints on the real ONNX model, in process and without the agent (telemetry calls
 * then do nothing): correct predictions through both protocols, and a 4xx that says what is wrong
 * for every kind of bad input.
 */
class ScorerEndpointsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Server server;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI",
                "models/iris.onnx",
                "MLWS_PORT",
                "0",
                "MLWS_MAX_REQUEST_BYTES",
                "65536",
                "MLWS_MAX_ROWS",
                "100"));
    server = TestServers.scoring(config, TestServers.iris());
    base = "http://127.0.0.1:" + ScorerHttpServer.port(server);
  }

  @AfterAll
  static void stop() throws Exception {
    TestServers.stopNow(server);
  }

  static HttpResponse<String> send(String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return send("POST", path, "application/json", body);
  }

  @Test
  void scoresThroughTheAzureMlContract() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/score"))
                .header("Content-Type", "application/json")
                .header("x-ms-client-request-id", "client-7")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"data\": [[5.1, 3.5, 1.4, 0.2], [6.0, 2.7, 4.3, 1.3], [6.7, 3.0, 5.6, 2.1]]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-ms-request-id")).get().asString().hasSize(36);
    assertThat(response.headers().firstValue("x-ms-client-request-id")).contains("client-7");
    assertThat(response.headers().firstValue("Server")).as("no server name or version").isEmpty();
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("predictions").toString())
        .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
    assertThat(body.get("probabilities").get(0).get("setosa").asDouble()).isGreaterThan(0.9);
    assertThat(body.get("probabilities").get(2).size()).isEqualTo(3);
  }

  @Test
  void oneSessionServesManyThreadsAtOnce() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      var answers = new java.util.ArrayList<java.util.concurrent.Future<String>>();
      for (int i = 0; i < 400; i++) {
        String row = i % 2 == 0 ? "[5.1, 3.5, 1.4, 0.2]" : "[6.7, 3.0, 5.6, 2.1]";
        answers.add(pool.submit(() -> post("/score", "{\"data\": [" + row + "]}").body()));
      }
      for (int i = 0; i < answers.size(); i++) {
        String expected = i % 2 == 0 ? "setosa" : "virginica";
        assertThat(
                JSON.readTree(answers.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .get("predictions")
                    .get(0)
                    .asText())
            .isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void acceptsRowsAsObjectsNamedByTheModelsFeatures() throws Exception {
    HttpResponse<String> response =
        post(
            "/score",
            "{\"data\": [{\"sepal_length\": 6.7, \"sepal_width\": 3.0, \"petal_length\": 5.6, \"petal_width\": 2.1}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("predictions").get(0).asText())
        .isEqualTo("virginica");
  }

  @Test
  void v2InferGivesTheSameAnswerAsScore() throws Exception {
    JsonNode score = JSON.readTree(post("/score", "{\"data\": [[6.0, 2.7, 4.3, 1.3]]}").body());
    HttpResponse<String> response =
        post(
            "/v2/models/iris/infer",
            "{\"id\": \"r1\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [[6.0, 2.7, 4.3, 1.3]]}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode infer = JSON.readTree(response.body());
    assertThat(infer.get("model_name").asText()).isEqualTo("iris");
    assertThat(infer.get("id").asText()).isEqualTo("r1");
    JsonNode scores = infer.get("outputs").get(0);
    assertThat(scores.get("shape").toString()).isEqualTo("[1,3]");
    JsonNode labels = infer.get("outputs").get(1);
    assertThat(labels.get("data").get(0).asText())
        .isEqualTo(score.get("predictions").get(0).asText())
        .isEqualTo("versicolor");
    assertThat(scores.get("data").get(2).asDouble())
        .isEqualTo(score.get("probabilities").get(0).get("versicolor").asDouble());
  }

  /** tritonclient's JSON call: no Content-Type at all. */
  @Test
  void v2InferTakesAJsonBodyWithoutContentType() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/v2/models/iris/infer",
            null,
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [6.0, 2.7, 4.3, 1.3]}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("outputs").get(1).get("data").get(0).asText())
        .isEqualTo("versicolor");
  }

  /**
   * The binary tensor data extension, as tritonclient sends it by default: the input's FP32 values
   * after the JSON header, and the outputs asked for in binary after the answer's header, which
   * decode to what the JSON call answers.
   */
  @Test
  void v2InferInTheBinaryTensorDataExtension() throws Exception {
    JsonNode asJson =
        JSON.readTree(
            post(
                    "/v2/models/iris/infer",
                    "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [6.0, 2.7, 4.3, 1.3, 5.1, 3.5, 1.4, 0.2]}]}")
                .body());
    byte[] header =
        ("{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\","
                + " \"parameters\": {\"binary_data_size\": 32}}],"
                + " \"outputs\": [{\"name\": \"output\", \"parameters\": {\"binary_data\": true}},"
                + " {\"name\": \"label\", \"parameters\": {\"binary_data\": true}}]}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(header.length + 32).order(ByteOrder.LITTLE_ENDIAN);
    body.put(header);
    for (float value : new float[] {6.0f, 2.7f, 4.3f, 1.3f, 5.1f, 3.5f, 1.4f, 0.2f}) {
      body.putFloat(value);
    }
    HttpResponse<byte[]> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer"))
                .header("Inference-Header-Content-Length", String.valueOf(header.length))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.array()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    int headerLength =
        Integer.parseInt(answer.headers().firstValue("Inference-Header-Content-Length").get());
    JsonNode answerHeader =
        JSON.readTree(new String(answer.body(), 0, headerLength, StandardCharsets.UTF_8));
    ByteBuffer values =
        ByteBuffer.wrap(answer.body(), headerLength, answer.body().length - headerLength)
            .order(ByteOrder.LITTLE_ENDIAN);
    JsonNode scores = answerHeader.get("outputs").get(0);
    assertThat(scores.has("data")).isFalse();
    assertThat(scores.get("parameters").get("binary_data_size").asInt()).isEqualTo(6 * 4);
    for (int i = 0; i < 6; i++) {
      assertThat((double) values.getFloat())
          .isEqualTo(asJson.get("outputs").get(0).get("data").get(i).floatValue());
    }
    for (int row = 0; row < 2; row++) {
      byte[] label = new byte[values.getInt()];
      values.get(label);
      assertThat(new String(label, StandardCharsets.UTF_8))
          .isEqualTo(asJson.get("outputs").get(1).get("data").get(row).asText());
    }
    assertThat(values.hasRemaining()).isFalse();

    JsonNode server = JSON.readTree(send("GET", "/v2", null, null).body());
    assertThat(server.get("extensions").toString()).contains("binary_tensor_data");
  }

  @ParameterizedTest
  @MethodSource("brokenBinaryBodies")
  void binaryBodiesThatDoNotAddUpAreRefused(String headerLength, int extraBytes, String says)
      throws Exception {
    byte[] header =
        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 16}}]}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] body = java.util.Arrays.copyOf(header, header.length + 16 + extraBytes);
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer"))
                .header(
                    "Inference-Header-Content-Length",
                    headerLength.isEmpty() ? String.valueOf(header.length) : headerLength)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains(says);
  }

  static Stream<Arguments> brokenBinaryBodies() {
    return Stream.of(
        Arguments.of("", 4, "4 bytes after the inputs"),
        Arguments.of("", -8, "binary_data_size 16, but 8 bytes are left"),
        Arguments.of("many", 0, "must be a number of bytes"),
        Arguments.of("100000", 0, "but the body has"),
        Arguments.of("5", 0, "are not valid JSON"));
  }

  @Test
  void v2MetadataHealthAndReadiness() throws Exception {
    assertThat(send("GET", "/v2/health/live", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v2/health/ready", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v2/models/iris/ready", null, null).statusCode()).isEqualTo(200);
    JsonNode metadata = JSON.readTree(send("GET", "/v2/models/iris", null, null).body());
    assertThat(metadata.get("platform").asText()).isEqualTo("onnxruntime_onnx");
    assertThat(metadata.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,4]");
    assertThat(send("GET", "/v2/models/other", null, null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/ready", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void swaggerDescribesTheModel() throws Exception {
    JsonNode swagger = JSON.readTree(send("GET", "/swagger.json", null, null).body());

    assertThat(swagger.get("swagger").asText()).isEqualTo("2.0");
    JsonNode row = swagger.at("/definitions/ServiceInput/properties/data/items");
    assertThat(row.get("minItems").asInt()).isEqualTo(4);
    assertThat(row.get("description").asText())
        .contains("sepal_length, sepal_width, petal_length, petal_width");
    assertThat(
            swagger.at("/definitions/ServiceOutput/properties/predictions/items/enum").toString())
        .contains("setosa", "versicolor", "virginica");
  }

  static Stream<Arguments> badRequests() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String huge = "{\"data\": [[1e999, 1, 1, 1]]}";
    String longNumber = "{\"data\": [[" + "9".repeat(5000) + ", 1, 1, 1]]}";
    String tooManyRows = "{\"data\": [" + "[1,1,1,1],".repeat(100) + "[1,1,1,1]]}";
    String tooBig = "{\"data\": [[1,1,1,1]], \"pad\": \"" + "x".repeat(70_000) + "\"}";
    return Stream.of(
        Arguments.of(
            "POST", "/score", "application/json", "{\"data\": [[1, 2, 3", 400, "not valid JSON"),
        Arguments.of("POST", "/score", "application/json", "", 400, "body is empty"),
        Arguments.of(
            "POST", "/score", "application/json", "[1, 2, 3, 4]", 400, "must be a JSON object"),
        Arguments.of(
            "POST",
            "/score",
            "application/json",
            "{\"rows\": [[1, 2, 3, 4]]}",
            400,
            "has no \"data\""),
        Arguments.of(
            "POST",
            "/score",
            "application/json",
            "{\"data\": [1, 2, 3, 4]}",
            400,
            "row 0 must be a list at depth 1"),
        Arguments.of("POST", "/score", "application/json", "{\"data\": []}", 400, "no rows"),
        Arguments.of(
            "POST",
            "/score",
            "application/json",
            "{\"data\": [[1, 2, 3]]}",
            400,
            "row 0 has 3 values at depth 1; the model takes shape [-1, 4]"),
        Arguments.of(
            "POST",
            "/score",
            "application/json",
            "{\"data\": [[1, 2, 3, \"x\"]]}",
            400,
            "input \"input\" (float), row 0, value 3 must be a number, got string"),
        Arguments.of(
            "POST",
            "/score",
            "application/json",
            "{\"data\": [[1, 2, null, 4]]}",
            400,
            "row 0, value 2 must be a number, got null"),
        Arguments.of(
            "POST",
            "/score",
            "application/json",
            "{\"data\": [{\"sepal_length\": 1}]}",
            400,
            "row 0 has no \"sepal_width\""),
        Arguments.of("POST", "/score", "application/json", huge, 400, "out of range"),
        Arguments.of("POST", "/score", "application/json", longNumber, 400, "not valid JSON"),
        Arguments.of("POST", "/score", "application/json", deep, 400, "not valid JSON"),
        Arguments.of("POST", "/score", "application/json", tooManyRows, 413, "at most 100"),
        Arguments.of("POST", "/score", "application/json", tooBig, 413, "at most 65536"),
        Arguments.of(
            "POST", "/score", "text/plain", "{\"data\": [[1, 2, 3, 4]]}", 415, "application/json"),
        Arguments.of("POST", "/score", null, "{\"data\": [[1, 2, 3, 4]]}", 415, "application/json"),
        Arguments.of("GET", "/score", null, null, 405, "takes POST only"),
        Arguments.of(
            "PUT", "/v2/models/iris/infer", "application/json", "{}", 405, "takes POST only"),
        Arguments.of("DELETE", "/healthz", null, null, 405, "takes GET only"),
        Arguments.of("GET", "/nope", null, null, 404, "no endpoint /nope"),
        Arguments.of(
            "POST",
            "/v2/models/other/infer",
            "application/json",
            "{}",
            404,
            "serves model \"iris\""),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "{\"inputs\": []}",
            400,
            "must be {\"inputs\""),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
            400,
            "no input named \"x\"; the model takes input FP32 [-1, 4]"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"BYTES\", \"data\": [\"a\", \"b\", \"c\", \"d\"]}]}",
            400,
            "datatype \"BYTES\""),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}",
            400,
            "has shape [1, 3]; the model takes [-1, 4]"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}",
            400,
            "needs 8"),
        Arguments.of(
            "POST",
            "/v2/models/iris/infer",
            "application/json",
            "{\"inputs\": [{\"name\": \"input\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, true, 4]}]}",
            400,
            "row 0, value 2 must be a number, got boolean"));
  }

  @ParameterizedTest(name = "{0} {1} {5}")
  @MethodSource("badRequests")
  void badInputGetsA4xxThatSaysWhatIsWrong(
      String method, String path, String contentType, String body, int status, String message)
      throws Exception {
    HttpResponse<String> response = send(method, path, contentType, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.get("error").asText()).contains(message);
    assertThat(error.get("requestId").asText())
        .isEqualTo(response.headers().firstValue("x-ms-request-id").orElseThrow());
    if (status == 405) {
      assertThat(response.headers().firstValue("Allow")).isPresent();
    }
    assertThat(post("/score", "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}").statusCode())
        .as("still scoring")
        .isEqualTo(200);
  }

  @Test
  void notReadyUntilTheModelIsLoaded() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of("MLWS_MODEL_URI", "models/iris.onnx", "MLWS_PORT", "0"));
    RuntimeSettings settings = RuntimeSettings.fromConfig(config);
    Server loading =
        ScorerHttpServer.start(
            config,
            new ModelHolder(),
            () -> settings,
            new DataCollector(() -> settings, "pod", new TraceBridge.LogRecord()));
    try {
      String url = "http://127.0.0.1:" + ScorerHttpServer.port(loading);
      HttpResponse<String> ready =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/ready")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> live =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> score =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/score"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[1, 2, 3, 4]]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(score.statusCode()).isEqualTo(503);
      assertThat(score.body()).contains("not loaded yet");
    } finally {
      TestServers.stopNow(loading);
    }
  }
}
