package io.mlws.scorer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails half-way (a full disk) leaves no torn line that a later record joins. */
class SpoolTest {
  @TempDir Path dir;

  @Test
  void aRecordCutByAFailedWriteIsLeftOutAndTheNextOneStartsClean() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    Spool spool = Spool.open(dir, 1 << 20, segment -> new FailingSecondWrite(segment, writes));
    String blob = "ns/svc/model_inputs/2026/12/07/02/pod-1.jsonl";

    assertThat(spool.append(List.of(blob + "\t{\"n\":1}"))).isTrue();
    assertThatThrownBy(() -> spool.append(List.of(blob + "\t{\"n\":2,\"pad\":\"xxxxxxxx\"}")))
        .isInstanceOf(IOException.class);
    assertThat(spool.append(List.of(blob + "\t{\"n\":3}"))).isTrue();
    spool.close();

    List<String> lines = new ArrayList<>();
    for (Path segment : spool.closedSegments()) {
      for (AppendBlobWriter.Block block : AppendBlobWriter.blocks(segment)) {
        assertThat(block.blob()).isEqualTo(blob);
        lines.addAll(List.of(new String(block.bytes(), StandardCharsets.UTF_8).split("\n")));
      }
    }
    assertThat(lines).containsExactly("{\"n\":1}", "{\"n\":3}");
  }

  /** Writes to the segment's file; the second write of all stops 5 bytes short, then fails. */
  private static final class FailingSecondWrite extends FilterOutputStream {
    private final AtomicInteger writes;

    FailingSecondWrite(Path segment, AtomicInteger writes) throws IOException {
      super(
          Files.newOutputStream(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND));
      this.writes = writes;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (writes.incrementAndGet() == 2) {
        out.write(bytes, offset, length - 5);
        throw new IOException("No space left on device");
      }
      out.write(bytes, offset, length);
    }
  }
}
