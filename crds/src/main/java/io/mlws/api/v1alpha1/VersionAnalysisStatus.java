package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** What a version's analysis saw last, and whether it rolled the version back. */
@JsonClassDescription(
    "What spec.versions[].analysis saw in its last window: this version's figures and the default"
        + " version's, and the verdict.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VersionAnalysisStatus {
  public static final String COLLECTING = "Collecting";
  public static final String PASSING = "Passing";
  public static final String ROLLED_BACK = "RolledBack";

  @Required
  @JsonPropertyDescription(
      "Collecting: fewer calls in the window than minRequests, nothing judged yet. Passing: judged"
          + " and within the thresholds. RolledBack: judged worse; the version answers no call"
          + " until its model changes.")
  private String phase;

  @JsonPropertyDescription("The verdict in a sentence, with the figures it rests on.")
  private String message;

  @JsonPropertyDescription("Calls this version answered in the window.")
  private Long requests;

  @JsonPropertyDescription("Of those, the percentage that failed (400, 422, 5xx).")
  private String failurePercent;

  @JsonPropertyDescription("This version's p95 latency in the window, in milliseconds.")
  private Long p95Milliseconds;

  @JsonPropertyDescription("Calls the default version answered in the window.")
  private Long defaultRequests;

  @JsonPropertyDescription("The default version's failure percentage in the window.")
  private String defaultFailurePercent;

  @JsonPropertyDescription("The default version's p95 latency in the window, in milliseconds.")
  private Long defaultP95Milliseconds;

  @JsonPropertyDescription(
      "With RolledBack: the model rolled back (a digest of spec.versions[].model); another model"
          + " in the spec ends the rollback.")
  private String rolledBackModel;

  @JsonPropertyDescription("When the phase last changed (RFC 3339).")
  private String lastTransitionTime;

  public String getPhase() {
    return phase;
  }

  public void setPhase(String phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public Long getRequests() {
    return requests;
  }

  public void setRequests(Long requests) {
    this.requests = requests;
  }

  public String getFailurePercent() {
    return failurePercent;
  }

  public void setFailurePercent(String failurePercent) {
    this.failurePercent = failurePercent;
  }

  public Long getP95Milliseconds() {
    return p95Milliseconds;
  }

  public void setP95Milliseconds(Long p95Milliseconds) {
    this.p95Milliseconds = p95Milliseconds;
  }

  public Long getDefaultRequests() {
    return defaultRequests;
  }

  public void setDefaultRequests(Long defaultRequests) {
    this.defaultRequests = defaultRequests;
  }

  public String getDefaultFailurePercent() {
    return defaultFailurePercent;
  }

  public void setDefaultFailurePercent(String defaultFailurePercent) {
    this.defaultFailurePercent = defaultFailurePercent;
  }

  public Long getDefaultP95Milliseconds() {
    return defaultP95Milliseconds;
  }

  public void setDefaultP95Milliseconds(Long defaultP95Milliseconds) {
    this.defaultP95Milliseconds = defaultP95Milliseconds;
  }

  public String getRolledBackModel() {
    return rolledBackModel;
  }

  public void setRolledBackModel(String rolledBackModel) {
    this.rolledBackModel = rolledBackModel;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionAnalysisStatus that
        && Objects.equals(phase, that.phase)
        && Objects.equals(message, that.message)
        && Objects.equals(requests, that.requests)
        && Objects.equals(failurePercent, that.failurePercent)
        && Objects.equals(p95Milliseconds, that.p95Milliseconds)
        && Objects.equals(defaultRequests, that.defaultRequests)
        && Objects.equals(defaultFailurePercent, that.defaultFailurePercent)
        && Objects.equals(defaultP95Milliseconds, that.defaultP95Milliseconds)
        && Objects.equals(rolledBackModel, that.rolledBackModel)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, message, requests, rolledBackModel);
  }
}
