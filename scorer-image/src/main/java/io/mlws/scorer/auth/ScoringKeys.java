package io.mlws.scorer.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary and secondary keys a caller may present, read from the files {@code primary} and
 * {@code secondary} of a directory (a mounted Secret) and read again every second, so that
 * regenerating one key in the Secret restarts nothing. Only the keys' SHA-256 digests are kept, and
 * a presented key is compared with both in constant time. Without a readable key, nothing is
 * accepted (fail closed).
 */
public final class ScoringKeys implements CallerGate, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringKeys.class);
  static final List<String> FILES = List.of("primary", "secondary");
  private static final String BEARER = "Bearer ";

  private final Path directory;
  private final AtomicReference<List<byte[]>> digests = new AtomicReference<>(List.of());
  private final ScheduledExecutorService reader;
  private volatile String lastProblem;

  private ScoringKeys(Path directory) {
    this.directory = directory;
    this.reader =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "scoring-keys");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Reads the keys now, then every {@code period}. */
  public static ScoringKeys watch(Path directory, long periodMillis) {
    ScoringKeys keys = new ScoringKeys(directory);
    keys.read();
    keys.reader.scheduleWithFixedDelay(
        keys::read, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return keys;
  }

  @Override
  public Optional<String> refusal(String authorization) {
    return accepts(authorization) ? Optional.empty() : Optional.of("no valid key");
  }

  @Override
  public String requirement() {
    return "a valid key is required: Authorization: Bearer <key>";
  }

  /** Whether an Authorization header carries one of the keys as {@code Bearer <key>}. */
  public boolean accepts(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
    boolean match = false;
    for (byte[] key : digests.get()) {
      // Both keys, always: how long this takes says nothing about which key, or how much, matched.
      match |= MessageDigest.isEqual(presented, key);
    }
    return match;
  }

  /** How many keys are in force (0 while none can be read). */
  public int count() {
    return digests.get().size();
  }

  private void read() {
    try {
      List<byte[]> read =
          FILES.stream().map(this::key).flatMap(Optional::stream).map(ScoringKeys::sha256).toList();
      digests.set(read);
      report(
          read.isEmpty()
              ? "no key in " + directory + " (primary, secondary): every call is refused"
              : null);
    } catch (RuntimeException e) {
      // Keep the keys in force: a Secret being swapped by the kubelet is read again in a second.
      report("the keys in " + directory + " could not be read: " + e.getMessage());
    }
  }

  private Optional<String> key(String file) {
    Path path = directory.resolve(file);
    if (!Files.isRegularFile(path)) {
      return Optional.empty();
    }
    try {
      String key = Files.readString(path, StandardCharsets.UTF_8).trim();
      return key.isEmpty() ? Optional.empty() : Optional.of(key);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Logs a problem once, and once when it is gone; never a key. */
  private void report(String problem) {
    if (problem != null && !problem.equals(lastProblem)) {
      LOG.warn(problem);
    } else if (problem == null && lastProblem != null) {
      LOG.info("keys read from {}: {} in force", directory, count());
    }
    lastProblem = problem;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
