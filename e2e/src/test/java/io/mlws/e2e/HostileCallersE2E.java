package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Callers who mean harm at the ports the kubelet probes, on the real node: connections that send
 * part of a request and stop, to the operator's health port and to a scorer's probe port, and
 * callers asking a scorer's probe port for /settings and /metrics as fast as it answers. The
 * kubelet keeps getting its answers: no pod restarts, and none stops being Ready (the kubelet's own
 * judgement, three failed probes in a row, not a count of slow answers on a busy machine).
 */
@ResourceLock(value = E2eScenario.OPERATOR, mode = ResourceAccessMode.READ)
class HostileCallersE2E {
  static final String SERVICE = "guarded";
  static final int HEALTH_PORT = 8081;

  /**
   * Longer than the operator's readiness probe takes to fail (3 × 5 s) and than the scorer's
   * liveness probe takes to restart it (3 × 10 s).
   */
  static final Duration ATTACK = Duration.ofSeconds(40);

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("hostile");

  @Test
  void slowAndFloodingCallersOnTheProbePortsRestartNothingAndUnreadyNothing() throws Exception {
    assumeFalse(E2eCluster.OTHER_CLUSTER, "pod IPs are reachable from this machine only locally");
    scenario.createSmall(SERVICE, "iris.onnx", 1, "");
    scenario.awaitReady(SERVICE);
    String scoring = scenario.scoringThroughClusterIp(SERVICE);
    List<Pod> targets = new ArrayList<>(scenario.operatorPods());
    Pod scorer = scenario.runningPods(SERVICE).get(0);
    targets.add(scorer);
    Map<String, String> readySince = readySince(targets);

    Map<String, Long> outcomes;
    try (HostileConnections attack = new HostileConnections()) {
      for (Pod operator : scenario.operatorPods()) {
        attack.unfinishedHeaders(operator.getStatus().getPodIP(), HEALTH_PORT, 12);
      }
      String scorerIp = scorer.getStatus().getPodIP();
      attack
          .unfinishedHeaders(scorerIp, HEALTH_PORT, 12)
          .repeatedly(scorerIp, HEALTH_PORT, "/settings", 4)
          .repeatedly(scorerIp, HEALTH_PORT, "/metrics", 4);
      // The attack's length, not a synchronisation: the probes must hold out for all of it.
      Thread.sleep(ATTACK.toMillis());
      outcomes = attack.stopAndCount();
    }
    System.out.printf(
        "HostileCallersE2E: for %d s, by outcome: %s%n", ATTACK.toSeconds(), outcomes);

    List<Pod> after = new ArrayList<>(scenario.operatorPods());
    after.addAll(scenario.runningPods(SERVICE));
    assertThat(after)
        .extracting(p -> p.getMetadata().getName())
        .as("the same pods, none replaced")
        .containsExactlyInAnyOrderElementsOf(readySince.keySet());
    for (Pod pod : after) {
      assertThat(pod.getStatus().getContainerStatuses())
          .as("restarts of %s", pod.getMetadata().getName())
          .allSatisfy(c -> assertThat(c.getRestartCount()).isZero());
    }
    assertThat(readySince(after))
        .as("each pod Ready all along: its Ready condition never changed")
        .isEqualTo(readySince);
    assertThat(outcomes.keySet())
        .as("the attack reached both servers")
        .anyMatch(o -> o.startsWith("unfinished headers"))
        .anyMatch(o -> o.startsWith("/settings"));
    assertThat(Calls.score(scoring).statusCode()).isEqualTo(200);
  }

  /** Each pod's Ready condition as "True since <time>". */
  private static Map<String, String> readySince(List<Pod> pods) {
    Map<String, String> ready = new java.util.TreeMap<>();
    for (Pod pod : pods) {
      PodCondition condition =
          pod.getStatus().getConditions().stream()
              .filter(c -> "Ready".equals(c.getType()))
              .findFirst()
              .orElseThrow();
      ready.put(
          pod.getMetadata().getName(),
          condition.getStatus() + " since " + condition.getLastTransitionTime());
    }
    return ready;
  }
}
