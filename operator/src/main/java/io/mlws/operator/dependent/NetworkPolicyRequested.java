package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.mlws.api.v1alpha1.MLWebService;

/** A NetworkPolicy exists exactly while spec.networkPolicy is set. */
public class NetworkPolicyRequested implements Condition<NetworkPolicy, MLWebService> {
  @Override
  public boolean isMet(
      DependentResource<NetworkPolicy, MLWebService> dependent,
      MLWebService mlws,
      Context<MLWebService> context) {
    return ScorerPlan.of(context).spec().callers().networkPolicyFrom().isPresent();
  }
}
