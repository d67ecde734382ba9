package io.mlws.scorer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record's lines, the blobs they go to, the spool's cap and segments, the destination. */
class CollectedRecordTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CollectedRecord.Origin ORIGIN =
      new CollectedRecord.Origin("team-a", "fraud", "fraud-7d9f-abcde", "fraud-model", "3");

  @TempDir Path dir;

  @Test
  void aRecordIsOneLineForInputsAndOneForOutputsInTheHoursFolder() throws Exception {
    CollectedRecord record =
        CollectedRecord.of(
            ORIGIN,
            new CollectedRecord.RequestIds("0af7651916cd43dd8448eb211c80319c", "req-1", null),
            JSON.readTree("{\"data\": [[1, 2]], \"note\": \"tab\\there\\nnewline\"}"),
            JSON.readTree("{\"predictions\": [0]}"),
            Instant.parse("2026-11-29T23:59:59.999Z"));
    String[] inputs = record.inputsEntry().split("\t", 2);
    String[] outputs = record.outputsEntry().split("\t", 2);
    assertThat(inputs[0])
        .isEqualTo("team-a/fraud/model_inputs/2026/11/29/23/fraud-7d9f-abcde.jsonl");
    assertThat(outputs[0])
        .isEqualTo("team-a/fraud/model_outputs/2026/11/29/23/fraud-7d9f-abcde.jsonl");
    assertThat(inputs[1]).as("one line: control characters escaped").doesNotContain("\n", "\t");
    JsonNode line = JSON.readTree(inputs[1]);
    assertThat(line.get("specversion").asText()).isEqualTo("1.0");
    assertThat(line.get("type").asText()).isEqualTo("azureml.inference.model_inputs");
    assertThat(line.get("time").asText()).isEqualTo("2026-11-29T23:59:59.999Z");
    assertThat(line.get("correlationid").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(line.get("xrequestid").asText()).isEqualTo("req-1");
    assertThat(line.get("clientrequestid").asText()).isEmpty();
    assertThat(line.get("modelname").asText()).isEqualTo("fraud-model");
    assertThat(line.get("modelversion").asText()).isEqualTo("3");
    assertThat(line.get("source").asText()).isEqualTo("/mlws/namespaces/team-a/services/fraud");
    assertThat(line.get("data").toString())
        .as("the rows, the request's other fields in each")
        .isEqualTo("[{\"0\":1,\"1\":2,\"note\":\"tab\\there\\nnewline\"}]");
    assertThat(JSON.readTree(outputs[1]).get("data").toString()).isEqualTo("[{\"predictions\":0}]");
    assertThat(JSON.readTree(outputs[1]).get("id").asText()).isNotEqualTo(line.get("id").asText());
    assertThat(line.has("deployment")).as("no spec.versions, no version").isFalse();
  }

  @Test
  void aRecordOfAModelVersionNamesIt() throws Exception {
    CollectedRecord record =
        CollectedRecord.of(
            new CollectedRecord.Origin(
                "team-a", "fraud", "fraud-canary-1", "fraud-model", "4", Optional.of("canary")),
            new CollectedRecord.RequestIds("0af7651916cd43dd8448eb211c80319c", "req-1", null),
            JSON.readTree("{\"data\": [[1, 2]]}"),
            JSON.readTree("{\"predictions\": [0]}"),
            Instant.parse("2026-11-29T23:59:59.999Z"));
    for (String entry : List.of(record.inputsEntry(), record.outputsEntry())) {
      JsonNode line = JSON.readTree(entry.split("\t", 2)[1]);
      assertThat(line.get("deployment").asText()).isEqualTo("canary");
      assertThat(line.get("modelversion").asText()).isEqualTo("4");
    }
  }

  @Test
  void aSegmentIsCutIntoBlocksPerBlobInOrderAndAHalfWrittenLastLineIsLeftOut() throws Exception {
    Path segment = dir.resolve("0000000000001-000000.seg");
    Files.writeString(
        segment,
        "s/model_inputs/2026/11/29/10/p.jsonl\t{\"a\":1}\n"
            + "s/model_outputs/2026/11/29/10/p.jsonl\t{\"b\":1}\n"
            + "s/model_inputs/2026/11/29/11/p.jsonl\t{\"a\":2}\n"
            + "s/model_outputs/2026/11/29/11/p.jsonl\t{\"b\":2}\n"
            + "s/model_inputs/2026/11/29/10/p.jsonl\t{\"a\":3}\n"
            + "s/model_outputs/2026/11/29/10/p.jsonl\t{\"b\":3}\n"
            + "s/model_inputs/2026/11/29/11/p.jsonl\t{\"a\":",
        StandardCharsets.UTF_8);
    List<AppendBlobWriter.Block> blocks = AppendBlobWriter.blocks(segment);
    assertThat(blocks)
        .extracting(AppendBlobWriter.Block::blob)
        .containsExactly(
            "s/model_inputs/2026/11/29/10/p.jsonl",
            "s/model_outputs/2026/11/29/10/p.jsonl",
            "s/model_inputs/2026/11/29/11/p.jsonl",
            "s/model_outputs/2026/11/29/11/p.jsonl");
    assertThat(new String(blocks.get(0).bytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":1}\n{\"a\":3}\n");
    assertThat(blocks).extracting(AppendBlobWriter.Block::records).containsExactly(2, 0, 1, 0);
  }

  @Test
  void theSpoolRefusesPastItsCapAndKeepsWhatAKilledContainerLeftOpen() throws Exception {
    Spool spool = Spool.open(dir, 100);
    assertThat(spool.append(List.of("b\t" + "x".repeat(40)))).isTrue();
    assertThat(spool.append(List.of("b\t" + "y".repeat(40)))).isTrue();
    assertThat(spool.append(List.of("b\t" + "z".repeat(40)))).as("past 100 bytes").isFalse();
    assertThat(spool.closedSegments()).as("still open").isEmpty();
    // Killed: the open segment stays as it is; the next container's spool closes it.
    Spool next = Spool.open(dir, 100);
    assertThat(next.closedSegments()).hasSize(1);
    assertThat(next.usedBytes()).isEqualTo(86);
    next.delete(next.closedSegments().get(0));
    assertThat(next.usedBytes()).isZero();
    assertThat(next.append(List.of("b\t" + "z".repeat(40)))).isTrue();
  }

  @Test
  void aDestinationNeedsHttpsWithoutAQueryAndExactlyOneCredential() {
    assertThat(StorageDestination.fromEnvironment(Map.of())).isEmpty();
    StorageDestination sas =
        StorageDestination.fromEnvironment(
                Map.of(
                    "MLWS_COLLECT_STORAGE_URL", "https://a.blob.core.windows.net/c/",
                    "MLWS_COLLECT_STORAGE_SAS_TOKEN", "?sv=2024&sig=secret"))
            .orElseThrow();
    assertThat(sas.containerUrl()).isEqualTo("https://a.blob.core.windows.net/c");
    assertThat(sas.sasToken()).contains("sv=2024&sig=secret");
    assertThat(sas.toString()).doesNotContain("secret");
    assertThatThrownBy(
            () ->
                StorageDestination.fromEnvironment(
                    Map.of(
                        "MLWS_COLLECT_STORAGE_URL", "https://a.blob.core.windows.net/c?sig=secret",
                        "MLWS_COLLECT_STORAGE_SAS_TOKEN", "x")))
        .hasMessageContaining("without a query")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(
            () ->
                StorageDestination.fromEnvironment(
                    Map.of("MLWS_COLLECT_STORAGE_URL", "https://a.blob.core.windows.net/c")))
        .hasMessageContaining("exactly one credential");
    assertThatThrownBy(
            () ->
                StorageDestination.fromEnvironment(
                    Map.of(
                        "MLWS_COLLECT_STORAGE_URL", "https://a.blob.core.windows.net/c",
                        "MLWS_COLLECT_STORAGE_WORKLOAD_IDENTITY", "true")))
        .hasMessageContaining("spec.dataCollection.storage.credential.type WorkloadIdentity")
        .hasMessageContaining("AZURE_CLIENT_ID");
  }

  @Test
  void aFailureIsOneLineWithoutTheSignature() {
    assertThat(
            StorageSink.oneLine(
                new RuntimeException(
                    "GET https://a/c/b?sv=1&sig=abc%2Bdef&se=2 failed\nsecond line")))
        .isEqualTo("RuntimeException: GET https://a/c/b?sv=1&sig=REDACTED&se=2 failed");
  }
}
