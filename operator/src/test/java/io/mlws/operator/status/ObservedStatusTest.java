package io.mlws.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Status from what exists: one line per situation, with the kstatus conditions it must give. */
class ObservedStatusTest {
  static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-24T10:05:00Z");

  static MLWebService mlws(long generation) {
    MLWebService mlws =
        new KubernetesSerialization()
            .unmarshal(
                "apiVersion: mlws.io/v1alpha1\nkind: MLWebService\n"
                    + "metadata: {name: iris, namespace: ml}\nspec: {model: {uri: 'file:///m.onnx'}, replicas: 2}",
                MLWebService.class);
    mlws.getMetadata().setGeneration(generation);
    return mlws;
  }

  /** A Deployment at generation 4 with the given status counts and observed generation. */
  static Optional<Deployment> deployment(
      long observed, int updated, int ready, int available, int total, String progressReason) {
    var builder =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("iris")
            .withGeneration(4L)
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .endSpec()
            .withNewStatus()
            .withObservedGeneration(observed)
            .withUpdatedReplicas(updated)
            .withReadyReplicas(ready)
            .withAvailableReplicas(available)
            .withReplicas(total);
    if (progressReason != null) {
      builder
          .addNewCondition()
          .withType("Progressing")
          .withStatus("False")
          .withReason(progressReason)
          .withMessage("ReplicaSet \"iris-1\" has timed out progressing.")
          .endCondition();
    }
    return Optional.of(builder.endStatus().build());
  }

