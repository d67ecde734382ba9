package io.mlws.scorer.routing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two scorers in process, each serving the iris model as one version (default and canary), over
 * real HTTP: the calls one of them takes are shared by the versions' weights, a header pins a call,
 * a call sent on is never sent on again, and a version whose pods refuse connections has its share
 * answered by the pod that drew it.
 */
class VersionRoutingTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String IRIS = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";
  static final int CALLS = 2_000;

  Server canary;
  Server stable;

  @AfterEach
  void stop() throws Exception {
    for (Server server : new Server[] {stable, canary}) {
      if (server != null && server.isRunning()) {
        TestServers.stopNow(server);
      }
    }
  }

  @Test
  void callsAreSharedByWeightWhicheverPodTakesThem() throws Exception {
    canary = scorer("canary", 0);
    stable = scorer("default", ScorerHttpServer.port(canary));

    Map<String, Integer> answeredBy = new HashMap<>();
    for (int i = 0; i < CALLS; i++) {
      HttpResponse<String> answer = score(stable, null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      answeredBy.merge(
          answer.headers().firstValue("azureml-model-deployment").orElse("?"), 1, Integer::sum);
    }
    double canaryPercent = 100.0 * answeredBy.getOrDefault("canary", 0) / CALLS;
    assertThat(answeredBy.keySet()).containsExactlyInAnyOrder("default", "canary");
    assertThat(canaryPercent).isBetween(17.0, 23.0);

    // Pinned: every call, to either version, from either pod.
    for (int i = 0; i < 20; i++) {
      assertThat(score(stable, "canary").headers().firstValue("azureml-model-deployment"))
          .hasValue("canary");
      assertThat(score(canary, "canary").headers().firstValue("azureml-model-deployment"))
          .hasValue("canary");
    }
    // The canary's pod has no address for the default version (as before the operator has read
    // its Service's cluster IP): a call pinned to it is told to retry.
    HttpResponse<String> noAddress = score(canary, "default");
    assertThat(noAddress.statusCode()).isEqualTo(503);
    assertThat(noAddress.body()).contains("VersionStarting");
    HttpResponse<String> unknown = score(stable, "blue");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("VersionNotFound");
    assertThat(unknown.body()).contains("default, canary");
  }

  @Test
  void aCallSentOnIsAnsweredWhereItArrivesOrRefusedNeverSentAgain() throws Exception {
    canary = scorer("canary", 0);
    stable = scorer("default", ScorerHttpServer.port(canary));
    HttpResponse<String> sentOn =
        HTTP.send(
            post(canary).header("mlws-routed", "canary").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sentOn.statusCode()).isEqualTo(200);
    assertThat(sentOn.headers().firstValue("azureml-model-deployment")).hasValue("canary");

    HttpResponse<String> misrouted =
        HTTP.send(
            post(canary)
                .header("mlws-routed", "default")
                .header("azureml-model-deployment", "default")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(misrouted.statusCode()).isEqualTo(502);
    assertThat(misrouted.body()).contains("VersionUnreachable");

    // spec.model's pods, where callers arrive, do not believe a caller who says its call was sent
    // on or is a shadow copy: its call is shared by weight like any other.
    Map<String, Integer> claimed = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> answer =
          HTTP.send(
              post(stable)
                  .header("mlws-routed", "default")
                  .header("mlws-mirror-of", "canary")
                  .header("mlws-live-prediction", "0".repeat(64))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      claimed.merge(
          answer.headers().firstValue("azureml-model-deployment").orElse("?"), 1, Integer::sum);
    }
    assertThat(claimed.keySet()).containsExactlyInAnyOrder("default", "canary");
  }

  @Test
  void aVersionThatRefusesConnectionsHasItsShareAnsweredHere() throws Exception {
    canary = scorer("canary", 0);
    int gone = ScorerHttpServer.port(canary);
    TestServers.stopNow(canary);
    stable = scorer("default", gone);

    for (int i = 0; i < 200; i++) {
      HttpResponse<String> answer = score(stable, null);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.headers().firstValue("azureml-model-deployment")).hasValue("default");
    }
    HttpResponse<String> pinned = score(stable, "canary");
    assertThat(pinned.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(pinned.body()).path("code").asText()).isEqualTo("VersionUnreachable");
  }

  @Test
  void aShadowVersionGetsACopyOfEachCallAndRecordsThatItAgrees() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Metrics.addRegistry(metrics);
    try {
      canary = scorer("canary", 0, SHADOW_ONLY.formatted(""));
      stable = scorer("default", 0, SHADOW_ONLY.formatted(url(canary)));
      for (int i = 0; i < 100; i++) {
        HttpResponse<String> answer = score(stable, null);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("azureml-model-deployment")).hasValue("default");
      }
      await("100 copies answered by the shadow, each agreeing")
          .atMost(Duration.ofSeconds(30))
          .until(() -> mirrored(metrics, "agree") == 100);
      assertThat(mirrored(metrics, "disagree")).isZero();
    } finally {
      Metrics.removeRegistry(metrics);
    }
  }

  @Test
  void aShadowThatHangsOrIsGoneChangesNothingForTheCaller() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Metrics.addRegistry(metrics);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger copies = new AtomicInteger();
    canary = new Server(0);
    canary.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            copies.incrementAndGet();
            release.await();
            response.setStatus(200);
            response.write(
                true, ByteBuffer.wrap("{\"predictions\": [\"setosa\"]}".getBytes(UTF_8)), callback);
            return true;
          }
        });
    canary.start();
    try {
      stable = scorer("default", 0, SHADOW_ONLY.formatted(url(canary)));
      // Every call is answered while the shadow holds every copy it was sent: had an answer
      // waited for its copy, the first call would never return.
      for (int i = 0; i < 100; i++) {
        assertThat(score(stable, null).statusCode()).isEqualTo(200);
      }
      assertThat(copies.get()).isPositive();
      assertThat(mirrored(metrics, "skipped"))
          .as("copies beyond those in flight are skipped, not queued")
          .isEqualTo(100 - Mirroring.MIRRORED_AT_ONCE);
      release.countDown();
      await("the held copies answered")
          .atMost(Duration.ofSeconds(30))
          .until(() -> mirrored(metrics, "agree") == Mirroring.MIRRORED_AT_ONCE);

      TestServers.stopNow(canary);
      for (int i = 0; i < 20; i++) {
        assertThat(score(stable, null).statusCode()).isEqualTo(200);
      }
      await("each call's copy to a shadow that is gone counted: unreachable, or paused")
          .atMost(Duration.ofSeconds(30))
          .until(() -> mirrored(metrics, "unreachable") + mirrored(metrics, "paused") == 20);
      assertThat(mirrored(metrics, "unreachable"))
          .as("after an unanswered copy, copies pause rather than try each call")
          .isBetween(1.0, 19.0);
    } finally {
      release.countDown();
      Metrics.removeRegistry(metrics);
    }
  }

  /** Routing where the default version answers every call and canary gets a copy of each. */
  static final String SHADOW_ONLY =
      """
      {"model": {"name": "iris", "version": "3"},
       "routing": {"versions": [
         {"name": "default", "weight": 100, "url": "", "model": {"name": "iris", "version": "3"}},
         {"name": "canary", "weight": 0, "mirror": 100, "url": "%s",
          "model": {"name": "iris", "version": "4"}}]}}
      """;

  static String url(Server server) {
    return "http://127.0.0.1:" + ScorerHttpServer.port(server);
  }

  static double mirrored(SimpleMeterRegistry metrics, String outcome) {
    var counter =
        metrics
            .find("mlws.mirrored.requests")
            .tags("version", "canary", "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** A scorer serving iris as {@code version}; the canary's pods at {@code canaryPort}. */
  static Server scorer(String version, int canaryPort) throws Exception {
    return scorer(
        version,
        canaryPort,
        """
        {"model": {"name": "iris", "version": "3"},
         "routing": {"versions": [
           {"name": "default", "weight": 80, "url": "", "model": {"name": "iris", "version": "3"}},
           {"name": "canary", "weight": 20, "url": "%s", "model": {"name": "iris", "version": "4"}}]}}
        """
            .formatted(canaryPort == 0 ? "" : "http://127.0.0.1:" + canaryPort));
  }

  static Server scorer(String version, int canaryPort, String settingsFile) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("MLWS_MODEL_URI", "models/iris.onnx");
    env.put("MLWS_PORT", "0");
    if (!version.equals("default")) {
      env.put("MLWS_VERSION_NAME", version);
    }
    ScorerConfig config = ScorerConfig.fromEnvironment(env);
    RuntimeSettings settings =
        RuntimeSettings.fromFile(JSON.readTree(settingsFile), RuntimeSettings.fromConfig(config));
    assertThat(settings.modelVersion()).isEqualTo(version.equals("canary") ? "4" : "3");
    return ScorerHttpServer.start(
        config,
        TestServers.iris(),
        () -> settings,
        new DataCollector(() -> settings, "pod-" + version, new TraceBridge.LogRecord()));
  }

  static HttpRequest.Builder post(Server server) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + ScorerHttpServer.port(server) + "/score"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(IRIS));
  }

  static HttpResponse<String> score(Server server, String pinned) throws Exception {
    HttpRequest.Builder request = post(server);
    if (pinned != null) {
      request.header("azureml-model-deployment", pinned);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
