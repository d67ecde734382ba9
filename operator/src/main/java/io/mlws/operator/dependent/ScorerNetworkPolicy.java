package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.util.ArrayList;
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
    return desired(plan.spec());
  }

  /**
   * While there are spec.versions, the policy covers every version's pods and admits calls from
   * them too: a pod sends the calls it routes to another version's pods.
   */
  public static NetworkPolicy desired(ResolvedSpec spec) {
    String name = spec.name();
    List<NetworkPolicyPeer> from =
        new ArrayList<>(spec.callers().networkPolicyFrom().orElseThrow());
    if (!spec.versions().isEmpty()) {
      from.add(
          new NetworkPolicyPeerBuilder()
              .withNewPodSelector()
              .withMatchLabels(ScorerNames.endpointSelector(name))
              .endPodSelector()
              .build());
    }
    return new NetworkPolicyBuilder()
        .withMetadata(ScorerNames.metadata(name, name, spec.namespace()))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(
            spec.versions().isEmpty()
                ? ScorerNames.selector(name)
                : ScorerNames.endpointSelector(name))
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
