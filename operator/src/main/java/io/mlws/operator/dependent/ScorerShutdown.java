package io.mlws.operator.dependent;

import io.mlws.api.v1alpha1.ScorerPodSpec;
import io.mlws.api.v1alpha1.SpecDefaults;
import java.util.Objects;

/**
 * How a scorer pod ends: it keeps serving through a pre-stop pause (so that kube-proxy and load
 * balancers stop sending it requests first), then drains the requests in flight, all within the
 * grace period the kubelet gives before it kills the container.
 *
 * @param pauseSeconds the preStop sleep; 0 means no preStop hook
 * @param gracePeriodSeconds the pod's terminationGracePeriodSeconds
 * @param drainSeconds how long the scorer waits for requests in flight after SIGTERM
 */
record ScorerShutdown(int pauseSeconds, long gracePeriodSeconds, int drainSeconds) {

  static ScorerShutdown of(ScorerPodSpec pod) {
    int pause =
        Objects.requireNonNullElse(
            pod.getPreStopPauseSeconds(),
            SpecDefaults.integer(SpecDefaults.PRE_STOP_PAUSE_SECONDS));
    long grace =
        Objects.requireNonNullElse(
            pod.getTerminationGracePeriodSeconds(),
            (long) pause + SpecDefaults.DRAIN_SECONDS + SpecDefaults.GRACE_MARGIN_SECONDS);
    long drain = Math.max(1, grace - pause - SpecDefaults.GRACE_MARGIN_SECONDS);
    return new ScorerShutdown(pause, grace, (int) Math.min(drain, 600));
  }
}
