package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.dependent.ReplicasHandover;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  /**
   * One object of each kind the operator creates, made by someone else first with the name the
   * operator would give it: the spec of the MLWebService, and the foreign object as YAML.
   */
  static Stream<Arguments> foreignObjects() {
    return Stream.of(
        Arguments.of(
            "ConfigMap",
            "taken-cm",
            "taken-cm-settings",
            "configmaps",
            "replicas: 1",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: taken-cm-settings}
            data: {owner: another team}
            """),
        Arguments.of(
            "Deployment",
            "taken-deploy",
            "taken-deploy",
            "deployments",
            "replicas: 1",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: taken-deploy}
            spec:
              replicas: 1
              selector:
                matchLabels: {app.kubernetes.io/name: mlws-scorer, app.kubernetes.io/instance: taken-deploy}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: mlws-scorer, app.kubernetes.io/instance: taken-deploy}
                spec:
                  tolerations: [{key: kwok.x-k8s.io/node, operator: Exists}]
                  containers: [{name: other, image: example.invalid/other:1}]
            """),
        Arguments.of(
            "Service",
            "taken-svc",
            "taken-svc",
            "services",
            "replicas: 1",
            """
            apiVersion: v1
            kind: Service
            metadata: {name: taken-svc}
            spec:
              selector: {app: other}
              ports: [{port: 80}]
            """),
        Arguments.of(
            "HorizontalPodAutoscaler",
            "taken-hpa",
            "taken-hpa",
            "horizontalpodautoscalers",
            "autoscaling: {minReplicas: 2, maxReplicas: 3}",
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: taken-hpa}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: other}
              minReplicas: 1
              maxReplicas: 2
            """),
        Arguments.of(
            "PodDisruptionBudget",
            "taken-pdb",
            "taken-pdb",
            "poddisruptionbudgets",
            "replicas: 2",
            """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: taken-pdb}
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: other}}
            """));
  }

  @ParameterizedTest(name = "{0} in the way")
  @MethodSource("foreignObjects")
  void anObjectItDidNotCreateIsReportedAndLeftAlone(
      String kind, String service, String objectName, String resource, String spec, String yaml)
      throws Exception {
    Path manifest = Files.createTempFile("foreign-", ".yaml");
    Files.writeString(manifest, yaml);
    harness.cluster.kubectl("apply", "-n", harness.ns, "-f", manifest.toString());
    int audited = harness.auditedSoFar();

    harness.apply(MLWebServiceOperatorIT.service(service, spec));

    Condition stalled =
        harness.awaitCondition(
            service, StatusConditions.STALLED, "True", "ObjectInTheWay", Duration.ofSeconds(30));
    assertThat(stalled.getMessage())
        .contains(kind + " " + harness.ns + "/" + objectName + " already exists")
        .contains("does not adopt");
    // The event is written after the status: on a busy machine it may not be there yet.
    await("the ObjectInTheWay event")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(harness.eventsFor(service))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("ObjectInTheWay");
                        }));
    assertThat(harness.eventsFor(service))
        .as("an object in the way is the cause said, not a failed reconciliation")
        .noneSatisfy(e -> assertThat(e.getReason()).isEqualTo("ReconcileFailed"));
    assertThat(harness.operatorWritesTo(resource, objectName, audited))
        .as("the operator's writes to the foreign %s (the real server's audit log)", kind)
        .isEmpty();
    String owners =
        harness.cluster.kubectl(
            "get",
            resource,
            objectName,
            "-n",
            harness.ns,
            "-o",
            "jsonpath={.metadata.ownerReferences}");
    assertThat(owners).as("not adopted").isEmpty();
    assertThat(
            harness
                        .client
                        .configMaps()
                        .inNamespace(harness.ns)
                        .withName(service + "-settings")
                        .get()
                    == null
                || kind.equals("ConfigMap"))
        .as("nothing applied half-way")
        .isTrue();
    if (!kind.equals("Deployment")) {
      assertThat(harness.deployment(service)).as("nothing applied half-way").isNull();
    }

    harness.cluster.kubectl("delete", "-n", harness.ns, "-f", manifest.toString(), "--wait=true");

    harness.awaitCondition(
        service,
        StatusConditions.READY,
        "True",
        "Available",
        MLWebServiceReconciler.FOREIGN_OBJECT_RECHECK.plusSeconds(60));
    assertThat(StatusConditions.isTrue(status(service), StatusConditions.STALLED)).isFalse();
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
