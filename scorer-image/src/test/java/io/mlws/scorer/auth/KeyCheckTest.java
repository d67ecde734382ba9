package io.mlws.scorer.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.ScorerConfig;
import io.mlws.scorer.ScorerHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scorer with MLWS_KEYS_DIR answers only callers with either key, lets health paths through,
 * refuses the rest with a JSON 401 before they reach the scoring work, and takes a regenerated key
 * from its mounted Secret (swapped the way the kubelet swaps it) without a restart.
 */
class KeyCheckTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The secondary key, as long as the keys the operator generates (32 random bytes, base64). */
  static final String LONG_KEY = "s-Q2hhbmdlIG1lLCBJIGFtIGEgbG9uZyBzZWNvbmRhcnkga2V5IQ";

  @TempDir Path secret;
  final AtomicInteger scored = new AtomicInteger();
  Server server;
  String base;

  @BeforeEach
  void start() throws Exception {
    project(Map.of("primary", "p-key-1", "secondary", LONG_KEY));
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "models/iris.onnx",
                "MLWS_PORT", "0",
                "MLWS_KEYS_DIR", secret.toString()));
    server = ScorerHttpServer.start(config, counting());
    base = "http://127.0.0.1:" + ScorerHttpServer.port(server);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void eitherKeyIsAcceptedAndAnythingElseIsRefusedBeforeTheWork() throws Exception {
    assertThat(call("/score", "Bearer p-key-1").statusCode()).isEqualTo(200);
    assertThat(call("/score", "Bearer " + LONG_KEY).statusCode()).isEqualTo(200);
    assertThat(call("/score", "bearer " + LONG_KEY).statusCode()).as("scheme case").isEqualTo(200);
    assertThat(scored.get()).isEqualTo(3);

    for (String refused :
        new String[] {
          null,
          "Bearer wrong",
          "Bearer p-key-",
          "Basic cDpr",
          "p-key-1",
          // A key's first characters, and the whole key and more, are not the key.
          "Bearer p-key-2",
          "Bearer p-key-1x",
          "Bearer " + LONG_KEY.substring(0, LONG_KEY.length() - 1) + "X"
        }) {
      HttpResponse<String> answer = call("/score", refused);
      assertThat(answer.statusCode()).as("Authorization: %s", refused).isEqualTo(401);
      assertThat(answer.body()).contains("\"code\":\"Unauthorized\"").doesNotContain("key-1");
      assertThat(answer.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }
    assertThat(call("/swagger.json", null).statusCode()).isEqualTo(401);
    assertThat(scored.get()).as("refused calls never reached the scoring work").isEqualTo(3);

    for (String open : CallerCheck.OPEN_PATHS) {
      assertThat(call(open, null).statusCode()).as(open).isEqualTo(200);
    }
  }

  @Test
  void aRegeneratedPrimaryIsInForceWithoutARestartWhileTheSecondaryKeepsWorking() throws Exception {
    project(Map.of("primary", "p-key-2", "secondary", LONG_KEY));

    await("the old primary refused")
        .atMost(Duration.ofSeconds(30))
        .until(() -> call("/score", "Bearer p-key-1").statusCode() == 401);
    assertThat(call("/score", "Bearer p-key-2").statusCode()).isEqualTo(200);
    assertThat(call("/score", "Bearer " + LONG_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAnyKeyEveryCallIsRefused() throws Exception {
    project(Map.of());

    await("the removed keys no longer accepted")
        .atMost(Duration.ofSeconds(30))
        .until(() -> call("/score", "Bearer p-key-1").statusCode() == 401);
    assertThat(call("/score", "Bearer " + LONG_KEY).statusCode()).isEqualTo(401);
    assertThat(call("/score", "Bearer ").statusCode()).isEqualTo(401);
  }

  /**
   * Writes the keys as the kubelet projects a Secret: files in a new timestamped folder, then the
   * {@code ..data} link swapped to it; each key file is a link through {@code ..data}.
   */
  void project(Map<String, String> keys) throws Exception {
    Path folder = Files.createDirectory(secret.resolve("..ts" + System.nanoTime()));
    for (var key : keys.entrySet()) {
      Files.writeString(folder.resolve(key.getKey()), key.getValue());
    }
    Path next = secret.resolve("..data_tmp");
    Files.deleteIfExists(next);
    Files.createSymbolicLink(next, folder.getFileName());
    Files.move(next, secret.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    for (String file : ScoringKeys.FILES) {
      Path link = secret.resolve(file);
      Files.deleteIfExists(link);
      if (keys.containsKey(file)) {
        Files.createSymbolicLink(link, Path.of("..data", file));
      }
    }
  }

  private Handler counting() {
    return new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws java.io.IOException {
        if (Request.getPathInContext(request).equals("/score")) {
          scored.incrementAndGet();
        }
        // Reads the body, as the scorer's handler does: a body left unread makes Jetty close the
        // connection under a client still sending it, and the client then sees no answer at all.
        org.eclipse.jetty.io.Content.Source.consumeAll(request);
        response.setStatus(200);
        response.write(true, ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    };
  }

  private HttpResponse<String> call(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[1, 2, 3, 4]]}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
