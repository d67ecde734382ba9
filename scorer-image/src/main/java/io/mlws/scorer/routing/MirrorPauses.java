package io.mlws.scorer.routing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Copies to a version that is down or overwhelmed pause: after a copy goes unanswered or is
 * answered 5xx (503 when its queue is full), no copy goes to it for {@link #FIRST}, then, each time
 * the first copy after a pause fails again, for twice as long, at most {@link #LONGEST}. A copy it
 * answers ends the pause. So a shadow that cannot answer costs the live pods a copy now and then,
 * not one per call. Copies sent before a pause began do not lengthen it.
 */
final class MirrorPauses {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration LONGEST = Duration.ofSeconds(30);

  private record Pause(long beganNanos, long endsNanos, Duration length) {}

  private final Map<String, Pause> pauses = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  MirrorPauses(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  long now() {
    return nanoClock.getAsLong();
  }

  boolean paused(String version) {
    Pause pause = pauses.get(version);
    return pause != null && nanoClock.getAsLong() - pause.endsNanos() < 0;
  }

  /** A copy sent at {@code sentNanos} went unanswered, or was answered 5xx. */
  void failed(String version, long sentNanos) {
    pauses.compute(
        version,
        (name, pause) -> {
          if (pause != null && sentNanos - pause.beganNanos() < 0) {
            return pause; // sent before this pause began: already accounted for
          }
          Duration length =
              pause == null
                  ? FIRST
                  : pause.length().multipliedBy(2).compareTo(LONGEST) > 0
                      ? LONGEST
                      : pause.length().multipliedBy(2);
          long now = nanoClock.getAsLong();
          return new Pause(now, now + length.toNanos(), length);
        });
  }

  /** A copy was answered (any status below 500): the version takes copies again. */
  void answered(String version) {
    pauses.remove(version);
  }
}
