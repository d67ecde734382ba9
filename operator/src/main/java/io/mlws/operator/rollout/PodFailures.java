package io.mlws.operator.rollout;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why a rollout's new scorer pods do not start, read from their container statuses: a scorer that
 * keeps exiting (with its own last words, the container's termination message), an image that
 * cannot be pulled, a container that cannot be created. The sentence is the same for as long as the
 * cause lasts (no restart counts, no back-off state), so it becomes one Warning event.
 */
public final class PodFailures {
  /** How long a rollout may go without progress before its pods are looked at. */
  public static final Duration QUIET_BEFORE_ASKING = Duration.ofSeconds(15);

  /** A container that has exited this many times without becoming ready keeps exiting. */
  static final int RESTARTS_OF_A_CRASH_LOOP = 2;

  /** Of a termination message (the scorer's last log lines at most), what goes into status. */
  static final int MAX_MESSAGE_CHARS = 512;

  static final Set<String> IMAGE_REASONS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  static final Set<String> CREATE_REASONS =
      Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  private PodFailures() {}

  /**
   * Whether the Deployment's rollout has made no progress for {@link #QUIET_BEFORE_ASKING}: its
   * Progressing condition, which the deployment controller moves on each step, is that old.
   */
  public static boolean quietSince(Optional<Deployment> live, Instant now) {
    return live.map(Deployment::getStatus)
        .map(
            status ->
                status.getConditions() == null
                    ? List.<DeploymentCondition>of()
                    : status.getConditions())
        .flatMap(
            conditions ->
                conditions.stream().filter(c -> "Progressing".equals(c.getType())).findFirst())
        .flatMap(c -> instant(c.getLastUpdateTime()))
        .map(last -> !last.plus(QUIET_BEFORE_ASKING).isAfter(now))
        .orElse(false);
  }

  /** The first failing container of the pods (by pod name), described in one line. */
  public static Optional<String> describe(List<Pod> pods) {
    return pods.stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(pod -> pod.getStatus() != null)
        .sorted(Comparator.comparing(pod -> pod.getMetadata().getName()))
        .flatMap(pod -> failure(pod).stream())
        .findFirst();
  }

  private static Optional<String> failure(Pod pod) {
    List<ContainerStatus> statuses =
        Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(), List.of());
    return statuses.stream()
        .filter(c -> !Boolean.TRUE.equals(c.getReady()))
        .flatMap(c -> failure(c).stream())
        .map(what -> "pod " + pod.getMetadata().getName() + ": " + what)
        .findFirst();
  }

  private static Optional<String> failure(ContainerStatus container) {
    ContainerStateWaiting waiting =
        container.getState() == null ? null : container.getState().getWaiting();
    String reason = waiting == null ? "" : Objects.requireNonNullElse(waiting.getReason(), "");
    if (IMAGE_REASONS.contains(reason)) {
      return Optional.of(
          "container %s cannot pull its image %s"
              .formatted(container.getName(), container.getImage()));
    }
    if (CREATE_REASONS.contains(reason)) {
      return Optional.of(
          "container %s cannot be created (%s): %s"
              .formatted(container.getName(), reason, oneLine(waiting.getMessage())));
    }
    ContainerStateTerminated last =
        container.getLastState() == null ? null : container.getLastState().getTerminated();
    int restarts = Objects.requireNonNullElse(container.getRestartCount(), 0);
    if (last != null
        && restarts >= RESTARTS_OF_A_CRASH_LOOP
        && !Integer.valueOf(0).equals(last.getExitCode())) {
      String how =
          last.getReason() == null || "Error".equals(last.getReason())
              ? "status " + last.getExitCode()
              : "status %d, %s".formatted(last.getExitCode(), last.getReason());
      String message = oneLine(last.getMessage());
      return Optional.of(
          "container %s keeps exiting (%s)%s"
              .formatted(container.getName(), how, message.isEmpty() ? "" : ": " + message));
    }
    return Optional.empty();
  }

  /** A termination message as one bounded line: its lines joined, its end kept if it is long. */
  static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    String line =
        String.join(
            " / ", message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    return line.length() <= MAX_MESSAGE_CHARS
        ? line
        : "…" + line.substring(line.length() - MAX_MESSAGE_CHARS + 1);
  }

  private static Optional<Instant> instant(String time) {
    try {
      return Optional.ofNullable(time).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
