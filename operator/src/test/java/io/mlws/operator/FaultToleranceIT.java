package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.FaultProxy;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.process.MlwsOperator;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults on the way between the operator and the real kube-apiserver, injected by a {@link
 * FaultProxy} in front of it and counted there: conflicts, server errors, slow answers, dropped
 * watches; and an operator restart in the middle of a rollout. Each scenario must end converged:
 * every object as the specs say, owned by its MLWebService, and every status Ready (the real
 * deployment controller and kwok) at its generation.
 */
class FaultToleranceIT {
  static final Duration CONVERGENCE = Duration.ofSeconds(90);
  static final List<String> FLEET = List.of("f1", "f2", "f3", "f4");

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(
            "a fifth of writes refused with 409",
            (Consumer<FaultProxy>) f -> f.failWrites(0.2, 409)),
        Arguments.of(
            "a fifth of writes refused with 500",
            (Consumer<FaultProxy>) f -> f.failWrites(0.2, 500)),
        Arguments.of(
            "every answer 100 ms late",
            (Consumer<FaultProxy>) f -> f.slowDown(Duration.ofMillis(100))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void convergesThroughFaultyAnswers(String fault, Consumer<FaultProxy> inject) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(LocalCluster.shared());
        OperatorHarness harness = OperatorHarness.throughProxy("faults-it", proxy)) {
      inject.accept(proxy);
      deployAndUpdateFleet(harness);
      assertConverged(harness, proxy);
      if (!fault.contains("late")) {
        assertThat(proxy.injectedFaults()).as("faults injected at the proxy").isPositive();
      }
      if (fault.contains("409")) {
        for (String name : FLEET) {
          assertThat(harness.eventsFor(name))
              .as("a conflict is ordinary concurrency: retried quietly, no Warning on %s", name)
              .noneMatch(e -> "ReconcileFailed".equals(e.getReason()));
        }
      }
    }
  }

  @Test
  void convergesAfterItsWatchesDrop() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(LocalCluster.shared());
        OperatorHarness harness = OperatorHarness.throughProxy("faults-it", proxy)) {
      deployFleet(harness);
      awaitDeployments(harness);
      assertThat(proxy.dropWatches()).as("watches open at the proxy, now dropped").isPositive();
      updateFleet(harness);
      assertConverged(harness, proxy);
    }
  }

  @Test
  void convergesWhenRestartedInTheMiddleOfARollout() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(LocalCluster.shared());
        OperatorHarness harness = OperatorHarness.throughProxy("faults-it", proxy)) {
      deployFleet(harness);
      awaitDeployments(harness);
      // Hold f4's Deployment back so that the rollout is certainly under way when the operator
      // stops.
      proxy.failWritesTo("/deployments/f4");
      updateFleet(harness);
      await().atMost(CONVERGENCE).until(() -> fleetChangesApplied(harness) == FLEET.size() - 1);
      harness.operator.stop();
      assertThat(fleetChangesApplied(harness))
          .as("the rollout was under way when the operator stopped: some changes applied, not all")
          .isEqualTo(FLEET.size() - 1);
      assertThat(proxy.injectedFaults()).as("f4's writes refused at the proxy").isPositive();
      proxy.clear();
      MlwsOperator successor =
          harness.startOperator(
              new KubernetesClientBuilder().withConfig(proxy.operatorConfig()).build(),
              OperatorConfig.defaults());
      try {
        assertConverged(harness, proxy);
      } finally {
        successor.stop();
      }
    }
  }

  static void deployAndUpdateFleet(OperatorHarness harness) throws Exception {
    deployFleet(harness);
    awaitDeployments(harness);
    updateFleet(harness);
  }

  static void deployFleet(OperatorHarness harness) {
    harness.createSecret(
        "ai",
        Map.of("connection-string", "InstrumentationKey=00000000-0000-0000-0000-000000000001"));
    harness.apply(
        MLWebServiceOperatorIT.service(
            "f1",
            "replicas: 2\nappInsights: {enabled: true, connectionStringSecretRef: {name: ai}}"));
    harness.apply(
        MLWebServiceOperatorIT.service("f2", "autoscaling: {minReplicas: 1, maxReplicas: 3}"));
    harness.apply(
        MLWebServiceOperatorIT.service("f3", "replicas: 1\ndataCollection: {enabled: true}"));
    harness.apply(MLWebServiceOperatorIT.service("f4", "replicas: 3"));
  }

  static void updateFleet(OperatorHarness harness) {
    harness.mergePatch("f1", "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    harness.mergePatch("f2", "{\"spec\":{\"autoscaling\":{\"maxReplicas\":5}}}");
    harness.mergePatch("f3", "{\"spec\":{\"dataCollection\":{\"enabled\":false}}}");
    harness.mergePatch("f4", "{\"spec\":{\"replicas\":2}}");
  }

  static void awaitDeployments(OperatorHarness harness) {
    await()
        .atMost(CONVERGENCE)
        .until(() -> FLEET.stream().allMatch(n -> harness.deployment(n) != null));
  }

  /** How many of the fleet's four updates are in the cluster's objects. */
  static int fleetChangesApplied(OperatorHarness harness) {
    Deployment f1 = harness.deployment("f1");
    Deployment f4 = harness.deployment("f4");
    var f2 = harness.autoscaler("f2");
    var f3 = harness.client.configMaps().inNamespace(harness.ns).withName("f3-settings").get();
    int applied = 0;
    applied += f1 != null && !harness.envNames(f1).contains("JAVA_TOOL_OPTIONS") ? 1 : 0;
    applied += f4 != null && Integer.valueOf(2).equals(f4.getSpec().getReplicas()) ? 1 : 0;
    applied += f2 != null && f2.getSpec().getMaxReplicas() == 5 ? 1 : 0;
    applied +=
        f3 != null && f3.getData().get("settings.json").contains("\"enabled\" : false") ? 1 : 0;
    return applied;
  }

  static void assertConverged(OperatorHarness harness, FaultProxy proxy) {
    await()
        .atMost(CONVERGENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> fleetChangesApplied(harness) == FLEET.size());
    proxy.clear();
    await()
        .atMost(CONVERGENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                FLEET.stream()
                    .map(harness::get)
                    .allMatch(
                        m ->
                            m.getStatus() != null
                                && StatusConditions.isTrue(m.getStatus(), StatusConditions.READY)
                                && m.getMetadata()
                                    .getGeneration()
                                    .equals(m.getStatus().getObservedGeneration())));
    assertThat(harness.get("f1").getStatus().getAppInsights()).isEqualTo(AppInsightsState.DISABLED);

    Map<String, String> uidByName =
        FLEET.stream()
            .collect(Collectors.toMap(n -> n, n -> harness.get(n).getMetadata().getUid()));
    List<HasMetadata> owned =
        Stream.of(
                harness
                    .client
                    .apps()
                    .deployments()
                    .inNamespace(harness.ns)
                    .withLabel(ScorerNames.MANAGED_BY_LABEL, ScorerNames.MANAGED_BY)
                    .list()
                    .getItems(),
                harness
                    .client
                    .services()
                    .inNamespace(harness.ns)
                    .withLabel(ScorerNames.MANAGED_BY_LABEL, ScorerNames.MANAGED_BY)
                    .list()
                    .getItems(),
                harness
                    .client
                    .configMaps()
                    .inNamespace(harness.ns)
                    .withLabel(ScorerNames.MANAGED_BY_LABEL, ScorerNames.MANAGED_BY)
                    .list()
                    .getItems(),
                harness
                    .client
                    .autoscaling()
                    .v2()
                    .horizontalPodAutoscalers()
                    .inNamespace(harness.ns)
                    .withLabel(ScorerNames.MANAGED_BY_LABEL, ScorerNames.MANAGED_BY)
                    .list()
                    .getItems(),
                harness
                    .client
                    .policy()
                    .v1()
                    .podDisruptionBudget()
                    .inNamespace(harness.ns)
                    .withLabel(ScorerNames.MANAGED_BY_LABEL, ScorerNames.MANAGED_BY)
                    .list()
                    .getItems())
            .flatMap(List::stream)
            .map(HasMetadata.class::cast)
            .toList();
    Set<String> names = new TreeSet<>();
    for (HasMetadata object : owned) {
      String id = object.getKind() + "/" + object.getMetadata().getName();
      assertThat(names.add(id)).as("exactly once: %s", id).isTrue();
      String owner = object.getMetadata().getLabels().get("app.kubernetes.io/instance");
      assertThat(object.getMetadata().getOwnerReferences())
          .as("%s is owned by its MLWebService", id)
          .singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(uidByName.get(owner)));
    }
    assertThat(names)
        .containsExactlyInAnyOrder(
            "ConfigMap/f1-settings",
            "ConfigMap/f2-settings",
            "ConfigMap/f3-settings",
            "ConfigMap/f4-settings",
            "Deployment/f1",
            "Deployment/f2",
            "Deployment/f3",
            "Deployment/f4",
            "Service/f1",
            "Service/f2",
            "Service/f3",
            "Service/f4",
            "HorizontalPodAutoscaler/f2",
            "PodDisruptionBudget/f1",
            "PodDisruptionBudget/f2",
            "PodDisruptionBudget/f4");
  }
}
