package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.mlws.operator.spec.ScorerNames;

/** The stable in-cluster address of the scorer pods: http://NAME.NAMESPACE.svc/score. */
public class ScorerService extends ScorerObject<Service> {

  public ScorerService() {
    super(Service.class);
  }

  @Override
  public String objectName(String name) {
    return name;
  }

  @Override
  protected Service desired(ScorerPlan plan) {
    return desired(plan.spec().name(), plan.spec().namespace());
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
        // Plain HTTP/1.1: what Gateway API implementations, Istio and ingress controllers read
        // to route to the pods without guessing (no TLS or HTTP/2 at the pod).
        .withAppProtocol("http")
        .withPort(80)
        .withTargetPort(new IntOrString(ScorerNames.PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
