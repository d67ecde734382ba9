package io.mlws.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import io.mlws.operator.pods.ServingPods;
import io.mlws.operator.settings.BoundedBody;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads every given scorer pod's /metrics on the probe port, all at once and within {@link
 * #DEADLINE}: a pod that does not answer is left out of this read, not waited for.
 */
final class PodMetrics {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration DEADLINE = Duration.ofSeconds(3);

  /** A scorer's /metrics is tens of KiB; more than this is no answer. */
  static final int MAX_ANSWER_BYTES = 2 * 1024 * 1024;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** By pod uid, the calls each pod that answered counted, by version. */
  Map<String, Map<String, RequestCounts>> read(List<Pod> pods, int port) {
    Map<String, CompletableFuture<Optional<String>>> asked = new HashMap<>();
    for (Pod pod : pods) {
      URI uri = ServingPods.uri(pod, port, "/metrics");
      asked.put(
          pod.getMetadata().getUid(),
          http.sendAsync(
                  HttpRequest.newBuilder(uri).timeout(DEADLINE).GET().build(),
                  BoundedBody.handler(MAX_ANSWER_BYTES))
              .thenApply(
                  response -> response.statusCode() == 200 ? response.body() : Optional.empty()));
    }
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Map<String, Map<String, RequestCounts>> counts = new HashMap<>();
    asked.forEach(
        (uid, answer) -> {
          try {
            answer
                .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                .ifPresent(text -> counts.put(uid, MetricsText.requestsByVersion(text)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (Exception e) {
            answer.cancel(true);
          }
        });
    return counts;
  }
}
