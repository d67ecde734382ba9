package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How each scorer pod takes requests: Azure ML v1's per-replica settings, each field naming its v1
 * counterpart. A field left unset keeps the scorer's own default (the pods do not roll for it).
 */
public class ScoringSpec {
  @Min(1)
  @Max(3_600_000)
  @JsonPropertyDescription(
      "Milliseconds one model run may take. Past it ONNX Runtime stops the run, the call gets 504"
          + " (ScoringTimeout) and Application Insights a failed request, and the pod's slot is free"
          + " again. Azure ML v1: scoring_timeout_ms. Defaults to 60000.")
  private Integer timeoutMilliseconds;

  @Min(1)
  @Max(10_000)
  @JsonPropertyDescription(
      "Requests one pod scores at once; more wait in its queue. Azure ML v1:"
          + " replica_max_concurrent_requests. Defaults to twice the CPUs the scorer sees: its CPU"
          + " limit rounded up, or the node's cores without a limit.")
  private Integer maxConcurrentRequests;

  @Min(1)
  @Max(600_000)
  @JsonPropertyDescription(
      "Milliseconds a request may wait for a free slot before it gets 503 (ServerBusy), as a"
          + " client's cue to retry or a sign to add replicas. Azure ML v1: max_request_wait_time."
          + " Defaults to 1000.")
  private Integer maxQueueWaitMilliseconds;

  @Min(1024)
  @Max(64 * 1024 * 1024)
  @JsonPropertyDescription(
      "Largest request body, in bytes; a larger one gets 413 (PayloadTooLarge) before the model"
          + " sees it. Azure ML v1 has no such cap. Defaults to 1048576 (1 MiB); at most 64 MiB.")
  private Integer maxRequestBytes;

  @Min(1)
  @Max(1_000_000)
  @JsonPropertyDescription(
      "Most rows (the first dimension of each input) in one request; more get 400. Azure ML v1"
          + " has no such cap. Defaults to 10000.")
  private Integer maxRows;

  public Integer getTimeoutMilliseconds() {
    return timeoutMilliseconds;
  }

  public void setTimeoutMilliseconds(Integer timeoutMilliseconds) {
    this.timeoutMilliseconds = timeoutMilliseconds;
  }

  public Integer getMaxConcurrentRequests() {
    return maxConcurrentRequests;
  }

  public void setMaxConcurrentRequests(Integer maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
  }

  public Integer getMaxQueueWaitMilliseconds() {
    return maxQueueWaitMilliseconds;
  }

  public void setMaxQueueWaitMilliseconds(Integer maxQueueWaitMilliseconds) {
    this.maxQueueWaitMilliseconds = maxQueueWaitMilliseconds;
  }

  public Integer getMaxRequestBytes() {
    return maxRequestBytes;
  }

  public void setMaxRequestBytes(Integer maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  public Integer getMaxRows() {
    return maxRows;
  }

  public void setMaxRows(Integer maxRows) {
    this.maxRows = maxRows;
  }
}
