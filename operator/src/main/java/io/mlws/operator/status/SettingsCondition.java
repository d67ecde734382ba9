package io.mlws.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.settings.SettingsReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The SettingsApplied condition, from what the ready pods reported: True only once each applies the
 * settings file the operator wrote, so a new redaction is not promised before pods apply it.
 */
public final class SettingsCondition {
  /**
   * How long pods may take: the kubelet's sync period (1 minute by default) plus its ConfigMap
   * cache, and the scorer's own poll. After it the condition says NotConfirmed.
   */
  static final Duration APPLY_WINDOW = Duration.ofMinutes(3);

  static final String APPLIED = "Applied";
  static final String APPLYING = "Applying";
  static final String NOT_CONFIRMED = "NotConfirmed";
  static final String REFUSED = "Refused";
  static final String NO_READY_PODS = "NoReadyPods";

  private SettingsCondition() {}

  static void set(
      ConditionList conditions,
      MLWebServiceStatus previous,
      SettingsReport report,
      String configMap,
      Instant now) {
    String file = SettingsReport.shortDigest(report.wanted()) + " of ConfigMap " + configMap;
    if (report.allApply()) {
      conditions.set(
          StatusConditions.SETTINGS_APPLIED,
          "True",
          APPLIED,
          "every ready scorer pod applies the settings file " + file);
      return;
    }
    if (report.noReadyPods()) {
      conditions.set(
          StatusConditions.SETTINGS_APPLIED,
          "Unknown",
          NO_READY_PODS,
          "no ready scorer pod to ask which settings file it applies; a pod that starts mounts "
              + file);
      return;
    }
    String count =
        "%d of %d ready pods apply the settings file %s"
            .formatted(report.applying(), report.answers().size(), file);
    if (!report.refusals().isEmpty()) {
      conditions.set(
          StatusConditions.SETTINGS_APPLIED,
          "False",
          REFUSED,
          count + "; " + String.join("; ", report.refusals()));
    } else if (falseSince(previous).filter(t -> t.plus(APPLY_WINDOW).isBefore(now)).isPresent()) {
      conditions.set(
          StatusConditions.SETTINGS_APPLIED,
          "False",
          NOT_CONFIRMED,
          count
              + " after more than "
              + APPLY_WINDOW.toMinutes()
              + " minutes (the operator asks each pod on its probe port, 8081): "
              + report.behind());
    } else {
      conditions.set(
          StatusConditions.SETTINGS_APPLIED,
          "False",
          APPLYING,
          count
              + "; the kubelet projects a changed ConfigMap into running pods within a minute or"
              + " two, and until then the others keep their previous settings: "
              + report.behind());
    }
  }

  /** How soon to ask the pods again, given the status just computed; empty: no need. */
  public static Optional<Duration> recheckAfter(MLWebServiceStatus status) {
    return StatusConditions.find(status, StatusConditions.SETTINGS_APPLIED)
        .map(Condition::getReason)
        .flatMap(
            reason ->
                switch (reason) {
                  case APPLYING -> Optional.of(Duration.ofSeconds(5));
                  case NOT_CONFIRMED, REFUSED -> Optional.of(Duration.ofSeconds(30));
                  default -> Optional.empty();
                });
  }

  private static Optional<Instant> falseSince(MLWebServiceStatus previous) {
    return StatusConditions.find(previous, StatusConditions.SETTINGS_APPLIED)
        .filter(c -> "False".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()));
  }
}
