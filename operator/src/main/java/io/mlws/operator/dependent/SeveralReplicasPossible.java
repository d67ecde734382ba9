package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.mlws.api.v1alpha1.MLWebService;

/** A disruption budget only means something when two or more scorer pods may run. */
public class SeveralReplicasPossible implements Condition<PodDisruptionBudget, MLWebService> {
  @Override
  public boolean isMet(
      DependentResource<PodDisruptionBudget, MLWebService> dependent,
      MLWebService mlws,
      Context<MLWebService> context) {
    return ScorerPlan.of(context).spec().maxReplicas() >= 2;
  }
}
