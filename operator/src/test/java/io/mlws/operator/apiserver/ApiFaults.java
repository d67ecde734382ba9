package io.mlws.operator.apiserver;

import java.time.Duration;
import java.util.Random;

/**
 * Faults the test API server injects into the operator's requests (never the test's own): a share
 * of writes refused with 409 Conflict or 500, and slow answers.
 */
public final class ApiFaults {
  private final Random random = new Random(42);
  private volatile double writeFailureRate;
  private volatile int writeFailureStatus;
  private volatile long delayMillis;

  /** Refuses {@code rate} (0 to 1) of the operator's writes with {@code status}. */
  public void failWrites(double rate, int status) {
    writeFailureRate = rate;
    writeFailureStatus = status;
  }

  /** Answers every request of the operator's after {@code delay}. */
  public void slowDown(Duration delay) {
    delayMillis = delay.toMillis();
  }

  public void clear() {
    writeFailureRate = 0;
    delayMillis = 0;
  }

  synchronized boolean failThisWrite() {
    return writeFailureRate > 0 && random.nextDouble() < writeFailureRate;
  }

  int failureStatus() {
    return writeFailureStatus;
  }

  void delay() {
    long millis = delayMillis;
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
