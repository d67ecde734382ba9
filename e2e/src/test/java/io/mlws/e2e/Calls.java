package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The HTTP calls the scenarios make: scoring as a client would, the probe port as Prometheus. */
final class Calls {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String IRIS_ROW = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";

  private Calls() {}

  static HttpResponse<String> score(String base) throws IOException, InterruptedException {
    return score(base, null);
  }

  /** A /score call, with this Authorization header unless null. */
  static HttpResponse<String> score(String base, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/score"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(IRIS_ROW));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code count} scores, each answered 200; their request ids (x-ms-request-id). */
  static List<String> scoreMany(String base, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = score(base);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      ids.add(response.headers().firstValue("x-ms-request-id").orElseThrow());
    }
    return ids;
  }

  /** An Open Inference Protocol call to the iris model. */
  static HttpResponse<String> infer(String base) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
                        + "\"data\":[5.1,3.5,1.4,0.2]}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A GET to the pod's probe port (8081, "probes") at its IP, as Prometheus and the operator do.
   */
  static HttpResponse<String> fromProbePort(Pod pod, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + pod.getStatus().getPodIP() + ":8081" + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** What a pod answers on its probe port about the settings file it applies. */
  static String settingsDigestOf(Pod pod) throws Exception {
    HttpResponse<String> answer = fromProbePort(pod, "/settings");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("digest").asText();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
