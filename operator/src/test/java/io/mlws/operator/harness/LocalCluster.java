package io.mlws.operator.harness;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one launcher of the real control plane for the operator's tests: {@code local-cluster/cluster
 * up} once per test JVM (kube-apiserver, etcd, controller-manager, scheduler and kwok, built from
 * the pinned Go modules), the CRD and deploy/rbac installed with the real kubectl, and {@code down}
 * at exit when this run started it.
 */
public final class LocalCluster {
  public static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  public static final Path SCRIPT = REPO.resolve("local-cluster/cluster");

  /** The namespace deploy/default installs into; the operator's ServiceAccount lives there. */
  public static final String OPERATOR_NAMESPACE = "mlws-system";

  public static final String OPERATOR_USER =
      "system:serviceaccount:" + OPERATOR_NAMESPACE + ":mlws-operator";

  private static LocalCluster shared;

  private final Path kubeconfig;
  private String operatorToken;

  private LocalCluster(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  /**
   * Starts a fresh cluster on first use (building it if needed) and installs the CRD and RBAC. A
   * cluster already running (a try-it, an earlier run) is stopped first: an operator installed
   * there would act on the tests' objects.
   */
  public static synchronized LocalCluster shared() {
    if (shared == null) {
      boolean wasRunning =
          run(Duration.ofSeconds(30), SCRIPT.toString(), "status").stream()
              .anyMatch(line -> line.contains("running"));
      if (wasRunning) {
        System.err.println("LocalCluster: a local cluster is running; the tests start their own");
        run(Duration.ofMinutes(2), SCRIPT.toString(), "down");
      }
      List<String> up = run(Duration.ofMinutes(30), SCRIPT.toString(), "up");
      Path kubeconfig = Path.of(up.get(up.size() - 1));
      shared = new LocalCluster(kubeconfig);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> run(Duration.ofMinutes(1), SCRIPT.toString(), "down")));
      shared.installCrdAndRbac();
    }
    return shared;
  }

  private void installCrdAndRbac() {
    kubectl(
        "apply",
        "--server-side",
        "--force-conflicts",
        "-k",
        REPO.resolve("crds/manifests").toString());
    // Not `kubectl wait`: on a CRD so new that it has no status.conditions yet, it fails at once
    // ("<nil> is of the type <nil>") instead of waiting.
    org.awaitility.Awaitility.await("the CRD Established")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                "True"
                    .equals(
                        tryKubectl(
                                "get",
                                "crd/mlwebservices.mlws.io",
                                "-o",
                                "jsonpath={.status.conditions[?(@.type==\"Established\")].status}")
                            .output()
                            .trim()));
    // Established is not served yet: on a fresh cluster the resource's storage may still be
    // initialising, and the first list answers 429 "storage is (re)initializing".
    org.awaitility.Awaitility.await("mlwebservices served by the API server")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              Kubectl.Result listed = tryKubectl("get", "mlwebservices", "-A", "-o", "name");
              if (listed.exitCode() != 0) {
                throw new AssertionError("kubectl get mlwebservices -A: " + listed.output());
              }
            });
    try (KubernetesClient admin = admin()) {
      if (admin.namespaces().withName(OPERATOR_NAMESPACE).get() == null) {
        admin
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(OPERATOR_NAMESPACE)
                    .endMetadata()
                    .build())
            .create();
      }
    }
    kubectl(
        "apply",
        "--server-side",
        "--force-conflicts",
        "-n",
        OPERATOR_NAMESPACE,
        "-k",
        REPO.resolve("deploy/rbac").toString());
  }

  /** The real node's name; its InternalIP is the bridge's address, which pods reach. */
  public static final String REAL_NODE = "mlws-node-0";

  /**
   * Builds the operator and scorer images from their Dockerfiles and loads them into the real node
   * ({@code local-cluster/cluster images}); returns their references, operator then scorer.
   */
  public List<String> buildImages() {
    List<String> lines = run(Duration.ofMinutes(20), SCRIPT.toString(), "images");
    return lines.subList(lines.size() - 2, lines.size());
  }

  /**
   * Installs KEDA and the HorizontalPodAutoscaler controller into the running cluster ({@code
   * local-cluster/cluster keda}; the first time, KEDA is built from its pinned Go module).
   */
  public void installKeda() {
    run(Duration.ofMinutes(30), SCRIPT.toString(), "keda");
  }

  /** The address of the bridge the real node's pods live on (the node's InternalIP). */
  public String bridgeAddress() {
    return kubectl(
        "get",
        "node",
        REAL_NODE,
        "-o",
        "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}");
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The cluster's state folder (logs/, the audit log). */
  public Path stateDir() {
    return kubeconfig.getParent();
  }

  public Config adminConfig() {
    try {
      return Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A client in system:masters. */
  public KubernetesClient admin() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /**
   * A client that is the operator's ServiceAccount, by a token from the TokenRequest API: the real
   * authorizer applies deploy/rbac to it and the audit log names it.
   */
  public KubernetesClient asOperator() {
    return new KubernetesClientBuilder()
        .withConfig(operatorConfig(adminConfig().getMasterUrl()))
        .build();
  }

  /** The operator's identity against {@code masterUrl} (the server, or a proxy in front of it). */
  public Config operatorConfig(String masterUrl) {
    Config admin = adminConfig();
    return new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
        .withMasterUrl(masterUrl)
        .withCaCertFile(admin.getCaCertFile())
        .withOauthToken(operatorToken())
        .withUserAgent(io.mlws.operator.process.OperatorWiring.USER_AGENT)
        .build();
  }

  /** A kubeconfig that is the operator's ServiceAccount, for the operator jar in its own JVM. */
  public Path operatorKubeconfig() {
    return kubeconfig("mlws-operator", operatorToken(), OPERATOR_NAMESPACE);
  }

  /**
   * A kubeconfig that is another ServiceAccount (one a test binds as it likes, where the shared
   * cluster already binds mlws-operator cluster-wide for the other tests).
   */
  public Path serviceAccountKubeconfig(String namespace, String name) {
    try (KubernetesClient admin = admin()) {
      String token =
          admin
              .serviceAccounts()
              .inNamespace(namespace)
              .withName(name)
              .tokenRequest(
                  new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                      .withNewSpec()
                      .withExpirationSeconds(3600L)
                      .endSpec()
                      .build())
              .getStatus()
              .getToken();
      return kubeconfig(namespace + "-" + name, token, namespace);
    }
  }

  private Path kubeconfig(String user, String token, String namespace) {
    Path file = stateDir().resolve(user + ".kubeconfig");
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mlws-local
          cluster: {server: "%s", certificate-authority: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: %s
          context: {cluster: mlws-local, user: %s, namespace: %s}
        current-context: %s
        """
            .formatted(
                adminConfig().getMasterUrl(),
                adminConfig().getCaCertFile(),
                user,
                token,
                user,
                user,
                namespace,
                user);
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  private synchronized String operatorToken() {
    if (operatorToken == null) {
      try (KubernetesClient admin = admin()) {
        operatorToken =
            admin
                .serviceAccounts()
                .inNamespace(OPERATOR_NAMESPACE)
                .withName("mlws-operator")
                .tokenRequest(
                    new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(6L * 3600)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
      }
    }
    return operatorToken;
  }

  /** Creates a Secret as a user would; connection-string Secrets carry the operator's label. */
  public void createSecret(
      String namespace, String name, Map<String, String> stringData, Map<String, String> labels) {
    try (KubernetesClient admin = admin()) {
      admin
          .secrets()
          .inNamespace(namespace)
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(labels)
                  .endMetadata()
                  .withStringData(stringData)
                  .build())
          .create();
    }
  }

  /** A Secret holding a connection string under the default key, labelled for the operator. */
  public void createConnectionStringSecret(String namespace, String name, String connectionString) {
    createSecret(
        namespace,
        name,
        Map.of("connection-string", connectionString),
        Map.of(io.mlws.operator.telemetry.ConnectionStringSecrets.LABEL, "true"));
  }

  /**
   * Pods of these namespaces go to the fake kwok Node, which is tainted against everything else:
   * the API server's PodNodeSelector and PodTolerationRestriction admission add the selector and
   * the toleration to every pod created there, so the tests' own manifests need neither.
   */
  private static final Map<String, String> ON_KWOK =
      Map.of(
          "scheduler.alpha.kubernetes.io/node-selector",
          "type=kwok",
          "scheduler.alpha.kubernetes.io/defaultTolerations",
          "[{\"key\":\"kwok.x-k8s.io/node\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");

  /** Creates a namespace of its own for one test class; its pods run on the fake kwok Node. */
  public String createNamespace(String prefix) {
    return createNamespace(prefix, ON_KWOK);
  }

  /** Creates a namespace whose pods run on the real node: containers really start there. */
  public String createNamespaceOnTheRealNode(String prefix) {
    return createNamespace(prefix, Map.of());
  }

  private String createNamespace(String prefix, Map<String, String> annotations) {
    String name = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    try (KubernetesClient admin = admin()) {
      admin
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withAnnotations(annotations)
                  .endMetadata()
                  .build())
          .create();
      // The service-account controller gives each namespace its default ServiceAccount; pods wait
      // for it.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.serviceAccounts().inNamespace(name).withName("default").get() != null);
    }
    return name;
  }

  public void deleteNamespace(String name) {
    try (KubernetesClient admin = admin()) {
      admin.namespaces().withName(name).delete();
    }
  }

  public CustomResourceDefinition crd() {
    try (KubernetesClient admin = admin()) {
      return admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("mlwebservices.mlws.io")
          .get();
    }
  }

  /** Runs the pinned kubectl as the admin; fails with its output on a non-zero exit. */
  public String kubectl(String... args) {
    Kubectl.Result result = tryKubectl(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("kubectl " + String.join(" ", args) + "\n" + result.output());
    }
    return result.output();
  }

  /** The exit code and output of the pinned kubectl as the admin, for commands expected to fail. */
  public Kubectl.Result tryKubectl(String... args) {
    try {
      return Kubectl.tryRun(kubeconfig, Duration.ofMinutes(2), args);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static List<String> run(Duration timeout, String... command) {
    try {
      Path output = Files.createTempFile("local-cluster-", ".out");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command)
                + " did not finish in "
                + timeout
                + ":\n"
                + Files.readString(output));
      }
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      Files.delete(output);
      if (process.exitValue() != 0 && !command[command.length - 1].equals("status")) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited "
                + process.exitValue()
                + ":\n"
                + String.join("\n", lines));
      }
      return lines;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
