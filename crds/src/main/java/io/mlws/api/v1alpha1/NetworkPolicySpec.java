package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

/** Which callers the cluster's network lets reach the scoring port, as a NetworkPolicy says it. */
public class NetworkPolicySpec {
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.all(p, has(p.podSelector) || has(p.namespaceSelector) || has(p.ipBlock))",
      message = "each networkPolicy.from entry names podSelector, namespaceSelector or ipBlock")
  @ValidationRule(
      value = "self.all(p, !has(p.ipBlock) || (!has(p.podSelector) && !has(p.namespaceSelector)))",
      message =
          "a networkPolicy.from entry with ipBlock cannot also have a pod or namespace selector")
  @ValidationRule(
      value = "self.all(p, !has(p.ipBlock) || has(p.ipBlock.cidr))",
      message = "networkPolicy.from[].ipBlock.cidr is required")
  @JsonPropertyDescription(
      "The callers that may reach the scoring port (8080), as in a NetworkPolicy's"
          + " ingress[].from: pods by label (podSelector, in this namespace), namespaces by label"
          + " (namespaceSelector), pods in those namespaces (both), or address ranges (ipBlock,"
          + " e.g. an ingress controller outside the pod network). Anyone else is refused by the"
          + " network. The probe port (8081: health, settings) stays open to all, for the kubelet,"
          + " the operator and Prometheus. At least one entry.")
  private List<NetworkPolicyPeer> from;

  public List<NetworkPolicyPeer> getFrom() {
    return from;
  }

  public void setFrom(List<NetworkPolicyPeer> from) {
    this.from = from;
  }
}
