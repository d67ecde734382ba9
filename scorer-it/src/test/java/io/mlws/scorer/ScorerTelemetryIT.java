package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mlws.devtools.capture.CaptureServer;
import io.mlws.devtools.capture.Envelopes;
import io.mlws.scorer.harness.ScorerProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry end to end with real parts: the packaged scorer.jar in its own JVM with the real
 * Application Insights agent, its connection string pointing every endpoint at a capture server on
 * 127.0.0.1 that decodes the gzipped envelopes. Everything is asserted by counting.
 */
class ScorerTelemetryIT {
  static final Path MODEL = Path.of("models/iris.onnx");

  /** A distinctive instrumentation key: it must reach ingestion and appear nowhere else. */
  static final String KEY = "5ec2e7aa-1eaf-4cc0-9d0e-c0ffee15bad0";

  static final String VALID = "{\"data\": [[5.1, 3.5, 1.4, 0.2]], \"customer_id\": \"secret-%d\"}";
  static final List<String> DIMENSIONS =
      List.of(
          "Request Id",
          "Client Request Id",
          "Container Id",
          "Service Name",
          "Workspace Name",
          "Models",
          "Input",
          "Prediction");

  /** A model's SAS signature and a caller's query value: neither may appear in any envelope. */
  static final String SAS_SENTINEL = "SASSENTINEL0sig0e2Bq";

  static final String QUERY_SENTINEL = "QUERYSENTINEL0c0de";

  @TempDir Path work;

  @Test
  void everyRequestAndEveryCollectionArrivesWithItsOperation() throws Exception {
    byte[] model = Files.readAllBytes(MODEL);
    List<String> modelQueries = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer modelServer =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    modelServer.createContext(
        "/models/iris.onnx",
        ex -> {
          modelQueries.add(String.valueOf(ex.getRequestURI().getRawQuery()));
          ex.sendResponseHeaders(200, model.length);
          ex.getResponseBody().write(model);
          ex.close();
        });
    modelServer.start();
    Path settings = work.resolve("settings.json");
    writeSettings(settings, true, 256);
    try (CaptureServer capture = CaptureServer.start(0, null);
        ScorerProcess scorer =
            ScorerProcess.start(
                work,
                capture.connectionString(KEY),
                Map.of(
                    "MLWS_MODEL_URI",
                    "http://127.0.0.1:" + modelServer.getAddress().getPort() + "/models/iris.onnx",
                    "MLWS_MODEL_SHA256",
                    io.mlws.scorer.model.ModelFetcherAccess.sha256(MODEL),
                    // What credential.type SasToken sets: it must reach the model server, and
                    // nothing of it any envelope.
                    "MLWS_MODEL_SAS_TOKEN",
                    "sv=2024-11-04&sr=b&sp=r&sig=" + SAS_SENTINEL,
                    "MLWS_CONFIG",
                    settings.toString(),
                    "MLWS_SETTINGS_POLL_MILLIS",
                    "200",
                    "MLWS_POD_NAME",
                    "iris-pod-1",
                    "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE",
                    "100",
                    "APPLICATIONINSIGHTS_ROLE_NAME",
                    "iris"))) {
      scorer.awaitReady();
      // Probes, as the kubelet sends them to the probe port, and as a person might on the
      // scoring port: neither becomes a RequestData.
      for (int i = 0; i < 5; i++) {
        for (String path : List.of("/ready", "/healthz")) {
          assertThat(scorer.probe(path).statusCode()).isEqualTo(200);
          assertThat(scorer.get(path).statusCode()).isEqualTo(200);
        }
      }

      Map<String, Integer> statusByRequestId = new HashMap<>();
      Map<String, String> clientByRequestId = new HashMap<>();
      for (int i = 0; i < 40; i++) {
        String body =
            i == 0
                ? "{\"data\": [[5.1, 3.5, 1.4, 0.2]], \"note\": \"" + "n".repeat(600) + "\"}"
                : VALID.formatted(i);
        if (i == 1) {
          // Its body comes after its headers: the scorer goes on with it on another thread than
          // the one it arrived on, and its telemetry must stay with it all the same.
          Map.Entry<Integer, String> late =
              scoreWithBodyLater(scorer.uri("/score").getPort(), body, "client-" + i);
          assertThat(late.getKey()).isEqualTo(200);
          statusByRequestId.put(late.getValue(), 200);
          clientByRequestId.put(late.getValue(), "client-" + i);
          continue;
        }
        HttpResponse<String> response = scorer.score(body, "client-" + i);
        assertThat(response.statusCode()).isEqualTo(200);
        String id = response.headers().firstValue("x-ms-request-id").orElseThrow();
        statusByRequestId.put(id, 200);
        clientByRequestId.put(id, "client-" + i);
      }
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response =
            i == 0
                // A caller's query (here a made-up key): the request's url keeps no query.
                ? java.net.http.HttpClient.newHttpClient()
                    .send(
                        java.net.http.HttpRequest.newBuilder(
                                scorer.uri("/score?api_key=" + QUERY_SENTINEL))
                            .header("Content-Type", "application/json")
                            .POST(
                                java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"data\": [[1, 2]]}"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                : scorer.score("{\"data\": [[1, 2]]}", null);
        assertThat(response.statusCode()).isEqualTo(400);
        statusByRequestId.put(response.headers().firstValue("x-ms-request-id").orElseThrow(), 400);
      }

      await("50 RequestData named POST /score and 40 model_data_collection traces")
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        scoreRequests(capture).stream()
                            .map(r -> Envelopes.data(r).path("responseCode").asText())
                            .toList())
                    .as("response codes of the POST /score RequestData so far")
                    .hasSize(50);
                assertThat(collections(capture)).as("collections so far").hasSize(40);
              });
      awaitQuiet(capture); // nothing more arrives: the counts below are final, not a snapshot
      List<JsonNode> requests = scoreRequests(capture);
      assertThat(requests).hasSize(50);
      assertThat(Envelopes.ofType(capture.envelopes(), "RequestData"))
          .as("RequestData of probes")
          .noneMatch(r -> Envelopes.data(r).path("url").asText().matches(".*/(ready|healthz)$"));
      Map<String, String> operationByRequestId = new HashMap<>();
      for (JsonNode request : requests) {
        JsonNode data = Envelopes.data(request);
        String id = data.path("properties").path("Request Id").asText();
        assertThat(statusByRequestId).containsKey(id);
        int status = statusByRequestId.get(id);
        assertThat(data.path("responseCode").asText()).isEqualTo(String.valueOf(status));
        assertThat(data.path("success").asBoolean()).isEqualTo(status == 200);
        assertThat(request.path("tags").path("ai.cloud.role").asText()).isEqualTo("iris");
        operationByRequestId.put(id, Envelopes.operationId(request));
      }

