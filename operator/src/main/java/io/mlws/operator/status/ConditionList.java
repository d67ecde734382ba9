package io.mlws.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the new condition list from the previous one, keeping each lastTransitionTime unless that
 * condition's status really flips: what kstatus, Flux and Argo CD expect.
 */
final class ConditionList {
  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final List<Condition> next = new ArrayList<>();

  ConditionList(List<Condition> previous, long generation, Instant now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
  }

  ConditionList set(String type, boolean status, String reason, String message) {
    return set(type, status ? "True" : "False", reason, message);
  }

  /** With the status as text: True, False or Unknown. */
  ConditionList set(String type, String statusText, String reason, String message) {
    String transitionTime =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && statusText.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now);
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(statusText)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transitionTime)
            .build());
    return this;
  }

  List<Condition> build() {
    return List.copyOf(next);
  }
}
