package io.mlws.operator.process;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.operator.ApiRefusal;
import java.util.Optional;

/**
 * One quick request before anything starts, so that an operator with no reachable cluster says so
 * in one line and exits, instead of retrying for minutes behind pages of stack traces.
 */
final class ApiServerProbe {
  private ApiServerProbe() {}

  /** Empty when the API server answered; otherwise the sentence to print. */
  static Optional<String> unreachable(Config config) {
    Config quick =
        new ConfigBuilder(config)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(5_000)
            .withRequestTimeout(5_000)
            .build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(quick).build()) {
      client.getKubernetesVersion();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(
          "cannot reach the Kubernetes API server at %s (%s): %s. Point KUBECONFIG at a cluster"
                  .formatted(config.getMasterUrl(), source(config), rootMessage(e))
              + " (kubectl config use-context), or start one with local-cluster/cluster up and"
              + " export KUBECONFIG=$(local-cluster/cluster kubeconfig)");
    }
  }

  private static String source(Config config) {
    String kubeconfig = System.getenv("KUBECONFIG");
    if (config.getCurrentContext() != null) {
      return "context %s of %s"
          .formatted(
              config.getCurrentContext().getName(),
              kubeconfig != null ? kubeconfig : "~/.kube/config");
    }
    return kubeconfig != null
        ? "KUBECONFIG=" + kubeconfig + " has no usable context"
        : "no kubeconfig found and not running in a pod";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = ApiRefusal.rootCause(e);
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }
}
