package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How a version is judged by its own telemetry against the default version, and rolled back. */
@JsonClassDescription(
    "Rollback from telemetry: the operator reads every scorer pod's /metrics, compares this"
        + " version's failure rate and p95 latency over the window with the default version's"
        + " (spec.model), and when either is worse by more than its threshold, gives this version"
        + " no more calls (its weight 0 in status.versions, the default answers them), says so in"
        + " status (the VersionRolledBack reason, with the figures) and in a Warning event. The spec"
        + " is left as written; the rollback holds until the version's model changes or the version"
        + " is removed.")
public class VersionAnalysisSpec {
  @Min(10)
  @Max(SpecDefaults.ANALYSIS_MAX_WINDOW_SECONDS)
  @Default(SpecDefaults.ANALYSIS_WINDOW_SECONDS)
  @JsonPropertyDescription(
      "The seconds of calls judged: the figures are those of the last windowSeconds. Defaults to"
          + " "
          + SpecDefaults.ANALYSIS_WINDOW_SECONDS
          + ".")
  private Integer windowSeconds;

  @Min(1)
  @Max(1_000_000)
  @Default(SpecDefaults.ANALYSIS_MIN_REQUESTS)
  @JsonPropertyDescription(
      "The calls this version must have answered in the window before it is judged. Defaults to "
          + SpecDefaults.ANALYSIS_MIN_REQUESTS
          + ".")
  private Integer minRequests;

  @Min(0)
  @Max(100)
  @Default(SpecDefaults.ANALYSIS_MAX_FAILURE_RATE_INCREASE)
  @JsonPropertyDescription(
      "Percentage points: the version is rolled back when its failure rate (answers 400, 422 and"
          + " 5xx: the model refused or failed the call) exceeds the default version's by more."
          + " Defaults to "
          + SpecDefaults.ANALYSIS_MAX_FAILURE_RATE_INCREASE
          + ".")
  private Integer maxFailureRateIncrease;

  @Min(0)
  @Max(10_000)
  @Default(SpecDefaults.ANALYSIS_MAX_LATENCY_INCREASE)
  @JsonPropertyDescription(
      "Percent: the version is rolled back when its p95 latency exceeds the default version's by"
          + " more (and by at least "
          + SpecDefaults.ANALYSIS_LATENCY_RESOLUTION_MILLISECONDS
          + " ms, the histogram's resolution near zero). Defaults to "
          + SpecDefaults.ANALYSIS_MAX_LATENCY_INCREASE
          + ".")
  private Integer maxLatencyIncrease;

  public Integer getWindowSeconds() {
    return windowSeconds;
  }

  public void setWindowSeconds(Integer windowSeconds) {
    this.windowSeconds = windowSeconds;
  }

  public Integer getMinRequests() {
    return minRequests;
  }

  public void setMinRequests(Integer minRequests) {
    this.minRequests = minRequests;
  }

  public Integer getMaxFailureRateIncrease() {
    return maxFailureRateIncrease;
  }

  public void setMaxFailureRateIncrease(Integer maxFailureRateIncrease) {
    this.maxFailureRateIncrease = maxFailureRateIncrease;
  }

  public Integer getMaxLatencyIncrease() {
    return maxLatencyIncrease;
  }

  public void setMaxLatencyIncrease(Integer maxLatencyIncrease) {
    this.maxLatencyIncrease = maxLatencyIncrease;
  }
}
