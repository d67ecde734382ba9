package io.mlws.scorer.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import io.mlws.scorer.harness.AzuriteBlob;
import io.mlws.scorer.harness.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's own bookkeeping, against Azurite: a segment of two blocks of the same size for one
 * blob (each append advances the position the next one is made at) arrives whole, once; and writing
 * the same segment again appends nothing.
 */
class AppendBlobWriterIT {
  /** Three MiB: two such lines do not fit one append, so the segment is two blocks of one size. */
  static final int LINE_BYTES = 3 << 20;

  @TempDir static Path storageDir;
  static AzuriteBlob azurite;
  @TempDir Path work;

  @BeforeAll
  static void startStorage() throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(storageDir.resolve("tls")));
    azurite = AzuriteBlob.start(storageDir, tls);
  }

  @AfterAll
  static void stopStorage() throws Exception {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void twoBlocksOfOneSizeArriveWholeAndOnce() throws Exception {
    BlobContainerClient container = azurite.container("writer");
    container.createIfNotExists();
    String blob = "ns/svc/model_inputs/2026/12/07/01/pod-1.jsonl";
    String first = "{\"n\":1,\"pad\":\"" + "a".repeat(LINE_BYTES) + "\"}";
    String second = "{\"n\":2,\"pad\":\"" + "b".repeat(LINE_BYTES) + "\"}";
    Path segment = work.resolve("segment-1");
    Files.writeString(segment, blob + "\t" + first + "\n" + blob + "\t" + second + "\n");
    assertThat(AppendBlobWriter.blocks(segment))
        .extracting(b -> b.bytes().length)
        .as("two blocks of the same size")
        .hasSize(2)
        .containsOnly(first.length() + 1);

    AppendBlobWriter writer = new AppendBlobWriter(container);
    int written = writeUntilDone(writer, segment);

    assertThat(written).as("records written").isEqualTo(2);
    assertThat(lines(container, blob)).containsExactly(first, second);
    assertThat(new AppendBlobWriter(container).write(segment))
        .as("records written when the same segment is written again")
        .isZero();
    assertThat(lines(container, blob)).containsExactly(first, second);
  }

  /** As the sink does: a failed write is tried again, at most a few times. */
  private static int writeUntilDone(AppendBlobWriter writer, Path segment) throws IOException {
    int written = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return written + writer.write(segment);
      } catch (IOException e) {
        System.out.println("AppendBlobWriterIT: attempt " + attempt + " failed: " + e);
      }
    }
    return written;
  }

  private static List<String> lines(BlobContainerClient container, String blob) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    container.getBlobClient(blob).downloadStream(content);
    return List.of(content.toString(StandardCharsets.UTF_8).split("\n"));
  }
}
