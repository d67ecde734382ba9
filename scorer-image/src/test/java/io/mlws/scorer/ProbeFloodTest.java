package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.http.ProbeHandler;
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
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * The probe port answers whoever reaches the pod. A flood of /settings calls, each held inside the
 * scorer (the answer blocks on a latch, as a slow one would), must leave the kubelet's probes their
 * threads: the ones beyond {@link ProbeHandler#COSTLY_AT_ONCE} get a quick 503, and /healthz and
 * /ready are answered while every held call still waits.
 */
class ProbeFloodTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final int FLOOD = 12;

  @Test
  void aFloodOfSlowCallsLeavesTheProbesTheirThreads() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    ModelHolder model = new ModelHolder();
    model.set(OnnxModel.load(Path.of("models/iris.onnx"), Optional.empty()));
    Server scoring =
        ScorerHttpServer.start(
            ScorerConfig.fromEnvironment(
                Map.of("MLWS_MODEL_URI", "models/iris.onnx", "MLWS_PORT", "0")),
            new org.eclipse.jetty.server.Handler.Abstract() {
              @Override
              public boolean handle(
                  org.eclipse.jetty.server.Request request,
                  org.eclipse.jetty.server.Response response,
                  org.eclipse.jetty.util.Callback callback) {
                return false;
              }
            });
    Server probes =
        ProbeServer.start(
            0,
            model,
            scoring,
            () -> {
              held.incrementAndGet();
              try {
                release.await(2, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return AppliedSettings.NONE;
            });
    String probeBase = "http://127.0.0.1:" + ScorerHttpServer.port(probes);
    List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    try {
      for (int i = 0; i < FLOOD; i++) {
        flood.add(
            HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create(probeBase + "/settings")).build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      await("the calls beyond the ones held refused")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> flood.stream().filter(CompletableFuture::isDone).count() == FLOOD - held.get());
      assertThat(held.get()).as("calls held inside").isEqualTo(ProbeHandler.COSTLY_AT_ONCE);
      for (CompletableFuture<HttpResponse<String>> call : flood) {
        if (call.isDone()) {
          assertThat(call.get().statusCode()).isEqualTo(503);
          assertThat(call.get().body()).contains("\"code\":\"ServerBusy\"");
        }
      }

      // While the held calls still wait: answered within the kubelet's 2 s probe timeout.
      for (String path : List.of("/healthz", "/ready", "/healthz")) {
        HttpResponse<String> probe =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(probeBase + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(probe.statusCode()).as(path).isEqualTo(200);
      }
      assertThat(release.getCount()).as("the held calls are still held").isEqualTo(1);

      release.countDown();
      for (CompletableFuture<HttpResponse<String>> call : flood) {
        assertThat(call.get(1, TimeUnit.MINUTES).statusCode()).isIn(200, 503);
      }
    } finally {
      release.countDown();
      TestServers.stopNow(probes);
      TestServers.stopNow(scoring);
    }
  }
}
