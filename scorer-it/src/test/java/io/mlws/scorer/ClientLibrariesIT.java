package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.scorer.harness.ScorerProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients users already have, unchanged, against the packaged scorer with keys: tritonclient's
 * HTTP client and KServe's InferenceRESTClient (Open Inference Protocol V2, JSON and binary
 * tensors), and Azure ML SDK v1's {@code AksWebservice.run()} on /score. Each runs in its own
 * pinned virtual environment (src/test/clients/locks; KServe's is a link to the peers' benchmark
 * lock) and prints what it read; every answer must be the scorer's own JSON answer to the same
 * rows.
 */
class ClientLibrariesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path CLIENTS = Path.of("src/test/clients");
  static final String ROWS = "[[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.6, 2.1]]";
  static final String KEY = "client-libraries-it-primary-key";
  static final double FP32_JSON_DIGITS = 1e-6;

  @TempDir static Path work;
  static ScorerProcess scorer;
  static JsonNode reference;

  @BeforeAll
  static void startScorerWithKeys() throws Exception {
    Path keys = Files.createDirectories(work.resolve("keys"));
    Files.writeString(keys.resolve("primary"), KEY);
    Files.writeString(keys.resolve("secondary"), "client-libraries-it-secondary-key");
    scorer =
        ScorerProcess.start(
                work,
                null,
                Map.of("MLWS_MODEL_URI", "models/iris.onnx", "MLWS_KEYS_DIR", keys.toString()))
            .awaitReady();
    String body =
        "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [2, 4], \"data\": "
            + ROWS
            + "}]}";
    var answer =
        ScorerProcess.HTTP.send(
            HttpRequest.newBuilder(scorer.uri("/v2/models/iris/infer"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    reference = JSON.readTree(answer.body()).get("outputs");
  }

  @AfterAll
  static void stopScorer() {
    if (scorer != null) {
      scorer.close();
    }
  }

  @Test
  void tritonClientsDefaultInferWithBinaryTensors() throws Exception {
    JsonNode printed =
        run(
            CLIENTS.resolve("locks/tritonclient.txt"),
            "tritonclient_infer.py",
            "127.0.0.1:" + scorer.port,
            "iris",
            KEY,
            ROWS);
    assertThat(printed.at("/server/extensions").toString()).contains("binary_tensor_data");
    for (String call : List.of("default", "binary_outputs", "json_outputs")) {
      assertSameAsReference(call, printed.at("/answers/" + call));
    }
  }

  @Test
  void kserveRestClientV2WithJsonAndBinaryInputs() throws Exception {
    JsonNode printed =
        run(
            CLIENTS.resolve("locks/kserve.txt"),
            "kserve_infer.py",
            "http://127.0.0.1:" + scorer.port,
            "iris",
            KEY,
            ROWS);
    assertThat(printed.get("server_ready").asBoolean()).isTrue();
    assertThat(printed.get("model_ready").asBoolean()).isTrue();
    for (String call : List.of("json_inputs", "binary_inputs")) {
      assertSameAsReference(call, printed.at("/answers/" + call));
    }
  }

  @Test
  void azureMlV1WebserviceRunOnScore() throws Exception {
    JsonNode printed =
        run(
            CLIENTS.resolve("locks/azureml-core.txt"),
            "azureml_run.py",
            scorer.uri("/score").toString(),
            KEY,
            "{\"data\": " + ROWS + "}");
    assertThat(printed.at("/answer/predictions").toString())
        .isEqualTo("[\"setosa\",\"virginica\"]");
    JsonNode probabilities = printed.at("/answer/probabilities");
    List<String> classes = List.of("virginica", "setosa", "versicolor");
    for (int row = 0; row < 2; row++) {
      for (int c = 0; c < classes.size(); c++) {
        assertThat(probabilities.get(row).get(classes.get(c)).asDouble())
            .as("row %d, %s", row, classes.get(c))
            .isCloseTo(reference.get(0).get("data").get(row * 3 + c).asDouble(), within(1e-6));
      }
    }
    assertThat(printed.get("wrong_key").asText()).isEqualTo("Response Code: 401");
  }

  /** Each output the client read: the labels exactly, the scores as the reference's FP32 values. */
  private static void assertSameAsReference(String call, JsonNode answer) {
    assertThat(answer.get("label").toString())
        .as("%s: label", call)
        .isEqualTo("[\"setosa\",\"virginica\"]");
    JsonNode expected = reference.get(0).get("data");
    JsonNode scores = answer.get("output");
    assertThat(scores.size()).as("%s: rows", call).isEqualTo(2);
    for (int row = 0; row < 2; row++) {
      for (int c = 0; c < 3; c++) {
        assertThat(scores.get(row).get(c).asDouble())
            .as("%s: output[%d][%d]", call, row, c)
            .isCloseTo(expected.get(row * 3 + c).asDouble(), within(FP32_JSON_DIGITS));
      }
    }
  }

  /** The client script in its pinned environment (built once per lock file); what it printed. */
  private static JsonNode run(Path lock, String script, String... arguments) throws Exception {
    String python =
        output(List.of("bash", CLIENTS.resolve("venv.sh").toString(), lock.toString()), 15);
    List<String> command = new ArrayList<>(List.of(python, CLIENTS.resolve(script).toString()));
    command.addAll(List.of(arguments));
    String printed = output(command, 2);
    assertThat(scorer.process.isAlive()).isTrue();
    assertThat(Files.readString(scorer.log))
        .as("the scorer's log never holds the key")
        .doesNotContain(KEY);
    return JSON.readTree(printed.lines().reduce((first, last) -> last).orElseThrow());
  }

  private static String output(List<String> command, int minutes) throws Exception {
    Path log = Files.createTempFile(work, "client-", ".log");
    Path out = Files.createTempFile(work, "client-", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectError(log.toFile())
            .redirectOutput(out.toFile())
            .start();
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " still running after " + minutes + " min");
    }
    assertThat(process.exitValue())
        .as("%s exited with; its stderr:\n%s", command, Files.readString(log))
        .isZero();
    return Files.readString(out, StandardCharsets.UTF_8).trim();
  }
}
