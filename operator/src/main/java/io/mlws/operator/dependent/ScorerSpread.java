package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.util.List;

/**
 * Where the scorer pods go: spread over nodes and zones, softly by default, so that one node or one
 * zone going away never takes every replica of a model with it.
 */
final class ScorerSpread {
  static final List<String> DEFAULT_TOPOLOGY_KEYS =
      List.of("kubernetes.io/hostname", "topology.kubernetes.io/zone");

  private ScorerSpread() {}

  static List<TopologySpreadConstraint> constraints(ResolvedSpec spec) {
    List<TopologySpreadConstraint> given = spec.pod().getTopologySpreadConstraints();
    if (given == null || given.isEmpty()) {
      return DEFAULT_TOPOLOGY_KEYS.stream()
          .map(
              key ->
                  new TopologySpreadConstraintBuilder()
                      .withMaxSkew(1)
                      .withTopologyKey(key)
                      .withWhenUnsatisfiable("ScheduleAnyway")
                      .build())
          .map(c -> ofThisService(c, spec.name()))
          .toList();
    }
    return given.stream().map(c -> ofThisService(c, spec.name())).toList();
  }

  /**
   * A constraint counts this service's pods unless it says otherwise; pods of the ReplicaSet being
   * replaced are not counted against the new one (matchLabelKeys pod-template-hash).
   */
  private static TopologySpreadConstraint ofThisService(
      TopologySpreadConstraint constraint, String name) {
    TopologySpreadConstraintBuilder builder = new TopologySpreadConstraintBuilder(constraint);
    if (constraint.getLabelSelector() == null) {
      builder.withLabelSelector(
          new LabelSelectorBuilder().withMatchLabels(ScorerNames.selector(name)).build());
      if (constraint.getMatchLabelKeys() == null || constraint.getMatchLabelKeys().isEmpty()) {
        builder.withMatchLabelKeys("pod-template-hash");
      }
    }
    return builder.build();
  }
}
