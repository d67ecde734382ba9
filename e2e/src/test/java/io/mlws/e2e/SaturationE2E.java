package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pod limited to 200m CPU under more load than it can take for a minute, twice what the kubelet
 * allows a pod that does not answer its liveness probe (three failures 10 s apart): more clients
 * than its 2 workers and 64 queue places. The kubelet's probes, on their own port and threads, keep
 * being answered, so the pod is never restarted for being busy; every request gets a score or a
 * quick 503 ServerBusy, never a timeout or a reset (the refusal closes its connection, which Jetty
 * could not reuse: without saying so, 7 of 20,869 requests here found a closed socket).
 */
class SaturationE2E {
  static final String SERVICE = "busy";
  static final int SATURATING_CLIENTS = 96;
  static final Duration SATURATION = Duration.ofMinutes(1);

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("saturation");

  @Test
  void aSaturatedPodIsNotRestartedAndAnswersTheExcessWithServerBusy() throws Exception {
    assumeFalse(
        E2eCluster.OTHER_CLUSTER,
        "a ClusterIP is reachable from this machine only on the local node");
    scenario.create(
        """
        apiVersion: mlws.io/v1alpha1
        kind: MLWebService
        metadata: {name: %s}
        spec:
          model: {uri: "file:///opt/mlws/models/iris.onnx"}
          replicas: 1
          resources: {limits: {cpu: 200m, memory: 1Gi}}
        """
            .formatted(SERVICE));
    scenario.awaitReady(SERVICE);
    Map<String, Long> outcomes;
    try (ClusterIpLoad load =
        ClusterIpLoad.start(
            scenario.scoringThroughClusterIp(SERVICE), SATURATING_CLIENTS, Duration.ZERO)) {
      // The load's length, not a synchronisation: the pod must hold out for all of it.
      Thread.sleep(SATURATION.toMillis());
      outcomes = load.stopAndCount();
    }
    Pod pod = scenario.runningPods(SERVICE).get(0);
    long unhealthy =
        scenario.client().v1().events().inNamespace(scenario.namespace()).list().getItems().stream()
            .filter(e -> pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
            .filter(e -> "Unhealthy".equals(e.getReason()))
            .count();
    System.out.printf(
        "SaturationE2E: %d clients for %d s on a pod limited to 200m CPU, by outcome: %s;"
            + " Unhealthy events for the pod: %d%n",
        SATURATING_CLIENTS, SATURATION.toSeconds(), outcomes, unhealthy);
    assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount())
        .as("restarts of the saturated pod")
        .isZero();
    assertThat(outcomes.keySet())
        .as("every answer a score or a 503 ServerBusy: no timeout, reset or other error")
        .allMatch(o -> o.equals("200") || (o.startsWith("503 ") && o.contains("\"ServerBusy\"")));
    assertThat(outcomes.getOrDefault("200", 0L)).as("requests scored").isGreaterThan(100);
    assertThat(outcomes.keySet())
        .as("the excess beyond 2 workers and 64 queued got ServerBusy")
        .anyMatch(o -> o.startsWith("503 "));
  }
}
