package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.harness.ScorerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM during a request, as a rolling update sends it: the scorer stops taking new connections,
 * finishes the request in flight, and exits.
 */
class GracefulShutdownIT {
  @TempDir Path work;

  @Test
  void finishesTheRequestInFlightAndRefusesNewOnes() throws Exception {
    try (ScorerProcess scorer =
        ScorerProcess.start(work, null, Map.of("MLWS_MODEL_URI", "models/iris.onnx"))) {
      scorer.awaitReady();
      byte[] body = "{\"data\": [[6.7, 3.0, 5.6, 2.1]]}".getBytes(StandardCharsets.UTF_8);
      try (Socket socket = new Socket("127.0.0.1", scorer.port)) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 10);
        out.flush();
        // The one wait that polls nothing: whether Jetty has dispatched the half-sent request to
        // the handler is not visible from outside the process. 300 ms on loopback is ample, and a
        // request not yet dispatched would make the test fail, never pass wrongly.
        Thread.sleep(300);

        scorer.process.destroy();
        // Stopping has begun once the port refuses new connections; then it must still be alive.
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> refusesConnections(scorer.port));
        assertThat(scorer.process.isAlive()).as("waits for the request in flight").isTrue();

        out.write(body, 10, body.length - 10);
        out.flush();
        String response = readAll(socket.getInputStream());
        assertThat(response)
            .as("scorer log:\n%s", java.nio.file.Files.readString(scorer.log))
            .startsWith("HTTP/1.1 200")
            .contains("virginica");
      }
      assertThat(scorer.process.waitFor(30, TimeUnit.SECONDS))
          .as("exits after the last request")
          .isTrue();
    }
  }

  private static boolean refusesConnections(int port) {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
