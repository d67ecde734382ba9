package io.mlws.scorer.storage;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AppendBlobRequestConditions;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.AppendBlobClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a closed spool segment to its append blobs exactly once: each block is appended at the
 * position the blob had before it (Storage refuses it anywhere else), and a note kept beside the
 * segment says which blocks are in, so that a retry after a lost answer, or a new container after a
 * crash, neither loses a block nor appends it twice.
 */
final class AppendBlobWriter {
  /** Storage accepts appends of up to 4 MiB (100 MiB in newer versions); the segment fits. */
  static final int MAX_BLOCK_BYTES = 4 << 20;

  /** How long one call to Storage may take (the HTTP client's response timeout). */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final BlobContainerClient container;
  private final Map<String, Long> knownLengths = new HashMap<>();

  AppendBlobWriter(BlobContainerClient container) {
    this.container = container;
  }

  /** One append: the blob, the bytes, and how many requests' records they hold. */
  record Block(String blob, byte[] bytes, int records) {}

  static Path progressFile(Path segment) {
    return segment.resolveSibling(segment.getFileName() + ".progress");
  }

  /**
   * Appends every block of the segment not yet in; returns the records written now. Throws when
   * Storage fails: what is in stays noted, the rest is tried again on the next call.
   */
  int write(Path segment) throws IOException {
    List<Block> blocks = blocks(segment);
    Path progress = progressFile(segment);
    Map<Integer, Long> intents = new HashMap<>();
    List<Integer> done = new ArrayList<>();
    if (Files.exists(progress)) {
      for (String line : Files.readAllLines(progress)) {
        String[] parts = line.split(" ");
        if (parts[0].equals("intent") && parts.length == 3) {
          intents.put(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        } else if (parts[0].equals("done") && parts.length == 2) {
          done.add(Integer.parseInt(parts[1]));
        }
      }
    }
    int written = 0;
    for (int i = 0; i < blocks.size(); i++) {
      if (done.contains(i)) {
        continue;
      }
      Block block = blocks.get(i);
      AppendBlobClient blob = container.getBlobClient(block.blob()).getAppendBlobClient();
      Long intended = intents.get(i);
      long length = length(blob, block.blob());
      if (intended != null && length == intended + block.bytes().length) {
        // Appended before, its answer lost (or the container killed before noting it).
        note(progress, "done " + i);
        knownLengths.put(block.blob(), length);
        continue;
      }
      note(progress, "intent " + i + " " + length);
      try {
        blob.appendBlockWithResponse(
            new ByteArrayInputStream(block.bytes()),
            block.bytes().length,
            null,
            new AppendBlobRequestConditions().setAppendPosition(length),
            // No timeout here: with one, the SDK runs the call on its shared executor, which its
            // own shutdown hook stops at SIGTERM, exactly when the last records are written. The
            // HTTP client's response timeout bounds the call instead.
            null,
            Context.NONE);
      } catch (BlobStorageException e) {
        // The blob is not where it was thought to be: ask again on the next try.
        knownLengths.remove(block.blob());
        if (e.getErrorCode() == BlobErrorCode.APPEND_POSITION_CONDITION_NOT_MET) {
          throw new IOException(
              "blob %s is not at the length this pod noted; trying again".formatted(block.blob()),
              e);
        }
        throw e;
      } catch (RuntimeException e) {
        knownLengths.remove(block.blob());
        throw e;
      }
      knownLengths.put(block.blob(), length + block.bytes().length);
      note(progress, "done " + i);
      written += block.records();
    }
    return written;
  }

  /** The blob's length, creating it the first time; remembered while this pod appends. */
  private long length(AppendBlobClient blob, String name) {
    Long known = knownLengths.get(name);
    if (known != null) {
      return known;
    }
    long length;
    try {
      length = blob.getProperties().getBlobSize();
    } catch (BlobStorageException e) {
      if (e.getErrorCode() != BlobErrorCode.BLOB_NOT_FOUND) {
        throw e;
      }
      blob.createIfNotExists();
      length = blob.getProperties().getBlobSize();
    }
    knownLengths.put(name, length);
    return length;
  }

  private static void note(Path progress, String line) throws IOException {
    Files.writeString(
        progress,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.SYNC);
  }

  /**
   * The segment's lines grouped by blob, in order, cut into appends of at most {@link
   * #MAX_BLOCK_BYTES}. A last line without its newline (the container killed mid-write) is left
   * out: it was never acknowledged to anyone. Records are counted by their inputs lines.
   */
  static List<Block> blocks(Path segment) throws IOException {
    byte[] content = Files.readAllBytes(segment);
    int end = content.length;
    while (end > 0 && content[end - 1] != '\n') {
      end--;
    }
    Map<String, List<String>> byBlob = new LinkedHashMap<>();
    for (String entry : new String(content, 0, end, StandardCharsets.UTF_8).split("\n")) {
      int tab = entry.indexOf('\t');
      if (tab > 0) {
        byBlob
            .computeIfAbsent(entry.substring(0, tab), b -> new ArrayList<>())
            .add(entry.substring(tab + 1));
      }
    }
    List<Block> blocks = new ArrayList<>();
    byBlob.forEach(
        (blob, lines) -> {
          int records = 0;
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          for (String line : lines) {
            byte[] next = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (bytes.size() > 0 && bytes.size() + next.length > MAX_BLOCK_BYTES) {
              blocks.add(new Block(blob, bytes.toByteArray(), records));
              bytes.reset();
              records = 0;
            }
            bytes.write(next, 0, next.length);
            records += CollectedRecord.isInputs(blob) ? 1 : 0;
          }
          blocks.add(new Block(blob, bytes.toByteArray(), records));
        });
    return blocks;
  }
}
