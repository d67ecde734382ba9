package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.dependent.ScorerDeployment;
import io.mlws.operator.deploy.GitOpsHealthTest;
import io.mlws.operator.harness.AuditLog;
import io.mlws.operator.harness.Kstatus;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import io.mlws.operator.telemetry.ConnectionStringSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end on the real local control plane (local-cluster/): the real kube-apiserver
 * admits and defaults the specs, the real deployment and replicaset controllers and kwok make
 * Deployments available, the real garbage collector removes owned objects, and the operator acts as
 * its ServiceAccount under the shipped RBAC. Each test uses its own name.
 */
class MLWebServiceOperatorIT {
  static final String CONNECTION_STRING =
      "InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://leak-check.invalid/";
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness = new OperatorHarness("operator-it", OperatorConfig.defaults());
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  static String service(String name, String extraSpec) {
    return """
        apiVersion: mlws.io/v1alpha1
        kind: MLWebService
        metadata:
          name: %s
          namespace: test
        spec:
          model:
            uri: file:///opt/mlws/models/iris.onnx
        %s
        """
        .formatted(name, extraSpec.indent(2));
  }

  @Test
  void applyCreatesConfigMapDeploymentServiceAndBudgetOwnedByTheResource() {
    MLWebService mlws = harness.apply(service("created", "replicas: 2"));

    Deployment deployment = harness.awaitDeployment("created");
    await().atMost(Duration.ofSeconds(30)).until(() -> ownedObjects("created").size() == 4);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    for (HasMetadata owned : ownedObjects("created")) {
      assertThat(owned.getMetadata().getOwnerReferences())
          .as("owner of %s", owned.getKind())
          .singleElement()
          .satisfies(ref -> assertOwnedBy(ref, mlws));
    }
    assertThat(
            harness
                .client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(harness.ns)
                .withName("created")
                .get())
        .as("no autoscaler without spec.autoscaling")
        .isNull();
  }

