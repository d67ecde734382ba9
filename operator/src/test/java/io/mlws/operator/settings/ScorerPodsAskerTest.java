package io.mlws.operator.settings;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a pod answers on /settings costs the operator little, whatever the pod sends: a flood of
 * bytes is cut off at {@link ScorerPodsAsker#MAX_ANSWER_BYTES}, and a long refusal is shortened
 * before it reaches status.
 */
class ScorerPodsAskerTest {
  static final long FLOOD_BYTES = 300L << 20;

  HttpServer pod;
  final AtomicLong sent = new AtomicLong();

  @BeforeEach
  void serve() throws IOException {
    pod = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pod.createContext(
        "/settings",
        ex -> {
          ex.sendResponseHeaders(200, FLOOD_BYTES);
          byte[] chunk = new byte[64 * 1024];
          try (OutputStream out = ex.getResponseBody()) {
            while (sent.get() < FLOOD_BYTES) {
              out.write(chunk);
              sent.addAndGet(chunk.length);
            }
          } catch (IOException stopped) {
            // The operator stopped reading: what the test wants.
          }
        });
    pod.start();
  }

  @AfterEach
  void stop() {
    pod.stop(0);
  }

  @Test
  void aFloodOfBytesIsCutOffAndSaysWhy() throws Exception {
    PodSettingsAnswer answer =
        new ScorerPodsAsker()
            .ask(loopbackPod(), pod.getAddress().getPort())
            .get(30, TimeUnit.SECONDS);

    assertThat(answer.problem())
        .hasValueSatisfying(p -> assertThat(p).contains("larger than 16384 bytes"));
    assertThat(sent.get()).as("bytes the pod could send").isLessThan(FLOOD_BYTES);
  }

  @Test
  void aLongRefusalIsShortenedForStatus() {
    String refused = "x".repeat(100_000);
    PodSettingsAnswer answer =
        ScorerPodsAsker.read(
            "p", new FakeResponse("{\"digest\":\"sha256:0f0f\",\"refused\":\"" + refused + "\"}"));

    assertThat(answer.refused())
        .hasValueSatisfying(
            r -> assertThat(r).hasSizeLessThan(600).endsWith("(100000 characters)"));
  }

  /** A pod whose IP is this machine's loopback, where the test's server answers /settings. */
  private static Pod loopbackPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("scorer-flood")
        .endMetadata()
        .withNewStatus()
        .withPodIP("127.0.0.1")
        .endStatus()
        .build();
  }

  private record FakeResponse(String text)
      implements java.net.http.HttpResponse<java.util.Optional<String>> {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public java.net.http.HttpRequest request() {
      return null;
    }

    @Override
    public java.util.Optional<java.net.http.HttpResponse<java.util.Optional<String>>>
        previousResponse() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
    }

    @Override
    public java.util.Optional<String> body() {
      return java.util.Optional.of(text);
    }

    @Override
    public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
      return java.util.Optional.empty();
    }

    @Override
    public java.net.URI uri() {
      return java.net.URI.create("http://127.0.0.1/settings");
    }

    @Override
    public java.net.http.HttpClient.Version version() {
      return java.net.http.HttpClient.Version.HTTP_1_1;
    }
  }
}
