package io.mlws.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.Kubectl;
import io.mlws.operator.cluster.LocalCluster;
import io.mlws.operator.cluster.OperatorJar;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end with the manifests users apply: install deploy/default, deploy a sample, wait for
 * Ready, score through the Service, toggle telemetry and data collection, clean up.
 *
 * <p>By default on the local control plane (local-cluster/): there the operator's own Deployment
 * becomes Available as a kwok pod, which proves only that it schedules, so the operator itself runs
 * as the packaged jar (as its ServiceAccount), and the scoring step, which needs a container
 * runtime, is skipped with that reason. With {@code -Dmlws.e2e=true} it runs on the cluster of the
 * current kubeconfig context (kind, AKS, any; the README says which images it needs) and fails when
 * no cluster answers there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterE2E {
  static final Path DEPLOY = Path.of("../deploy");
  static final String NS = System.getProperty("mlws.e2e.namespace", "mlws-e2e");
  static final boolean REAL_CLUSTER = Boolean.getBoolean("mlws.e2e");
  static KubernetesClient client;
  static Path kubeconfig;
  static Process operatorJar;

  @BeforeAll
  static void connect() throws Exception {
    if (REAL_CLUSTER) {
      client = new KubernetesClientBuilder().build();
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
    } else {
      LocalCluster cluster = LocalCluster.shared();
      kubeconfig = cluster.kubeconfig();
      client = cluster.admin();
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (operatorJar != null) {
      operatorJar.destroy();
      operatorJar.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    if (client == null) {
      return;
    }
    kubectl("delete", "namespace", NS, "--ignore-not-found", "--wait=false");
    if (!REAL_CLUSTER) {
      // The CRD and RBAC stay: the other tests on the local control plane use them.
      kubectl("-n", "mlws-system", "delete", "deployment/mlws-operator", "--ignore-not-found");
    } else if (!Boolean.getBoolean("mlws.e2e.keepOperator")) {
      kubectl(
          "delete",
          "-k",
          DEPLOY.resolve("default").toString(),
          "--ignore-not-found",
          "--wait=false");
    }
    client.close();
  }

  @Test
  @Order(1)
  void installsTheOperator() throws Exception {
    assertThat(kubectl("apply", "--server-side", "-k", DEPLOY.resolve("default").toString()))
        .contains("serverside-applied");
    String image = System.getProperty("mlws.e2e.operatorImage");
    if (image != null) {
      kubectl("-n", "mlws-system", "set", "image", "deployment/mlws-operator", "operator=" + image);
    }
    kubectl("-n", "mlws-system", "rollout", "status", "deployment/mlws-operator", "--timeout=5m");
    if (!REAL_CLUSTER) {
      // The Deployment above is a kwok pod: scheduled, never run. The operator runs here instead.
      Path home = java.nio.file.Files.createTempDirectory("mlws-e2e");
      operatorJar =
          OperatorJar.start(
              LocalCluster.shared(),
              home,
              java.util.Map.of("MLWS_HEALTH_PORT", "0", "MLWS_WATCH_NAMESPACES", NS));
    }
  }

  @Test
  @Order(2)
  void servesASampleAndScoresThroughTheService() throws Exception {
    if (client.namespaces().withName(NS).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
          .create();
    }
    kubectl("-n", NS, "apply", "-f", DEPLOY.resolve("samples/iris-basic.yaml").toString());
    String scorerImage = System.getProperty("mlws.e2e.scorerImage");
    if (scorerImage != null) {
      kubectl(
          "-n",
          NS,
          "patch",
          "mlws",
          "iris",
          "--type",
          "merge",
          "-p",
          "{\"spec\":{\"image\":\"" + scorerImage + "\"}}");
    }
    kubectl("-n", NS, "wait", "--for=condition=Ready", "mlws/iris", "--timeout=10m");
    assertThat(kubectl("-n", NS, "get", "mlws", "iris")).contains("2/2");
    assumeTrue(
        REAL_CLUSTER,
        "scoring through the Service needs a container runtime; local-cluster's kwok pods run none");

    int port = freePort();
    Process forward =
        new ProcessBuilder(
                Kubectl.binary().toString(), "-n", NS, "port-forward", "svc/iris", port + ":80")
            .redirectErrorStream(true)
            .start();
    try {
      await()
          .atMost(Duration.ofMinutes(1))
          .ignoreExceptions()
          .until(() -> score(port).statusCode() == 200);
      assertThat(score(port).body()).contains("predictions");
    } finally {
      forward.destroy();
    }
  }

  @Test
  @Order(3)
  void togglesTelemetryAndDataCollection() throws Exception {
    kubectl("-n", NS, "apply", "-f", DEPLOY.resolve("samples/appinsights-secret.yaml").toString());
    kubectl(
        "-n",
        NS,
        "patch",
        "mlws",
        "iris",
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"appInsights\":{\"enabled\":true,\"connectionStringSecretRef\":{\"name\":\"appinsights\"}}}}");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> kubectl("-n", NS, "get", "mlws", "iris").contains("Enabled"));
    kubectl("-n", NS, "wait", "--for=condition=Ready", "mlws/iris", "--timeout=5m");
    var env =
        client
            .apps()
            .deployments()
            .inNamespace(NS)
            .withName("iris")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env).anySatisfy(e -> assertThat(e.getName()).isEqualTo("JAVA_TOOL_OPTIONS"));

    kubectl(
        "-n",
        NS,
        "patch",
        "mlws",
        "iris",
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"dataCollection\":{\"enabled\":true}}}");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                client
                    .resources(MLWebService.class)
                    .inNamespace(NS)
                    .withName("iris")
                    .get()
                    .getStatus()
                    .getDataCollection()
                    .name()
                    .equals("ENABLED"));

    kubectl(
        "-n",
        NS,
        "patch",
        "mlws",
        "iris",
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> kubectl("-n", NS, "get", "mlws", "iris").contains("Disabled"));
    kubectl("-n", NS, "wait", "--for=condition=Ready", "mlws/iris", "--timeout=5m");
  }

  static String kubectl(String... args) throws IOException, InterruptedException {
    return Kubectl.run(kubeconfig, Duration.ofMinutes(10), args);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static HttpResponse<String> score(int port) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[5.1, 3.5, 1.4, 0.2]]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
