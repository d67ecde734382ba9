package io.mlws.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes Events that explain a status change, derived from the old and new status alone so
 * a steady state records nothing and every event is a transition someone can act on.
 */
public final class TransitionEvents {
  /** One event to record: type is Normal or Warning, reason is CamelCase. */
  public record Note(String type, String reason, String message) {}

  private TransitionEvents() {}

  public static List<Note> between(MLWebServiceStatus before, MLWebServiceStatus after) {
    List<Note> notes = new ArrayList<>();
    boolean first = before == null || before.getObservedGeneration() == null;
    Optional<Condition> stalled = StatusConditions.find(after, StatusConditions.STALLED);
    boolean stalledNow = StatusConditions.isTrue(after, StatusConditions.STALLED);

    if (stalledNow
        && (!StatusConditions.isTrue(before, StatusConditions.STALLED)
            || !sameMessage(before, after, StatusConditions.STALLED))) {
      notes.add(new Note("Warning", stalled.get().getReason(), stalled.get().getMessage()));
    } else if (first) {
      notes.add(
          new Note("Normal", "Created", "created the scorer: ConfigMap, Deployment and Service"));
    } else if (!Objects.equals(before.getObservedGeneration(), after.getObservedGeneration())
        && !stalledNow) {
      notes.add(
          new Note(
              "Normal",
              "Updated",
              "applied generation %d to the scorer objects"
                  .formatted(after.getObservedGeneration())));
    }

    AppInsightsState insightsBefore = first ? AppInsightsState.DISABLED : before.getAppInsights();
    if (after.getAppInsights() != insightsBefore) {
      String message =
          StatusConditions.find(after, StatusConditions.APP_INSIGHTS_READY)
              .map(Condition::getMessage)
              .orElse("");
      String type =
          after.getAppInsights() == AppInsightsState.SECRET_MISSING ? "Warning" : "Normal";
      notes.add(new Note(type, after.getAppInsights().reason(), message));
    }

    DataCollectionState collectionBefore =
        first ? DataCollectionState.DISABLED : before.getDataCollection();
    if (after.getDataCollection() != collectionBefore) {
      switch (after.getDataCollection()) {
        case ENABLED ->
            notes.add(
                new Note(
                    "Normal",
                    "DataCollectionEnabled",
                    "scored inputs and predictions are collected"));
        case DISABLED ->
            notes.add(
                new Note(
                    "Normal",
                    "DataCollectionDisabled",
                    "scored inputs and predictions are not collected"));
        case INACTIVE ->
            notes.add(
                new Note(
                    "Warning",
                    "DataCollectionInactive",
                    "data collection is requested but Application Insights is not sending and no"
                        + " storage is set (spec.dataCollection.storage)"));
      }
    }

    if (StatusConditions.isTrue(after, StatusConditions.READY)
        && !StatusConditions.isTrue(before, StatusConditions.READY)) {
      notes.add(
          new Note(
              "Normal",
              "Ready",
              StatusConditions.find(after, StatusConditions.READY).get().getMessage()));
    }
    return notes;
  }

  private static boolean sameMessage(
      MLWebServiceStatus before, MLWebServiceStatus after, String type) {
    return Objects.equals(
        StatusConditions.find(before, type).map(Condition::getMessage),
        StatusConditions.find(after, type).map(Condition::getMessage));
  }
}
