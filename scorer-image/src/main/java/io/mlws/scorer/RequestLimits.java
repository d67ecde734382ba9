package io.mlws.scorer;

import java.time.Duration;

/**
 * How much work the scoring port takes on at once: requests beyond {@code concurrent} wait, at most
 * {@code queued} of them and for at most {@code queueWaitMillis}; the rest get a 503 at once rather
 * than an unbounded queue that would time every client out.
 */
public record RequestLimits(int concurrent, int queued, int queueWaitMillis) {
  /** Scoring is CPU-bound (ONNX Runtime): more at once than twice the CPUs only adds latency. */
  static int concurrentFor(int processors) {
    return Math.max(2, 2 * processors);
  }

  static final int DEFAULT_QUEUED = 64;

  /** Under common client timeouts (2 s and more): a client gets its 503 before it gives up. */
  static final int DEFAULT_QUEUE_WAIT_MILLIS = 1_000;

  public Duration queueWait() {
    return Duration.ofMillis(queueWaitMillis);
  }
}
