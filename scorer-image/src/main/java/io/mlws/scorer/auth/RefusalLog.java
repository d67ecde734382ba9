package io.mlws.scorer.auth;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs why calls are refused without letting a flood of them flood the log: a reason the first time
 * it is seen, then at most once every {@link #EVERY} with how many calls it refused meanwhile. At
 * most {@link #MAX_REASONS} reasons are tracked; others are counted under one line.
 */
final class RefusalLog {
  static final Duration EVERY = Duration.ofMinutes(1);
  static final int MAX_REASONS = 64;
  private static final String OTHER = "other reasons";

  private final Logger log;
  private final Map<String, long[]> seen = new HashMap<>();

  RefusalLog(Logger log) {
    this.log = log;
  }

  /** Counts a refusal; logs its reason if it is new or its last line is old enough. */
  synchronized void record(String reason) {
    String key = seen.containsKey(reason) || seen.size() < MAX_REASONS ? reason : OTHER;
    long now = System.nanoTime();
    long[] state = seen.get(key);
    if (state == null) {
      seen.put(key, new long[] {now, 0});
      log.info("call refused: {}", key);
      return;
    }
    state[1]++;
    if (now - state[0] >= EVERY.toNanos()) {
      log.info("call refused: {} ({} calls since the last line)", key, state[1]);
      state[0] = now;
      state[1] = 0;
    }
  }
}
