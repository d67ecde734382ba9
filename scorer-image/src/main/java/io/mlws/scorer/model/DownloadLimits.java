package io.mlws.scorer.model;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How long a model download may take in all (resumptions included) and how large the model may be:
 * the model volume's size limit, so that a model too big for it is refused with a reason instead of
 * getting the pod evicted half-way.
 */
public record DownloadLimits(Duration budget, OptionalLong maxBytes) {
  public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(10);

  public static DownloadLimits defaults() {
    return new DownloadLimits(DEFAULT_BUDGET, OptionalLong.empty());
  }
}
