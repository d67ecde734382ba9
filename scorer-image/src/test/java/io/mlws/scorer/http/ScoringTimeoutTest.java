package io.mlws.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.ScorerHttpServer;
import io.mlws.scorer.TestServers;
import io.mlws.scorer.model.OnnxModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * A model run past the scoring timeout (Azure ML v1's scoring_timeout_ms) is stopped by ONNX
 * Runtime: the call gets 504 with a reason, and the one scoring slot is free for the next call. The
 * model (a Loop of 2^62 steps) never ends on its own: without the stop no answer would come.
 */
class ScoringTimeoutTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path MODEL = Path.of("src/test/resources/models/loops-until-cancelled.onnx");

  @Test
  void aRunPastTheTimeoutIsStoppedAnsweredWith504AndFreesItsSlot() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", MODEL.toString(),
                "MLWS_PORT", "0",
                "MLWS_SHUTDOWN_TIMEOUT_SECONDS", "0",
                "MLWS_SCORING_TIMEOUT_MILLIS", "300",
                // One slot and no queue: a run still holding the slot would make the next call 503.
                "MLWS_MAX_CONCURRENT_REQUESTS", "1",
                "MLWS_MAX_QUEUED_REQUESTS", "0"));
    ModelHolder holder = new ModelHolder();
    try (OnnxModel model = OnnxModel.load(MODEL, Optional.empty())) {
      holder.set(model);
      Server server = TestServers.scoring(config, holder);
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + ScorerHttpServer.port(server);
        for (int call = 0; call < 3; call++) {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/score"))
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(30))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[1.0]]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode()).as("call %d: %s", call, response.body()).isEqualTo(504);
          JsonNode body = JSON.readTree(response.body());
          assertThat(body.get("code").asText()).isEqualTo("ScoringTimeout");
          assertThat(body.get("error").asText())
              .contains("longer than the scoring timeout of 300 ms", "the run was stopped");
        }
      } finally {
        TestServers.stopNow(server);
      }
    }
  }
}
