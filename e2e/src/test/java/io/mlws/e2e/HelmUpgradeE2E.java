package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.mlws.operator.harness.Helm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code helm upgrade} of the operator while a model serves under load: the operator's pod rolls
 * (its template changed), the new one leads and reconciles, the scorer's pods do not roll (their
 * template did not change), and no request through the Service fails.
 */
@ResourceLock(value = E2eScenario.OPERATOR, mode = ResourceAccessMode.READ_WRITE)
class HelmUpgradeE2E {
  static final String SERVICE = "served";

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("helm-upgrade");

  @Test
  void upgradingTheOperatorRollsNoScorerPodAndFailsNoRequest() throws Exception {
    Assumptions.assumeFalse(E2eCluster.OTHER_CLUSTER, "the chart installs mlws locally only");
    scenario.createSmall(SERVICE, "iris.onnx", 2, "");
    scenario.awaitReady(SERVICE);
    Deployment scorer = scorerDeployment();
    Set<String> scorerPods = uids(scenario.runningPods(SERVICE));
    Set<String> operatorPods = uids(scenario.operatorPods());

    Map<String, Long> outcomes;
    try (ClusterIpLoad load =
        ClusterIpLoad.start(scenario.scoringThroughClusterIp(SERVICE), 2, Duration.ofMillis(50))) {
      scenario
          .cluster()
          .helm(
              "upgrade",
              "mlws",
              Helm.CHART.toString(),
              "-n",
              E2eCluster.OPERATOR_NAMESPACE,
              "-f",
              Helm.gitOpsValuesFile().toString(),
              "--set",
              "podAnnotations.mlws\\.io/upgraded=" + System.currentTimeMillis(),
              "--wait",
              "--timeout",
              "5m");
      await("a new operator pod leads")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  scenario.operatorPods().stream()
                      .filter(p -> !operatorPods.contains(p.getMetadata().getUid()))
                      .anyMatch(
                          p -> p.getMetadata().getName().equals(scenario.operatorLeaseHolder())));
      // The new operator reconciles: a change it applies without rolling the pods (a setting).
      long generation =
          scenario.patch(SERVICE, "{\"spec\":{\"dataCollection\":{\"enabled\":true}}}");
      scenario.awaitReadyAt(SERVICE, generation);
      outcomes = load.stopAndCount();
    }
    System.out.printf(
        "HelmUpgradeE2E: requests while the operator was upgraded, by outcome: %s%n", outcomes);
    assertThat(outcomes).as("requests by outcome").containsOnlyKeys("200");
    assertThat(scorerDeployment().getMetadata().getGeneration())
        .as("the scorer Deployment's generation (its spec unchanged by the new operator)")
        .isEqualTo(scorer.getMetadata().getGeneration());
    assertThat(uids(scenario.runningPods(SERVICE))).as("the scorer pods").isEqualTo(scorerPods);
    assertThat(scenario.cluster().helm("history", "mlws", "-n", E2eCluster.OPERATOR_NAMESPACE))
        .contains("Upgrade complete");
  }

  private static Deployment scorerDeployment() {
    return scenario
        .client()
        .apps()
        .deployments()
        .inNamespace(scenario.namespace())
        .withName(SERVICE)
        .get();
  }

  private static Set<String> uids(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getUid()).collect(Collectors.toSet());
  }
}