      List<JsonNode> collections = collections(capture);
      assertThat(collections).hasSize(40);
      for (JsonNode trace : collections) {
        JsonNode dimensions = Envelopes.data(trace).path("properties");
        for (String name : DIMENSIONS) {
          assertThat(dimensions.has(name)).as("dimension %s in %s", name, dimensions).isTrue();
        }
        String id = dimensions.get("Request Id").asText();
        assertThat(statusByRequestId.get(id)).isEqualTo(200);
        assertThat(Envelopes.operationId(trace))
            .as("same operation as its request")
            .isEqualTo(operationByRequestId.get(id));
        assertThat(dimensions.get("Client Request Id").asText())
            .isEqualTo(clientByRequestId.get(id));
        assertThat(dimensions.get("Container Id").asText()).isEqualTo("iris-pod-1");
        assertThat(dimensions.get("Service Name").asText()).isEqualTo("iris");
        assertThat(dimensions.get("Workspace Name").asText()).isEqualTo("ml-team");
        assertThat(dimensions.get("Models").asText()).isEqualTo("iris:1");
        assertThat(dimensions.get("Prediction").asText()).contains("\"predictions\":[\"setosa\"]");
        String input = dimensions.get("Input").asText();
        assertThat(input).doesNotContain("secret-").hasSizeLessThanOrEqualTo(256);
        if (clientByRequestId.get(id).equals("client-0")) {
          assertThat(input).endsWith("chars]").contains("...[truncated ");
        } else {
          assertThat(input).contains("\"customer_id\":\"[REDACTED]\"");
        }
      }

