package io.mlws.operator.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mlws.operator.ApiRefusal;
import io.mlws.operator.pods.ServingPods;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks each ready scorer pod of a service, at its IP on the probe port, which settings file it
 * applies. All pods are asked at once and the whole takes at most {@link #DEADLINE}, so a pod that
 * does not answer (a NetworkPolicy, a node gone) delays a reconciliation by seconds, not minutes.
 */
final class ScorerPodsAsker {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration DEADLINE = Duration.ofSeconds(3);

  /** A settings answer is a digest and a sentence; more than this is no answer. */
  static final int MAX_ANSWER_BYTES = 16 * 1024;

  /** Of a pod's reason for refusing a settings file, what goes into status. */
  static final int MAX_REFUSED_CHARS = 512;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  List<PodSettingsAnswer> ask(
      KubernetesClient client, String namespace, Map<String, String> selector, int port) {
    List<Pod> ready = ServingPods.list(client, namespace, selector);
    List<Map.Entry<String, CompletableFuture<PodSettingsAnswer>>> asked =
        ready.stream().map(pod -> Map.entry(pod.getMetadata().getName(), ask(pod, port))).toList();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    return asked.stream().map(e -> await(e.getKey(), e.getValue(), deadline)).toList();
  }

  CompletableFuture<PodSettingsAnswer> ask(Pod pod, int port) {
    String name = pod.getMetadata().getName();
    URI uri = ServingPods.uri(pod, port, "/settings");
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(DEADLINE).GET().build();
    return http.sendAsync(request, BoundedBody.handler(MAX_ANSWER_BYTES))
        .thenApply(response -> read(name, response))
        .exceptionally(
            e ->
                PodSettingsAnswer.unanswered(
                    name,
                    "GET " + uri + ": " + ApiRefusal.rootCause(e).toString().replace('\n', ' ')));
  }

  private static PodSettingsAnswer await(
      String pod, CompletableFuture<PodSettingsAnswer> answer, long deadline) {
    try {
      return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      return PodSettingsAnswer.unanswered(pod, "no answer within " + DEADLINE.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PodSettingsAnswer.unanswered(pod, "interrupted");
    } catch (ExecutionException e) {
      return PodSettingsAnswer.unanswered(pod, ApiRefusal.rootCause(e).toString());
    }
  }

  static PodSettingsAnswer read(String pod, HttpResponse<Optional<String>> response) {
    if (response.statusCode() != 200) {
      return PodSettingsAnswer.unanswered(
          pod, "HTTP " + response.statusCode() + " (is its image older than the operator?)");
    }
    if (response.body().isEmpty()) {
      return PodSettingsAnswer.unanswered(
          pod, "an answer larger than " + MAX_ANSWER_BYTES + " bytes");
    }
    try {
      JsonNode body = JSON.readTree(response.body().get());
      String digest = body.path("digest").asText("");
      if (digest.isEmpty()) {
        return PodSettingsAnswer.unanswered(pod, "an answer without a digest");
      }
      return PodSettingsAnswer.answered(
          pod,
          digest,
          body.hasNonNull("refused")
              ? Optional.of(shortened(body.get("refused").asText()))
              : Optional.empty());
    } catch (Exception e) {
      return PodSettingsAnswer.unanswered(pod, "an answer that is not JSON");
    }
  }

  private static String shortened(String text) {
    return text.length() <= MAX_REFUSED_CHARS
        ? text
        : text.substring(0, MAX_REFUSED_CHARS) + "… (" + text.length() + " characters)";
  }
}
