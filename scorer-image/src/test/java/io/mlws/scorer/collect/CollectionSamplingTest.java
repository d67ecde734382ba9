package io.mlws.scorer.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Data collection keeps exactly its share: over draws spread evenly across [0, 100), 100 % keeps
 * every request, 0 % none, and a fractional percentage its exact fraction.
 */
class CollectionSamplingTest {
  static final int REQUESTS = 1000;

  @ParameterizedTest
  @CsvSource({"100, 1000", "0, 0", "25, 250", "12.5, 125", "99.9, 999", "0.1, 1"})
  void keepsExactlyItsShareOverEvenlySpreadDraws(double percentage, int kept) {
    AtomicInteger next = new AtomicInteger();
    CollectionSampling sampling =
        new CollectionSampling(() -> next.getAndIncrement() * 100.0 / REQUESTS);

    int count = 0;
    for (int i = 0; i < REQUESTS; i++) {
      if (sampling.keeps(percentage)) {
        count++;
      }
    }

    assertThat(count).as("kept of %d at %s %%", REQUESTS, percentage).isEqualTo(kept);
  }

  @Test
  void theEdgesIgnoreTheDraw() {
    assertThat(new CollectionSampling(() -> 0.0).keeps(0)).as("0 %% at a draw of 0").isFalse();
    assertThat(new CollectionSampling(() -> 99.999).keeps(100)).isTrue();
  }
}
