package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.devtools.capture.CaptureServer;
import io.mlws.devtools.capture.Envelopes;
import io.mlws.scorer.harness.ScorerProcess;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two model versions, each a packaged scorer with the real agent, one capture server: a call the
 * default version's pod sends on to the canary is one operation in Application Insights, the
 * sending pod's request (Routed To) and its dependency around the canary's request (Version); every
 * request a version answered, and its model_data_collection trace, carry that version.
 */
class ModelVersionsTelemetryIT {
  static final String KEY = "7e1d0c3a-6a2b-4f0e-8d1c-5a9e2b4c7f10";
  static final String ROW = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";
  static final int CALLS = 30;

  @TempDir Path work;

  @Test
  void aCallSentOnIsOneOperationAndEachVersionLabelsWhatItAnswered() throws Exception {
    try (CaptureServer capture = CaptureServer.start(0, null);
        ScorerProcess canary =
            ScorerProcess.start(
                Files.createDirectories(work.resolve("canary")),
                capture.connectionString(KEY),
                env("canary", settings("canary", ""), "pod-canary"));
        ScorerProcess stable =
            ScorerProcess.start(
                Files.createDirectories(work.resolve("default")),
                capture.connectionString(KEY),
                env(null, settings("default", canaryUrl(canary)), "pod-default"))) {
      canary.awaitReady();
      stable.awaitReady();

      Map<String, String> versionByRequestId = new HashMap<>();
      for (int i = 0; i < CALLS; i++) {
        HttpResponse<String> answer = stable.score(ROW, "call-" + i);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        versionByRequestId.put(
            answer.headers().firstValue("x-ms-request-id").orElseThrow(),
            answer.headers().firstValue("azureml-model-deployment").orElseThrow());
      }
      HttpResponse<String> pinned =
          ScorerProcess.HTTP.send(
              HttpRequest.newBuilder(stable.uri("/score"))
                  .header("Content-Type", "application/json")
                  .header("azureml-model-deployment", "canary")
                  .POST(HttpRequest.BodyPublishers.ofString(ROW))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(pinned.headers().firstValue("azureml-model-deployment")).hasValue("canary");
      versionByRequestId.put(
          pinned.headers().firstValue("x-ms-request-id").orElseThrow(), "canary");
      assertThat(versionByRequestId.values()).contains("default", "canary");

      await("a request labelled with its version for every call, its collection, and every hop")
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  versioned(capture.envelopes(), "RequestData")
                          .keySet()
                          .containsAll(versionByRequestId.keySet())
                      && versioned(capture.envelopes(), "MessageData")
                          .keySet()
                          .containsAll(versionByRequestId.keySet())
                      && everyHopRecorded(capture.envelopes()));
      List<JsonNode> envelopes = capture.envelopes();
      assertThat(versioned(envelopes, "RequestData"))
          .as("the Version of the request that answered each call")
          .containsAllEntriesOf(versionByRequestId);
      assertThat(versioned(envelopes, "MessageData"))
          .as("the Version of each model_data_collection trace")
          .containsAllEntriesOf(versionByRequestId);

      // Each call sent on: in the canary's request's operation, the default pod's request
      // (Routed To: canary) and its dependency, the hop.
      for (JsonNode request : Envelopes.ofType(envelopes, "RequestData")) {
        JsonNode properties = Envelopes.data(request).path("properties");
        if (!"canary".equals(properties.path("Version").asText())) {
          continue;
        }
        String operation = Envelopes.operationId(request);
        List<JsonNode> sameOperation =
            envelopes.stream().filter(e -> operation.equals(Envelopes.operationId(e))).toList();
        assertThat(sameOperation)
            .as("the operation of %s", Envelopes.describe(request))
            .anySatisfy(
                e ->
                    assertThat(Envelopes.data(e).path("properties").path("Routed To").asText())
                        .isEqualTo("canary"))
            .anySatisfy(e -> assertThat(Envelopes.type(e)).isEqualTo("RemoteDependencyData"));
      }
    }
  }

  /**
   * Whether the operation of every request the canary answered also has the sending pod's request
   * (Routed To) and its dependency: the two pods export on their own schedules, so these arrive in
   * no set order.
   */
  static boolean everyHopRecorded(List<JsonNode> envelopes) {
    for (JsonNode request : Envelopes.ofType(envelopes, "RequestData")) {
      if (!"canary".equals(Envelopes.data(request).path("properties").path("Version").asText())) {
        continue;
      }
      String operation = Envelopes.operationId(request);
      List<JsonNode> sameOperation =
          envelopes.stream().filter(e -> operation.equals(Envelopes.operationId(e))).toList();
      boolean sender =
          sameOperation.stream()
              .anyMatch(
                  e ->
                      "canary"
                          .equals(Envelopes.data(e).path("properties").path("Routed To").asText()));
      boolean hop =
          sameOperation.stream().anyMatch(e -> "RemoteDependencyData".equals(Envelopes.type(e)));
      if (!sender || !hop) {
        return false;
      }
    }
    return true;
  }

  /** Request Id to Version, of the envelopes of this type that have both. */
  static Map<String, String> versioned(List<JsonNode> envelopes, String type) {
    Map<String, String> versions = new HashMap<>();
    for (JsonNode envelope : Envelopes.ofType(envelopes, type)) {
      JsonNode properties = Envelopes.data(envelope).path("properties");
      if (properties.has("Version") && properties.has("Request Id")) {
        versions.put(properties.path("Request Id").asText(), properties.path("Version").asText());
      }
    }
    return versions;
  }

  static String canaryUrl(ScorerProcess canary) {
    String base = canary.uri("/").toString();
    return base.substring(0, base.length() - 1);
  }

  Path settings(String version, String canaryUrl) throws Exception {
    Path file = work.resolve(version + "-settings.json");
    Files.writeString(
        file,
        """
        {"model": {"name": "iris", "version": "3"},
         "service": {"name": "iris", "namespace": "ml-team"},
         "dataCollection": {"enabled": true, "samplingPercentage": 100, "maxPayloadChars": 8192, "redactFields": []},
         "routing": {"versions": [
           {"name": "default", "weight": 50, "url": "", "model": {"name": "iris", "version": "3"}},
           {"name": "canary", "weight": 50, "url": "%s", "model": {"name": "iris", "version": "4"}}]}}
        """
            .formatted(canaryUrl));
    return file;
  }

  static Map<String, String> env(String version, Path settings, String pod) {
    Map<String, String> env = new HashMap<>();
    env.put("MLWS_MODEL_URI", "models/iris.onnx");
    env.put("MLWS_CONFIG", settings.toString());
    env.put("MLWS_POD_NAME", pod);
    env.put("APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", "100");
    env.put("APPLICATIONINSIGHTS_ROLE_NAME", "iris");
    if (version != null) {
      env.put("MLWS_VERSION_NAME", version);
    }
    return env;
  }
}
