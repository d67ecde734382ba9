package io.mlws.scorer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.ProbeServer;
import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.ScorerHttpServer;
import io.mlws.scorer.TestServers;
import io.mlws.scorer.settings.AppliedSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes from the probe port after known traffic: requests by route, method and
 * status with their histogram, the model's time, data collection's records and redactions, the JVM.
 */
class ScorerMetricsTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final int MADE_UP_METHODS = 50;

  @Test
  void countsWhatWasServedByRouteStatusAndOutcome() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "models/iris.onnx",
                "MLWS_PORT", "0",
                "MLWS_DATA_COLLECTION_ENABLED", "true",
                "MLWS_DATA_COLLECTION_REDACT_FIELDS", "customer_id"));
    ModelHolder model = TestServers.iris();
    PrometheusMeterRegistry registry = ScorerMetrics.prometheus();
    Server scoring = TestServers.scoring(config, model);
    AppliedSettings applied =
        new AppliedSettings("sha256:0f0f", Optional.of("dataCollection.maxPayloadChars must be …"));
    Server probes = ProbeServer.start(0, model, scoring, registry, () -> applied);
    String base = "http://127.0.0.1:" + ScorerHttpServer.port(scoring);
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(
                post(base + "/score", "{\"data\": [[5.1, 3.5, 1.4, 0.2]], \"customer_id\": \"c\"}"))
            .isEqualTo(200);
      }
      assertThat(post(base + "/score", "{\"data\": [[1, 2]]}")).isEqualTo(400);
      assertThat(get(base + "/nowhere").statusCode()).isEqualTo(404);
      for (int i = 0; i < MADE_UP_METHODS; i++) {
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/score"))
                .method("MADEUP" + i, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
      }

      HttpResponse<String> scraped =
          get("http://127.0.0.1:" + ScorerHttpServer.port(probes) + "/metrics");
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
      String text = scraped.body();
      assertThat(get("http://127.0.0.1:" + ScorerHttpServer.port(probes) + "/settings").body())
          .as("the probe port also says which settings file is in force, for the operator")
          .isEqualTo(
              "{\"digest\":\"sha256:0f0f\",\"refused\":\"dataCollection.maxPayloadChars must be …\"}");
      assertThat(sample(text, "mlws_requests_seconds_count", "route=\"/score\"", "code=\"200\""))
          .isEqualTo(3);
      assertThat(sample(text, "mlws_requests_seconds_count", "route=\"/score\"", "code=\"400\""))
          .isEqualTo(1);
      assertThat(sample(text, "mlws_requests_seconds_count", "route=\"unknown\"", "code=\"404\""))
          .isEqualTo(1);
      assertThat(
              sample(
                  text,
                  "mlws_requests_seconds_bucket",
                  "route=\"/score\"",
                  "code=\"200\"",
                  "le=\"+Inf\""))
          .isEqualTo(3);
      assertThat(sample(text, "mlws_model_inference_seconds_count", "model=\"iris\"")).isEqualTo(3);
      assertThat(sample(text, "mlws_data_collection_records_total", "outcome=\"kept\""))
          .isEqualTo(3);
      assertThat(sample(text, "mlws_data_collection_redacted_fields_total")).isEqualTo(3);
      assertThat(text).contains("jvm_memory_used_bytes");
      assertThat(
              text.lines()
                  .filter(l -> l.startsWith("mlws_requests_seconds_count{"))
                  .map(l -> l.replaceAll(".*method=\"([^\"]*)\".*", "$1"))
                  .distinct())
          .as("method label values after %d made-up methods", MADE_UP_METHODS)
          .containsExactlyInAnyOrder("POST", "GET", "_OTHER");
      assertThat(
              text.lines()
                  .filter(l -> l.startsWith("mlws_requests_seconds_count{"))
                  .filter(l -> l.contains("method=\"_OTHER\""))
                  .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                  .sum())
          .isEqualTo(MADE_UP_METHODS);
    } finally {
      TestServers.stopNow(scoring);
      TestServers.stopNow(probes);
      Metrics.removeRegistry(registry);
    }
  }

  /** The value of the one sample of {@code name} whose labels include all of {@code labels}. */
  static double sample(String scrape, String name, String... labels) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .reduce(
            (a, b) -> {
              throw new AssertionError(
                  "more than one sample of " + name + " with " + Arrays.toString(labels));
            })
        .orElseThrow(
            () ->
                new AssertionError(
                    "no sample of "
                        + name
                        + " with "
                        + Arrays.toString(labels)
                        + " in:\n"
                        + scrape));
  }

  private static int post(String url, String body) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