  static Stream<Arguments> situations() {
    return Stream.of(
        // situation, deployment, spec problems, Ready, Reconciling, Stalled, reason of Ready
        Arguments.of(
            "no Deployment yet", Optional.empty(), List.of(), "False", "True", "False", "Creating"),
        Arguments.of(
            "template not yet observed",
            deployment(3, 2, 2, 2, 2, null),
            List.of(),
            "False",
            "True",
            "False",
            "RollingOut"),
        Arguments.of(
            "rolling out",
            deployment(4, 1, 2, 2, 3, null),
            List.of(),
            "False",
            "True",
            "False",
            "RollingOut"),
        Arguments.of(
            "updated, not ready",
            deployment(4, 2, 1, 1, 2, null),
            List.of(),
            "False",
            "True",
            "False",
            "WaitingForReplicas"),
        Arguments.of(
            "old pod still terminating",
            deployment(4, 2, 2, 2, 3, null),
            List.of(),
            "False",
            "True",
            "False",
            "WaitingForReplicas"),
        Arguments.of(
            "available",
            deployment(4, 2, 2, 2, 2, null),
            List.of(),
            "True",
            "False",
            "False",
            "Available"),
        Arguments.of(
            "deadline exceeded",
            deployment(4, 1, 1, 1, 2, "ProgressDeadlineExceeded"),
            List.of(),
            "False",
            "False",
            "True",
            "ProgressDeadlineExceeded"),
        Arguments.of(
            "invalid spec",
            deployment(4, 2, 2, 2, 2, null),
            List.of("spec.x is wrong"),
            "False",
            "False",
            "True",
            "InvalidSpec"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("situations")
  void conditionsFollowKstatus(
      String situation,
      Optional<Deployment> deployment,
      List<String> problems,
      String ready,
      String reconciling,
      String stalled,
      String readyReason) {
    MLWebService mlws = mlws(7);

    MLWebServiceStatus status = compute(mlws, deployment, problems, T0);

    Map<String, String> byType =
        status.getConditions().stream()
            .collect(Collectors.toMap(Condition::getType, Condition::getStatus));
    assertThat(byType)
        .containsEntry("Ready", ready)
        .containsEntry("Reconciling", reconciling)
        .containsEntry("Stalled", stalled)
        .containsEntry("AppInsightsReady", "False");
    assertThat(StatusConditions.find(status, "Ready").get().getReason()).isEqualTo(readyReason);
    assertThat(status.getObservedGeneration()).isEqualTo(7L);
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(7L));
    assertThat(status.getUrl())
        .as("shown once a pod answers")
        .isEqualTo(status.getReadyReplicas() > 0 ? "http://iris.ml.svc.cluster.local/score" : null);
    assertThat(status.getAppInsights()).isEqualTo(AppInsightsState.DISABLED);
  }

  @Test
  void transitionTimeMovesOnlyWhenAConditionFlips() {
    MLWebService mlws = mlws(1);
    mlws.setStatus(compute(mlws, deployment(4, 1, 1, 1, 2, null), List.of(), T0));

    MLWebServiceStatus stillRolling = compute(mlws, deployment(4, 2, 1, 1, 2, null), List.of(), T1);
    MLWebServiceStatus ready = compute(mlws, deployment(4, 2, 2, 2, 2, null), List.of(), T1);

    assertThat(StatusConditions.find(stillRolling, "Ready").get().getLastTransitionTime())
        .isEqualTo("2026-11-24T10:00:00Z");
    assertThat(StatusConditions.find(stillRolling, "Ready").get().getMessage())
        .contains("2 of 2 replicas updated, 1 ready");
    assertThat(StatusConditions.find(ready, "Ready").get().getLastTransitionTime())
        .isEqualTo("2026-11-24T10:05:00Z");
    assertThat(StatusConditions.find(ready, "Stalled").get().getLastTransitionTime())
        .isEqualTo("2026-11-24T10:00:00Z");
  }

  @Test
  void theSameObservationGivesAnEqualStatus() {
    MLWebService mlws = mlws(1);
    mlws.setStatus(compute(mlws, deployment(4, 2, 2, 2, 2, null), List.of(), T0));

    assertThat(compute(mlws, deployment(4, 2, 2, 2, 2, null), List.of(), T1))
        .isEqualTo(mlws.getStatus());
  }

  /**
   * A version rolled back by its analysis: its weight 0 and the default's 100 in status, the spec's
   * intent untouched, and Stalled (kstatus Failed, Argo CD Degraded) with the figures, though every
   * pod is ready: the commit's intent is not served until a person acts.
   */
  @Test
  void aRolledBackVersionIsStalledWithItsFigures() {
    MLWebService mlws =
        new KubernetesSerialization()
            .unmarshal(
                """
                apiVersion: mlws.io/v1alpha1
                kind: MLWebService
                metadata: {name: iris, namespace: ml, generation: 3}
                spec:
                  model: {uri: 'file:///m.onnx'}
                  replicas: 2
                  versions:
                  - {name: canary, weight: 20, model: {uri: 'file:///n.onnx'}, analysis: {}}
                """,
                MLWebService.class);
    ResolvedSpec spec =
        ResolvedSpec.of(mlws, OperatorConfig.defaults()).withRolledBack(java.util.Set.of("canary"));
    io.mlws.api.v1alpha1.VersionAnalysisStatus analysis =
        new io.mlws.api.v1alpha1.VersionAnalysisStatus();
    analysis.setPhase(io.mlws.api.v1alpha1.VersionAnalysisStatus.ROLLED_BACK);
    analysis.setMessage("rolled back: 100.0 % of its calls failed");
    Deployment canary = deployment(4, 2, 2, 2, 2, null).get();

    MLWebServiceStatus status =
        ObservedStatus.compute(
            mlws,
            spec,
            deployment(4, 2, 2, 2, 2, null),
            Map.of("canary", canary),
            Map.of("canary", analysis),
            TelemetryPlan.of(spec, Optional.empty()),
            Optional.empty(),
            Optional.empty(),
            T0);

    assertThat(StatusConditions.find(status, "Ready").get().getStatus()).isEqualTo("False");
    assertThat(StatusConditions.find(status, "Stalled").get().getStatus()).isEqualTo("True");
    assertThat(StatusConditions.find(status, "Stalled").get().getReason())
        .isEqualTo("VersionRolledBack");
    assertThat(StatusConditions.find(status, "Stalled").get().getMessage())
        .startsWith("model version canary rolled back: 100.0 % of its calls failed")
        .contains("a new model in its spec, or the version removed, ends the rollback");
    assertThat(status.getVersions())
        .extracting(v -> v.getName() + "=" + v.getWeight())
        .containsExactly("default=100", "canary=0");
    assertThat(status.getVersions().get(1).getAnalysis()).isEqualTo(analysis);
    assertThat(status.getTraffic()).isEqualTo("default 100, canary 0 (rolled back)");
    assertThat(mlws.getSpec().getVersions().get(0).getWeight())
        .as("the spec as written")
        .isEqualTo(20);
  }

  private static MLWebServiceStatus compute(
      MLWebService mlws, Optional<Deployment> deployment, List<String> problems, Instant now) {
    ResolvedSpec spec = ResolvedSpec.of(mlws, OperatorConfig.defaults());
    return ObservedStatus.compute(
        mlws,
        spec,
        deployment,
        TelemetryPlan.of(spec, Optional.empty()),
        Blockers.invalidSpec(problems),
        Optional.empty(),
        now);
  }
}