      List<JsonNode> all = capture.envelopes();
      assertThat(Envelopes.ofType(all, "RemoteDependencyData"))
          .as("the model download, without its query")
          .anySatisfy(
              d -> {
                assertThat(Envelopes.data(d).path("data").asText())
                    .contains("/models/iris.onnx")
                    .endsWith("?[REDACTED]");
                assertThat(Envelopes.data(d).path("resultCode").asText()).isEqualTo("200");
              });
      assertThat(modelQueries).as("the SAS reached the model server").isNotEmpty();
      assertThat(modelQueries.get(0)).contains("sig=" + SAS_SENTINEL);
      assertThat(all)
          .as("envelopes holding the SAS or a caller's query")
          .noneSatisfy(e -> assertThat(e.toString()).contains(SAS_SENTINEL))
          .noneSatisfy(e -> assertThat(e.toString()).contains(QUERY_SENTINEL));
      // The scorer's one ingestion check at start reaches ingestion, and is not a dependency.
      assertThat(Envelopes.ofType(all, "MessageData"))
          .as("the ingestion check's trace")
          .anySatisfy(
              m ->
                  assertThat(Envelopes.data(m).path("message").asText())
                      .isEqualTo("mlws scorer started"));
      assertThat(Envelopes.ofType(all, "RemoteDependencyData"))
          .as("dependencies")
          .noneSatisfy(
              d -> assertThat(Envelopes.data(d).path("data").asText()).contains("/v2.1/track"));
      assertThat(Envelopes.ofType(all, "MessageData"))
          .as("a log line")
          .anySatisfy(
              m -> {
                assertThat(Envelopes.data(m).path("message").asText())
                    .isEqualTo("serving /score and /v2/models/iris/infer");
                assertThat(Envelopes.data(m).path("properties").path("LoggerName").asText())
                    .isEqualTo("io.mlws.scorer.ScorerMain");
              });
      assertThat(Envelopes.ofType(all, "MessageData"))
          .as("a line printed to stdout")
          .anySatisfy(
              m -> {
                assertThat(Envelopes.data(m).path("message").asText())
                    .isEqualTo("mlws scorer: model iris:1 is ready");
                assertThat(Envelopes.data(m).path("properties").path("LoggerName").asText())
                    .isEqualTo("stdout");
              });

