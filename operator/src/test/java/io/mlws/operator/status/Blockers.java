package io.mlws.operator.status;

import java.util.List;
import java.util.Optional;

/** Test shorthand: the blocker the reconciler reports for a list of spec problems. */
public final class Blockers {
  private Blockers() {}

  public static Optional<Blocker> invalidSpec(List<String> problems) {
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new Blocker(
                Blocker.INVALID_SPEC, "spec cannot be realized: " + String.join("; ", problems)));
  }
}
