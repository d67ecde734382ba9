package io.mlws.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events are transitions: what changed between two statuses, and nothing when nothing did. */
class TransitionEventsTest {
  static MLWebServiceStatus status(
      long generation,
      boolean ready,
      boolean stalled,
      AppInsightsState insights,
      DataCollectionState data) {
    MLWebServiceStatus status = new MLWebServiceStatus();
    status.setObservedGeneration(generation);
    List<io.fabric8.kubernetes.api.model.Condition> conditions = new ArrayList<>();
    conditions.add(
        new ConditionBuilder()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .withMessage("2/2 replicas ready")
            .build());
    conditions.add(
        new ConditionBuilder()
            .withType("Stalled")
            .withStatus(stalled ? "True" : "False")
            .withReason("InvalidSpec")
            .withMessage("spec cannot be realized: x")
            .build());
    conditions.add(
        new ConditionBuilder()
            .withType("AppInsightsReady")
            .withStatus("False")
            .withMessage("Secret ai not found")
            .build());
    status.setConditions(conditions);
    status.setAppInsights(insights);
    status.setDataCollection(data);
    return status;
  }

  static List<String> reasons(MLWebServiceStatus before, MLWebServiceStatus after) {
    return TransitionEvents.between(before, after).stream()
        .map(TransitionEvents.Note::reason)
        .toList();
  }

  @Test
  void firstStatusIsCreated() {
    assertThat(
            reasons(
                null,
                status(1, false, false, AppInsightsState.DISABLED, DataCollectionState.DISABLED)))
        .containsExactly("Created");
  }

  @Test
  void noChangeNoEvent() {
    var same = status(2, true, false, AppInsightsState.ENABLED, DataCollectionState.ENABLED);
    assertThat(
            reasons(
                same,
                status(2, true, false, AppInsightsState.ENABLED, DataCollectionState.ENABLED)))
        .isEmpty();
  }

  @Test
  void eachTransitionHasItsEvent() {
    var before = status(2, false, false, AppInsightsState.DISABLED, DataCollectionState.DISABLED);
    assertThat(
            reasons(
                before,
                status(3, false, false, AppInsightsState.ENABLED, DataCollectionState.DISABLED)))
        .containsExactly("Updated", "Enabled");
    assertThat(
            reasons(
                before,
                status(2, true, false, AppInsightsState.DISABLED, DataCollectionState.DISABLED)))
        .containsExactly("Ready");
    assertThat(
            reasons(
                before,
                status(
                    2,
                    false,
                    false,
                    AppInsightsState.SECRET_MISSING,
                    DataCollectionState.INACTIVE)))
        .containsExactly("SecretMissing", "DataCollectionInactive");
    assertThat(
            reasons(
                before,
                status(3, false, true, AppInsightsState.DISABLED, DataCollectionState.DISABLED)))
        .containsExactly("InvalidSpec");
  }

  @Test
  void warningsAreWarnings() {
    var notes =
        TransitionEvents.between(
            status(2, true, false, AppInsightsState.ENABLED, DataCollectionState.DISABLED),
            status(2, true, false, AppInsightsState.SECRET_MISSING, DataCollectionState.DISABLED));
    assertThat(notes)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.type()).isEqualTo("Warning");
              assertThat(n.message()).isEqualTo("Secret ai not found");
            });
  }
}
