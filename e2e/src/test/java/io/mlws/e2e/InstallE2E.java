package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.mlws.operator.harness.LocalCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The operator as installed: in its pod from the image our Dockerfile builds, on the real node, as
 * its ServiceAccount, holding the leader Lease.
 */
@ResourceLock(value = E2eScenario.OPERATOR, mode = ResourceAccessMode.READ)
class InstallE2E {
  @RegisterExtension static final E2eScenario scenario = new E2eScenario("install");

  @Test
  void theOperatorRunsInItsPodFromTheImageOurDockerfileBuilds() {
    scenario.cluster().assertInstalledFromOurImages();
    List<Pod> operators = scenario.operatorPods();
    assertThat(operators).isNotEmpty();
    for (Pod operator : operators) {
      assertThat(operator.getSpec().getServiceAccountName()).isEqualTo("mlws-operator");
      if (!E2eCluster.OTHER_CLUSTER) {
        assertThat(operator.getSpec().getNodeName()).isEqualTo(LocalCluster.REAL_NODE);
        assertThat(operator.getSpec().getContainers().get(0).getImage())
            .isEqualTo("mlws.local/operator:local");
      }
    }
    await("an operator pod holds the leader Lease")
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(scenario.operatorPods().stream().map(p -> p.getMetadata().getName()))
                    .as("the operator's pods")
                    .contains(scenario.operatorLeaseHolder()));
  }
}
