package io.mlws.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.api.v1alpha1.VersionAnalysisStatus;
import io.mlws.operator.spec.ResolvedSpec;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The verdict on a version's window against the default's, case by case. */
class JudgementTest {
  static final ResolvedSpec.Analysis ANALYSIS =
      new ResolvedSpec.Analysis(Duration.ofSeconds(60), 50, 5, 50);

  /** {@code requests} calls, {@code failures} of them failed, all at {@code millis}. */
  static RequestCounts calls(long requests, long failures, double millis) {
    TreeMap<Double, Long> buckets = new TreeMap<>();
    for (double le : new double[] {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25}) {
      buckets.put(le, millis / 1000 <= le ? requests : 0L);
    }
    buckets.put(Double.POSITIVE_INFINITY, requests);
    return new RequestCounts(requests, failures, buckets);
  }

  @Test
  void tooFewCallsIsCollecting() {
    VersionAnalysisStatus status = Judgement.judge(ANALYSIS, calls(49, 49, 1), calls(500, 0, 1));

    assertThat(status.getPhase()).isEqualTo(VersionAnalysisStatus.COLLECTING);
    assertThat(status.getMessage()).isEqualTo("49 of the 50 calls needed in the last 60 s");
  }

  @Test
  void failuresAboveTheDefaultsByMoreThanTheThresholdRollBack() {
    VersionAnalysisStatus status = Judgement.judge(ANALYSIS, calls(100, 8, 1), calls(400, 8, 1));

    assertThat(status.getPhase()).isEqualTo(VersionAnalysisStatus.ROLLED_BACK);
    assertThat(status.getMessage())
        .isEqualTo(
            "rolled back: 8.0 % of its calls failed against the default version's 2.0 %, 6.0"
                + " points more (at most 5 allowed); 100 calls against 400 in the last 60 s");
    assertThat(status.getFailurePercent()).isEqualTo("8.0");
    assertThat(status.getDefaultFailurePercent()).isEqualTo("2.0");
  }

  @Test
  void failuresWithinTheThresholdPass() {
    VersionAnalysisStatus status = Judgement.judge(ANALYSIS, calls(100, 7, 1), calls(400, 8, 1));

    assertThat(status.getPhase()).isEqualTo(VersionAnalysisStatus.PASSING);
  }

  @Test
  void aSlowerP95ByMoreThanTheThresholdRollsBack() {
    VersionAnalysisStatus status = Judgement.judge(ANALYSIS, calls(100, 0, 40), calls(400, 0, 3));

    assertThat(status.getPhase()).isEqualTo(VersionAnalysisStatus.ROLLED_BACK);
    assertThat(status.getP95Milliseconds()).isBetween(25L, 50L);
    assertThat(status.getDefaultP95Milliseconds()).isBetween(2L, 5L);
    assertThat(status.getMessage()).contains("p95 latency").contains("more than 50 % above");
  }

  @Test
  void aP95DifferenceWithinTheHistogramsResolutionPasses() {
    // 1.8 ms against 4.5 ms is 2.5 times slower, and noise at this scale.
    VersionAnalysisStatus status =
        Judgement.judge(ANALYSIS, calls(100, 0, 4.5), calls(400, 0, 1.8));

    assertThat(status.getPhase()).isEqualTo(VersionAnalysisStatus.PASSING);
  }

  @Test
  void withoutEnoughDefaultCallsFailuresAreHeldToZeroAndLatencyIsNotJudged() {
    assertThat(Judgement.judge(ANALYSIS, calls(100, 0, 200), calls(10, 0, 1)).getPhase())
        .isEqualTo(VersionAnalysisStatus.PASSING);
    VersionAnalysisStatus failing = Judgement.judge(ANALYSIS, calls(100, 6, 1), calls(10, 10, 1));
    assertThat(failing.getPhase()).isEqualTo(VersionAnalysisStatus.ROLLED_BACK);
    assertThat(failing.getMessage())
        .contains("against 0 % (the default version had too few calls to compare with: 10)");
  }

  @Test
  void p95IsInterpolatedInItsBucket() {
    TreeMap<Double, Long> buckets = new TreeMap<>();
    buckets.put(0.001, 50L);
    buckets.put(0.01, 90L);
    buckets.put(0.1, 100L);
    buckets.put(Double.POSITIVE_INFINITY, 100L);
    // The 95th of 100 calls is halfway through the 10-100 ms bucket's 10 calls.
    assertThat(new RequestCounts(100, 0, buckets).p95Milliseconds()).isEqualTo(55);
    buckets.put(0.1, 90L);
    assertThat(new RequestCounts(100, 0, buckets).p95Milliseconds())
        .as("beyond the last finite bound: that bound")
        .isEqualTo(100);
  }
}
