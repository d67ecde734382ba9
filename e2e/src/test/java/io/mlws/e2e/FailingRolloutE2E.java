package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change whose new pods cannot start, on the real node: data collection to Blob Storage through a
 * workload identity, on a cluster without the workload identity webhook. The new scorer exits 2
 * saying what it misses; the service's status says the rollout cannot finish, with that reason
 * (Stalled, which kstatus and Argo CD read as failed), in one Warning event, while the pod it was
 * to replace keeps serving. Undoing the change makes it Ready again.
 */
class FailingRolloutE2E {
  static final String SERVICE = "unstartable";
  static final String REASON = "ScorerPodsFailing";

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("rollout");

  @Test
  void aRolloutWhosePodsCannotStartIsReportedWithTheScorersReason() throws Exception {
    scenario.createSmall(SERVICE, "iris.onnx", 1, "");
    scenario.awaitReady(SERVICE);
    String base = scenario.scoringThroughClusterIp(SERVICE);
    Set<String> serving = scenario.podNames(SERVICE);

    scenario.patch(
        SERVICE,
        """
        {"spec":{"dataCollection":{"enabled":true,"storage":{
          "containerUrl":"https://mlwsdata.blob.core.windows.net/collected",
          "credential":{"type":"WorkloadIdentity"}}}}}
        """);
    Condition stalled = awaitStalled("Stalled with " + REASON + " on " + SERVICE);
    assertThat(stalled.getStatus()).isEqualTo("True");
    assertThat(stalled.getMessage())
        .as("the scorer's own reason, from its termination message")
        .contains("keeps exiting (status 2)")
        .contains("AZURE_FEDERATED_TOKEN_FILE")
        .contains("replicas ready and serving meanwhile: 1");
    assertThat(condition("Ready"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));

    assertThat(Calls.score(base).statusCode()).as("the old pod still scores").isEqualTo(200);
    List<Pod> ready =
        scenario.runningPods(SERVICE).stream()
            .filter(p -> p.getStatus().getContainerStatuses().get(0).getReady())
            .toList();
    assertThat(ready)
        .extracting(p -> p.getMetadata().getName())
        .as("the pod the rollout was to replace, ready")
        .containsExactlyElementsOf(serving);

    // Several rechecks later, still one Warning: the sentence does not change while the pod loops.
    Thread.sleep(25_000);
    List<Event> warnings =
        scenario.client().v1().events().inNamespace(scenario.namespace()).list().getItems().stream()
            .filter(e -> SERVICE.equals(e.getInvolvedObject().getName()))
            .filter(e -> REASON.equals(e.getReason()))
            .toList();
    assertThat(warnings)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).isEqualTo(stalled.getMessage());
              assertThat(e.getCount()).as("count").isEqualTo(1);
            });

    long undone = scenario.patch(SERVICE, "{\"spec\":{\"dataCollection\":null}}");
    scenario.awaitReadyAt(SERVICE, undone);
    assertThat(condition("Stalled"))
        .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));

    aVersionWhosePodsCannotStartIsReportedByName();
  }

  /**
   * The same for a model version of spec.versions: its pods cannot start (its model in Blob Storage
   * through a workload identity, without the webhook), and the status names the version.
   */
  private void aVersionWhosePodsCannotStartIsReportedByName() throws Exception {
    scenario.patch(
        SERVICE,
        """
        {"spec":{"versions":[{"name":"next","weight":10,"replicas":1,
          "resources":{"requests":{"cpu":"50m"}},
          "model":{"uri":"https://mlwsmodels.blob.core.windows.net/models/next.onnx",
                   "credential":{"type":"WorkloadIdentity"}}}]}}
        """);
    Condition stalled = awaitStalled("Stalled with " + REASON + " for version next");
    assertThat(stalled.getMessage())
        .startsWith("version next: the rollout cannot finish")
        .contains("AZURE_FEDERATED_TOKEN_FILE");
    assertThat(Calls.score(scenario.scoringThroughClusterIp(SERVICE)).statusCode())
        .as("spec.model's pod still scores")
        .isEqualTo(200);

    long removed = scenario.patch(SERVICE, "{\"spec\":{\"versions\":null}}");
    scenario.awaitReadyAt(SERVICE, removed);
  }

  /** The Stalled condition once its reason is {@link #REASON}; printed. */
  private static Condition awaitStalled(String what) {
    Condition stalled =
        await(what)
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> condition("Stalled"),
                c -> c.isPresent() && REASON.equals(c.get().getReason()))
            .orElseThrow();
    System.out.println("FailingRolloutE2E: " + stalled.getMessage());
    return stalled;
  }

  private static Optional<Condition> condition(String type) {
    var status = scenario.mlws(SERVICE).getStatus();
    return status == null || status.getConditions() == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
