package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.CaptureProcess;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.settings.SettingsConfirmation;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every real-node scenario class shares, registered as a static field: mlws installed once per
 * JVM ({@link E2eCluster}, kept in JUnit's root store and closed at the end), a namespace of the
 * class's own (deleted after its tests), a capture server on the node's bridge when the class asks
 * for one, and the calls the scenarios make on their namespace.
 *
 * <p>Scenario classes run at once, their services requesting {@link #SMALL_CPU_REQUEST} so that all
 * fit on the node's two CPUs; a class whose pods request the defaults runs alone
 * ({@code @Isolated}, after the others), and a class that scales or kills the operator's pods holds
 * the {@link #OPERATOR} lock.
 */
final class E2eScenario implements BeforeAllCallback, AfterAllCallback {
  static final String OPERATOR = "mlws-e2e-operator";

  /** What a light scenario's services request: a few of them fit beside the others. */
  static final String SMALL_CPU_REQUEST = "100m";

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(E2eScenario.class);

  private final String name;
  private final Deque<AutoCloseable> closeAfter = new ArrayDeque<>();
  private E2eCluster cluster;
  private String namespace;
  private CaptureProcess capture;

  /** The scenario's name prefixes its namespace. */
  E2eScenario(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster =
        context
            .getRoot()
            .getStore(STORE)
            .computeIfAbsent(E2eCluster.class, key -> E2eCluster.install(), E2eCluster.class);
    namespace = cluster.createNamespace("e2e-" + name);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    while (!closeAfter.isEmpty()) {
      closeAfter.pop().close();
    }
    if (capture != null) {
      capture.close();
    }
    // Locally nothing waits for the pods' pre-stop pauses: no later scenario looks at this
    // namespace.
    kubectl(
        "delete",
        "namespace",
        namespace,
        "--ignore-not-found",
        E2eCluster.OTHER_CLUSTER ? "--timeout=120s" : "--wait=false");
  }

  /** Closed after the class's tests, before its namespace goes (last registered, first closed). */
  <T extends AutoCloseable> T closeAfterAll(T resource) {
    closeAfter.push(resource);
    return resource;
  }

  E2eCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return cluster.client;
  }

  String namespace() {
    return namespace;
  }

  String kubectl(String... args) throws IOException, InterruptedException {
    return cluster.kubectl(args);
  }

  /** kubectl in this scenario's namespace. */
  String kubectlHere(String... args) throws IOException, InterruptedException {
    String[] all = new String[args.length + 2];
    all[0] = "-n";
    all[1] = namespace;
    System.arraycopy(args, 0, all, 2, args.length);
    return cluster.kubectl(all);
  }

  /**
   * A capture server on the node's bridge (started on first use), and a labelled Secret named
   * {@code capture} with its connection string for {@code instrumentationKey}.
   */
  synchronized CaptureProcess capture(String instrumentationKey) throws IOException {
    if (capture == null) {
      LocalCluster local = LocalCluster.shared();
      capture =
          CaptureProcess.start(
              local.bridgeAddress(), Files.createTempDirectory("e2e-" + name + "-capture"));
      local.createConnectionStringSecret(
          namespace, "capture", capture.connectionString(instrumentationKey));
    }
    return capture;
  }

  /** Creates an MLWebService in the namespace from its YAML. */
  MLWebService create(String yaml) {
    MLWebService service =
        client().getKubernetesSerialization().unmarshal(yaml, MLWebService.class);
    return client().resources(MLWebService.class).inNamespace(namespace).resource(service).create();
  }

  /**
   * An MLWebService serving a model the scorer image carries, with a small CPU request; {@code
   * spec} adds fields to its spec (YAML flow mappings, comma-led, or empty).
   */
  MLWebService createSmall(String service, String model, int replicas, String spec) {
    return create(
        """
        apiVersion: mlws.io/v1alpha1
        kind: MLWebService
        metadata: {name: %s}
        spec: {model: {uri: "file:///opt/mlws/models/%s"}, replicas: %d,
               resources: {requests: {cpu: %s}}%s}
        """
            .formatted(service, model, replicas, SMALL_CPU_REQUEST, spec));
  }

  /** Waits until the service's Ready condition is True. */
  void awaitReady(String service) throws IOException, InterruptedException {
    kubectlHere("wait", "--for=condition=Ready", "mlws/" + service, "--timeout=5m");
  }

  /** Waits until the Deployment has {@code replicas} ready replicas. */
  void awaitReadyReplicas(String deployment, int replicas) {
    await(deployment + " with " + replicas + " ready replicas")
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              Deployment live =
                  client().apps().deployments().inNamespace(namespace).withName(deployment).get();
              return live != null
                  && live.getStatus() != null
                  && Integer.valueOf(replicas).equals(live.getStatus().getReadyReplicas());
            });
  }

  /** A merge patch of a service; returns the generation the server gave the change. */
  long patch(String service, String json) throws IOException, InterruptedException {
    kubectlHere("patch", "mlws", service, "--type", "merge", "-p", json);
    return mlws(service).getMetadata().getGeneration();
  }

  MLWebService mlws(String service) {
    return client().resources(MLWebService.class).inNamespace(namespace).withName(service).get();
  }

  /** Waits until the service is Ready having observed {@code generation}. */
  void awaitReadyAt(String service, long generation) {
    await(service + " Ready at generation " + generation)
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () -> {
              MLWebService mlws = mlws(service);
              assertThat(mlws.getStatus().getObservedGeneration())
                  .isGreaterThanOrEqualTo(generation);
              assertThat(mlws.getStatus().getConditions())
                  .as("conditions of %s", service)
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
  }

  /**
   * Waits until status reports the settings file of the service's ConfigMap as applied by every
   * ready pod (SettingsApplied True, appliedSettings its digest); returns that digest. The file is
   * read again at each look, so a file the operator rewrites meanwhile is the one waited for.
   */
  String awaitSettingsAppliedOnStatus(String service) {
    java.util.concurrent.atomic.AtomicReference<String> wanted =
        new java.util.concurrent.atomic.AtomicReference<>();
    await("status of " + service + " says every ready pod applies its settings file")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              String file =
                  client()
                      .configMaps()
                      .inNamespace(namespace)
                      .withName(service + "-settings")
                      .get()
                      .getData()
                      .get("settings.json");
              wanted.set(SettingsConfirmation.digest(file));
              MLWebService mlws = mlws(service);
              assertThat(mlws.getStatus().getAppliedSettings())
                  .as(
                      "status.appliedSettings of the file %s; the conditions: %s",
                      file, mlws.getStatus().getConditions())
                  .isEqualTo(wanted.get());
              assertThat(mlws.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("SettingsApplied");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
    return wanted.get();
  }

  /** A service's pods, terminating ones included. */
  List<Pod> pods(String service) {
    return client()
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", service)
        .list()
        .getItems();
  }

  /** A service's pods that are not terminating. */
  List<Pod> runningPods(String service) {
    return pods(service).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  Set<String> podNames(String service) {
    return runningPods(service).stream()
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  String clusterIp(String service) {
    return client()
        .services()
        .inNamespace(namespace)
        .withName(service)
        .get()
        .getSpec()
        .getClusterIP();
  }

  /**
   * The service's ClusterIP as a base URL, once it scores there: Ready says the pods answer, and
   * kube-proxy sends the ClusterIP to them a moment later.
   */
  String scoringThroughClusterIp(String service) {
    String base = "http://" + clusterIp(service);
    await(service + " scores through its ClusterIP")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> Calls.score(base).statusCode() == 200);
    return base;
  }

  /** The operator's pods that are running and not being deleted. */
  List<Pod> operatorPods() {
    return client()
        .pods()
        .inNamespace(E2eCluster.OPERATOR_NAMESPACE)
        .withLabel("app.kubernetes.io/name", "mlws-operator")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  /** Who holds the operator's leader Lease (a pod name: the operator's identity is HOSTNAME). */
  String operatorLeaseHolder() {
    return client()
        .leases()
        .inNamespace(E2eCluster.OPERATOR_NAMESPACE)
        .withName("mlws-operator-leader")
        .get()
        .getSpec()
        .getHolderIdentity();
  }
}
