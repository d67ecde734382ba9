package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * Slow clients against the scoring port with 2 slots and 2 queue places: more connections than that
 * send the headers of a 100,000-byte POST and one byte of its body and stop, and more leave their
 * headers unfinished; every well-behaved call is still scored, none gets 503 ServerBusy.
 */
class SlowClientsTest {
  static final int SLOTS = 2;
  static final int SLOW_BODIES = 3 * SLOTS;
  static final int UNFINISHED_HEADERS = 3 * SLOTS;

  @Test
  void slowBodiesAndUnfinishedHeadersTakeNoSlotFromWellBehavedCallers() throws Exception {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "models/iris.onnx",
                "MLWS_PORT", "0",
                "MLWS_MAX_CONCURRENT_REQUESTS", String.valueOf(SLOTS),
                "MLWS_MAX_QUEUED_REQUESTS", "2",
                "MLWS_MAX_QUEUE_WAIT_MILLIS", "1000"));
    Server scoring = TestServers.scoring(config, TestServers.iris());
    int port = ScorerHttpServer.port(scoring);
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_BODIES; i++) {
        slow.add(
            send(
                port,
                "POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{"));
      }
      for (int i = 0; i < UNFINISHED_HEADERS; i++) {
        slow.add(send(port, "POST /score HTTP/1.1\r\nHost: x\r\nContent-Len"));
      }
      ServerConnector connector = (ServerConnector) scoring.getConnectors()[0];
      await("the slow connections accepted before the well-behaved calls")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> connector.getConnectedEndPoints().size() >= SLOW_BODIES + UNFINISHED_HEADERS);
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> scored =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[5.1, 3.5, 1.4, 0.2]]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scored.statusCode())
            .as("call %d beside %d slow bodies: %s", i, SLOW_BODIES, scored.body())
            .isEqualTo(200);
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
      TestServers.stopNow(scoring);
    }
  }

  private static Socket send(int port, String bytes) throws Exception {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}
