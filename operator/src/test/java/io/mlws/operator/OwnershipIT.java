package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.dependent.ReplicasHandover;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who owns what, on the real server: the operator never adopts an object it did not create, and
 * hands spec.replicas to the autoscaler without the real server resetting it to 1 in between.
 */
class OwnershipIT {
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness = new OperatorHarness("ownership-it", OperatorConfig.defaults());
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void anObjectItDidNotCreateIsReportedAndLeftAlone() {
    ConfigMap foreign =
        harness
            .client
            .configMaps()
            .inNamespace(harness.ns)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("taken-settings")
                    .endMetadata()
                    .withData(Map.of("owner", "another team"))
                    .build())
            .create();

    harness.apply(MLWebServiceOperatorIT.service("taken", "replicas: 1"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(status("taken"), StatusConditions.STALLED));
    assertThat(StatusConditions.find(status("taken"), StatusConditions.STALLED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getReason()).isEqualTo("ObjectInTheWay");
              assertThat(c.getMessage())
                  .contains("ConfigMap " + harness.ns + "/taken-settings already exists")
                  .contains("does not adopt");
            });
    assertThat(harness.eventsFor("taken"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("ObjectInTheWay");
            });
    ConfigMap after =
        harness.client.configMaps().inNamespace(harness.ns).withName("taken-settings").get();
    assertThat(after.getMetadata().getOwnerReferences()).as("not adopted").isEmpty();
    assertThat(after.getData()).isEqualTo(foreign.getData());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(foreign.getMetadata().getResourceVersion());
    assertThat(harness.deployment("taken")).as("nothing applied half-way").isNull();

    harness.client.configMaps().inNamespace(harness.ns).withName("taken-settings").delete();

    await()
        .atMost(MLWebServiceReconciler.FOREIGN_OBJECT_RECHECK.plusSeconds(30))
        .until(() -> StatusConditions.isTrue(status("taken"), StatusConditions.READY));
    assertThat(StatusConditions.isTrue(status("taken"), StatusConditions.STALLED)).isFalse();
  }

  @Test
  void switchingFromReplicasToAutoscalingKeepsThePods() throws Exception {
    harness.apply(MLWebServiceOperatorIT.service("handover", "replicas: 5"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StatusConditions.isTrue(status("handover"), StatusConditions.READY));

    List<Integer> seen = new CopyOnWriteArrayList<>();
    try (Watch watch =
        harness
            .client
            .apps()
            .deployments()
            .inNamespace(harness.ns)
            .withName("handover")
            .watch(recordReplicas(seen))) {
      long generation = harness.get("handover").getMetadata().getGeneration();
      harness.mergePatch(
          "handover",
          "{\"spec\":{\"replicas\":null,\"autoscaling\":{\"minReplicas\":2,\"maxReplicas\":10}}}");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  harness.autoscaler("handover") != null
                      && status("handover").getObservedGeneration() > generation
                      && !MLWebServiceOperatorIT.operatorOwnedFields(harness.deployment("handover"))
                          .contains("\"f:replicas\""));
    }

    assertThat(seen).as("spec.replicas as the real server stored it, every change").containsOnly(5);
    Deployment deployment = harness.deployment("handover");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(5);
    assertThat(deployment.getMetadata().getManagedFields())
        .as("the handover manager holds replicas until the HPA changes it")
        .anySatisfy(
            entry -> {
              assertThat(entry.getManager()).isEqualTo(ReplicasHandover.MANAGER);
              assertThat(entry.getFieldsV1().getAdditionalProperties().toString())
                  .contains("f:replicas");
            });
  }

  private static Watcher<Deployment> recordReplicas(List<Integer> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Deployment deployment) {
        seen.add(deployment.getSpec().getReplicas());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static MLWebServiceStatus status(String name) {
    var mlws = harness.get(name);
    return mlws == null ? null : mlws.getStatus();
  }
}
