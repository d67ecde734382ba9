package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {
  @TempDir Path dir;

  @Test
  void theMessageReplacesWhatTheKubeletsFileHeld() throws Exception {
    Path file = Files.writeString(dir.resolve("termination-log"), "an older, longer message");
    TerminationMessage.write(file, "invalid configuration: MLWS_MODEL_URI is required");
    assertThat(Files.readString(file))
        .isEqualTo("invalid configuration: MLWS_MODEL_URI is required");
  }

  @Test
  void outsideAPodNoFileIsMade() {
    Path file = dir.resolve("termination-log");
    TerminationMessage.write(file, "cannot serve the model: no such file");
    assertThat(file).doesNotExist();
  }

  @Test
  void whatTheKubeletKeepsAndNoMore() throws Exception {
    Path file = Files.createFile(dir.resolve("termination-log"));
    TerminationMessage.write(file, "x".repeat(10_000));
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .hasSize(TerminationMessage.MAX_BYTES);
  }
}
