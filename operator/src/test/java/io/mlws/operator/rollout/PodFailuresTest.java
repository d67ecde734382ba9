package io.mlws.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Container statuses as the kubelet writes them, and the one sentence each gives. */
class PodFailuresTest {
  static final String EXIT_MESSAGE =
      "invalid configuration: WorkloadIdentity needs AZURE_CLIENT_ID, AZURE_TENANT_ID and"
          + " AZURE_FEDERATED_TOKEN_FILE (the workload identity webhook sets them)";

  static Pod pod(String name, ContainerStatus status) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(status)
        .endStatus()
        .build();
  }

  /** A scorer that exited {@code restarts} times with status 2 and is now {@code waiting}. */
  static ContainerStatus exited(int restarts, String waitingReason, Boolean ready) {
    ContainerStatusBuilder builder =
        new ContainerStatusBuilder()
            .withName("scorer")
            .withImage("mlws/scorer:0.1.0")
            .withReady(ready)
            .withRestartCount(restarts)
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(2)
            .withReason("Error")
            .withMessage(EXIT_MESSAGE + "\n")
            .endTerminated()
            .endLastState();
    return waitingReason == null
        ? builder.withNewState().withNewRunning().endRunning().endState().build()
        : builder
            .withNewState()
            .withNewWaiting()
            .withReason(waitingReason)
            .endWaiting()
            .endState()
            .build();
  }

  @Test
  void aCrashLoopIsTheScorersOwnReasonAndTheSameSentenceInEveryPhaseOfIt() {
    Optional<String> backingOff =
        PodFailures.describe(List.of(pod("iris-new", exited(2, "CrashLoopBackOff", false))));
    Optional<String> startedAgain =
        PodFailures.describe(List.of(pod("iris-new", exited(5, null, false))));
    assertThat(backingOff)
        .contains("pod iris-new: container scorer keeps exiting (status 2): " + EXIT_MESSAGE);
    assertThat(startedAgain).isEqualTo(backingOff);
  }

  @Test
  void oneExitOrAReadyContainerIsNoFailure() {
    assertThat(PodFailures.describe(List.of(pod("a", exited(1, "CrashLoopBackOff", false)))))
        .isEmpty();
    assertThat(PodFailures.describe(List.of(pod("a", exited(3, null, true))))).isEmpty();
  }

  @Test
  void theKillersNameIsSaid() {
    ContainerStatus killed = exited(3, "CrashLoopBackOff", false);
    killed.getLastState().getTerminated().setExitCode(137);
    killed.getLastState().getTerminated().setReason("OOMKilled");
    killed.getLastState().getTerminated().setMessage(null);
    assertThat(PodFailures.describe(List.of(pod("a", killed))))
        .contains("pod a: container scorer keeps exiting (status 137, OOMKilled)");
  }

  @Test
  void anImageThatCannotBePulledIsOneSentenceWhateverTheBackOffSays() {
    ContainerStatus pulling = exited(0, "ErrImagePull", false);
    pulling.setLastState(null);
    ContainerStatus backingOff = exited(0, "ImagePullBackOff", false);
    backingOff.setLastState(null);
    assertThat(PodFailures.describe(List.of(pod("a", pulling))))
        .contains("pod a: container scorer cannot pull its image mlws/scorer:0.1.0")
        .isEqualTo(PodFailures.describe(List.of(pod("a", backingOff))));
  }

  @Test
  void aContainerThatCannotBeCreatedSaysWhy() {
    ContainerStatus config = exited(0, "CreateContainerConfigError", false);
    config.setLastState(null);
    config.getState().getWaiting().setMessage("secret \"model-sas\" not found");
    assertThat(PodFailures.describe(List.of(pod("a", config))))
        .contains(
            "pod a: container scorer cannot be created (CreateContainerConfigError): secret"
                + " \"model-sas\" not found");
  }

  @Test
  void ofSeveralFailingPodsTheFirstByNameAndNoneBeingDeleted() {
    Pod leaving = pod("a-leaving", exited(4, "CrashLoopBackOff", false));
    leaving.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");
    ContainerStatus other = exited(2, "CrashLoopBackOff", false);
    other.getLastState().getTerminated().setMessage("cannot serve the model: gone");
    assertThat(
            PodFailures.describe(
                List.of(pod("c", exited(2, "CrashLoopBackOff", false)), leaving, pod("b", other))))
        .hasValueSatisfying(s -> assertThat(s).startsWith("pod b: ").endsWith("gone"));
  }

  @Test
  void aLongMessageKeepsItsEndOnOneLine() {
    String logs = "line\n".repeat(200) + "the last line says why";
    assertThat(PodFailures.oneLine(logs))
        .hasSize(PodFailures.MAX_MESSAGE_CHARS)
        .doesNotContain("\n")
        .endsWith("line / the last line says why");
  }

  static Optional<Deployment> progressedAt(String time) {
    return Optional.of(
        new DeploymentBuilder()
            .withNewStatus()
            .addNewCondition()
            .withType("Progressing")
            .withStatus("True")
            .withReason("ReplicaSetUpdated")
            .withLastUpdateTime(time)
            .endCondition()
            .endStatus()
            .build());
  }

  @Test
  void podsAreLookedAtOnceTheRolloutHasMadeNoProgressForAWhile() {
    Instant now = Instant.parse("2026-12-07T10:00:30Z");
    assertThat(PodFailures.quietSince(progressedAt("2026-12-07T10:00:20Z"), now)).isFalse();
    assertThat(PodFailures.quietSince(progressedAt("2026-12-07T10:00:15Z"), now)).isTrue();
    assertThat(PodFailures.quietSince(Optional.empty(), now)).isFalse();
    assertThat(PodFailures.quietSince(Optional.of(new Deployment()), now)).isFalse();
  }
}
