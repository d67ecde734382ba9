package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.util.Map;

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
    return desired(plan.spec().name(), plan.spec().namespace(), selector(plan.spec()));
  }

  /**
   * spec.model's pods, with or without spec.versions: they take every caller's connection and share
   * the calls by the versions' weights, sending the others' on to their Services. A version's pods
   * take only the calls sent on to them, so a slow version, or one with a shadow's share only,
   * never holds a caller's connection.
   */
  public static Map<String, String> selector(ResolvedSpec spec) {
    return ScorerNames.selector(spec.name());
  }

  public static Service desired(String name, String namespace, Map<String, String> selector) {
    return new ServiceBuilder()
        .withMetadata(ScorerNames.metadata(name, name, namespace))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .addNewPort()
        .withName(ScorerNames.PORT_NAME)
        .withProtocol("TCP")
        // Plain HTTP/1.1: what Gateway API implementations, Istio and ingress controllers read
        // to route to the pods without guessing (no TLS or HTTP/2 at the pod).
        .withAppProtocol("http")
        .withPort(ScorerNames.SERVICE_PORT)
        .withTargetPort(new IntOrString(ScorerNames.PORT_NAME))
        .endPort()
        // The probe port's /metrics through the Service: what KEDA's metrics-api scaler sums over
        // the Service's endpoints (aggregateFromKubeServiceEndpoints), and a ServiceMonitor
        // scrapes.
        .addNewPort()
        .withName(ScorerNames.METRICS_PORT_NAME)
        .withProtocol("TCP")
        .withAppProtocol("http")
        .withPort(ScorerNames.PROBE_PORT)
        .withTargetPort(new IntOrString(ScorerNames.PROBE_PORT_NAME))
        .endPort()
        .endSpec()
        .build();
  }
}
