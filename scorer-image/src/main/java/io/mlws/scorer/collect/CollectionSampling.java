package io.mlws.scorer.collect;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Which scoring requests data collection keeps at a sampling percentage: each one on its own, by a
 * draw in [0, 100) that it keeps when the draw is below the percentage. 100 keeps every request and
 * 0 none, whatever the draw; tests give the draws.
 */
public final class CollectionSampling {
  private final DoubleSupplier draw;

  CollectionSampling(DoubleSupplier draw) {
    this.draw = draw;
  }

  public static CollectionSampling random() {
    return new CollectionSampling(() -> ThreadLocalRandom.current().nextDouble(100));
  }

  public boolean keeps(double percentage) {
    return percentage >= 100 || (percentage > 0 && draw.getAsDouble() < percentage);
  }
}
