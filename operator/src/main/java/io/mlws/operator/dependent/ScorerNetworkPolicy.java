package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.mlws.operator.spec.ScorerNames;
import java.util.List;

/**
 * Admits to the scoring port only the callers spec.networkPolicy.from names; the probe port stays
 * open to all (the kubelet, the operator asking which settings a pod applies, Prometheus).
 */
public class ScorerNetworkPolicy extends ScorerObject<NetworkPolicy> {

  public ScorerNetworkPolicy() {
    super(NetworkPolicy.class);
  }

  @Override
  public String objectName(String name) {
    return name;
  }

  @Override
  protected NetworkPolicy desired(ScorerPlan plan) {
    return desired(
        plan.spec().name(),
        plan.spec().namespace(),
        plan.spec().callers().networkPolicyFrom().orElseThrow());
  }

  public static NetworkPolicy desired(String name, String namespace, List<NetworkPolicyPeer> from) {
    return new NetworkPolicyBuilder()
        .withMetadata(ScorerNames.metadata(name, name, namespace))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(ScorerNames.selector(name))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withPorts(tcp(ScorerNames.CONTAINER_PORT))
        .withFrom(from)
        .endIngress()
        .addNewIngress()
        .withPorts(tcp(ScorerNames.PROBE_PORT))
        .endIngress()
        .endSpec()
        .build();
  }

  private static NetworkPolicyPort tcp(int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .build();
  }
}
