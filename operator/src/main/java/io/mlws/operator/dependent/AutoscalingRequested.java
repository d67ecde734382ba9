package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.mlws.api.v1alpha1.MLWebService;

/** An autoscaler exists exactly while spec.autoscaling is set. */
public class AutoscalingRequested implements Condition<HorizontalPodAutoscaler, MLWebService> {
  @Override
  public boolean isMet(
      DependentResource<HorizontalPodAutoscaler, MLWebService> dependent,
      MLWebService mlws,
      Context<MLWebService> context) {
    return ScorerPlan.of(context).spec().autoscaling().isPresent();
  }
}