  @Test
  void autoscalingCreatesAnAutoscalerAndLeavesReplicasToIt() {
    harness.apply(service("scaled", "autoscaling: {minReplicas: 2, maxReplicas: 5}"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.autoscaler("scaled") != null && harness.budget("scaled") != null);

    HorizontalPodAutoscaler hpa = harness.autoscaler("scaled");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("scaled");
    assertThat(operatorOwnedFields(harness.deployment("scaled")))
        .as("the HPA owns replicas: the operator's server-side apply never sets the field")
        .doesNotContain("\"f:replicas\"")
        .contains("\"f:template\"");

    harness.mergePatch("scaled", "{\"spec\":{\"autoscaling\":null,\"replicas\":1}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.autoscaler("scaled") == null && harness.budget("scaled") == null);
    assertThat(harness.deployment("scaled").getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void mergePatchingAppInsightsTogglesTheAgentBothWays() {
    harness.createSecret("insights-on", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        service(
            "toggled",
            "appInsights: {enabled: false, connectionStringSecretRef: {name: insights-on}}"));
    Deployment off = harness.awaitDeployment("toggled");
    assertThat(harness.envNames(off)).doesNotContain("JAVA_TOOL_OPTIONS");

    harness.mergePatch("toggled", "{\"spec\":{\"appInsights\":{\"enabled\":true}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.envNames(harness.deployment("toggled")).contains("JAVA_TOOL_OPTIONS"));
    var env =
        harness
            .deployment("toggled")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env)
        .filteredOn(e -> e.getName().equals("APPLICATIONINSIGHTS_CONNECTION_STRING"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("insights-on");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey())
                  .isEqualTo("connection-string");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> harness.get("toggled").getStatus().getAppInsights() == AppInsightsState.ENABLED);
    // The event is written after the status it follows: wait for it, as for the status.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reasons("toggled")).contains("Enabled"));

    harness.mergePatch("toggled", "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness.envNames(harness.deployment("toggled")).stream()
                    .noneMatch(
                        n -> n.startsWith("APPLICATIONINSIGHTS") || n.equals("JAVA_TOOL_OPTIONS")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> harness.get("toggled").getStatus().getAppInsights() == AppInsightsState.DISABLED);
    // The event is written after the status it follows: wait for it, as for the status.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reasons("toggled")).contains("Disabled"));
  }

  @Test
  void patchingDataCollectionChangesOnlyTheConfigMap() {
    harness.createSecret("insights-dc", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        service(
            "collecting",
            "appInsights: {enabled: true, connectionStringSecretRef: {name: insights-dc}}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                statusOf("collecting") != null
                    && statusOf("collecting").getAppInsights() == AppInsightsState.ENABLED);
    Deployment before = harness.deployment("collecting");
    int audited = harness.auditedSoFar();

    MLWebService patched =
        harness.mergePatch(
            "collecting",
            "{\"spec\":{\"dataCollection\":{\"enabled\":true,\"samplingPercentage\":25,\"redactFields\":[\"ssn\"]}}}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> settings("collecting").contains("\"enabled\" : true"));
    assertThat(settings("collecting"))
        .contains("\"samplingPercentage\" : 25.0")
        .contains("\"ssn\"");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                statusOf("collecting").getDataCollection() == DataCollectionState.ENABLED
                    && statusOf("collecting").getObservedGeneration()
                        >= patched.getMetadata().getGeneration());
    Deployment after = harness.deployment("collecting");
    assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
    // Judged by what the operator did (the real server's audit log), not by the Deployment's
    // resourceVersion, which the deployment controller's status writes move at any time.
    assertThat(harness.operatorWritesTo("deployments", "collecting", audited))
        .as("the operator's writes to the Deployment after the data-collection patch")
        .isEmpty();
    assertThat(harness.operatorWritesTo("configmaps", "collecting-settings", audited))
        .as("the operator's writes to the settings ConfigMap after the patch")
        .isNotEmpty();
  }

  @Test
  void missingSecretKeepsServingWithoutTelemetryUntilTheSecretAppears() throws Exception {
    harness.apply(
        service(
            "waiting", "appInsights: {enabled: true, connectionStringSecretRef: {name: later}}"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                statusOf("waiting") != null
                    && statusOf("waiting").getAppInsights() == AppInsightsState.SECRET_MISSING);
    assertThat(harness.envNames(harness.deployment("waiting"))).doesNotContain("JAVA_TOOL_OPTIONS");
    assertThat(StatusConditions.find(statusOf("waiting"), StatusConditions.APP_INSIGHTS_READY))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("SecretMissing");
              assertThat(c.getMessage())
                  .contains("Secret later labelled mlws.io/connection-string=true not found")
                  .contains("kubectl label secret later mlws.io/connection-string=true");
            });
    // The event is written after the status: on a busy machine it may not be there yet.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(harness.eventsFor("waiting"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("SecretMissing");
                        }));
    // What GitOps sees, decided: the scorer serves, but the monitoring asked for is absent, so the
    // resource is Stalled (not Ready) until the Secret exists: kstatus Failed, Argo CD Degraded.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(statusOf("waiting"), StatusConditions.STALLED));
    assertThat(StatusConditions.isTrue(statusOf("waiting"), StatusConditions.READY)).isFalse();
    assertThat(statusOf("waiting").getUrl()).as("it serves").isNotNull();
    JsonNode live = asJson(harness.get("waiting"));
    assertThat(Kstatus.compute(live)).isEqualTo(Kstatus.Status.FAILED);
    assertThat(GitOpsHealthTest.argoHealth(live).get("status").tojstring()).isEqualTo("Degraded");

    // A Secret without the label is invisible to the operator (it only lists labelled Secrets).
    harness.createSecret("later", Map.of("connection-string", CONNECTION_STRING), Map.of());
    harness.apply(service("witness", "replicas: 1"));
    await().atMost(Duration.ofSeconds(30)).until(() -> statusOf("witness") != null);
    assertThat(statusOf("waiting").getAppInsights()).isEqualTo(AppInsightsState.SECRET_MISSING);

    harness
        .client
        .secrets()
        .inNamespace(harness.ns)
        .withName("later")
        .edit(
            s -> {
              s.getMetadata().setLabels(Map.of(ConnectionStringSecrets.LABEL, "true"));
              return s;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.envNames(harness.deployment("waiting")).contains("JAVA_TOOL_OPTIONS"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> statusOf("waiting").getAppInsights() == AppInsightsState.ENABLED);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(statusOf("waiting"), StatusConditions.READY));
    assertConnectionStringAppearsOnlyInSecrets();
  }

  @Test
  void rotatingTheConnectionStringRollsThePods() {
    harness.createSecret("rotated", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        service(
            "rotation",
            "appInsights: {enabled: true, connectionStringSecretRef: {name: rotated}}"));
    await().atMost(Duration.ofSeconds(30)).until(() -> connectionStringDigest("rotation") != null);
    String before = connectionStringDigest("rotation");
    await().atMost(Duration.ofSeconds(30)).until(() -> replicaSets("rotation").size() == 1);

    harness
        .client
        .secrets()
        .inNamespace(harness.ns)
        .withName("rotated")
        .edit(
            s -> {
              s.setStringData(
                  Map.of("connection-string", CONNECTION_STRING.replace("1111", "9999")));
              return s;
            });

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !before.equals(connectionStringDigest("rotation")));
    assertThat(connectionStringDigest("rotation"))
        .as("a digest on the pod template, never the value")
        .matches("hmac-sha256:[0-9a-f]{64}")
        .doesNotContain("InstrumentationKey");
    await().atMost(Duration.ofSeconds(30)).until(() -> replicaSets("rotation").size() == 2);
    assertConnectionStringAppearsOnlyInSecrets();
  }

