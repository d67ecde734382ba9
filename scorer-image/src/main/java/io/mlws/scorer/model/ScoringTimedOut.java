package io.mlws.scorer.model;

import java.time.Duration;

/** A model run went past the scoring timeout, and ONNX Runtime stopped it. */
public final class ScoringTimedOut extends Exception {
  private final Duration timeout;

  ScoringTimedOut(Duration timeout) {
    super("the model ran longer than the scoring timeout of " + timeout.toMillis() + " ms");
    this.timeout = timeout;
  }

  public Duration timeout() {
    return timeout;
  }
}
