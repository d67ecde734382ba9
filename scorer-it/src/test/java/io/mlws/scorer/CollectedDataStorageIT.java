package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.scorer.harness.AzuriteBlob;
import io.mlws.scorer.harness.EntraIdAuthority;
import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.dataCollection.storage with the real parts: the packaged scorer writing append blobs through
 * azure-storage-blob to Azurite over HTTPS with a container SAS, and the blobs read back with
 * pandas as a data scientist would. Every request scored is one record under inputs and one under
 * outputs, redacted like the traces, written once, across a SIGTERM and across a killed container.
 */
class CollectedDataStorageIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path READER = Path.of("src/test/collect/read_collected.py");
  static final Path MAKE_MODELS = Path.of("test-models/make-models.sh");

  @TempDir static Path storageDir;
  static TestTls tls;
  static AzuriteBlob azurite;
  @TempDir Path work;

  @BeforeAll
  static void startStorage() throws Exception {
    tls = TestTls.create(Files.createDirectories(storageDir.resolve("tls")));
    azurite = AzuriteBlob.start(storageDir, tls);
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (azurite != null) {
      azurite.close();
    }
  }

  /** A scoring body with a field the service redacts, and a number that tells requests apart. */
  static String body(int n) {
    return "{\"data\": [[5.1, 3.5, 1.4, %d.2]], \"customer_id\": \"c-%d\"}".formatted(n % 3, n);
  }

  @Test
  void everyRequestIsOneRecordInEachFolderThatPandasReadsBackAfterSigterm() throws Exception {
    String sas = azurite.createContainerWithSas("collected");
    List<String> requestIds = new ArrayList<>();
    int requests = 120;
    try (ScorerProcess scorer = scorer("collected", sas, Map.of())) {
      scorer.awaitReady();
      for (int i = 0; i < requests; i++) {
        HttpResponse<String> response = scorer.score(body(i), "client-" + i);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        requestIds.add(response.headers().firstValue("x-ms-request-id").orElseThrow());
      }
      // The flush interval (10 s) has not passed: SIGTERM is what writes them.
      assertThat(scorer.stop()).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(Files.readString(scorer.log))
          .contains("collected data: every record written to " + azurite.containerUrl("collected"))
          .doesNotContain(sas.substring(sas.indexOf("sig=")));
    }
    JsonNode read = readWithPandas(download("collected"));
    for (String kind : List.of("inputs", "outputs")) {
      assertThat(read.at("/" + kind + "/rows").asInt()).as(kind + " rows").isEqualTo(requests);
      assertThat(texts(read.at("/" + kind + "/xrequestids")))
          .as(kind + ": one record per request, in order")
          .containsExactlyElementsOf(requestIds);
      assertThat(texts(read.at("/" + kind + "/models"))).containsExactly("iris:1");
      assertThat(texts(read.at("/" + kind + "/files")))
          .singleElement()
          .asString()
          .matches("ml-team/iris/model_" + kind + "/\\d{4}/\\d{2}/\\d{2}/\\d{2}/pod-a\\.jsonl");
      assertThat(read.at("/" + kind + "/times_parse").asBoolean()).isTrue();
      assertThat(texts(read.at("/" + kind + "/columns")))
          .contains("specversion", "id", "time", "data", "correlationid", "modelversion");
    }
    assertThat(texts(read.at("/inputs/data")).get(7))
        .as("an input as rows, its customer_id redacted")
        .isEqualTo("[{\"0\":5.1,\"1\":3.5,\"2\":1.4,\"3\":1.2,\"customer_id\":\"[REDACTED]\"}]");
    assertThat(read.at("/inputs/table_rows").asInt())
        .as("the table Azure ML's monitoring reads: one row per scored row")
        .isEqualTo(requests);
    assertThat(texts(read.at("/inputs/table_columns"))).contains("0", "1", "2", "3", "customer_id");
    assertThat(read.at("/outputs/table_rows").asInt()).isEqualTo(requests);
    assertThat(texts(read.at("/outputs/table_columns"))).contains("predictions");
  }

  @Test
  void withWorkloadIdentityTheRecordsAreWrittenWithAStorageToken() throws Exception {
    azurite.container("entra").createIfNotExists();
    String federated =
        EntraIdAuthority.federatedToken(
            EntraIdAuthority.EXCHANGE_AUDIENCE, java.time.Instant.now().plus(Duration.ofHours(1)));
    List<String> requestIds = new ArrayList<>();
    try (EntraIdAuthority authority =
        new EntraIdAuthority(WorkloadIdentityModelIT.STORAGE_AUDIENCE)) {
      tls.trust("authority-" + authority.port(), authority.certificate());
      // Written by the flush, not by the SIGTERM: the first write loads the Storage SDK and asks
      // for a token, which on a busy machine can take longer than a stopping pod has left.
      Map<String, String> env =
          env(azurite.containerUrl("entra"), null, Map.of("MLWS_COLLECT_FLUSH_SECONDS", "1"));
      env.remove("MLWS_COLLECT_STORAGE_SAS_TOKEN");
      env.put("MLWS_COLLECT_STORAGE_WORKLOAD_IDENTITY", "true");
      env.put("AZURE_CLIENT_ID", WorkloadIdentityModelIT.CLIENT_ID);
      env.put("AZURE_TENANT_ID", EntraIdAuthority.TENANT);
      env.put(
          "AZURE_FEDERATED_TOKEN_FILE",
          Files.writeString(work.resolve("azure-identity-token"), federated).toString());
      env.put("AZURE_AUTHORITY_HOST", authority.authorityHost());
      try (ScorerProcess scorer = ScorerProcess.start(work, null, env, tls.trustingJvmOptions())) {
        scorer.awaitReady();
        for (int i = 0; i < 10; i++) {
          requestIds.add(scoreOk(scorer, i));
        }
        await("10 records written with the storage token")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> storageRecords(scorer, "written") == 10);
        assertThat(scorer.stop()).isEqualTo(143);
        assertThat(Files.readString(scorer.log))
            .contains("every record written")
            .doesNotContain(federated)
            .doesNotContain("eyJ");
      }
      assertThat(authority.tokenRequests)
          .isNotEmpty()
          .allSatisfy(
              form -> {
                assertThat(form).containsEntry("client_assertion", federated);
                assertThat(form.get("scope")).startsWith("https://storage.azure.com/.default");
              });
    }
    assertThat(texts(readWithPandas(download("entra")).at("/inputs/xrequestids")))
        .containsExactlyElementsOf(requestIds);
  }

  @Test
  void whatAKilledContainerLeftIsWrittenOnceByTheNext() throws Exception {
    String sas = azurite.createContainerWithSas("restarted");
    // A flush interval longer than the test: only a restart or a SIGTERM writes anything.
    Map<String, String> slow = Map.of("MLWS_COLLECT_FLUSH_SECONDS", "300");
    List<String> requestIds = new ArrayList<>();
    try (ScorerProcess first = scorer("restarted", sas, slow)) {
      first.awaitReady();
      for (int i = 0; i < 30; i++) {
        requestIds.add(scoreOk(first, i));
      }
      await("30 records on the volume")
          .atMost(Duration.ofSeconds(30))
          .until(() -> inputsLinesOnTheVolume() == 30);
      first.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(azurite.container("restarted").listBlobs().stream().count())
        .as("nothing written before the kill")
        .isZero();
    try (ScorerProcess second = scorer("restarted", sas, slow)) {
      second.awaitReady();
      for (int i = 30; i < 50; i++) {
        requestIds.add(scoreOk(second, i));
      }
      assertThat(second.stop()).isEqualTo(143);
      assertThat(Files.readString(second.log)).contains("left by an earlier container");
    }
    JsonNode read = readWithPandas(download("restarted"));
    assertThat(texts(read.at("/inputs/xrequestids")))
        .as("the killed container's records, then the next one's, each once")
        .containsExactlyElementsOf(requestIds);
    assertThat(texts(read.at("/outputs/xrequestids"))).containsExactlyElementsOf(requestIds);
  }

  @Test
  void aFullBufferDropsRecordsCountsThemAndSaysSoOnceWhileScoringGoesOn() throws Exception {
    // Nothing listens here: every write fails at once, and the 1 MiB buffer fills.
    String unreachable =
        "https://127.0.0.1:%d/%s/gone".formatted(ScorerProcess.freePort(), AzuriteBlob.ACCOUNT);
    String padding = "x".repeat(20_000);
    try (ScorerProcess scorer =
        ScorerProcess.start(
            work,
            null,
            env(
                unreachable,
                "sv=2024-11-04&sig=notreal",
                Map.of(
                    "MLWS_COLLECT_BUFFER_BYTES",
                    String.valueOf(1 << 20),
                    "MLWS_COLLECT_FLUSH_SECONDS",
                    "1")),
            tls.trustingJvmOptions())) {
      scorer.awaitReady();
      for (int i = 0; i < 100; i++) {
        HttpResponse<String> response =
            scorer.score(
                "{\"data\": [[5.1, 3.5, 1.4, 0.2]], \"note\": \"%s\"}".formatted(padding), null);
        assertThat(response.statusCode()).as("scoring is unaffected").isEqualTo(200);
      }
      await("records dropped and counted, the outage logged")
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  droppedRecords(scorer) > 0
                      && Files.readString(scorer.log).contains("cannot write to"));
      double dropped = droppedRecords(scorer);
      String log = Files.readString(scorer.log);
      System.out.printf(
          "CollectedDataStorageIT: 100 records of 40 KB into a 1 MiB buffer, storage down: %.0f"
              + " dropped%n",
          dropped);
      assertThat(dropped).as("records past the 1 MiB cap").isBetween(50.0, 100.0);
      assertThat(log.lines().filter(l -> l.contains("cannot write to " + unreachable)))
          .as("the outage: one line; log:\n%s", log)
          .hasSize(1);
      assertThat(log.lines().filter(l -> l.contains("the pod's buffer is full")))
          .as("the drops: one line")
          .hasSize(1);
      assertThat(log).doesNotContain("notreal");
    }
  }

  static String scoreOk(ScorerProcess scorer, int n) throws Exception {
    HttpResponse<String> response = scorer.score(body(n), null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("x-ms-request-id").orElseThrow();
  }

  static double droppedRecords(ScorerProcess scorer) throws Exception {
    return storageRecords(scorer, "dropped");
  }

  /** mlws_data_collection_storage_records_total of one outcome, from the scorer's /metrics. */
  static double storageRecords(ScorerProcess scorer, String outcome) throws Exception {
    String series = "mlws_data_collection_storage_records_total{outcome=\"%s\"".formatted(outcome);
    return scorer
        .probe("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(series))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private long inputsLinesOnTheVolume() throws Exception {
    try (Stream<Path> files = Files.list(work.resolve("collect"))) {
      long lines = 0;
      for (Path file : files.toList()) {
        lines +=
            Files.readAllLines(file).stream().filter(l -> l.contains("/model_inputs/")).count();
      }
      return lines;
    }
  }

  private ScorerProcess scorer(String container, String sas, Map<String, String> more)
      throws Exception {
    return ScorerProcess.start(
        work, null, env(azurite.containerUrl(container), sas, more), tls.trustingJvmOptions());
  }

  private Map<String, String> env(String url, String sas, Map<String, String> more) {
    Map<String, String> env = new HashMap<>();
    env.put("MLWS_MODEL_URI", "models/iris.onnx");
    env.put("MLWS_SERVICE_NAME", "iris");
    env.put("MLWS_NAMESPACE", "ml-team");
    env.put("MLWS_POD_NAME", "pod-a");
    env.put("MLWS_DATA_COLLECTION_ENABLED", "true");
    env.put("MLWS_DATA_COLLECTION_REDACT_FIELDS", "customer_id");
    env.put("MLWS_COLLECT_STORAGE_URL", url);
    if (sas != null) {
      env.put("MLWS_COLLECT_STORAGE_SAS_TOKEN", sas);
    }
    env.put("MLWS_COLLECT_BUFFER_DIR", work.resolve("collect").toString());
    // What is judged is that a SIGTERM writes every record, not how fast: the first write loads
    // the Storage SDK, which took more than the 18 s the default drain left, on a CI machine busy
    // with
    // the e2e (this JVM runs at nice 10). 90 s, as a pod whose grace period gives that.
    env.put("MLWS_SHUTDOWN_TIMEOUT_SECONDS", "90");
    env.putAll(more);
    return env;
  }

  /** Every blob of the container, at its path under a local folder. */
  private Path download(String container) throws Exception {
    Path root = Files.createDirectories(work.resolve("downloaded-" + container));
    BlobContainerClient client = azurite.container(container);
    for (BlobItem blob : client.listBlobs()) {
      Path target = root.resolve(blob.getName());
      Files.createDirectories(target.getParent());
      client.getBlobClient(blob.getName()).downloadToFile(target.toString(), true);
    }
    return root;
  }

  /** read_collected.py in the test models' pinned Python (pandas 3.1.1). */
  static JsonNode readWithPandas(Path root) throws Exception {
    Process python =
        new ProcessBuilder("bash", MAKE_MODELS.toString(), "--python")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String interpreter = new String(python.getInputStream().readAllBytes()).trim();
    assertThat(python.waitFor(10, TimeUnit.MINUTES)).isTrue();
    Process reader =
        new ProcessBuilder(interpreter, READER.toString(), root.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(reader.getInputStream().readAllBytes());
    assertThat(reader.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(reader.exitValue()).as("read_collected.py: %s", out).isZero();
    return JSON.readTree(out);
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }
}