      // Turning data collection off in the settings file takes effect without a restart.
      writeSettings(settings, false, 256);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(scorer.log).contains("data collection off"));
      scoreAll(scorer, 20);
      writeSettings(settings, true, 256);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> Files.readString(scorer.log).contains("data collection on at 100.0% (was off"));
      scoreAll(scorer, 10);
      await().atMost(Duration.ofSeconds(30)).until(() -> scoreRequests(capture).size() == 80);
      awaitQuiet(capture);
      assertThat(collections(capture)).as("20 while off, 10 after back on").hasSize(50);

      // The connection string goes to ingestion as the envelope's iKey, and nowhere else.
      for (JsonNode envelope : capture.envelopes()) {
        assertThat(envelope.path("iKey").asText()).isEqualTo(KEY);
        assertThat(envelope.path("data").toString()).doesNotContain(KEY);
      }
      assertThat(Files.readString(scorer.log)).doesNotContain(KEY);

      // Ingestion slow, failing or gone never affects scoring.
      capture.delayTrack(Duration.ofSeconds(3));
      scoreAll(scorer, 100);
      capture.delayTrack(Duration.ZERO);
      for (int status : new int[] {500, 429}) {
        capture.answerTrackWith(status);
        scoreAll(scorer, 100);
      }
      capture.close();
      scoreAll(scorer, 100);
      assertThat(scorer.get("/healthz").statusCode()).isEqualTo(200);
      assertThat(scorer.stop()).isIn(0, 143);
    } finally {
      modelServer.stop(0);
    }
  }

  @Test
  void dataCollectionKeepsItsShareWhateverTheRequestSampling() throws Exception {
    try (CaptureServer capture = CaptureServer.start(0, null);
        ScorerProcess scorer =
            ScorerProcess.start(
                work,
                capture.connectionString(),
                Map.of(
                    "MLWS_MODEL_URI", MODEL.toString(),
                    "MLWS_DATA_COLLECTION_ENABLED", "true",
                    "MLWS_DATA_COLLECTION_SAMPLING_PERCENTAGE", "50"))) {
      scorer.awaitReady();
      int total = 1000;
      for (int i = 0; i < total; i++) {
        assertThat(scorer.score(VALID.formatted(i), null).statusCode()).isEqualTo(200);
      }

      awaitQuiet(capture);
      int collected = collections(capture).size();
      int requests = scoreRequests(capture).size();
      assertThat(requests)
          .as("the agent's default sampling (5 requests/s) kept only some requests")
          .isLessThan(total / 2);
      assertThat(collected)
          .as("50%% of %d, within 5 points, whatever the request sampling", total)
          .isBetween(450, 550);
    }
  }

  @Test
  void aModelThatFailsVerificationIsReportedAsAnException() throws Exception {
    try (CaptureServer capture = CaptureServer.start(0, null);
        ScorerProcess scorer =
            ScorerProcess.start(
                work,
                capture.connectionString(),
                Map.of("MLWS_MODEL_URI", MODEL.toString(), "MLWS_MODEL_SHA256", "0".repeat(64)))) {
      assertThat(scorer.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(scorer.process.exitValue()).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Envelopes.ofType(capture.envelopes(), "ExceptionData"))
                      .anySatisfy(
                          e -> {
                            JsonNode exception = Envelopes.data(e).path("exceptions").path(0);
                            assertThat(exception.path("typeName").asText())
                                .endsWith("ModelUnavailableException");
                            assertThat(exception.path("message").asText())
                                .contains("refusing to serve it");
                          }));
    }
  }

  /**
   * With keys required, a call without a key and a call with a wrong one are each a RequestData
   * with result code 401 and success false, and no envelope carries either key or the wrong one.
   */
  @Test
  void aRefusedCallIsA401RequestAndNoKeyReachesTelemetry() throws Exception {
    Path keys = Files.createDirectories(work.resolve("keys"));
    String primary = "prim-" + "7f3a9c".repeat(6);
    String secondary = "seco-" + "1b2d4e".repeat(6);
    String wrong = "wrong-" + "0dd5ee".repeat(6);
    Files.writeString(keys.resolve("primary"), primary);
    Files.writeString(keys.resolve("secondary"), secondary);
    try (CaptureServer capture = CaptureServer.start(0, null);
        ScorerProcess scorer =
            ScorerProcess.start(
                work,
                capture.connectionString(),
                Map.of("MLWS_MODEL_URI", MODEL.toString(), "MLWS_KEYS_DIR", keys.toString()))) {
      scorer.awaitReady();
      assertThat(scorer.score(VALID.formatted(1), null, null).statusCode()).isEqualTo(401);
      assertThat(scorer.score(VALID.formatted(2), null, "Bearer " + wrong).statusCode())
          .isEqualTo(401);
      assertThat(scorer.score(VALID.formatted(3), null, "Bearer " + primary).statusCode())
          .isEqualTo(200);
      assertThat(scorer.score(VALID.formatted(4), null, "Bearer " + secondary).statusCode())
          .isEqualTo(200);

      await().atMost(Duration.ofSeconds(30)).until(() -> scoreRequests(capture).size() >= 4);
      awaitQuiet(capture);
      List<JsonNode> requests = scoreRequests(capture);
      assertThat(requests).hasSize(4);
      assertThat(requests)
          .filteredOn(r -> Envelopes.data(r).path("responseCode").asText().equals("401"))
          .hasSize(2)
          .allSatisfy(r -> assertThat(Envelopes.data(r).path("success").asBoolean()).isFalse());
      assertThat(requests)
          .filteredOn(r -> Envelopes.data(r).path("responseCode").asText().equals("200"))
          .hasSize(2);
      String everything = capture.envelopes().toString();
      assertThat(everything).doesNotContain(primary, secondary, wrong, "Bearer");
      assertThat(Files.readString(scorer.log)).doesNotContain(primary, secondary, wrong);
    }
  }

  /** Sends {@code count} valid requests; every one must be answered 200. */
  static void scoreAll(ScorerProcess scorer, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      assertThat(scorer.score(VALID.formatted(i), null).statusCode()).isEqualTo(200);
    }
  }

  /** A scoring call whose body is sent 300 ms after its headers; its status and request id. */
  static Map.Entry<Integer, String> scoreWithBodyLater(int port, String body, String clientId)
      throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      java.io.OutputStream out = socket.getOutputStream();
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.write(
          ("POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "x-ms-client-request-id: "
                  + clientId
                  + "\r\nContent-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(300);
      out.write(bytes);
      out.flush();
      String answer =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      java.util.regex.Matcher id =
          java.util.regex.Pattern.compile("(?im)^x-ms-request-id: *(\\S+)").matcher(answer);
      assertThat(id.find()).as("a request id in %s", answer).isTrue();
      return Map.entry(Integer.parseInt(answer.substring(9, 12)), id.group(1));
    }
  }

  static List<JsonNode> scoreRequests(CaptureServer capture) {
    return Envelopes.ofType(capture.envelopes(), "RequestData").stream()
        .filter(r -> Envelopes.data(r).path("name").asText().equals("POST /score"))
        .toList();
  }

  static List<JsonNode> collections(CaptureServer capture) {
    return Envelopes.ofType(capture.envelopes(), "MessageData").stream()
        .filter(m -> Envelopes.data(m).path("message").asText().equals("model_data_collection"))
        .toList();
  }

  /** Waits until nothing new has arrived for two export intervals (at most 30 s). */
  static void awaitQuiet(CaptureServer capture) throws InterruptedException {
    int last = -1;
    for (int i = 0; i < 60 && capture.envelopes().size() != last; i++) {
      last = capture.envelopes().size();
      Thread.sleep(1000);
    }
  }

  static void writeSettings(Path file, boolean collect, int maxChars) throws Exception {
    Path temp = file.resolveSibling("settings.json.tmp");
    Files.writeString(
        temp,
        """
        {"model": {"name": "iris", "version": "1"},
         "service": {"name": "iris", "namespace": "ml-team"},
         "dataCollection": {"enabled": %s, "samplingPercentage": 100, "maxPayloadChars": %d, "redactFields": ["customer_id"]}}
        """
            .formatted(collect, maxChars));
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
