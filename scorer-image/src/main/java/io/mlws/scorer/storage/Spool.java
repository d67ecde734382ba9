package io.mlws.scorer.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Collected records on the pod's volume on their way to storage: appended to an open segment, which
 * is closed after the flush interval (or at 4 MiB) and then written and deleted. A storage outage
 * leaves closed segments here; past the byte cap new records are refused, so the volume never
 * outgrows its limit. Segments left by an earlier container of the pod are kept and written first.
 */
final class Spool {
  /** Larger segments are closed early: each is written in appends of at most this much per blob. */
  static final long MAX_SEGMENT_BYTES = 4L << 20;

  static final String CLOSED = ".seg";
  private static final String OPEN = ".open";

  /** How a segment's file is opened for appending (tests give one whose writes fail). */
  interface SegmentFiles {
    OutputStream append(Path segment) throws IOException;
  }

  static final SegmentFiles ON_DISK =
      segment ->
          Files.newOutputStream(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.APPEND);

  private final Path dir;
  private final long capBytes;
  private final SegmentFiles files;
  private long usedBytes;
  private long sequence;
  private Path open;
  private OutputStream openStream;
  private long openBytes;
  private long openedAtNanos;

  private Spool(Path dir, long capBytes, long usedBytes, SegmentFiles files) {
    this.dir = dir;
    this.capBytes = capBytes;
    this.usedBytes = usedBytes;
    this.files = files;
  }

  /** The spool in {@code dir}; a segment a killed container left open is closed as it is. */
  static Spool open(Path dir, long capBytes) throws IOException {
    return open(dir, capBytes, ON_DISK);
  }

  static Spool open(Path dir, long capBytes, SegmentFiles segmentFiles) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path note : files.filter(p -> p.toString().endsWith(".progress")).toList()) {
        String name = note.getFileName().toString();
        if (!Files.exists(dir.resolve(name.substring(0, name.length() - ".progress".length())))) {
          Files.delete(note);
        }
      }
    }
    long used = 0;
    for (Path file : list(dir)) {
      String name = file.getFileName().toString();
      if (name.endsWith(OPEN)) {
        Path closed = dir.resolve(name.substring(0, name.length() - OPEN.length()) + CLOSED);
        Files.move(file, closed, StandardCopyOption.ATOMIC_MOVE);
        file = closed;
      }
      used += Files.size(file);
    }
    return new Spool(dir, capBytes, used, segmentFiles);
  }

  /** Appends a record's entries; false (nothing written) when that would pass the cap. */
  synchronized boolean append(List<String> entries) throws IOException {
    byte[] bytes = (String.join("\n", entries) + "\n").getBytes(StandardCharsets.UTF_8);
    if (usedBytes + bytes.length > capBytes) {
      return false;
    }
    if (open == null) {
      openSegment();
    }
    try {
      openStream.write(bytes);
      openStream.flush();
    } catch (IOException e) {
      // Part of the record may be in the file (a full disk). It is the segment's last line, without
      // its newline, which is never written to storage; the segment is closed so that no later
      // record is joined to it.
      abandonOpenSegment();
      throw e;
    }
    usedBytes += bytes.length;
    openBytes += bytes.length;
    if (openBytes >= MAX_SEGMENT_BYTES) {
      close();
    }
    return true;
  }

  /** Closes the open segment once it is {@code age} old, so that it gets written. */
  synchronized void closeIfOlderThan(Duration age) throws IOException {
    if (open != null && System.nanoTime() - openedAtNanos >= age.toNanos()) {
      close();
    }
  }

  /** Closes the open segment, if any. */
  synchronized void close() throws IOException {
    if (open == null) {
      return;
    }
    openStream.close();
    String name = open.getFileName().toString();
    Files.move(
        open,
        dir.resolve(name.substring(0, name.length() - OPEN.length()) + CLOSED),
        StandardCopyOption.ATOMIC_MOVE);
    open = null;
    openStream = null;
  }

  /** Closes the open segment as it is after a failed write; what it holds counts as used. */
  private void abandonOpenSegment() throws IOException {
    try {
      openStream.close();
    } catch (IOException ignored) {
      // The file is closed either way; what reached it is judged by its newlines.
    }
    String name = open.getFileName().toString();
    Path closed = dir.resolve(name.substring(0, name.length() - OPEN.length()) + CLOSED);
    Files.move(open, closed, StandardCopyOption.ATOMIC_MOVE);
    usedBytes += Files.size(closed) - openBytes;
    open = null;
    openStream = null;
  }

  /** Closed segments, oldest first. */
  synchronized List<Path> closedSegments() throws IOException {
    return list(dir).stream().filter(p -> p.getFileName().toString().endsWith(CLOSED)).toList();
  }

  /** Deletes a written segment and whatever notes were kept on its writing. */
  synchronized void delete(Path segment) throws IOException {
    long size = Files.size(segment);
    // The segment first: a note left without its segment is harmless (removed at the next start),
    // a segment left without its note would be written again.
    Files.delete(segment);
    usedBytes -= size;
    Files.deleteIfExists(AppendBlobWriter.progressFile(segment));
  }

  synchronized long usedBytes() {
    return usedBytes;
  }

  long capBytes() {
    return capBytes;
  }

  private void openSegment() throws IOException {
    // Names sort by time: a later container's segments come after an earlier one's.
    open =
        dir.resolve(
            "%013d-%06d%s".formatted(System.currentTimeMillis(), sequence++ % 1_000_000, OPEN));
    openStream = files.append(open);
    openBytes = 0;
    openedAtNanos = System.nanoTime();
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments =
          new ArrayList<>(
              files
                  .filter(
                      p ->
                          p.getFileName().toString().endsWith(CLOSED)
                              || p.getFileName().toString().endsWith(OPEN))
                  .toList());
      segments.sort(Comparator.comparing(p -> p.getFileName().toString()));
      return segments;
    }
  }
}
