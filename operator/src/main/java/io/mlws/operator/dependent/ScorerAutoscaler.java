package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.mlws.api.v1alpha1.AutoscalingSpec;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.OperatorConfig;
import io.mlws.operator.ResolvedSpec;

/** Scales the scorer on CPU when spec.autoscaling is set; the Deployment then omits replicas. */
@KubernetesDependent(informer = @Informer(labelSelector = ScorerNames.MANAGED_SELECTOR))
public class ScorerAutoscaler
    extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, MLWebService> {
  private final OperatorConfig config;

  public ScorerAutoscaler(OperatorConfig config) {
    super(HorizontalPodAutoscaler.class);
    this.config = config;
  }

  @Override
  protected HorizontalPodAutoscaler desired(MLWebService mlws, Context<MLWebService> context) {
    return desired(ResolvedSpec.of(mlws, config));
  }

  public static HorizontalPodAutoscaler desired(ResolvedSpec spec) {
    // JOSDK also asks for the desired object to find the one to delete once autoscaling is unset.
    AutoscalingSpec autoscaling = spec.autoscaling().orElseGet(AutoscalingSpec::new);
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(ScorerNames.metadata(spec.name(), spec.name(), spec.namespace()))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(spec.name())
        .endScaleTargetRef()
        .withMinReplicas(autoscaling.getMinReplicas() == null ? 1 : autoscaling.getMinReplicas())
        .withMaxReplicas(autoscaling.getMaxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(
            autoscaling.getTargetCPUUtilizationPercentage() == null
                ? 70
                : autoscaling.getTargetCPUUtilizationPercentage())
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }
}
