package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.operator.harness.Helm;
import io.mlws.operator.harness.Kubectl;
import io.mlws.operator.harness.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * mlws installed as it ships, once per test JVM, for every scenario: on the local cluster, the
 * images built from our Dockerfiles, loaded into the real node and installed with the Helm chart
 * and the GitOps examples' values (the try-it installs deploy/local, which renders the same); with
 * {@code -Dmlws.e2e=true}, the cluster of the current kubeconfig context (kind, AKS, any) with
 * deploy/default and the images named by {@code -Dmlws.e2e.operatorImage} and {@code
 * -Dmlws.e2e.scorerImage}, failing when no cluster answers there.
 */
final class E2eCluster implements AutoCloseable {
  static final Path DEPLOY = LocalCluster.REPO.resolve("deploy");

  /** The scenarios run on the current kubeconfig context's cluster, not on the local one. */
  static final boolean OTHER_CLUSTER = Boolean.getBoolean("mlws.e2e");

  static final String OPERATOR_NAMESPACE = LocalCluster.OPERATOR_NAMESPACE;

  final KubernetesClient client;

  /** The local cluster's kubeconfig; null on another cluster (kubectl's own then). */
  final Path kubeconfig;

  /** The images the local cluster built and loaded, operator then scorer; empty elsewhere. */
  final List<String> images;

  /** What the install said. */
  final String installed;

  private E2eCluster(
      KubernetesClient client, Path kubeconfig, List<String> images, String installed) {
    this.client = client;
    this.kubeconfig = kubeconfig;
    this.images = images;
    this.installed = installed;
  }

  /** Starts (or connects to) the cluster and installs mlws; the operator rolled out. */
  static E2eCluster install() {
    try {
      E2eCluster cluster = OTHER_CLUSTER ? installOnTheCurrentContext() : installLocally();
      cluster.kubectl(
          "-n",
          OPERATOR_NAMESPACE,
          "rollout",
          "status",
          "deployment/mlws-operator",
          "--timeout=5m");
      return cluster;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static E2eCluster installLocally() throws IOException, InterruptedException {
    LocalCluster local = LocalCluster.shared();
    List<String> images = local.buildImages();
    E2eCluster cluster = new E2eCluster(local.admin(), local.kubeconfig(), images, "");
    // The CRD and RBAC the test cluster installed with kubectl become the release's.
    String installed =
        cluster.helm(
            "install",
            "mlws",
            Helm.CHART.toString(),
            "-n",
            OPERATOR_NAMESPACE,
            "-f",
            Helm.gitOpsValuesFile().toString(),
            "--take-ownership",
            "--force-conflicts",
            "--wait",
            "--timeout",
            "5m");
    return new E2eCluster(cluster.client, cluster.kubeconfig, images, installed);
  }

  private static E2eCluster installOnTheCurrentContext() throws IOException, InterruptedException {
    KubernetesClient client = new KubernetesClientBuilder().build();
    try {
      client.getKubernetesVersion();
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new AssertionError(
          "-Dmlws.e2e=true asks for the cluster of the current kubeconfig context, and none"
              + " answers at "
              + client.getMasterUrl()
              + ": "
              + root,
          e);
    }
    E2eCluster cluster = new E2eCluster(client, null, List.of(), "");
    String installed =
        cluster.kubectl("apply", "--server-side", "-k", DEPLOY.resolve("default").toString());
    String image = System.getProperty("mlws.e2e.operatorImage");
    if (image != null) {
      cluster.kubectl(
          "-n",
          OPERATOR_NAMESPACE,
          "set",
          "image",
          "deployment/mlws-operator",
          "operator=" + image);
    }
    String scorer = System.getProperty("mlws.e2e.scorerImage");
    if (scorer != null) {
      cluster.kubectl(
          "-n",
          OPERATOR_NAMESPACE,
          "set",
          "env",
          "deployment/mlws-operator",
          "MLWS_SCORER_IMAGE=" + scorer);
    }
    return new E2eCluster(client, null, List.of(), installed);
  }

  /** A namespace of its own for one scenario, on the real node (locally). */
  String createNamespace(String prefix) {
    if (!OTHER_CLUSTER) {
      return LocalCluster.shared().createNamespaceOnTheRealNode(prefix);
    }
    String name =
        System.getProperty("mlws.e2e.namespace", "mlws-e2e")
            + "-"
            + prefix
            + "-"
            + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
    return name;
  }

  String kubectl(String... args) throws IOException, InterruptedException {
    return Kubectl.run(kubeconfig, Duration.ofMinutes(10), args);
  }

  /** The pinned Helm, on the local cluster. */
  String helm(String... args) throws IOException, InterruptedException {
    return Helm.run(kubeconfig, Duration.ofMinutes(10), args);
  }

  /** The kubeconfig file kubectl reads. */
  String kubeconfigPath() {
    return kubeconfig != null
        ? kubeconfig.toString()
        : System.getenv()
            .getOrDefault("KUBECONFIG", System.getProperty("user.home") + "/.kube/config");
  }

  /**
   * The operator's installed Deployment stays only where asked ({@code -Dmlws.e2e.keepOperator}).
   */
  @Override
  public void close() throws IOException, InterruptedException {
    if (!OTHER_CLUSTER) {
      // The CRD and RBAC stay with the cluster, which goes down at the JVM's exit.
      kubectl("-n", OPERATOR_NAMESPACE, "delete", "deployment/mlws-operator", "--ignore-not-found");
    } else if (!Boolean.getBoolean("mlws.e2e.keepOperator")) {
      kubectl("delete", "-k", DEPLOY.resolve("default").toString(), "--ignore-not-found");
    }
    client.close();
  }

  /** Asserts that the install went as it should: used by the install scenario. */
  void assertInstalledFromOurImages() {
    if (!OTHER_CLUSTER) {
      assertThat(images).containsExactly("mlws.local/operator:local", "mlws.local/scorer:local");
      assertThat(installed).contains("NAME: mlws", "STATUS: deployed");
    }
  }
}
