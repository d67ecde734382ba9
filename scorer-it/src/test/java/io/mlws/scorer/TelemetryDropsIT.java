package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.harness.ScorerProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's export queue overflows when ingestion takes the connection and never answers: the
 * scorer keeps answering, counts the items the agent says it dropped in /metrics, and says so once
 * in its log. The queue is made small (8 items) so that a few hundred requests fill it.
 */
class TelemetryDropsIT {
  static final String AGENT_CONFIG =
      """
      {"sampling": {"percentage": 100},
       "preview": {"generalExportQueueCapacity": 8}}
      """;

  @TempDir Path work;

  @Test
  void droppedItemsAreCountedAndSaidOnce() throws Exception {
    try (SilentIngestion ingestion = new SilentIngestion();
        ScorerProcess scorer =
            ScorerProcess.start(
                work,
                "InstrumentationKey="
                    + ScorerTelemetryIT.KEY
                    + ";IngestionEndpoint=http://127.0.0.1:"
                    + ingestion.port()
                    + "/",
                Map.of(
                    "MLWS_MODEL_URI",
                    ScorerTelemetryIT.MODEL.toString(),
                    "MLWS_DATA_COLLECTION_ENABLED",
                    "true",
                    "APPLICATIONINSIGHTS_CONFIGURATION_CONTENT",
                    AGENT_CONFIG))) {
      scorer.awaitReady();
      await("the agent says it dropped items")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                ScorerTelemetryIT.scoreAll(scorer, 50);
                return droppedItems(scorer) > 0;
              });
      String log = Files.readString(scorer.log);
      assertThat(log.lines().filter(l -> l.contains("telemetry: the Application Insights agent")))
          .as("said once, however many are dropped")
          .singleElement()
          .asString()
          .contains("dropping items (export_queue_full)")
          .contains("mlws_telemetry_dropped_items_total{reason=\"export_queue_full\"}");
      assertThat(scorer.score(ScorerTelemetryIT.VALID.formatted(0), null).statusCode())
          .as("scoring goes on")
          .isEqualTo(200);
    }
  }

  static double droppedItems(ScorerProcess scorer) throws Exception {
    return scorer
        .probe("/metrics")
        .body()
        .lines()
        .filter(
            l -> l.startsWith("mlws_telemetry_dropped_items_total{reason=\"export_queue_full\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** An ingestion endpoint that accepts connections and never answers. */
  static final class SilentIngestion implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 1_000;
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentIngestion() throws Exception {
      acceptor =
          new Thread(
              () -> {
                for (int i = 0; i < MAX_CONNECTIONS && !server.isClosed(); i++) {
                  try {
                    held.add(server.accept());
                  } catch (Exception closed) {
                    return;
                  }
                }
              },
              "silent-ingestion");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (Socket socket : held) {
        socket.close();
      }
      acceptor.join(5_000);
    }
  }
}
