package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model of about 100 MB in a pod with the operator's default resources (1Gi limit, the heap the
 * operator sizes from it), the agent and data collection on, under steady load for two minutes: no
 * OOMKill, no restart, every request scored, and its data collected. The pod's RSS and JVM flags
 * are printed for the record.
 */
class BigModelE2E {
  static final Duration LOAD = Duration.ofMinutes(2);

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("big-model");

  @Test
  void aHundredMegabyteModelUnderLoadFitsTheDefaultMemoryLimit() throws Exception {
    assumeFalse(E2eCluster.OTHER_CLUSTER, "the model is served from the local node's bridge");
    BigModelService bigModel = scenario.closeAfterAll(BigModelService.create(scenario));
    bigModel.startLoad();
    // The load's length, not a synchronisation: the pod must hold out for all of it.
    Thread.sleep(LOAD.toMillis());
    Map<String, Long> outcomes = bigModel.stopLoad();
    Pod pod = scenario.runningPods(BigModelService.NAME).get(0);
    var status = BigModelService.scorerStatus(pod);
    System.out.printf(
        "BigModelE2E: a %,d-byte model for %d s at %d clients, by outcome: %s; restarts %d; %s;"
            + " limits %s%n",
        bigModel.modelBytes(),
        LOAD.toSeconds(),
        BigModelService.CLIENTS,
        outcomes,
        status.getRestartCount(),
        BigModelService.jvmOnTheNode(pod.getMetadata().getName()),
        pod.getSpec().getContainers().get(0).getResources().getLimits());
    assertThat(status.getRestartCount()).as("restarts of the big model's pod").isZero();
    assertThat(status.getLastState().getTerminated())
        .as("how the big model's scorer last ended (OOMKilled?)")
        .isNull();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
        .as("the operator's default memory limit")
        .hasToString(io.mlws.api.v1alpha1.SpecDefaults.MEMORY_LIMIT);
    assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("200");
    assertThat(outcomes.get("200")).as("requests scored").isGreaterThan(100);
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(
                        Envelopes.collections(bigModel.envelopes()).stream()
                            .filter(
                                e ->
                                    BigModelService.NAME.equals(
                                        e.at("/data/baseData/properties/Service Name").asText()))
                            .count())
                    .as("model_data_collection traces of the big model")
                    .isGreaterThan(100));
  }
}
