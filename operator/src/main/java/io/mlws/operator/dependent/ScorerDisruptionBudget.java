package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.mlws.api.v1alpha1.MLWebService;

/**
 * Keeps voluntary disruptions (node drains) to one scorer pod at a time. maxUnavailable rather than
 * minAvailable, so a service scaled down to one pod never blocks a drain.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ScorerNames.MANAGED_SELECTOR))
public class ScorerDisruptionBudget
    extends CRUDKubernetesDependentResource<PodDisruptionBudget, MLWebService> {

  public ScorerDisruptionBudget() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(MLWebService mlws, Context<MLWebService> context) {
    return desired(mlws.getMetadata().getName(), mlws.getMetadata().getNamespace());
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
