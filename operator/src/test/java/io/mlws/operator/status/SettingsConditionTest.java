package io.mlws.operator.status;

import static io.mlws.operator.status.ObservedStatusTest.T0;
import static io.mlws.operator.status.ObservedStatusTest.deployment;
import static io.mlws.operator.status.ObservedStatusTest.mlws;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.settings.PodSettingsAnswer;
import io.mlws.operator.settings.SettingsReport;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * SettingsApplied says what the ready pods reported, never what was merely asked for: True only
 * when each applies the file in the ConfigMap; Applying (rechecked in seconds) while the kubelet
 * catches up; NotConfirmed after the window; Refused when a pod read the file and refused it.
 */
class SettingsConditionTest {
  static final String NEW = "sha256:" + "a".repeat(64);
  static final String OLD = "sha256:" + "b".repeat(64);

  @Test
  void trueOnlyWhenEveryReadyPodAppliesTheFile() {
    MLWebServiceStatus status =
        compute(mlws(1), asked(applies("iris-1", NEW), applies("iris-2", NEW)), T0);

    assertThat(condition(status))
        .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly(
            "True",
            "Applied",
            "every ready scorer pod applies the settings file sha256:aaaaaaaaaaaa of ConfigMap"
                + " iris-settings");
    assertThat(status.getAppliedSettings()).isEqualTo(NEW);
    assertThat(SettingsCondition.recheckAfter(status)).isEmpty();
  }

  @Test
  void applyingWhileSomePodsKeepThePreviousFileAndAskedAgainSoon() {
    MLWebServiceStatus status =
        compute(
            mlws(1),
            asked(
                applies("iris-1", NEW),
                applies("iris-2", OLD),
                PodSettingsAnswer.unanswered("iris-3", "connect timed out")),
            T0);

    assertThat(condition(status).getStatus()).isEqualTo("False");
    assertThat(condition(status).getReason()).isEqualTo("Applying");
    assertThat(condition(status).getMessage())
        .startsWith("1 of 3 ready pods apply the settings file sha256:aaaaaaaaaaaa")
        .contains("iris-2 applies sha256:bbbbbbbbbbbb")
        .contains("iris-3 could not be asked (connect timed out)");
    assertThat(status.getAppliedSettings()).as("not promised before pods apply it").isNull();
    assertThat(SettingsCondition.recheckAfter(status)).hasValue(Duration.ofSeconds(5));
  }

  @Test
  void notConfirmedOnceTheKubeletsWindowHasPassed() {
    MLWebService mlws = mlws(1);
    mlws.setStatus(compute(mlws, asked(applies("iris-1", OLD)), T0));

    MLWebServiceStatus stillBehind =
        compute(mlws, asked(applies("iris-1", OLD)), T0.plus(Duration.ofMinutes(2)));
    MLWebServiceStatus late =
        compute(mlws, asked(applies("iris-1", OLD)), T0.plus(Duration.ofMinutes(4)));

    assertThat(condition(stillBehind).getReason()).isEqualTo("Applying");
    assertThat(condition(late).getReason()).isEqualTo("NotConfirmed");
    assertThat(condition(late).getLastTransitionTime()).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(SettingsCondition.recheckAfter(late)).hasValue(Duration.ofSeconds(30));
  }

  @Test
  void aPodThatRefusedTheFileSaysWhy() {
    MLWebServiceStatus status =
        compute(
            mlws(1),
            asked(
                PodSettingsAnswer.answered(
                    "iris-1", OLD, Optional.of("dataCollection.maxPayloadChars must be …"))),
            T0);

    assertThat(condition(status).getReason()).isEqualTo("Refused");
    assertThat(condition(status).getMessage())
        .contains(
            "iris-1 applies sha256:bbbbbbbbbbbb and refused the newest file:"
                + " dataCollection.maxPayloadChars must be …");
  }

  @Test
  void unknownWithoutReadyPodsAndAbsentWhenNotChecked() {
    MLWebServiceStatus none = compute(mlws(1), asked(), T0);
    assertThat(condition(none).getStatus()).isEqualTo("Unknown");
    assertThat(condition(none).getReason()).isEqualTo("NoReadyPods");

    MLWebServiceStatus off = compute(mlws(1), Optional.empty(), T0);
    assertThat(StatusConditions.find(off, StatusConditions.SETTINGS_APPLIED)).isEmpty();
  }

  @Test
  void aFileConfirmedEarlierStaysAppliedWithoutAskingAndWithoutAWrite() {
    MLWebService mlws = mlws(1);
    mlws.setStatus(compute(mlws, asked(applies("iris-1", NEW)), T0));

    MLWebServiceStatus next =
        compute(mlws, Optional.of(SettingsReport.alreadyConfirmed(NEW)), T0.plusSeconds(60));

    assertThat(next).as("an equal status is not written").isEqualTo(mlws.getStatus());
  }

  static PodSettingsAnswer applies(String pod, String digest) {
    return PodSettingsAnswer.answered(pod, digest, Optional.empty());
  }

  static Optional<SettingsReport> asked(PodSettingsAnswer... answers) {
    return Optional.of(SettingsReport.asked(NEW, List.of(answers)));
  }

  static Condition condition(MLWebServiceStatus status) {
    return StatusConditions.find(status, StatusConditions.SETTINGS_APPLIED).orElseThrow();
  }

  static MLWebServiceStatus compute(
      MLWebService mlws, Optional<SettingsReport> settings, Instant now) {
    ResolvedSpec spec = ResolvedSpec.of(mlws, OperatorConfig.defaults());
    return ObservedStatus.compute(
        mlws,
        spec,
        deployment(4, 2, 2, 2, 2, null),
        TelemetryPlan.of(spec, Optional.empty()),
        Optional.empty(),
        settings,
        now);
  }
}
