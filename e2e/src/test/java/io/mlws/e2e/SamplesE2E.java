package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.LocalCluster;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * deploy/samples as a user applies them: every sample Ready with its containers started on the
 * node. Their six pods request the defaults (250m CPU each), most of the node's two CPUs: the
 * scenario runs alone, after the others.
 */
@Isolated("the samples' pods request most of the node's CPU")
class SamplesE2E {
  /**
   * Telemetry to nowhere: the scenario judges the pods, and an agent that cannot send serves on.
   */
  static final String CONNECTION_STRING =
      "InstrumentationKey=00000000-0000-0000-0000-00000000c0de;IngestionEndpoint=https://example.invalid/";

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("samples");

  @Test
  void everySampleIsReadyWithItsContainersStartedOnTheNode() throws Exception {
    // The Secret the samples name, as the README creates it: the samples carry none.
    scenario.kubectlHere(
        "create",
        "secret",
        "generic",
        "appinsights",
        "--from-literal=connection-string=" + CONNECTION_STRING);
    scenario.kubectlHere("label", "secret", "appinsights", "mlws.io/connection-string=true");
    scenario.kubectlHere("apply", "-k", E2eCluster.DEPLOY.resolve("samples").toString());
    scenario.kubectlHere("wait", "--for=condition=Ready", "mlws", "--all", "--timeout=5m");

    List<Pod> pods = scenario.client().pods().inNamespace(scenario.namespace()).list().getItems();
    Set<String> services =
        scenario
            .client()
            .resources(MLWebService.class)
            .inNamespace(scenario.namespace())
            .list()
            .getItems()
            .stream()
            .map(m -> m.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(services)
        .containsExactlyInAnyOrder("iris", "iris-insights", "iris-collect", "sklearn-logreg");
    for (String service : services) {
      assertThat(pods)
          .as("pods of %s", service)
          .anySatisfy(
              pod -> {
                assertThat(pod.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/instance", service);
                assertThat(pod.getStatus().getContainerStatuses())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getReady()).as("ready").isTrue();
                          assertThat(c.getState().getRunning()).as("running").isNotNull();
                        });
                if (!E2eCluster.OTHER_CLUSTER) {
                  assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalCluster.REAL_NODE);
                }
              });
    }
  }
}
