package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.http.ConnectionDrain;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.settings.AppliedSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * A saturated scorer: scoring requests that never finish fill every slot and the queue; the next
 * one gets a 503 at once, while the probes' own port still answers; and a stopping scorer closes
 * keep-alive connections. Latches, not timings, decide.
 */
class SaturationTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void excessLoadIsRefusedAtOnceAndProbesStillAnswer() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "models/iris.onnx",
                "MLWS_PORT", "0",
                "MLWS_PROBE_PORT", "0",
                "MLWS_MAX_CONCURRENT_REQUESTS", "2",
                "MLWS_MAX_QUEUED_REQUESTS", "2",
                "MLWS_MAX_QUEUE_WAIT_MILLIS", "600000"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger entered = new AtomicInteger();
    Handler busy = blocking(entered, release);
    ModelHolder model = new ModelHolder();
    model.set(OnnxModel.load(Path.of("models/iris.onnx"), Optional.empty()));
    Server scoring = ScorerHttpServer.start(config, busy);
    Server probes = ProbeServer.start(0, model, scoring, () -> AppliedSettings.NONE);
    String base = "http://127.0.0.1:" + ScorerHttpServer.port(scoring);
    String probeBase = "http://127.0.0.1:" + ScorerHttpServer.port(probes);
    try {
      List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(sendAsync(base + "/score"));
      }
      await("both slots taken").atMost(Duration.ofSeconds(30)).until(() -> entered.get() == 2);
      for (int i = 0; i < 2; i++) {
        held.add(sendAsync(base + "/score"));
      }
      QoSHandler qos = scoring.getDescendant(QoSHandler.class);
      await("two requests queued")
          .atMost(Duration.ofSeconds(30))
          .until(() -> qos.getSuspendedRequestCount() == 2);

      HttpResponse<String> refused = send(base + "/score");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.headers().firstValue("Connection"))
          .as("a refusal sent before the body was read closes its connection, and says so")
          .contains("close");
      assertThat(refused.body()).contains("\"code\":\"ServerBusy\"");
      assertThat(entered.get()).as("the refused request never reached the model").isEqualTo(2);

      assertThat(send(probeBase + "/healthz").statusCode()).isEqualTo(200);
      assertThat(send(probeBase + "/ready").statusCode()).isEqualTo(200);
      assertThat(send(probeBase + "/score").statusCode()).isEqualTo(404);

      release.countDown();
      for (CompletableFuture<HttpResponse<String>> response : held) {
        assertThat(response.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      }
      assertThat(entered.get()).as("the queued ones ran too").isEqualTo(4);

      TestServers.stopNow(scoring);
      HttpResponse<String> stopping = send(probeBase + "/ready");
      assertThat(stopping.statusCode()).isEqualTo(503);
      assertThat(stopping.body()).contains("stopping");
      assertThat(send(probeBase + "/healthz").statusCode()).isEqualTo(200);
    } finally {
      release.countDown();
      TestServers.stopNow(scoring);
      TestServers.stopNow(probes);
    }
  }

  @Test
  void aQueuedRequestThatWaitsItsLongestIsRefusedTheSameWay() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "models/iris.onnx",
                "MLWS_PORT", "0",
                "MLWS_MAX_CONCURRENT_REQUESTS", "1",
                "MLWS_MAX_QUEUED_REQUESTS", "1",
                "MLWS_MAX_QUEUE_WAIT_MILLIS", "200"));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger entered = new AtomicInteger();
    Server scoring = ScorerHttpServer.start(config, blocking(entered, release));
    String base = "http://127.0.0.1:" + ScorerHttpServer.port(scoring);
    try {
      CompletableFuture<HttpResponse<String>> held = sendAsync(base + "/score");
      await("the slot taken").atMost(Duration.ofSeconds(30)).until(() -> entered.get() == 1);
      HttpResponse<String> timedOut = send(base + "/score");
      assertThat(timedOut.statusCode()).isEqualTo(503);
      assertThat(timedOut.headers().firstValue("Retry-After")).contains("1");
      assertThat(timedOut.body()).contains("\"code\":\"ServerBusy\"");
      release.countDown();
      assertThat(held.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
      assertThat(entered.get()).isEqualTo(1);
    } finally {
      release.countDown();
      TestServers.stopNow(scoring);
    }
  }

  @Test
  void onceStoppingEveryAnswerClosesItsKeepAliveConnection() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of("MLWS_MODEL_URI", "models/iris.onnx", "MLWS_PORT", "0"));
    CountDownLatch released = new CountDownLatch(0);
    Server scoring = ScorerHttpServer.start(config, blocking(new AtomicInteger(), released));
    String base = "http://127.0.0.1:" + ScorerHttpServer.port(scoring);
    try {
      assertThat(send(base + "/score").headers().firstValue("Connection")).isEmpty();
      scoring.getDescendant(ConnectionDrain.class).beginClosing();
      HttpResponse<String> closing = send(base + "/score");
      assertThat(closing.statusCode()).isEqualTo(200);
      assertThat(closing.headers().firstValue("Connection")).contains("close");
    } finally {
      TestServers.stopNow(scoring);
    }
  }

  /** A model that never finishes until released. */
  private static Handler blocking(AtomicInteger entered, CountDownLatch release) {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        entered.incrementAndGet();
        release.await(2, TimeUnit.MINUTES);
        response.setStatus(200);
        callback.succeeded();
        return true;
      }
    };
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).build();
  }

  private static HttpResponse<String> send(String url) throws Exception {
    return HTTP.send(get(url), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(String url) {
    return HTTP.sendAsync(get(url), HttpResponse.BodyHandlers.ofString());
  }
}
