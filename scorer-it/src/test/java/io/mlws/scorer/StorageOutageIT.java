package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlws.scorer.harness.AzuriteBlob;
import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Five minutes without Blob Storage (Azurite stopped by its PID, its data kept): the packaged
 * scorer keeps scoring, holds every record on its volume, says so once, and once storage is back
 * writes them all, each once. Mostly waiting, so it runs beside the module's other tests.
 */
@Execution(ExecutionMode.CONCURRENT)
class StorageOutageIT {
  static final Duration OUTAGE = Duration.ofMinutes(5);
  static final Duration PAUSE = Duration.ofMillis(250);

  @TempDir Path work;

  @Test
  void fiveMinutesWithoutStorageLoseNothing() throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (AzuriteBlob azurite = AzuriteBlob.start(work, tls)) {
      String sas = azurite.createContainerWithSas("outage");
      Map<String, String> env = new HashMap<>();
      env.put("MLWS_MODEL_URI", "models/iris.onnx");
      env.put("MLWS_SERVICE_NAME", "iris");
      env.put("MLWS_POD_NAME", "pod-o");
      env.put("MLWS_DATA_COLLECTION_ENABLED", "true");
      env.put("MLWS_COLLECT_STORAGE_URL", azurite.containerUrl("outage"));
      env.put("MLWS_COLLECT_STORAGE_SAS_TOKEN", sas);
      env.put("MLWS_COLLECT_BUFFER_DIR", work.resolve("collect").toString());
      env.put("MLWS_COLLECT_FLUSH_SECONDS", "1");
      List<String> sent = new ArrayList<>();
      try (ScorerProcess scorer = ScorerProcess.start(work, null, env, tls.trustingJvmOptions())) {
        scorer.awaitReady();
        for (int i = 0; i < 20; i++) {
          sent.add(CollectedDataStorageIT.scoreOk(scorer, i));
        }
        await("the first records in storage")
            .atMost(Duration.ofMinutes(1))
            .until(() -> inputsInStorage(azurite).size() == 20);

        azurite.stop();
        long outageEnds = System.nanoTime() + OUTAGE.toNanos();
        long buffered = 0;
        for (int i = 20; i < 20 + 10_000 && System.nanoTime() < outageEnds; i++) {
          sent.add(CollectedDataStorageIT.scoreOk(scorer, i));
          Thread.sleep(PAUSE.toMillis());
          if (i % 100 == 0) {
            buffered = Math.max(buffered, bufferBytes(scorer));
          }
        }
        int duringOutage = sent.size() - 20;
        azurite.startAgain();
        long back = System.nanoTime();
        await("every record in storage once it is back")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> inputsInStorage(azurite).size() >= sent.size());
        long drained = System.nanoTime() - back;
        String log = Files.readString(scorer.log);
        System.out.printf(
            "StorageOutageIT: %d records during a %d-minute outage, at most %d bytes on the"
                + " volume; all written %.1f s after storage was back; dropped %.0f%n",
            duringOutage,
            OUTAGE.toMinutes(),
            buffered,
            drained / 1e9,
            CollectedDataStorageIT.droppedRecords(scorer));
        assertThat(inputsInStorage(azurite))
            .as("each record once, in order")
            .containsExactlyElementsOf(sent);
        assertThat(CollectedDataStorageIT.droppedRecords(scorer)).isZero();
        assertThat(log.lines().filter(l -> l.contains("collected data: cannot write to")))
            .as("the outage's start: one line")
            .hasSize(1);
        assertThat(log.lines().filter(l -> l.contains("storage answers again")))
            .as("its end: one line")
            .singleElement()
            .asString()
            .contains("(0 dropped meanwhile)");
      }
    }
  }

  /** The request ids of the inputs records in storage, in the order they were written. */
  private static List<String> inputsInStorage(AzuriteBlob azurite) throws Exception {
    Path root = Files.createTempDirectory("outage-read");
    var client = azurite.container("outage");
    List<String> ids = new ArrayList<>();
    Set<String> blobs = new LinkedHashSet<>();
    client.listBlobs().forEach(b -> blobs.add(b.getName()));
    for (String blob : blobs.stream().filter(b -> b.contains("/model_inputs/")).sorted().toList()) {
      Path target = root.resolve(blob.replace('/', '_'));
      client.getBlobClient(blob).downloadToFile(target.toString(), true);
      for (String line : Files.readAllLines(target)) {
        JsonNode record = CollectedDataStorageIT.JSON.readTree(line);
        ids.add(record.get("xrequestid").asText());
      }
    }
    return ids;
  }

  private static long bufferBytes(ScorerProcess scorer) throws Exception {
    HttpResponse<String> metrics = scorer.probe("/metrics");
    return metrics
        .body()
        .lines()
        .filter(l -> l.startsWith("mlws_data_collection_storage_buffer_bytes "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }
}
