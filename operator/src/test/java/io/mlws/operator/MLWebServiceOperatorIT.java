package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator end to end against the test API server. Each test uses its own MLWebService name. A
 * real API server would also validate and default the specs at admission, merge keyed lists, and
 * garbage-collect owned objects when an MLWebService is deleted; see {@code TestApiServer}.
 */
class MLWebServiceOperatorIT {
  static final String CONNECTION_STRING =
      "InstrumentationKey=11111111-2222-3333-4444-555555555555;IngestionEndpoint=https://leak-check.invalid/";
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness = new OperatorHarness(OperatorConfig.defaults());
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
    await().atMost(Duration.ofSeconds(20)).until(() -> ownedObjects("created").size() == 4);

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
                .inNamespace("test")
                .withName("created")
                .get())
        .as("no autoscaler without spec.autoscaling")
        .isNull();
  }

  @Test
  void autoscalingCreatesAnAutoscalerAndLeavesReplicasToIt() {
    harness.apply(service("scaled", "autoscaling: {minReplicas: 2, maxReplicas: 5}"));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> harness.autoscaler("scaled") != null && harness.budget("scaled") != null);

    HorizontalPodAutoscaler hpa = harness.autoscaler("scaled");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("scaled");
    assertThat(harness.deployment("scaled").getSpec().getReplicas())
        .as("the HPA owns replicas; the operator never applies the field")
        .isNull();

    harness.mergePatch("scaled", "{\"spec\":{\"autoscaling\":null,\"replicas\":1}}");
    await()
        .atMost(Duration.ofSeconds(20))
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
        .atMost(Duration.ofSeconds(20))
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
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> harness.get("toggled").getStatus().getAppInsights() == AppInsightsState.ENABLED);
    assertThat(reasons("toggled")).contains("TelemetryEnabled");

    harness.mergePatch("toggled", "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                harness.envNames(harness.deployment("toggled")).stream()
                    .noneMatch(
                        n -> n.startsWith("APPLICATIONINSIGHTS") || n.equals("JAVA_TOOL_OPTIONS")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> harness.get("toggled").getStatus().getAppInsights() == AppInsightsState.DISABLED);
    assertThat(reasons("toggled")).contains("TelemetryDisabled");
  }

  @Test
  void patchingDataCollectionChangesOnlyTheConfigMap() {
    harness.createSecret("insights-dc", Map.of("connection-string", CONNECTION_STRING));
    harness.apply(
        service(
            "collecting",
            "appInsights: {enabled: true, connectionStringSecretRef: {name: insights-dc}}"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                statusOf("collecting") != null
                    && statusOf("collecting").getAppInsights() == AppInsightsState.ENABLED);
    Deployment before = harness.deployment("collecting");

    harness.mergePatch(
        "collecting",
        "{\"spec\":{\"dataCollection\":{\"enabled\":true,\"samplingPercentage\":25,\"redactFields\":[\"ssn\"]}}}");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> settings("collecting").contains("\"enabled\" : true"));
    assertThat(settings("collecting"))
        .contains("\"samplingPercentage\" : 25.0")
        .contains("\"ssn\"");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statusOf("collecting").getDataCollection() == DataCollectionState.ENABLED);
    Deployment after = harness.deployment("collecting");
    assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
    assertThat(after.getMetadata().getResourceVersion())
        .as("the Deployment was not written at all")
        .isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void missingSecretKeepsServingWithoutTelemetryUntilTheSecretAppears() {
    harness.apply(
        service(
            "waiting", "appInsights: {enabled: true, connectionStringSecretRef: {name: later}}"));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                statusOf("waiting") != null
                    && statusOf("waiting").getAppInsights() == AppInsightsState.SECRET_MISSING);
    assertThat(harness.envNames(harness.deployment("waiting"))).doesNotContain("JAVA_TOOL_OPTIONS");
    assertThat(StatusConditions.find(statusOf("waiting"), StatusConditions.APP_INSIGHTS_READY))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("SecretNotFound");
              assertThat(c.getMessage()).contains("Secret later not found in namespace test");
            });
    assertThat(harness.eventsFor("waiting"))
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getReason()).isEqualTo("TelemetrySecretMissing");
            });

    harness.createSecret("later", Map.of("connection-string", CONNECTION_STRING));

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> harness.envNames(harness.deployment("waiting")).contains("JAVA_TOOL_OPTIONS"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> statusOf("waiting").getAppInsights() == AppInsightsState.ENABLED);
    assertConnectionStringAppearsOnlyInSecrets();
  }

  @Test
  void availableDeploymentMakesTheResourceReadyAtItsGeneration() {
    harness.apply(service("ready", "replicas: 2"));
    harness.awaitDeployment("ready");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> StatusConditions.isTrue(statusOf("ready"), StatusConditions.RECONCILING));

    harness.markDeploymentAvailable("ready");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> StatusConditions.isTrue(statusOf("ready"), StatusConditions.READY));
    MLWebService ready = harness.get("ready");
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(StatusConditions.isTrue(ready.getStatus(), StatusConditions.RECONCILING)).isFalse();
    assertThat(StatusConditions.isTrue(ready.getStatus(), StatusConditions.STALLED)).isFalse();
    assertThat(ready.getStatus().getReplicaSummary()).isEqualTo("2/2");
    assertThat(ready.getStatus().getUrl()).isEqualTo("http://ready.test.svc.cluster.local/score");
    assertThat(reasons("ready")).contains("Created", "Ready");
  }

  @Test
  void aHandEditOfTheDeploymentIsReverted() {
    harness.apply(service("guarded", "replicas: 1"));
    harness.awaitDeployment("guarded");

    harness
        .client
        .apps()
        .deployments()
        .inNamespace("test")
        .withName("guarded")
        .edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .setImage("attacker/image:latest");
              d.getSpec().setReplicas(7);
              return d;
            });

    await()
        .atMost(Duration.ofSeconds(20))
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
    harness.markDeploymentAvailable("quiet");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> StatusConditions.isTrue(statusOf("quiet"), StatusConditions.READY));
    Thread.sleep(1500);

    int before = harness.api.writes().size();
    // Wake the operator without changing anything it reads: a label on the watched Secret.
    harness
        .client
        .secrets()
        .inNamespace("test")
        .withName("quiet-secret")
        .edit(
            s -> {
              s.getMetadata().setLabels(Map.of("touched", "yes"));
              return s;
            });
    int afterTouch = harness.api.writes().size();
    Thread.sleep(3000);

    assertThat(harness.api.writes().subList(afterTouch, harness.api.writes().size()))
        .as("write requests by the operator at steady state")
        .isEmpty();
    assertThat(afterTouch - before).as("only the test's own Secret edit").isEqualTo(1);
  }

  @Test
  void anInvalidSpecIsStalledWithAMessageAndCreatesNothing() {
    harness.apply(service("invalid", "appInsights: {enabled: true}"));

    await()
        .atMost(Duration.ofSeconds(20))
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
    assertThat(harness.eventsFor("invalid"))
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("InvalidSpec"));
  }

  @Test
  void anInvalidChangeKeepsTheLastGoodObjectsServing() {
    harness.apply(service("kept", "replicas: 3"));
    Deployment good = harness.awaitDeployment("kept");

    harness.mergePatch("kept", "{\"spec\":{\"autoscaling\":{\"maxReplicas\":4}}}");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> StatusConditions.isTrue(statusOf("kept"), StatusConditions.STALLED));
    assertThat(StatusConditions.find(statusOf("kept"), StatusConditions.STALLED).get().getMessage())
        .contains("set either spec.replicas or spec.autoscaling, not both");
    assertThat(harness.deployment("kept").getSpec()).isEqualTo(good.getSpec());
    assertThat(harness.autoscaler("kept")).isNull();
  }

  private static void assertConnectionStringAppearsOnlyInSecrets() {
    var serialization = harness.client.getKubernetesSerialization();
    List<Object> everythingButSecrets =
        List.of(
            harness.client.configMaps().inNamespace("test").list(),
            harness.client.apps().deployments().inNamespace("test").list(),
            harness.client.resources(MLWebService.class).inNamespace("test").list(),
            harness.client.v1().events().inNamespace("test").list());
    for (Object list : everythingButSecrets) {
      assertThat(serialization.asJson(list)).doesNotContain("11111111-2222-3333-4444-555555555555");
    }
  }

  private static List<HasMetadata> ownedObjects(String name) {
    return java.util.stream.Stream.<HasMetadata>of(
            harness.client.configMaps().inNamespace("test").withName(name + "-settings").get(),
            harness.deployment(name),
            harness.client.services().inNamespace("test").withName(name).get(),
            harness.budget(name))
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  private static void assertOwnedBy(OwnerReference ref, MLWebService owner) {
    assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
    assertThat(ref.getKind()).isEqualTo("MLWebService");
  }

  private static io.mlws.api.v1alpha1.MLWebServiceStatus statusOf(String name) {
    MLWebService mlws = harness.get(name);
    return mlws == null ? null : mlws.getStatus();
  }

  private static String settings(String name) {
    ConfigMap cm =
        harness.client.configMaps().inNamespace("test").withName(name + "-settings").get();
    return cm == null ? "" : cm.getData().get("settings.json");
  }

  private static List<String> reasons(String name) {
    return harness.eventsFor(name).stream().map(Event::getReason).toList();
  }
}
