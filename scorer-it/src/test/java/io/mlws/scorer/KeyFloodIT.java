package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.scorer.harness.ScorerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of bad keys does not take the scoring slots good callers need: the packaged scorer with
 * two slots and no queue (any excess is refused with 503 at once) serves two callers with a valid
 * key, one call at a time each, while twelve connections send wrong keys as fast as they can. Every
 * good call must be 200 and every bad one 401; a key check behind the slots would make good calls
 * 503.
 */
class KeyFloodIT {
  static final String BODY = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";
  static final int GOOD_CALLERS = 2;
  static final int GOOD_CALLS_EACH = 300;
  static final int FLOODERS = 12;

  @TempDir Path work;

  @Test
  void goodKeysAreServedInFullWhileBadKeysFlood() throws Exception {
    Path keys = Files.createDirectories(work.resolve("keys"));
    Files.writeString(keys.resolve("primary"), "good-key-" + "a1".repeat(16));
    Files.writeString(keys.resolve("secondary"), "other-key-" + "b2".repeat(16));
    try (ScorerProcess scorer =
        ScorerProcess.start(
            work,
            null,
            Map.of(
                "MLWS_MODEL_URI", "models/iris.onnx",
                "MLWS_KEYS_DIR", keys.toString(),
                "MLWS_MAX_CONCURRENT_REQUESTS", "4",
                "MLWS_MAX_QUEUED_REQUESTS", "0"))) {
      scorer.awaitReady();
      int port = scorer.uri("/").getPort();
      Map<String, LongAdder> good = new ConcurrentHashMap<>();
      Map<String, LongAdder> bad = new ConcurrentHashMap<>();
      AtomicBoolean flooding = new AtomicBoolean(true);
      ExecutorService threads = Executors.newFixedThreadPool(GOOD_CALLERS + FLOODERS);
      try {
        List<Future<?>> flood = new ArrayList<>();
        for (int i = 0; i < FLOODERS; i++) {
          flood.add(
              threads.submit(
                  () -> {
                    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
                    for (int n = 0;
                        n < 1_000_000 && flooding.get() && Instant.now().isBefore(deadline);
                        n++) {
                      count(bad, post(port, "Bearer bad-key-" + n));
                    }
                    return null;
                  }));
        }
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < GOOD_CALLERS; i++) {
          callers.add(
              threads.submit(
                  () -> {
                    for (int n = 0; n < GOOD_CALLS_EACH; n++) {
                      count(good, post(port, "Bearer good-key-" + "a1".repeat(16)));
                    }
                    return null;
                  }));
        }
        for (Future<?> caller : callers) {
          caller.get(3, TimeUnit.MINUTES);
        }
        flooding.set(false);
        for (Future<?> flooder : flood) {
          flooder.get(1, TimeUnit.MINUTES);
        }
      } finally {
        flooding.set(false);
        threads.shutdownNow();
      }
      Map<String, Long> goodOutcomes = sorted(good);
      Map<String, Long> badOutcomes = sorted(bad);
      System.out.println(
          "KeyFloodIT: good-key calls " + goodOutcomes + ", bad-key calls " + badOutcomes);
      assertThat(goodOutcomes)
          .containsExactly(Map.entry("200", (long) GOOD_CALLERS * GOOD_CALLS_EACH));
      assertThat(badOutcomes).containsOnlyKeys("401");
      assertThat(badOutcomes.get("401"))
          .as("a flood: more bad calls than good ones")
          .isGreaterThan((long) GOOD_CALLERS * GOOD_CALLS_EACH);
    }
  }

  private static void count(Map<String, LongAdder> outcomes, String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> outcomes) {
    Map<String, Long> result = new TreeMap<>();
    outcomes.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }

  /**
   * One POST /score on a connection of its own (the scorer closes after a 401); the status code, or
   * the exception's name when there was no answer.
   */
  static String post(int port, String authorization) {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Authorization: "
            + authorization
            + "\r\nConnection: close\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] status = in.readNBytes(12);
      String line = new String(status, StandardCharsets.US_ASCII);
      in.transferTo(OutputStream.nullOutputStream());
      return line.startsWith("HTTP/1.1 ") ? line.substring(9, 12) : "no status line";
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }
}
