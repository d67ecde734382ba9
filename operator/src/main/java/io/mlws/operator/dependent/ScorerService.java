package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.mlws.api.v1alpha1.MLWebService;

/** The stable in-cluster address of the scorer pods: http://NAME.NAMESPACE.svc/score. */
@KubernetesDependent(informer = @Informer(labelSelector = ScorerNames.MANAGED_SELECTOR))
public class ScorerService extends CRUDKubernetesDependentResource<Service, MLWebService> {

  public ScorerService() {
    super(Service.class);
  }

  @Override
  protected Service desired(MLWebService mlws, Context<MLWebService> context) {
    return desired(mlws.getMetadata().getName(), mlws.getMetadata().getNamespace());
  }

  public static Service desired(String name, String namespace) {
    return new ServiceBuilder()
        .withMetadata(ScorerNames.metadata(name, name, namespace))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ScorerNames.selector(name))
        .addNewPort()
        .withName(ScorerNames.PORT_NAME)
        .withProtocol("TCP")
        .withPort(80)
        .withTargetPort(new IntOrString(ScorerNames.PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
