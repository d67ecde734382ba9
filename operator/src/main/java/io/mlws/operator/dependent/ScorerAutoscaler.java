package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.mlws.api.v1alpha1.AutoscalingSpec;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ResolvedSpec.ResolvedAutoscaling;
import io.mlws.operator.spec.ScorerNames;

/** Scales the scorer on CPU when spec.autoscaling is set; the Deployment then omits replicas. */
public class ScorerAutoscaler extends ScorerObject<HorizontalPodAutoscaler> {

  public ScorerAutoscaler() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  public String objectName(String name) {
    return name;
  }

  @Override
  protected HorizontalPodAutoscaler desired(ScorerPlan plan) {
    return desired(plan.spec());
  }

  public static HorizontalPodAutoscaler desired(ResolvedSpec spec) {
    // JOSDK also asks for the desired object to find the one to delete once autoscaling is unset.
    ResolvedAutoscaling autoscaling =
        spec.autoscaling().orElseGet(() -> ResolvedSpec.autoscaling(new AutoscalingSpec()));
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(ScorerNames.metadata(spec.name(), spec.name(), spec.namespace()))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(spec.name())
        .endScaleTargetRef()
        .withMinReplicas(autoscaling.minReplicas())
        .withMaxReplicas(autoscaling.maxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(autoscaling.targetCpuPercent())
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }
}
