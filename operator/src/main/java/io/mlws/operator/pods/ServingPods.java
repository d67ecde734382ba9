package io.mlws.operator.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The scorer pods a Service sends calls to: ready, with an IP, and not on their way out. */
public final class ServingPods {
  private ServingPods() {}

  public static List<Pod> list(
      KubernetesClient client, String namespace, Map<String, String> selector) {
    return client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
        .filter(ServingPods::serves)
        .toList();
  }

  /** {@code path} on the pod's own IP (an IPv6 one in brackets) at {@code port}. */
  public static URI uri(Pod pod, int port, String path) {
    String ip = pod.getStatus().getPodIP();
    return URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port + path);
  }

  public static boolean serves(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && pod.getStatus().getPodIP() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
