package io.mlws.operator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The health port under callers who mean harm: connections that send part of a request and stop, or
 * nothing at all, as many as there are threads and more, never keep the kubelet's probe (1 s
 * timeout) from its answer; the server closes them once idle.
 */
class HealthEndpointsTest {
  static final int SLOW_CONNECTIONS = 40;

  @Test
  void probesAreAnsweredWhileSlowConnectionsHoldRequestsOpen() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<Socket> slow = new ArrayList<>();
    try (HealthEndpoints health = HealthEndpoints.start(0, () -> true, () -> true, meters)) {
      for (int i = 0; i < SLOW_CONNECTIONS; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), health.port());
        slow.add(socket);
        OutputStream out = socket.getOutputStream();
        if (i % 2 == 0) {
          // A request line and a header, and then nothing: the end of the headers never comes.
          out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      for (String path : List.of("/healthz", "/readyz", "/healthz", "/metrics", "/healthz")) {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
            .as("%s beside %d slow connections", path, slow.size())
            .isEqualTo(200);
      }
      assertThat(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + health.port() + "/elsewhere"))
                          .timeout(Duration.ofSeconds(1))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);
      await("the slow connections closed by the server once idle")
          .atMost(Duration.ofMillis(HealthEndpoints.IDLE_TIMEOUT_MILLIS + 10_000))
          .until(() -> slow.stream().allMatch(HealthEndpointsTest::closedByPeer));
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void anUnhealthyOperatorAnswers503() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (HealthEndpoints health = HealthEndpoints.start(0, () -> false, () -> true, meters)) {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + health.port() + "/healthz"))
                      .timeout(Duration.ofSeconds(1))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Server")).as("no server version").isEmpty();
    }
  }

  /** The peer closed the connection (or reset it): a read returns the end of the stream. */
  private static boolean closedByPeer(Socket socket) {
    try {
      socket.setSoTimeout(50);
      InputStream in = socket.getInputStream();
      while (true) {
        int read = in.read();
        if (read == -1) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (java.io.IOException reset) {
      return true;
    }
  }
}
