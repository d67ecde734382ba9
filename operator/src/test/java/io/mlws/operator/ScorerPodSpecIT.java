package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pod settings real deployments need, through the real API server, scheduler and kwok: the pods
 * run as the named ServiceAccount on the node the selector and affinity pick; the model credential
 * reaches the pod only through secretKeyRef; the operator's own settings win; scaling to zero says
 * what it means; status.url uses the configured cluster domain.
 */
class ScorerPodSpecIT {
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness =
        new OperatorHarness(
            "pod-it",
            OperatorConfig.fromEnvironment(Map.of("MLWS_CLUSTER_DOMAIN", "corp.example")));
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void theScorerPodSpecReachesTheScheduledPods() throws Exception {
    harness
        .client
        .serviceAccounts()
        .inNamespace(harness.ns)
        .resource(
            new ServiceAccountBuilder().withNewMetadata().withName("scorer").endMetadata().build())
        .create();
    // One generation, so that the pods listed below are those of a finished rollout.
    harness.apply(
        """
        apiVersion: mlws.io/v1alpha1
        kind: MLWebService
        metadata: {name: settings}
        spec:
          model:
            uri: https://models.example.com/iris.onnx
            credential: {secretRef: {name: model-sas, key: sas}, type: SasToken}  # the deprecated spelling, still served
          replicas: 2
          pod:
            serviceAccountName: scorer
            imagePullSecrets: [{name: acr-pull}]
            nodeSelector: {type: kwok}
            tolerations: [{key: dedicated, operator: Equal, value: ml, effect: NoSchedule}]
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: kubernetes.io/hostname, operator: In, values: [kwok-node-0]}
            env:
            - {name: OMP_NUM_THREADS, value: "2"}
            - name: NODE_NAME
              valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
            annotations: {prometheus.io/scrape: "true"}
            labels: {azure.workload.identity/use: "true", team: ml}
        """);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StatusConditions.isTrue(status("settings"), StatusConditions.READY));

    PodSpec template = harness.deployment("settings").getSpec().getTemplate().getSpec();
    assertThat(template.getServiceAccountName()).isEqualTo("scorer");
    assertThat(template.getImagePullSecrets()).extracting("name").containsExactly("acr-pull");
    assertThat(template.getNodeSelector()).containsEntry("type", "kwok");
    assertThat(template.getTolerations()).extracting("key").contains("dedicated");
    List<EnvVar> env = template.getContainers().get(0).getEnv();
    assertThat(env).extracting(EnvVar::getName).contains("OMP_NUM_THREADS", "NODE_NAME");
    assertThat(env)
        .filteredOn(e -> e.getName().equals("MLWS_MODEL_SAS_TOKEN"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValue()).as("never a literal").isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("model-sas");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("sas");
            });
    Deployment deployment = harness.deployment("settings");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "ml")
        .containsEntry("app.kubernetes.io/instance", "settings");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true");

    List<Pod> pods =
        harness
            .client
            .pods()
            .inNamespace(harness.ns)
            .withLabel("app.kubernetes.io/instance", "settings")
            .list()
            .getItems();
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(
            pod -> {
              assertThat(pod.getSpec().getNodeName()).isEqualTo("kwok-node-0");
              assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("scorer");
              assertThat(pod.getMetadata().getLabels())
                  .containsEntry("azure.workload.identity/use", "true");
            });
    assertThat(status("settings").getUrl())
        .isEqualTo("http://settings.%s.svc.corp.example/score".formatted(harness.ns));

    // What the server stored equals what the operator sends (defaults included): no write loop.
    // Woken through a watched object without changing anything it sets: a label on the Deployment.
    assertThat(
            harness.writesAfterWaking(
                e -> e.name().startsWith("settings"),
                () ->
                    harness
                        .client
                        .apps()
                        .deployments()
                        .inNamespace(harness.ns)
                        .withName("settings")
                        // A merge patch: no resourceVersion, so the deployment controller's
                        // status writes cannot make it conflict.
                        .patch(
                            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}"),
                Duration.ofSeconds(3)))
        .isEmpty();
  }

  @Test
  void scaledToZeroIsReadyAndSaysWhatThatMeans() {
    harness.apply(MLWebServiceOperatorIT.service("idle", "replicas: 0"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(status("idle"), StatusConditions.READY));
    assertThat(StatusConditions.find(status("idle"), StatusConditions.READY).get())
        .satisfies(
            c -> {
              assertThat(c.getReason()).isEqualTo("ScaledToZero");
              assertThat(c.getMessage()).contains("no scorer pod runs");
            });
    assertThat(status("idle").getReplicas()).isZero();
    assertThat(status("idle").getReadyReplicas()).isZero();
    assertThat(status("idle").getUrl()).as("nothing answers there").isNull();
  }

  private static MLWebServiceStatus status(String name) {
    var mlws = harness.get(name);
    return mlws == null ? null : mlws.getStatus();
  }
}
