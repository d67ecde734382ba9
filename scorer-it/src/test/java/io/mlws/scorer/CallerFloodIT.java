package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import io.mlws.scorer.harness.TokenAuthority;
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
import java.util.HashMap;
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
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of bad credentials does not take the scoring slots good callers need: the packaged scorer
 * with four slots and no queue (any excess is refused with 503 at once) serves two callers with
 * valid credentials, one call at a time each, while twelve connections send bad ones as fast as
 * they can. Every good call must be 200 and every bad one 401; a check behind the slots would make
 * good calls 503. Once with keys, once with Entra ID tokens whose signature is forged (the
 * costliest refusal: the signature is verified before it fails).
 */
class CallerFloodIT {
  static final String BODY = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";
  static final int GOOD_CALLERS = 2;
  static final int GOOD_CALLS_EACH = 300;
  static final int FLOODERS = 12;
  static final Map<String, String> FOUR_SLOTS_NO_QUEUE =
      Map.of(
          "MLWS_MODEL_URI", "models/iris.onnx",
          "MLWS_MAX_CONCURRENT_REQUESTS", "4",
          "MLWS_MAX_QUEUED_REQUESTS", "0");

  @TempDir Path work;

  @Test
  void goodKeysAreServedInFullWhileBadKeysFlood() throws Exception {
    Path keys = Files.createDirectories(work.resolve("keys"));
    Files.writeString(keys.resolve("primary"), "good-key-" + "a1".repeat(16));
    Files.writeString(keys.resolve("secondary"), "other-key-" + "b2".repeat(16));
    Map<String, String> env = new HashMap<>(FOUR_SLOTS_NO_QUEUE);
    env.put("MLWS_KEYS_DIR", keys.toString());
    try (ScorerProcess scorer = ScorerProcess.start(work, null, env)) {
      scorer.awaitReady();
      flood(scorer, "Bearer good-key-" + "a1".repeat(16), n -> "Bearer bad-key-" + n, "key");
    }
  }

  @Test
  void goodTokensAreServedInFullWhileForgedTokensFlood() throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (TokenAuthority tenant = new TokenAuthority()) {
      tls.trust("tenant-" + tenant.port(), tenant.certificate());
      Map<String, String> env = new HashMap<>(FOUR_SLOTS_NO_QUEUE);
      env.put("MLWS_TOKEN_TENANT_ID", TokenAuthority.TENANT);
      env.put("MLWS_TOKEN_AUDIENCE", TokenAuthority.AUDIENCE);
      env.put("MLWS_TOKEN_AUTHORITY", tenant.authorityHost());
      try (ScorerProcess scorer = ScorerProcess.start(work, null, env, tls.trustingJvmOptions())) {
        scorer.awaitReady();
        String good = "Bearer " + tenant.token();
        await("the tenant's configuration read")
            .atMost(Duration.ofMinutes(1))
            .until(() -> post(scorer.uri("/").getPort(), good).equals("200"));
        List<String> forged = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          forged.add("Bearer " + tenant.tokenWithABadSignature());
        }
        flood(scorer, good, n -> forged.get((int) (n % forged.size())), "token");
        assertThat(tenant.keySetReads.get()).as("the key set, not fetched per call").isEqualTo(1);
      }
    }
  }

  private static void flood(
      ScorerProcess scorer, String good, LongFunction<String> bad, String what) throws Exception {
    int port = scorer.uri("/").getPort();
    Map<String, LongAdder> goodCalls = new ConcurrentHashMap<>();
    Map<String, LongAdder> badCalls = new ConcurrentHashMap<>();
    AtomicBoolean flooding = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(GOOD_CALLERS + FLOODERS);
    try {
      List<Future<?>> flood = new ArrayList<>();
      for (int i = 0; i < FLOODERS; i++) {
        flood.add(
            threads.submit(
                () -> {
                  Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
                  for (long n = 0;
                      n < 1_000_000 && flooding.get() && Instant.now().isBefore(deadline);
                      n++) {
                    count(badCalls, post(port, bad.apply(n)));
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
                    count(goodCalls, post(port, good));
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
    Map<String, Long> goodOutcomes = sorted(goodCalls);
    Map<String, Long> badOutcomes = sorted(badCalls);
    System.out.printf(
        "CallerFloodIT: good-%s calls %s, bad-%s calls %s%n",
        what, goodOutcomes, what, badOutcomes);
    assertThat(goodOutcomes)
        .containsExactly(Map.entry("200", (long) GOOD_CALLERS * GOOD_CALLS_EACH));
    assertThat(badOutcomes).containsOnlyKeys("401");
    assertThat(badOutcomes.get("401"))
        .as("a flood: more bad calls than good ones")
        .isGreaterThan((long) GOOD_CALLERS * GOOD_CALLS_EACH);
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
