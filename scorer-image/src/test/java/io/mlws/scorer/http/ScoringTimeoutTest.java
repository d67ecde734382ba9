package io.mlws.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.ScorerHttpServer;
import io.mlws.scorer.TestServers;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.model.OnnxModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

  /**
   * While runs are held (the model never ends before its timeout), mlws_requests_in_flight counts
   * the one being scored and the one waiting for the slot; once both are answered, none.
   */
  @Test
  void requestsInFlightCountTheScoredAndTheWaiting() throws Exception {
    // What /metrics serves: a Prometheus registry beside the global one.
    PrometheusMeterRegistry metrics = ScorerMetrics.prometheus();
    try (Served served =
        Served.start(
            Map.of(
                "MLWS_SCORING_TIMEOUT_MILLIS", "2000",
                "MLWS_MAX_CONCURRENT_REQUESTS", "1",
                "MLWS_MAX_QUEUE_WAIT_MILLIS", "60000"))) {
      List<CompletableFuture<HttpResponse<String>>> calls =
          List.of(served.scoreAsync(), served.scoreAsync());
      org.awaitility.Awaitility.await("two requests in flight, one scored and one waiting")
          .atMost(Duration.ofSeconds(20))
          .until(() -> inFlight(metrics) == 2.0);
      for (var call : calls) {
        assertThat(call.get().statusCode()).isEqualTo(504);
      }
      // The caller may read its answer before the server has finished the call (its callback
      // runs after the last byte is written): the count reaches zero, it is not there at once.
      org.awaitility.Awaitility.await("none in flight once all are answered")
          .atMost(Duration.ofSeconds(10))
          .until(() -> inFlight(metrics) == 0.0);
    } finally {
      Metrics.removeRegistry(metrics);
    }
  }

  @Test
  void aRunPastTheTimeoutIsStoppedAnsweredWith504AndFreesItsSlot() throws Exception {
    try (Served served =
        Served.start(
            Map.of(
                "MLWS_SCORING_TIMEOUT_MILLIS", "300",
                // One slot and no queue: a run still holding the slot would make the next call 503.
                "MLWS_MAX_CONCURRENT_REQUESTS", "1",
                "MLWS_MAX_QUEUED_REQUESTS", "0"))) {
      for (int call = 0; call < 3; call++) {
        HttpResponse<String> response = served.scoreAsync().get();
        assertThat(response.statusCode()).as("call %d: %s", call, response.body()).isEqualTo(504);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("code").asText()).isEqualTo("ScoringTimeout");
        assertThat(body.get("error").asText())
            .contains("longer than the scoring timeout of 300 ms", "the run was stopped");
      }
    }
  }

  static double inFlight(PrometheusMeterRegistry metrics) {
    return metrics.get("mlws.requests.in.flight").gauge().value();
  }

  /** The never-ending model served in process with these settings, on a free port. */
  record Served(Server server, OnnxModel model, String base) implements AutoCloseable {
    // HTTP/1.1: a connection per call at once (an h2c upgrade would hold the second back).
    static final HttpClient HTTP =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static Served start(Map<String, String> settings) throws Exception {
      Map<String, String> env = new HashMap<>(settings);
      env.put("MLWS_MODEL_URI", MODEL.toString());
      env.put("MLWS_PORT", "0");
      env.put("MLWS_SHUTDOWN_TIMEOUT_SECONDS", "0");
      OnnxModel model = OnnxModel.load(MODEL, Optional.empty());
      ModelHolder holder = new ModelHolder();
      holder.set(model);
      Server server = TestServers.scoring(ScorerConfig.fromEnvironment(env), holder);
      return new Served(server, model, "http://127.0.0.1:" + ScorerHttpServer.port(server));
    }

    CompletableFuture<HttpResponse<String>> scoreAsync() {
      return HTTP.sendAsync(
          HttpRequest.newBuilder(URI.create(base + "/score"))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60))
              .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[1.0]]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
      TestServers.stopNow(server);
      model.close();
    }
  }
}