  private static String connectionStringDigest(String name) {
    Deployment deployment = harness.deployment(name);
    if (deployment == null
        || deployment.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
      return null;
    }
    return deployment
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(ScorerDeployment.CONNECTION_STRING_DIGEST);
  }

  @Test
  void theRealDeploymentControllerMakesTheResourceReadyAtItsGeneration() throws Exception {
    harness.apply(service("ready", "replicas: 2"));
    harness.awaitDeployment("ready");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StatusConditions.isTrue(statusOf("ready"), StatusConditions.READY));
    MLWebService ready = harness.get("ready");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(StatusConditions.isTrue(ready.getStatus(), StatusConditions.RECONCILING)).isFalse();
    assertThat(StatusConditions.isTrue(ready.getStatus(), StatusConditions.STALLED)).isFalse();
    assertThat(ready.getStatus().getReplicas()).isEqualTo(2);
    assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(2);
    assertThat(ready.getStatus().getUrl())
        .isEqualTo("http://ready." + harness.ns + ".svc.cluster.local/score");
    assertThat(harness.deployment("ready").getStatus().getAvailableReplicas())
        .as("written by the real deployment controller, pods made Ready by kwok")
        .isEqualTo(2);
    // The event is written after the status it follows: wait for it, as for the status.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(reasons("ready")).contains("Created", "Ready"));
    JsonNode live = asJson(harness.get("ready"));
    assertThat(Kstatus.compute(live)).as("real kstatus").isEqualTo(Kstatus.Status.CURRENT);
    assertThat(GitOpsHealthTest.argoHealth(live).get("status").tojstring()).isEqualTo("Healthy");
    assertThat(
            harness.cluster.kubectl(
                "wait", "--for=condition=Ready", "mlws/ready", "-n", harness.ns, "--timeout=30s"))
        .contains("condition met");
    assertThat(harness.cluster.kubectl("describe", "mlws/ready", "-n", harness.ns))
        .contains("Events:")
        .contains("Ready");
  }

  @Test
  void aTelemetryToggleRollsOutANewReplicaSetAndADataCollectionChangeDoesNot() throws Exception {
    harness.createSecret("rollout-secret", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        service(
            "rollout",
            "appInsights: {enabled: false, connectionStringSecretRef: {name: rollout-secret}}"));
    harness.awaitDeployment("rollout");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StatusConditions.isTrue(statusOf("rollout"), StatusConditions.READY));
    assertThat(replicaSets("rollout")).hasSize(1);

    MLWebService toggled =
        harness.mergePatch("rollout", "{\"spec\":{\"appInsights\":{\"enabled\":true}}}");
    // The server's answer to the patch: a new generation the operator has not observed yet.
    assertThat(Kstatus.compute(asJson(toggled)))
        .as("real kstatus")
        .isEqualTo(Kstatus.Status.IN_PROGRESS);
    assertThat(GitOpsHealthTest.argoHealth(asJson(toggled)).get("status").tojstring())
        .isEqualTo("Progressing");
    await().atMost(Duration.ofSeconds(60)).until(() -> replicaSets("rollout").size() == 2);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                StatusConditions.isTrue(statusOf("rollout"), StatusConditions.READY)
                    && statusOf("rollout").getObservedGeneration()
                        == toggled.getMetadata().getGeneration());

    MLWebService collecting =
        harness.mergePatch("rollout", "{\"spec\":{\"dataCollection\":{\"enabled\":true}}}");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                statusOf("rollout").getObservedGeneration()
                        == collecting.getMetadata().getGeneration()
                    && StatusConditions.isTrue(statusOf("rollout"), StatusConditions.READY));
    assertThat(replicaSets("rollout")).as("no rollout for a data-collection change").hasSize(2);
  }

  @Test
  void deletingTheResourceGarbageCollectsEveryOwnedObject() {
    harness.apply(service("collected", "autoscaling: {minReplicas: 2, maxReplicas: 3}"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> ownedObjects("collected").size() == 4 && harness.autoscaler("collected") != null);

    harness
        .client
        .resources(MLWebService.class)
        .inNamespace(harness.ns)
        .withName("collected")
        .delete();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ownedObjects("collected").isEmpty()
                    && harness.autoscaler("collected") == null
                    && replicaSets("collected").isEmpty());
  }

  @Test
  void aHandEditOfTheDeploymentIsReverted() {
    harness.apply(service("guarded", "replicas: 1"));
    harness.awaitDeployment("guarded");

    harness
        .client
        .apps()
        .deployments()
        .inNamespace(harness.ns)
        .withName("guarded")
        // A strategic merge patch, as `kubectl patch` sends: no resourceVersion, so the deployment
        // controller's status writes cannot make this edit conflict.
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"replicas\":7,\"template\":{\"spec\":{\"containers\":[{\"name\":\""
                + io.mlws.operator.spec.ScorerNames.CONTAINER
                + "\",\"image\":\"attacker/image:latest\"}]}}}}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Deployment d = harness.deployment("guarded");
              return d.getSpec().getReplicas() == 1
                  && d.getSpec()
                      .getTemplate()
                      .getSpec()
                      .getContainers()
                      .get(0)
                      .getImage()
                      .equals(OperatorConfig.DEFAULT_SCORER_IMAGE);
            });
  }

  @Test
  void afterConvergenceNothingIsWrittenWhileNothingChanges() throws InterruptedException {
    harness.createSecret("quiet-secret", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        service(
            "quiet",
            """
            replicas: 2
            appInsights: {enabled: true, connectionStringSecretRef: {name: quiet-secret}}
            dataCollection: {enabled: true}"""));
    harness.awaitDeployment("quiet");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StatusConditions.isTrue(statusOf("quiet"), StatusConditions.READY));

    // Woken without changing anything it reads: a label on the watched Secret.
    List<AuditLog.Entry> writes =
        harness.writesAfterWaking(
            e -> e.name().startsWith("quiet"),
            () ->
                harness
                    .client
                    .secrets()
                    .inNamespace(harness.ns)
                    .withName("quiet-secret")
                    .edit(
                        s -> {
                          s.getMetadata().getLabels().put("touched", "yes");
                          return s;
                        }),
            Duration.ofSeconds(4));

    assertThat(writes)
        .as("write requests by the operator at steady state, audited by the real API server")
        .isEmpty();
  }

  @Test
  void anInvalidChangeIsRefusedAtAdmissionAndTheLastGoodObjectsKeepServing() {
    harness.apply(service("kept", "replicas: 3"));
    Deployment good = harness.awaitDeployment("kept");

    assertThatThrownBy(
            () -> harness.mergePatch("kept", "{\"spec\":{\"autoscaling\":{\"maxReplicas\":4}}}"))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("set either spec.replicas or spec.autoscaling, not both")
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422));

    assertThat(harness.deployment("kept").getSpec().getTemplate())
        .isEqualTo(good.getSpec().getTemplate());
    assertThat(harness.autoscaler("kept")).isNull();
  }

  @Test
  void anInvalidSpecIsStalledWithAMessageAndCreatesNothing() throws Exception {
    harness.apply(service("invalid", "appInsights: {enabled: true}"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> StatusConditions.isTrue(statusOf("invalid"), StatusConditions.STALLED));
    assertThat(StatusConditions.find(statusOf("invalid"), StatusConditions.STALLED))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getReason()).isEqualTo("InvalidSpec");
              assertThat(c.getMessage())
                  .contains("spec.appInsights.connectionStringSecretRef is required");
            });
    assertThat(StatusConditions.isTrue(statusOf("invalid"), StatusConditions.READY)).isFalse();
    assertThat(harness.deployment("invalid")).isNull();
    JsonNode live = asJson(harness.get("invalid"));
    assertThat(Kstatus.compute(live)).as("real kstatus").isEqualTo(Kstatus.Status.FAILED);
    assertThat(GitOpsHealthTest.argoHealth(live).get("status").tojstring()).isEqualTo("Degraded");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(harness.eventsFor("invalid"))
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InvalidSpec")));
  }

  private static void assertConnectionStringAppearsOnlyInSecrets() {
    var serialization = harness.client.getKubernetesSerialization();
    List<Object> everythingButSecrets =
        List.of(
            harness.client.configMaps().inNamespace(harness.ns).list(),
            harness.client.apps().deployments().inNamespace(harness.ns).list(),
            harness.client.resources(MLWebService.class).inNamespace(harness.ns).list(),
            harness.client.v1().events().inNamespace(harness.ns).list());
    for (Object list : everythingButSecrets) {
      assertThat(serialization.asJson(list)).doesNotContain("11111111-2222-3333-4444-555555555555");
    }
  }

  private static List<io.fabric8.kubernetes.api.model.apps.ReplicaSet> replicaSets(String name) {
    return harness
        .client
        .apps()
        .replicaSets()
        .inNamespace(harness.ns)
        .withLabel("app.kubernetes.io/instance", name)
        .list()
        .getItems();
  }

  static JsonNode asJson(MLWebService mlws) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asJson(mlws));
  }

  /** The fields the operator's field manager owns on an object, as the real server records them. */
  static String operatorOwnedFields(HasMetadata object) {
    return object.getMetadata().getManagedFields().stream()
        .filter(
            m ->
                m.getManager().equals("mlwebservicereconciler") && m.getOperation().equals("Apply"))
        .map(
            m ->
                new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                    .asJson(m.getFieldsV1()))
        .findFirst()
        .orElse("");
  }

  private static List<HasMetadata> ownedObjects(String name) {
    return java.util.stream.Stream.<HasMetadata>of(
            harness.client.configMaps().inNamespace(harness.ns).withName(name + "-settings").get(),
            harness.deployment(name),
            harness.client.services().inNamespace(harness.ns).withName(name).get(),
            harness.budget(name))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  private static void assertOwnedBy(OwnerReference ref, MLWebService owner) {
    assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
    assertThat(ref.getKind()).isEqualTo("MLWebService");
    assertThat(ref.getController()).as("the MLWebService is the controller").isTrue();
    assertThat(ref.getBlockOwnerDeletion())
        .as("foreground deletion of the MLWebService waits for it")
        .isTrue();
  }

  private static io.mlws.api.v1alpha1.MLWebServiceStatus statusOf(String name) {
    MLWebService mlws = harness.get(name);
    return mlws == null ? null : mlws.getStatus();
  }

  private static String settings(String name) {
    ConfigMap cm =
        harness.client.configMaps().inNamespace(harness.ns).withName(name + "-settings").get();
    return cm == null ? "" : cm.getData().get("settings.json");
  }

  private static List<String> reasons(String name) {
    return harness.eventsFor(name).stream().map(Event::getReason).toList();
  }
}
