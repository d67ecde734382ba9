package io.mlws.operator.analysis;

import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.api.v1alpha1.VersionAnalysisStatus;
import io.mlws.operator.spec.ResolvedSpec;
import java.util.Locale;

/**
 * The verdict on one version's last window against the default version's: a pure function, so each
 * case is a unit test.
 */
final class Judgement {
  static final long LATENCY_RESOLUTION_MILLISECONDS =
      SpecDefaults.ANALYSIS_LATENCY_RESOLUTION_MILLISECONDS;

  private Judgement() {}

  static VersionAnalysisStatus judge(
      ResolvedSpec.Analysis analysis, RequestCounts version, RequestCounts stable) {
    VersionAnalysisStatus status = new VersionAnalysisStatus();
    String window = analysis.window().toSeconds() + " s";
    status.setRequests(version.requests());
    status.setDefaultRequests(stable.requests());
    if (version.requests() < analysis.minRequests()) {
      status.setPhase(VersionAnalysisStatus.COLLECTING);
      status.setMessage(
          "%d of the %d calls needed in the last %s"
              .formatted(version.requests(), analysis.minRequests(), window));
      return status;
    }
    status.setFailurePercent(percent(version.failurePercent()));
    status.setP95Milliseconds(version.p95Milliseconds());
    // Without enough calls of its own, the default's figures are no yardstick: the version is then
    // held to a failure rate of 0 plus the threshold, and its latency is not judged.
    boolean stableJudged = stable.requests() >= analysis.minRequests();
    if (stableJudged) {
      status.setDefaultFailurePercent(percent(stable.failurePercent()));
      status.setDefaultP95Milliseconds(stable.p95Milliseconds());
    }
    String stableFailures =
        stableJudged
            ? "the default version's " + percent(stable.failurePercent()) + " %"
            : "0 % (the default version had too few calls to compare with: "
                + stable.requests()
                + ")";
    String calls =
        "%d calls against %d in the last %s"
            .formatted(version.requests(), stable.requests(), window);
    double increase = version.failurePercent() - (stableJudged ? stable.failurePercent() : 0);
    if (increase > analysis.maxFailureRateIncrease()) {
      status.setPhase(VersionAnalysisStatus.ROLLED_BACK);
      status.setMessage(
          "rolled back: %s %% of its calls failed against %s, %s points more (at most %d allowed); %s"
              .formatted(
                  percent(version.failurePercent()),
                  stableFailures,
                  percent(increase),
                  analysis.maxFailureRateIncrease(),
                  calls));
      return status;
    }
    long p95 = version.p95Milliseconds();
    long stableP95 = stable.p95Milliseconds();
    if (stableJudged
        && p95 - stableP95 >= LATENCY_RESOLUTION_MILLISECONDS
        && p95 * 100 > stableP95 * (100L + analysis.maxLatencyIncrease())) {
      status.setPhase(VersionAnalysisStatus.ROLLED_BACK);
      status.setMessage(
          "rolled back: its p95 latency was %d ms against the default version's %d ms, more than %d %% above; %s"
              .formatted(p95, stableP95, analysis.maxLatencyIncrease(), calls));
      return status;
    }
    status.setPhase(VersionAnalysisStatus.PASSING);
    status.setMessage(
        "passing: %s %% failed against %s, p95 %d ms%s; %s"
            .formatted(
                percent(version.failurePercent()),
                stableFailures,
                p95,
                stableJudged ? " against " + stableP95 + " ms" : "",
                calls));
    return status;
  }

  static String percent(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }
}
