package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.mlws.operator.spec.ScorerNames;

/**
 * Keeps voluntary disruptions (node drains) to one scorer pod at a time. maxUnavailable rather than
 * minAvailable, so a service scaled down to one pod never blocks a drain.
 */
public class ScorerDisruptionBudget extends ScorerObject<PodDisruptionBudget> {

  public ScorerDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  @Override
  public String objectName(String name) {
    return name;
  }

  @Override
  protected PodDisruptionBudget desired(ScorerPlan plan) {
    return desired(plan.spec().name(), plan.spec().namespace());
  }

  public static PodDisruptionBudget desired(String name, String namespace) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(ScorerNames.metadata(name, name, namespace))
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector()
        .withMatchLabels(ScorerNames.selector(name))
        .endSelector()
        .endSpec()
        .build();
  }
}
