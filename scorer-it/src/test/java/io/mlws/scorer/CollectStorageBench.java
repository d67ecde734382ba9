package io.mlws.scorer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlws.scorer.harness.AzuriteBlob;
import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What writing collected data to Blob Storage costs the scorer: CPU per request of the packaged
 * scorer with data collection on, without and with spec.dataCollection.storage (Azurite over HTTPS,
 * a container SAS), under the same load from four clients, in interleaved rounds of one run.
 * Opt-in: {@code mvn -B -pl scorer-image verify -Dit.test=CollectStorageBench -Dmlws.bench=true
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false} (-Dmlws.bench.rounds, -Dmlws.bench.seconds,
 * -Dmlws.bench.warmUpSeconds).
 */
class CollectStorageBench {
  static final String BODY = "{\"data\": [[5.1, 3.5, 1.4, 0.2]], \"customer_id\": \"c-1\"}";

  @TempDir Path work;

  @Test
  void cpuPerRequestWithoutAndWithTheStorageSink() throws Exception {
    assumeTrue(Boolean.getBoolean("mlws.bench"), "a benchmark: -Dmlws.bench=true");
    int rounds = Integer.getInteger("mlws.bench.rounds", 5);
    Duration measured = Duration.ofSeconds(Integer.getInteger("mlws.bench.seconds", 20));
    // A new JVM each round: its JIT's first seconds would otherwise be most of what is measured.
    Duration warmUp = Duration.ofSeconds(Integer.getInteger("mlws.bench.warmUpSeconds", 15));
    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (AzuriteBlob azurite = AzuriteBlob.start(work, tls)) {
      String sas = azurite.createContainerWithSas("bench");
      Map<String, List<double[]>> results = new java.util.LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (String variant : List.of("collection without storage", "collection with storage")) {
          Map<String, String> env = new HashMap<>();
          env.put("MLWS_MODEL_URI", "models/iris.onnx");
          env.put("MLWS_DATA_COLLECTION_ENABLED", "true");
          env.put("MLWS_DATA_COLLECTION_REDACT_FIELDS", "customer_id");
          if (variant.endsWith("storage")) {
            env.put("MLWS_COLLECT_STORAGE_URL", azurite.containerUrl("bench"));
            env.put("MLWS_COLLECT_STORAGE_SAS_TOKEN", sas);
            env.put("MLWS_COLLECT_BUFFER_DIR", work.resolve("collect-" + round).toString());
          }
          try (ScorerProcess scorer =
              ScorerProcess.start(work, null, env, tls.trustingJvmOptions())) {
            scorer.awaitReady();
            load(scorer, warmUp);
            Duration cpuBefore = cpu(scorer);
            long requests = load(scorer, measured);
            Duration cpu = cpu(scorer).minus(cpuBefore);
            results
                .computeIfAbsent(variant, v -> new ArrayList<>())
                .add(
                    new double[] {
                      cpu.toNanos() / 1e3 / requests, requests / (double) measured.toSeconds()
                    });
            scorer.stop();
          }
        }
      }
      System.out.println(
          "| scorer (data collection on, redaction, no agent) | CPU µs per request (median of "
              + rounds
              + ") | requests/s | rounds (µs) |");
      System.out.println("| --- | ---: | ---: | --- |");
      results.forEach(
          (variant, rows) ->
              System.out.printf(
                  "| %s | %.1f | %.0f | %s |%n",
                  variant,
                  median(rows, 0),
                  median(rows, 1),
                  rows.stream().map(r -> "%.1f".formatted(r[0])).toList()));
      System.out.printf(
          "CollectStorageBench: with storage / without, CPU per request: %.2f%n",
          median(results.get("collection with storage"), 0)
              / median(results.get("collection without storage"), 0));
    }
  }

  /**
   * Four clients as fast as the scorer answers, for {@code duration}; the requests answered 200.
   */
  private static long load(ScorerProcess scorer, Duration duration) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scorer.port + "/score"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();
    AtomicLong ok = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread client =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000_000 && System.nanoTime() < end; i++) {
                  try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                        == 200) {
                      ok.incrementAndGet();
                    }
                  } catch (Exception e) {
                    return;
                  }
                }
              });
      client.start();
      clients.add(client);
    }
    for (Thread client : clients) {
      client.join(duration.plusSeconds(30).toMillis());
    }
    return ok.get();
  }

  private static Duration cpu(ScorerProcess scorer) {
    return scorer.process.toHandle().info().totalCpuDuration().orElseThrow();
  }

  private static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return values[values.length / 2];
  }
}
