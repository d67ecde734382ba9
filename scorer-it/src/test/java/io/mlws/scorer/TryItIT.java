package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.harness.ScorerProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The scorer alone, as docs/scorer.md shows it: {@code java -cp dev-tools/target/dev-tools.jar
 * io.mlws.devtools.tryit.TryIt PORT}, the documented request, and the envelopes it prints (the
 * request and its model_data_collection trace with the customer id redacted).
 */
class TryItIT {
  private static final String DOCUMENTED_BODY =
      "{\"data\": [[5.1, 3.5, 1.4, 0.2]], \"customer_id\": \"c-42\"}";

  @Test
  void printsTheRequestAndItsRedactedDataCollection() throws Exception {
    int port = ScorerProcess.freePort();
    Process tryIt =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                Path.of("../dev-tools/target/dev-tools.jar").toString(),
                "io.mlws.devtools.tryit.TryIt",
                String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    List<String> printed = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(tryIt.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(printed::add);
              } catch (Exception ignored) {
                // the process ended
              }
            });
    reader.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
      await("TryIt's scorer ready on port " + port)
          .atMost(Duration.ofMinutes(1))
          .ignoreExceptions()
          .until(
              () ->
                  client
                          .send(
                              HttpRequest.newBuilder(ready).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
      HttpResponse<String> scored =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(DOCUMENTED_BODY))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(scored.body()).startsWith("{\"predictions\":[\"setosa\"]");
      await("the request and its model_data_collection printed; printed so far: " + printed)
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () -> {
                assertThat(printed).anyMatch(l -> l.startsWith("[request]    POST /score -> 200"));
                assertThat(printed)
                    .anyMatch(
                        l ->
                            l.startsWith("[trace]      model_data_collection")
                                && l.contains("[REDACTED]")
                                && !l.contains("c-42"));
              });
    } finally {
      tryIt.descendants().forEach(ProcessHandle::destroy);
      tryIt.destroy();
      tryIt.waitFor();
      reader.join(10_000);
    }
  }
}
