package io.mlws.scorer.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MirrorPausesTest {
  final AtomicLong clock = new AtomicLong(1_000);
  final MirrorPauses pauses = new MirrorPauses(clock::get);

  void after(Duration elapsed) {
    clock.addAndGet(elapsed.toNanos());
  }

  @Test
  void aFailedCopyPausesTheVersionForASecondThenTwiceAsLongEachTimeTheNextFails() {
    assertThat(pauses.paused("shadow")).isFalse();
    pauses.failed("shadow", pauses.now());
    assertThat(pauses.paused("shadow")).isTrue();
    assertThat(pauses.paused("other")).as("only the version that failed").isFalse();
    after(Duration.ofMillis(999));
    assertThat(pauses.paused("shadow")).isTrue();
    after(Duration.ofMillis(1));
    assertThat(pauses.paused("shadow")).isFalse();

    pauses.failed("shadow", pauses.now());
    after(Duration.ofMillis(1_999));
    assertThat(pauses.paused("shadow")).as("the second pause: 2 s").isTrue();
    after(Duration.ofMillis(1));
    assertThat(pauses.paused("shadow")).isFalse();
  }

  @Test
  void copiesSentBeforeAPauseBeganDoNotLengthenIt() {
    long sent = pauses.now();
    after(Duration.ofMillis(10));
    pauses.failed("shadow", sent);
    for (int i = 0; i < 63; i++) {
      pauses.failed("shadow", sent); // the other copies in flight when the first failed
    }
    after(Duration.ofSeconds(1));
    assertThat(pauses.paused("shadow")).as("one pause of 1 s, not 64 doublings").isFalse();
  }

  @Test
  void pausesStopGrowingAtThirtySecondsAndAnAnsweredCopyEndsThem() {
    for (int i = 0; i < 10; i++) {
      pauses.failed("shadow", pauses.now());
      after(MirrorPauses.LONGEST);
    }
    pauses.failed("shadow", pauses.now());
    after(MirrorPauses.LONGEST.minusMillis(1));
    assertThat(pauses.paused("shadow")).isTrue();
    after(Duration.ofMillis(1));
    assertThat(pauses.paused("shadow")).as("never longer than 30 s").isFalse();

    pauses.failed("shadow", pauses.now());
    pauses.answered("shadow");
    assertThat(pauses.paused("shadow")).isFalse();
    pauses.failed("shadow", pauses.now());
    after(MirrorPauses.FIRST);
    assertThat(pauses.paused("shadow")).as("after an answer, the first pause again").isFalse();
  }
}
