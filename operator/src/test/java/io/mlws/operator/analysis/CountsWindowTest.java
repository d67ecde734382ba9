package io.mlws.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calls of the last window, from reads of pods that come, go, restart or miss a read. */
class CountsWindowTest {
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  static RequestCounts calls(long requests) {
    return JudgementTest.calls(requests, requests / 10, 1);
  }

  static CountsWindow.Snapshot at(long seconds, Map<String, Map<String, RequestCounts>> pods) {
    return new CountsWindow.Snapshot(T0.plusSeconds(seconds), pods);
  }

  @Test
  void theWindowIsWhatEachPodCountedSinceItsStart() {
    CountsWindow window = new CountsWindow();
    window.add(at(0, Map.of("a", Map.of("default", calls(100)))));
    window.add(at(30, Map.of("a", Map.of("default", calls(160)))));
    window.add(
        at(60, Map.of("a", Map.of("default", calls(200)), "b", Map.of("canary", calls(70)))));
    window.add(
        at(90, Map.of("a", Map.of("default", calls(300)), "b", Map.of("canary", calls(90)))));

    Map<String, RequestCounts> last60 = window.lastWindow(Duration.ofSeconds(60));
    assertThat(last60.get("default").requests()).as("300 less 160, read at 30 s").isEqualTo(140);
    assertThat(last60.get("default").failures()).isEqualTo(30 - 16);
    assertThat(last60.get("canary").requests())
        .as("a pod first read inside the window: from its first read")
        .isEqualTo(20);
  }

  @Test
  void aRestartedPodCountsFromZeroAndAMissedReadIsSkipped() {
    CountsWindow window = new CountsWindow();
    window.add(at(0, Map.of("a", Map.of("default", calls(500)))));
    window.add(at(10, Map.of()));
    window.add(at(20, Map.of("a", Map.of("default", calls(40)))));

    assertThat(window.lastWindow(Duration.ofSeconds(60)).get("default").requests())
        .as("fewer than before: a restart, all 40 are new")
        .isEqualTo(40);
  }

  @Test
  void oldReadsAreForgottenButTheWindowsStartIsKept() {
    CountsWindow window = new CountsWindow();
    for (int i = 0; i <= 20; i++) {
      window.add(at(i * 10L, Map.of("a", Map.of("default", calls(i * 10L)))));
    }
    window.keep(Duration.ofSeconds(60));

    assertThat(window.lastWindow(Duration.ofSeconds(60)).get("default").requests()).isEqualTo(60);
    assertThat(window.lastWindow(Duration.ofSeconds(600)).get("default").requests())
        .as("a longer window than kept: from the oldest read kept")
        .isEqualTo(60);
  }

  @Test
  void readsAreBoundedInNumber() {
    CountsWindow window = new CountsWindow();
    for (int i = 0; i < CountsWindow.MAX_SNAPSHOTS + 50; i++) {
      window.add(at(i, Map.of("a", Map.of("default", calls(i)))));
    }
    assertThat(window.lastWindow(Duration.ofDays(1)).get("default").requests())
        .isEqualTo(CountsWindow.MAX_SNAPSHOTS - 1);
  }
}
