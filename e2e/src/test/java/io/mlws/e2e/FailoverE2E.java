package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.mlws.api.v1alpha1.MLWebService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Two operator replicas: the one waiting for the Lease is Ready (its /readyz does not hold up the
 * operator's rollout); when the leader dies without releasing the Lease, a surviving replica takes
 * it over once it expires and reconciles what changed meanwhile.
 */
@ResourceLock(value = E2eScenario.OPERATOR, mode = ResourceAccessMode.READ_WRITE)
class FailoverE2E {
  static final String SERVICE = "collect";
  static final String OPERATORS = E2eCluster.OPERATOR_NAMESPACE;

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("failover");

  @Test
  void aSecondOperatorReplicaWaitsReadyAndTakesOverWhenTheLeaderDies() throws Exception {
    // Data collection asked for, with nowhere to send it yet: what changes below is a setting the
    // running pod applies.
    scenario.createSmall(
        SERVICE, "iris.onnx", 1, ", dataCollection: {enabled: true, samplingPercentage: 50}");
    scenario.kubectl("-n", OPERATORS, "scale", "deployment/mlws-operator", "--replicas=2");
    scenario.kubectl(
        "-n", OPERATORS, "rollout", "status", "deployment/mlws-operator", "--timeout=3m");
    scenario.awaitReady(SERVICE);
    String leader = scenario.operatorLeaseHolder();
    List<Pod> operators = scenario.operatorPods();
    assertThat(operators).extracting(p -> p.getMetadata().getName()).contains(leader).hasSize(2);
    Pod standby =
        operators.stream()
            .filter(p -> !p.getMetadata().getName().equals(leader))
            .findFirst()
            .orElseThrow();
    assertThat(standby.getStatus().getContainerStatuses())
        .as("the replica waiting for the Lease held by %s", leader)
        .singleElement()
        .satisfies(c -> assertThat(c.getReady()).as("ready").isTrue());

    // No graceful stop: the Lease is not released and must expire (15 s) before anyone leads.
    scenario.kubectl(
        "-n", OPERATORS, "delete", "pod", leader, "--grace-period=0", "--force", "--wait=false");
    long killedAt = System.nanoTime();
    long generation =
        scenario
            .client()
            .resources(MLWebService.class)
            .inNamespace(scenario.namespace())
            .withName(SERVICE)
            .edit(
                m -> {
                  m.getSpec().getDataCollection().setSamplingPercentage(new IntOrString(25));
                  return m;
                })
            .getMetadata()
            .getGeneration();

    // The standby and the ReplicaSet's replacement for the killed pod both ask for the Lease.
    await("the Lease passes from " + leader + " to a surviving replica")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                scenario.operatorPods().stream()
                    .map(p -> p.getMetadata().getName())
                    .filter(n -> !n.equals(leader))
                    .anyMatch(n -> n.equals(scenario.operatorLeaseHolder())));
    String successor = scenario.operatorLeaseHolder();
    String standbyName = standby.getMetadata().getName();
    System.out.printf(
        "FailoverE2E: %s leads %d s after %s was killed (%s was the standby)%n",
        successor, (System.nanoTime() - killedAt) / 1_000_000_000, leader, standbyName);
    if (!successor.equals(standbyName)) {
      // It lost the race to the replacement, but its elector keeps asking (every 2 to 4.4 s): it
      // sees the new leader.
      await("the standby " + standbyName + " sees " + successor + " lead")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(scenario.kubectl("-n", OPERATORS, "logs", standbyName))
                      .contains("New leader with identity: " + successor));
    }
    await(SERVICE + " reconciled at generation " + generation + " by " + successor)
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(scenario.mlws(SERVICE).getStatus().getObservedGeneration())
                    .isEqualTo(generation));
    JsonNode settings =
        Calls.JSON.readTree(
            scenario
                .client()
                .configMaps()
                .inNamespace(scenario.namespace())
                .withName(SERVICE + "-settings")
                .get()
                .getData()
                .get("settings.json"));
    assertThat(settings.at("/dataCollection/samplingPercentage").asDouble()).isEqualTo(25.0);
    scenario.awaitSettingsAppliedOnStatus(SERVICE);

    scenario.kubectl("-n", OPERATORS, "scale", "deployment/mlws-operator", "--replicas=1");
  }
}
