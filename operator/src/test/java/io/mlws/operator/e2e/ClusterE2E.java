package io.mlws.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.CaptureProcess;
import io.mlws.operator.harness.Kubectl;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.settings.SettingsConfirmation;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * mlws as it ships, on real pods: the images built from our Dockerfiles, installed with
 * deploy/local, the operator running in its pod as its ServiceAccount with leader election, every
 * sample Ready with containers really started on the local cluster's real node, requests through a
 * Service's ClusterIP and through port-forward, and the telemetry toggle end to end: envelopes from
 * the real agent in the pods at a capture server on the node's bridge.
 *
 * <p>With {@code -Dmlws.e2e=true} it runs on the cluster of the current kubeconfig context (kind,
 * AKS, any) with deploy/default and the images named by {@code -Dmlws.e2e.operatorImage} and {@code
 * -Dmlws.e2e.scorerImage}, and fails when no cluster answers there; the steps that need the local
 * node's bridge (ClusterIP from this machine, the capture server) are skipped there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterE2E {
  static final Path DEPLOY = LocalCluster.REPO.resolve("deploy");
  static final boolean REAL_CLUSTER = Boolean.getBoolean("mlws.e2e");
  static final String IKEY = "e2e0c0de-0000-4000-8000-00000000e2e0";
  static final int REQUESTS = 20;
  static final int SATURATING_CLIENTS = 96;
  static final Duration SATURATION = Duration.ofMinutes(2);

  /**
   * The saturation test's load: started by the telemetry test and checked by the saturation test,
   * so that its two minutes pass while the telemetry test runs beside it.
   */
  static ClusterIpLoad saturation;

  static java.time.Instant saturationStarted;

  /** The big-model test's service and load: started by the telemetry test, checked by its own. */
  static BigModelService bigModel;

  static final Duration BIG_MODEL_LOAD = Duration.ofMinutes(2);

  /**
   * The eight dimensions of a model_data_collection trace, as Azure ML's data collector names them.
   */
  static final List<String> DIMENSIONS =
      List.of(
          "Request Id",
          "Client Request Id",
          "Container Id",
          "Service Name",
          "Workspace Name",
          "Models",
          "Input",
          "Prediction");

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static KubernetesClient client;
  static Path kubeconfig;
  static String ns;
  static CaptureProcess capture;

  @BeforeAll
  static void connect() {
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
      ns = System.getProperty("mlws.e2e.namespace", "mlws-e2e");
      client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(ns)
                  .endMetadata()
                  .build())
          .serverSideApply();
    } else {
      LocalCluster cluster = LocalCluster.shared();
      kubeconfig = cluster.kubeconfig();
      client = cluster.admin();
      ns = cluster.createNamespaceOnTheRealNode("e2e");
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (capture != null) {
      capture.close();
    }
    if (saturation != null) {
      saturation.close();
    }
    if (bigModel != null) {
      bigModel.close();
    }
    if (client == null) {
      return;
    }
    // On the local cluster nothing waits for the pods' pre-stop pauses: the cluster goes down
    // after the suite, and no later test looks at this namespace.
    kubectl(
        "delete",
        "namespace",
        ns,
        "--ignore-not-found",
        REAL_CLUSTER ? "--timeout=120s" : "--wait=false");
    if (!REAL_CLUSTER) {
      // The CRD and RBAC stay: the other tests on the local control plane use them.
      kubectl("-n", "mlws-system", "delete", "deployment/mlws-operator", "--ignore-not-found");
    } else if (!Boolean.getBoolean("mlws.e2e.keepOperator")) {
      kubectl("delete", "-k", DEPLOY.resolve("default").toString(), "--ignore-not-found");
    }
    client.close();
  }

  @Test
  @Order(1)
  void theOperatorRunsInItsPodFromTheImageOurDockerfileBuilds() throws Exception {
    if (REAL_CLUSTER) {
      kubectl("apply", "--server-side", "-k", DEPLOY.resolve("default").toString());
      String image = System.getProperty("mlws.e2e.operatorImage");
      if (image != null) {
        kubectl(
            "-n", "mlws-system", "set", "image", "deployment/mlws-operator", "operator=" + image);
      }
      String scorer = System.getProperty("mlws.e2e.scorerImage");
      if (scorer != null) {
        kubectl(
            "-n",
            "mlws-system",
            "set",
            "env",
            "deployment/mlws-operator",
            "MLWS_SCORER_IMAGE=" + scorer);
      }
    } else {
      assertThat(LocalCluster.shared().buildImages())
          .containsExactly("mlws.local/operator:local", "mlws.local/scorer:local");
      assertThat(kubectl("apply", "--server-side", "-k", DEPLOY.resolve("local").toString()))
          .contains("deployment.apps/mlws-operator serverside-applied");
    }
    kubectl("-n", "mlws-system", "rollout", "status", "deployment/mlws-operator", "--timeout=5m");

    Pod operator = operatorPods().stream().findFirst().orElseThrow();
    assertThat(operator.getSpec().getServiceAccountName()).isEqualTo("mlws-operator");
    if (!REAL_CLUSTER) {
      assertThat(operator.getSpec().getNodeName()).isEqualTo(LocalCluster.REAL_NODE);
      assertThat(operator.getSpec().getContainers().get(0).getImage())
          .isEqualTo("mlws.local/operator:local");
    }
    await("the operator pod holds the leader Lease")
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(
                        client.leases().inNamespace("mlws-system").list().getItems().stream()
                            .map(l -> l.getSpec().getHolderIdentity())
                            .toList())
                    .as("holders of the Leases in mlws-system")
                    .contains(operator.getMetadata().getName()));
    // A standby from now on, as production runs it; the failover test below kills the leader.
    // Started here, it is up by then instead of being waited for there.
    kubectl("-n", "mlws-system", "scale", "deployment/mlws-operator", "--replicas=2");
  }

  @Test
  @Order(2)
  void everySampleIsReadyWithItsContainersStartedOnTheNode() throws Exception {
    kubectl("-n", ns, "apply", "-k", DEPLOY.resolve("samples").toString());
    kubectl("-n", ns, "wait", "--for=condition=Ready", "mlws", "--all", "--timeout=5m");

    List<Pod> pods = client.pods().inNamespace(ns).list().getItems();
    Set<String> services =
        client.resources(MLWebService.class).inNamespace(ns).list().getItems().stream()
            .map(m -> m.getMetadata().getName())
            .collect(Collectors.toSet());
    assertThat(services)
        .containsExactlyInAnyOrder("iris", "iris-insights", "iris-collect", "sklearn-logreg");
    for (String service : services) {
      assertThat(pods)
          .as("pods of %s", service)
          .anySatisfy(
              pod -> {
                assertThat(pod.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/instance", service);
                assertThat(pod.getStatus().getContainerStatuses())
                    .singleElement()
                    .satisfies(
                        c -> {
                          assertThat(c.getReady()).as("ready").isTrue();
                          assertThat(c.getState().getRunning()).as("running").isNotNull();
                        });
                if (!REAL_CLUSTER) {
                  assertThat(pod.getSpec().getNodeName()).isEqualTo(LocalCluster.REAL_NODE);
                }
              });
    }
  }

  @Test
  @Order(3)
  void scoresThroughTheClusterIpAndThroughPortForward() throws Exception {
    int port = freePort();
    Process forward =
        new ProcessBuilder(
                Kubectl.binary().toString(),
                "--kubeconfig",
                kubeconfigPath(),
                "-n",
                ns,
                "port-forward",
                "svc/iris",
                port + ":80")
            .redirectErrorStream(true)
            .start();
    try {
      String forwarded = "http://127.0.0.1:" + port;
      await("port-forward to svc/iris answers /score")
          .atMost(Duration.ofMinutes(1))
          .ignoreExceptions()
          .until(() -> score(forwarded).statusCode() == 200);
      assertThat(score(forwarded).body()).contains("\"predictions\":[\"setosa\"]");
      assertThat(infer(forwarded).body()).contains("\"outputs\"");
    } finally {
      forward.destroy();
    }

    assumeFalse(REAL_CLUSTER, "a ClusterIP is reachable from this machine only on the local node");
    String clusterIp = "http://" + clusterIp("iris");
    assertThat(score(clusterIp).statusCode()).isEqualTo(200);
    assertThat(score(clusterIp).body()).contains("\"predictions\":[\"setosa\"]");
    HttpResponse<String> v2 = infer(clusterIp);
    assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
    assertThat(v2.body()).contains("\"name\":\"label\"");
    HttpResponse<String> sklearn = score("http://" + clusterIp("sklearn-logreg"));
    assertThat(sklearn.statusCode()).as(sklearn.body()).isEqualTo(200);

    // What Prometheus (a PodMonitor on port "probes") scrapes from each pod that served.
    double scored = 0;
    for (Pod pod : runningPods("iris")) {
      HttpResponse<String> metrics = fromProbePort(pod, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      scored +=
          metrics
              .body()
              .lines()
              .filter(l -> l.startsWith("mlws_requests_seconds_count{"))
              .filter(l -> l.contains("route=\"/score\"") && l.contains("code=\"200\""))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
    }
    assertThat(scored).as("/score requests counted by the pods of iris").isGreaterThanOrEqualTo(3);
  }

  /**
   * With keys, a service answers only callers with one (401 otherwise, health paths open), and
   * regenerating the primary key restarts no pod and fails no call made with the secondary.
   */
  @Test
  @Order(4)
  void aServiceWithKeysAnswersOnlyItsCallersAndARegeneratedKeyDropsNothing() throws Exception {
    assumeFalse(REAL_CLUSTER, "a ClusterIP is reachable from this machine only on the local node");
    awaitReadyAt(
        "sklearn-logreg", patch("sklearn-logreg", "{\"spec\":{\"auth\":{\"mode\":\"Keys\"}}}"));
    String base = "http://" + clusterIp("sklearn-logreg");
    await("only pods that read the keys are left to serve sklearn-logreg")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                pods("sklearn-logreg").stream()
                    .allMatch(
                        p ->
                            p.getSpec().getVolumes().stream()
                                .anyMatch(v -> v.getName().equals("keys"))));
    String primary = key("sklearn-logreg", "primary");
    String secondary = key("sklearn-logreg", "secondary");
    assertThat(score(base, null).statusCode()).isEqualTo(401);
    HttpResponse<String> refused = score(base, "Bearer not-a-key");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("\"code\":\"Unauthorized\"");
    assertThat(score(base, "Bearer " + primary).statusCode()).isEqualTo(200);
    assertThat(score(base, "Bearer " + secondary).statusCode()).isEqualTo(200);
    Set<String> pods = podNames("sklearn-logreg");

    try (ClusterIpLoad load =
        ClusterIpLoad.start(
            base, 2, Duration.ofMillis(100), Map.of("Authorization", "Bearer " + secondary))) {
      kubectl(
          "-n",
          ns,
          "annotate",
          "mlws",
          "sklearn-logreg",
          "mlws.io/rotate-primary-key=1",
          "--overwrite");
      await("the old primary key refused once the kubelet has projected the new one")
          .atMost(Duration.ofMinutes(2))
          .until(() -> score(base, "Bearer " + primary).statusCode() == 401);
      String regenerated = key("sklearn-logreg", "primary");
      assertThat(regenerated).isNotEqualTo(primary);
      assertThat(score(base, "Bearer " + regenerated).statusCode()).isEqualTo(200);
      Map<String, Long> outcomes = load.stopAndCount();
      System.out.println(
          "ClusterE2E: calls with the secondary key while the primary was regenerated: "
              + outcomes);
      assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("200");
    }
    assertThat(podNames("sklearn-logreg")).as("no pod restarted or replaced").isEqualTo(pods);
    assertThat(runningPods("sklearn-logreg"))
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero());
  }

  /**
   * spec.networkPolicy on the real node, enforced by kube-router's firewall: a pod named by label
   * and a pod of a namespace named by label reach the scoring port through the ClusterIP, an
   * unnamed pod of the same namespace never does; once the field is removed, the operator deletes
   * the NetworkPolicy and the unnamed pod gets through.
   */
  @Test
  @Order(5)
  void aNetworkPolicyAdmitsOnlyTheNamedCallers() throws Exception {
    assumeFalse(REAL_CLUSTER, "needs the local node's NetworkPolicy engine");
    awaitReadyAt(
        "sklearn-logreg",
        patch(
            "sklearn-logreg",
            """
            {"spec":{"networkPolicy":{"from":[
              {"podSelector":{"matchLabels":{"mlws-e2e/caller":"yes"}}},
              {"namespaceSelector":{"matchLabels":{"mlws-e2e/callers":"sklearn-logreg"}}}]}}}"""));
    await("the operator's NetworkPolicy")
        .atMost(Duration.ofSeconds(30))
        .until(() -> networkPolicy("sklearn-logreg") != null);
    String callers = LocalCluster.shared().createNamespaceOnTheRealNode("e2e-callers");
    client
        .namespaces()
        .withName(callers)
        .edit(
            n -> {
              n.getMetadata().getLabels().put("mlws-e2e/callers", "sklearn-logreg");
              return n;
            });
    String image = pods("sklearn-logreg").get(0).getSpec().getContainers().get(0).getImage();
    String host = clusterIp("sklearn-logreg");
    List<CallerPod> callerPods = new ArrayList<>();
    try {
      CallerPod named =
          CallerPod.start(
              client, ns, "caller-named", Map.of("mlws-e2e/caller", "yes"), image, host, 80);
      CallerPod inNamedNamespace =
          CallerPod.start(client, callers, "caller-any", Map.of(), image, host, 80);
      CallerPod unnamed = CallerPod.start(client, ns, "caller-unnamed", Map.of(), image, host, 80);
      callerPods.addAll(List.of(named, inNamedNamespace, unnamed));
      await("both named callers reach the scoring port, and the unnamed one has tried 6 times")
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  named.attempts().contains(CallerPod.REACHED)
                      && inNamedNamespace.attempts().contains(CallerPod.REACHED)
                      && unnamed.attempts().size() >= 6);
      List<String> refusedWhilePolicy = unnamed.attempts();
      System.out.println(
          "ClusterE2E: with the NetworkPolicy, the unnamed caller's attempts: "
              + refusedWhilePolicy);
      assertThat(refusedWhilePolicy).containsOnly(CallerPod.REFUSED);

      patch("sklearn-logreg", "{\"spec\":{\"networkPolicy\":null}}");
      await("the NetworkPolicy deleted with the field")
          .atMost(Duration.ofSeconds(30))
          .until(() -> networkPolicy("sklearn-logreg") == null);
      int before = unnamed.attempts().size();
      await("the unnamed caller gets through once no policy stands in the way")
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> unnamed.attempts().stream().skip(before).anyMatch(CallerPod.REACHED::equals));
    } finally {
      callerPods.forEach(CallerPod::delete);
      kubectl("delete", "namespace", callers, "--wait=false");
    }
  }

  static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy networkPolicy(String service) {
    return client.network().networkPolicies().inNamespace(ns).withName(service).get();
  }

  /**
   * The saturation test's service: iris limited to 200m CPU. Created once, early (by the telemetry
   * test, once the other samples are gone), so that its pod starts while that test runs.
   */
  static void startBusyService() {
    if (client.resources(MLWebService.class).inNamespace(ns).withName("busy").get() != null) {
      return;
    }
    MLWebService busy =
        client
            .getKubernetesSerialization()
            .unmarshal(
                """
        apiVersion: mlws.io/v1alpha1
        kind: MLWebService
        metadata: {name: busy}
        spec:
          model: {uri: "file:///opt/mlws/models/iris.onnx"}
          replicas: 1
          resources: {limits: {cpu: 200m, memory: 1Gi}}
        """,
                MLWebService.class);
    client.resources(MLWebService.class).inNamespace(ns).resource(busy).create();
  }

  /**
   * More clients than the busy pod's 2 workers and 64 queue places, from the moment it is Ready,
   * for {@link #SATURATION}; once only.
   */
  static void startSaturation() throws IOException, InterruptedException {
    if (saturation != null) {
      return;
    }
    kubectl("-n", ns, "wait", "--for=condition=Ready", "mlws/busy", "--timeout=5m");
    saturation =
        ClusterIpLoad.start("http://" + clusterIp("busy"), SATURATING_CLIENTS, Duration.ZERO);
    saturationStarted = java.time.Instant.now();
  }

  /**
   * The big-model test's service, created by the failover test (its pod starts while that test
   * waits for the Lease) and loaded from the telemetry test's start, so that its two minutes pass
   * beside that test; once only. Its telemetry goes to a capture server of its own: the telemetry
   * test waits for its own to fall quiet.
   */
  static void startBigModel() throws Exception {
    if (bigModel == null) {
      bigModel = BigModelService.create(LocalCluster.shared(), ns);
    }
  }

  /** One key of a service's keys Secret, as its callers would be given it. */
  static String key(String service, String name) {
    return new String(
        java.util.Base64.getDecoder()
            .decode(
                client
                    .secrets()
                    .inNamespace(ns)
                    .withName(service + "-keys")
                    .get()
                    .getData()
                    .get(name)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Two operator replicas: the one waiting for the Lease is Ready (its /readyz does not hold up the
   * operator's rollout); when the leader dies without releasing the Lease, a surviving replica
   * takes it over once it expires and reconciles what changed meanwhile.
   */
  @Test
  @Order(6)
  void aSecondOperatorReplicaWaitsReadyAndTakesOverWhenTheLeaderDies() throws Exception {
    if (!REAL_CLUSTER) {
      // Its pod starts while this test waits for the Lease to expire.
      startBigModel();
    }
    kubectl("-n", "mlws-system", "scale", "deployment/mlws-operator", "--replicas=2");
    kubectl("-n", "mlws-system", "rollout", "status", "deployment/mlws-operator", "--timeout=3m");
    String leader = operatorLeaseHolder();
    List<Pod> operators = operatorPods();
    assertThat(operators).extracting(p -> p.getMetadata().getName()).contains(leader).hasSize(2);
    Pod standby =
        operators.stream()
            .filter(p -> !p.getMetadata().getName().equals(leader))
            .findFirst()
            .orElseThrow();
    assertThat(standby.getStatus().getContainerStatuses())
        .as("the replica waiting for the Lease held by %s", leader)
        .singleElement()
        .satisfies(c -> assertThat(c.getReady()).as("ready").isTrue());

    // No graceful stop: the Lease is not released and must expire (15 s) before anyone leads.
    kubectl(
        "-n",
        "mlws-system",
        "delete",
        "pod",
        leader,
        "--grace-period=0",
        "--force",
        "--wait=false");
    long killedAt = System.nanoTime();
    long generation =
        client
            .resources(MLWebService.class)
            .inNamespace(ns)
            .withName("iris-collect")
            .edit(
                m -> {
                  m.getSpec().getDataCollection().setSamplingPercentage(new IntOrString(25));
                  return m;
                })
            .getMetadata()
            .getGeneration();

    // The standby and the ReplicaSet's replacement for the killed pod both ask for the Lease.
    await("the Lease passes from " + leader + " to a surviving replica")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                operatorPods().stream()
                    .map(p -> p.getMetadata().getName())
                    .filter(n -> !n.equals(leader))
                    .anyMatch(n -> n.equals(operatorLeaseHolder())));
    String successor = operatorLeaseHolder();
    String standbyName = standby.getMetadata().getName();
    System.out.printf(
        "operator failover: %s leads %d s after %s was killed (%s was the standby)%n",
        successor, (System.nanoTime() - killedAt) / 1_000_000_000, leader, standbyName);
    if (!successor.equals(standbyName)) {
      // It lost the race to the replacement, but its elector keeps asking (every 2 to 4.4 s): it
      // sees the new leader.
      await("the standby " + standbyName + " sees " + successor + " lead")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(kubectl("-n", "mlws-system", "logs", standbyName))
                      .contains("New leader with identity: " + successor));
    }
    await("iris-collect reconciled at generation " + generation + " by " + successor)
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(MLWebService.class)
                            .inNamespace(ns)
                            .withName("iris-collect")
                            .get()
                            .getStatus()
                            .getObservedGeneration())
                    .isEqualTo(generation));
    JsonNode settings =
        JSON.readTree(
            client
                .configMaps()
                .inNamespace(ns)
                .withName("iris-collect-settings")
                .get()
                .getData()
                .get("settings.json"));
    assertThat(settings.at("/dataCollection/samplingPercentage").asDouble()).isEqualTo(25.0);
    awaitSettingsAppliedOnStatus("iris-collect");

    kubectl("-n", "mlws-system", "scale", "deployment/mlws-operator", "--replicas=1");
  }

  @Test
  @Order(7)
  void telemetryTurnedOnAndOffEndToEnd() throws Exception {
    assumeFalse(REAL_CLUSTER, "the capture server listens on the local node's bridge");
    // The other samples are done with: their CPU requests (250m each by default) would leave the
    // 2-CPU node too little for iris at 3 replicas plus a pod of surge during each rollout.
    kubectl(
        "-n",
        ns,
        "delete",
        "mlws",
        "iris-insights",
        "iris-collect",
        "sklearn-logreg",
        "--ignore-not-found",
        "--wait=false");
    startBigModel();
    startBusyService();
    startSaturation();
    bigModel.startLoad(ns);
    LocalCluster cluster = LocalCluster.shared();
    capture =
        CaptureProcess.start(cluster.bridgeAddress(), Files.createTempDirectory("e2e-capture"));
    cluster.createConnectionStringSecret(ns, "capture", capture.connectionString(IKEY));
    String base = "http://" + clusterIp("iris");
    // Clients on keep-alive connections through the ClusterIP for the whole test: every rollout
    // below (telemetry on with 3 replicas, a Secret rotation, telemetry off) and the scale-in
    // from 3 to 1 must drop nothing.
    try (ClusterIpLoad load = ClusterIpLoad.start(base, 3, Duration.ofMillis(100))) {
      telemetryOnRotatedScaledInAndOff(base);

      Map<String, Long> outcomes = load.stopAndCount();
      System.out.println(
          "ClusterE2E: requests through the ClusterIP while telemetry went on, the Secret rotated,"
              + " replicas went 3 -> 1 and telemetry went off, by outcome: "
              + outcomes);
      assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("200");
      assertThat(outcomes.get("200")).as("requests answered").isGreaterThan(100);
    }
    assertConnectionStringOnlyInTheSecretAndThePods();
  }

  private void telemetryOnRotatedScaledInAndOff(String base) throws Exception {
    long started = System.nanoTime();
    // Where the test's time goes, in the CI log: each step's end, in seconds from the start.
    java.util.function.Consumer<String> done =
        step ->
            System.out.printf(
                "ClusterE2E: telemetry test: %s at %d s%n",
                step, (System.nanoTime() - started) / 1_000_000_000L);
    long on =
        patch(
            "{\"spec\":{\"replicas\":3,\"appInsights\":{\"enabled\":true,\"connectionStringSecretRef\":{\"name\":\"capture\"}},"
                + "\"dataCollection\":{\"enabled\":true,\"samplingPercentage\":100},"
                // Not the defaults (5 s and 30 s): the pause and grace period a user sets are
                // what the pods get, and what the kubelet gives them below.
                + "\"pod\":{\"preStopPauseSeconds\":3,\"terminationGracePeriodSeconds\":20}}}");
    awaitReadyAt(on);
    done.accept("telemetry on, 3 replicas Ready");
    // Ready means the new pods serve; the old ones, without the agent, keep answering through their
    // preStop pause until they are gone. Requests sent before then may reach them.
    awaitOnlyPodsOfIris(true);
    done.accept("the pods without the agent gone");

    List<String> ids = scoreMany(base, REQUESTS);
    await(
            "a RequestData and a model_data_collection trace for each of the "
                + REQUESTS
                + " requests")
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(requestIds(capture.envelopes()))
                  .as("request ids of RequestData")
                  .containsAll(ids);
              assertThat(collectedRequestIds(capture.envelopes()))
                  .as("Request Id of model_data_collection traces")
                  .containsAll(ids);
            });
    for (JsonNode trace : collections(capture.envelopes())) {
      List<String> dimensions = new ArrayList<>();
      trace.at("/data/baseData/properties").fieldNames().forEachRemaining(dimensions::add);
      assertThat(dimensions).as("dimensions of %s", trace).containsAll(DIMENSIONS);
    }
    // The kubelet has probed every pod with the agent every few seconds by now.
    assertThat(capture.envelopes())
        .as("RequestData of the kubelet's probes")
        .noneMatch(
            e ->
                "RequestData".equals(e.at("/data/baseType").asText())
                    && e.at("/data/baseData/url").asText().matches(".*/(ready|healthz)$"));

    // Data collection's sampling is read from the settings file the kubelet projects: the running
    // pods apply it, without a restart, once the kubelet has caught up. Status says when: the
    // operator asks each ready pod which file it applies. Once status says all do, each pod must
    // say so too, and a batch sent then must have no collected record.
    done.accept("every request and collection arrived");
    Set<String> podsBefore = podNames("iris");
    long sampledOut = patch("{\"spec\":{\"dataCollection\":{\"samplingPercentage\":0}}}");
    awaitReadyAt(sampledOut);
    String wanted = awaitSettingsAppliedOnStatus("iris");
    done.accept("0 % sampling applied by every pod, says status");
    for (Pod pod : runningPods("iris")) {
      assertThat(settingsDigestOf(pod))
          .as("what %s applies once status says every ready pod does", pod.getMetadata().getName())
          .isEqualTo(wanted);
    }
    assertThat(batchWithoutCollections(base))
        .as("no model_data_collection trace once status says 0% is applied")
        .isTrue();
    assertThat(podNames("iris")).as("the same pods, not restarted").isEqualTo(podsBefore);
    assertThat(runningPods("iris"))
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero());

    assertThat(runningPods("iris"))
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(20L);
              assertThat(
                      p.getSpec()
                          .getContainers()
                          .get(0)
                          .getLifecycle()
                          .getPreStop()
                          .getSleep()
                          .getSeconds())
                  .isEqualTo(3L);
            });
    long scaledIn = patch("{\"spec\":{\"replicas\":1}}");
    awaitReadyAt(scaledIn);
    // The pods leaving get the grace period set in spec.pod (it shows on each while it
    // terminates, through its 3 s pause at least).
    Set<Long> gracesGiven = new java.util.HashSet<>();
    await("iris down to one pod, terminating ones gone")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              List<Pod> pods = irisPods();
              pods.stream()
                  .filter(p -> p.getMetadata().getDeletionTimestamp() != null)
                  .forEach(p -> gracesGiven.add(p.getMetadata().getDeletionGracePeriodSeconds()));
              return pods.size() == 1;
            });
    // 0 is the kubelet's own last word once a pod's containers are gone (it then deletes it at
    // once); before that, the pods show the grace period they were given.
    assertThat(gracesGiven)
        .as("grace periods of the terminating pods")
        .contains(20L)
        .isSubsetOf(20L, 0L);
    done.accept("scaled in to one pod");

    // A rotated connection string (the same endpoint and key, written differently) rolls the pods
    // (after the scale-in: one pod to roll rather than three keeps the test shorter, not easier).
    String digestBefore = connectionStringDigests().iterator().next();
    client
        .secrets()
        .inNamespace(ns)
        .withName("capture")
        .edit(
            secret -> {
              secret.setData(null);
              secret.setStringData(
                  Map.of("connection-string", rotated(capture.connectionString(IKEY))));
              return secret;
            });
    await("every pod of iris rolled for the rotated Secret")
        .atMost(Duration.ofMinutes(3))
        .until(
            () -> {
              Set<String> digests = connectionStringDigests();
              return digests.size() == 1 && !digests.contains(digestBefore);
            });
    done.accept("rolled for the rotated Secret");

    long off = patch("{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    awaitReadyAt(off);
    awaitOnlyPodsOfIris(false);
    done.accept("telemetry off, the pods with the agent gone");
    int settled = awaitQuiet();
    scoreMany(base, REQUESTS);
    // A window, not a synchronisation: no pod has the agent any more, and an agent would have
    // exported within its 5 s interval; 6 s without a new envelope.
    Thread.sleep(6_000);
    assertThat(capture.envelopes().size())
        .as("envelopes after telemetry was turned off")
        .isEqualTo(settled);
  }

  /**
   * A pod limited to 200m CPU under more load than it can take for two minutes (while the telemetry
   * test runs beside it): more clients than its 2 workers and 64 queue places. The kubelet's
   * probes, on their own port and threads, keep being answered, so the pod is never restarted for
   * being busy; every request gets a score or a quick 503 ServerBusy, never a timeout or a reset
   * (the refusal closes its connection, which Jetty could not reuse: without saying so, 7 of 20,869
   * requests here found a closed socket).
   */
  @Test
  @Order(8)
  void aSaturatedPodIsNotRestartedAndAnswersTheExcessWithServerBusy() throws Exception {
    startBusyService();
    startSaturation();
    long left =
        Duration.between(java.time.Instant.now(), saturationStarted.plus(SATURATION)).toMillis();
    Thread.sleep(Math.max(0, left));
    Map<String, Long> outcomes;
    try (ClusterIpLoad load = saturation) {
      outcomes = load.stopAndCount();
    }
    saturation = null;
    Pod pod = runningPods("busy").get(0);
    long unhealthy =
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> pod.getMetadata().getName().equals(e.getInvolvedObject().getName()))
            .filter(e -> "Unhealthy".equals(e.getReason()))
            .count();
    System.out.printf(
        "ClusterE2E: %d clients for %d s on a pod limited to 200m CPU, by outcome: %s;"
            + " Unhealthy events for the pod: %d%n",
        SATURATING_CLIENTS, SATURATION.toSeconds(), outcomes, unhealthy);
    assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount())
        .as("restarts of the saturated pod")
        .isZero();
    assertThat(outcomes.keySet())
        .as("every answer a score or a 503 ServerBusy: no timeout, reset or other error")
        .allMatch(o -> o.equals("200") || (o.startsWith("503 ") && o.contains("\"ServerBusy\"")));
    assertThat(outcomes.getOrDefault("200", 0L)).as("requests scored").isGreaterThan(100);
    assertThat(outcomes.keySet())
        .as("the excess beyond 2 workers and 64 queued got ServerBusy")
        .anyMatch(o -> o.startsWith("503 "));
  }

  /**
   * A model of about 100 MB in a pod with the operator's default resources (1Gi limit, the heap the
   * operator sizes from it), the agent and data collection on, under steady load for two minutes
   * (which pass while the telemetry test runs): no OOMKill, no restart, every request scored, and
   * its data collected. The pod's RSS and JVM flags are printed for the record.
   */
  @Test
  @Order(9)
  void aHundredMegabyteModelUnderLoadFitsTheDefaultMemoryLimit() throws Exception {
    assumeFalse(REAL_CLUSTER, "the model is served from the local node's bridge");
    startBigModel();
    bigModel.startLoad(ns);
    Thread.sleep(
        Math.max(
            0,
            Duration.between(java.time.Instant.now(), bigModel.loadEnds(BIG_MODEL_LOAD))
                .toMillis()));
    Map<String, Long> outcomes = bigModel.stopLoad();
    Pod pod = runningPods(BigModelService.NAME).get(0);
    var status = BigModelService.scorerStatus(pod);
    System.out.printf(
        "ClusterE2E: a %,d-byte model for %d s at %d clients, by outcome: %s; restarts %d; %s;"
            + " limits %s%n",
        bigModel.modelBytes(),
        BIG_MODEL_LOAD.toSeconds(),
        BigModelService.CLIENTS,
        outcomes,
        status.getRestartCount(),
        BigModelService.jvmOnTheNode(pod.getMetadata().getName()),
        pod.getSpec().getContainers().get(0).getResources().getLimits());
    assertThat(status.getRestartCount()).as("restarts of the big model's pod").isZero();
    assertThat(status.getLastState().getTerminated())
        .as("how the big model's scorer last ended (OOMKilled?)")
        .isNull();
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
        .as("the operator's default memory limit")
        .hasToString(io.mlws.api.v1alpha1.SpecDefaults.MEMORY_LIMIT);
    assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("200");
    assertThat(outcomes.get("200")).as("requests scored").isGreaterThan(100);
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(
                        collections(bigModel.envelopes()).stream()
                            .filter(
                                e ->
                                    BigModelService.NAME.equals(
                                        e.at("/data/baseData/properties/Service Name").asText()))
                            .count())
                    .as("model_data_collection traces of the big model")
                    .isGreaterThan(100));
  }

  /** The connection string's settings in reverse order: the same meaning, other bytes. */
  static String rotated(String connectionString) {
    List<String> settings = new ArrayList<>(List.of(connectionString.split(";")));
    java.util.Collections.reverse(settings);
    return String.join(";", settings);
  }

  /** The connection-string digests on the pods of iris, terminating ones included. */
  static Set<String> connectionStringDigests() {
    return irisPods().stream()
        .map(
            p ->
                String.valueOf(
                    p.getMetadata()
                        .getAnnotations()
                        .get(io.mlws.operator.dependent.ScorerDeployment.CONNECTION_STRING_DIGEST)))
        .collect(Collectors.toSet());
  }

  /** The pods of iris, terminating ones included. */
  static List<Pod> irisPods() {
    return pods("iris");
  }

  private void assertConnectionStringOnlyInTheSecretAndThePods() throws Exception {
    for (String kind :
        List.of("configmaps", "deployments", "replicasets", "mlwebservices", "events", "pods")) {
      assertThat(kubectl("-n", ns, "get", kind, "-o", "json")).as(kind).doesNotContain(IKEY);
    }
    assertThat(kubectl("-n", "mlws-system", "logs", "deployment/mlws-operator"))
        .doesNotContain(IKEY);
    assertThat(kubectl("-n", ns, "logs", "deployment/iris")).doesNotContain(IKEY);
    assertThat(
            kubectl(
                "-n", ns, "get", "secret", "capture", "-o", "jsonpath={.data.connection-string}"))
        .isNotEmpty();
  }

  /** Patches the iris sample; returns the generation the server gave the change. */
  static long patch(String json) throws Exception {
    return patch("iris", json);
  }

  static long patch(String service, String json) throws Exception {
    kubectl("-n", ns, "patch", "mlws", service, "--type", "merge", "-p", json);
    return client
        .resources(MLWebService.class)
        .inNamespace(ns)
        .withName(service)
        .get()
        .getMetadata()
        .getGeneration();
  }

  static void awaitReadyAt(long generation) {
    awaitReadyAt("iris", generation);
  }

  static void awaitReadyAt(String service, long generation) {
    await(service + " Ready at generation " + generation)
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () -> {
              MLWebService mlws =
                  client.resources(MLWebService.class).inNamespace(ns).withName(service).get();
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
   * ready pod (SettingsApplied True, appliedSettings its digest); returns that digest.
   */
  static String awaitSettingsAppliedOnStatus(String service) {
    String file =
        client
            .configMaps()
            .inNamespace(ns)
            .withName(service + "-settings")
            .get()
            .getData()
            .get("settings.json");
    String wanted = SettingsConfirmation.digest(file);
    await("status of " + service + " says every ready pod applies " + wanted)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              MLWebService mlws =
                  client.resources(MLWebService.class).inNamespace(ns).withName(service).get();
              assertThat(mlws.getStatus().getAppliedSettings()).isEqualTo(wanted);
              assertThat(mlws.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("SettingsApplied");
                        assertThat(c.getStatus()).isEqualTo("True");
                      });
            });
    return wanted;
  }

  /** What a pod answers on its probe port about the settings file it applies. */
  static String settingsDigestOf(Pod pod) throws Exception {
    HttpResponse<String> answer = fromProbePort(pod, "/settings");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body()).path("digest").asText();
  }

  /**
   * A GET to the pod's probe port (8081, "probes") at its IP, as Prometheus and the operator do.
   */
  static HttpResponse<String> fromProbePort(Pod pod, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + pod.getStatus().getPodIP() + ":8081" + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a batch and says whether all its requests arrived and none of them was collected. */
  static boolean batchWithoutCollections(String base) throws Exception {
    List<String> ids = scoreMany(base, 10);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> requestIds(capture.envelopes()).containsAll(ids));
    Thread.sleep(1_000);
    return collectedRequestIds(capture.envelopes()).stream().noneMatch(ids::contains);
  }

  /** Waits until every pod of iris, terminating ones too, runs with the agent or without it. */
  static void awaitOnlyPodsOfIris(boolean withAgent) {
    await("only pods " + (withAgent ? "with" : "without") + " the agent remain")
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(irisPods())
                    .as("pods of iris")
                    .allSatisfy(
                        p ->
                            assertThat(
                                    p.getSpec().getContainers().get(0).getEnv().stream()
                                        .anyMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS")))
                                .as("%s has the agent", p.getMetadata().getName())
                                .isEqualTo(withAgent)));
  }

  /** Waits until no envelope has arrived for 6 s (at most two minutes). */
  static int awaitQuiet() throws Exception {
    int[] last = {-1};
    // Called once no pod with the agent is left: what is still in flight arrives within a window
    // longer than the agent's 5 s export interval.
    await("the capture server quiet for 6 s")
        .atMost(Duration.ofMinutes(2))
        // The first look only takes the count; each later one compares it with 6 s before.
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofSeconds(6))
        .until(
            () -> {
              int now = capture.envelopes().size();
              boolean quiet = now == last[0];
              last[0] = now;
              return quiet;
            });
    return last[0];
  }

  static List<String> scoreMany(String base, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = score(base);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      ids.add(response.headers().firstValue("x-ms-request-id").orElseThrow());
    }
    return ids;
  }

  static List<JsonNode> collections(List<JsonNode> envelopes) {
    return envelopes.stream()
        .filter(e -> "MessageData".equals(e.at("/data/baseType").asText()))
        .filter(e -> "model_data_collection".equals(e.at("/data/baseData/message").asText()))
        .toList();
  }

  static Set<String> collectedRequestIds(List<JsonNode> envelopes) {
    return collections(envelopes).stream()
        .map(e -> e.at("/data/baseData/properties/Request Id").asText())
        .collect(Collectors.toSet());
  }

  /** The scorer's request ids (x-ms-request-id) of the /score RequestData envelopes. */
  static Set<String> requestIds(List<JsonNode> envelopes) {
    return envelopes.stream()
        .filter(e -> "RequestData".equals(e.at("/data/baseType").asText()))
        .filter(e -> e.at("/data/baseData/name").asText().equals("POST /score"))
        .map(e -> e.at("/data/baseData/properties/Request Id").asText())
        .collect(Collectors.toSet());
  }

  /** A service's pods, terminating ones included. */
  /** Who holds the operator's leader Lease (a pod name: the operator's identity is HOSTNAME). */
  static String operatorLeaseHolder() {
    return client
        .leases()
        .inNamespace("mlws-system")
        .withName("mlws-operator-leader")
        .get()
        .getSpec()
        .getHolderIdentity();
  }

  /** The operator's pods that are running and not being deleted. */
  static List<Pod> operatorPods() {
    return client
        .pods()
        .inNamespace("mlws-system")
        .withLabel("app.kubernetes.io/name", "mlws-operator")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  static List<Pod> pods(String service) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/instance", service)
        .list()
        .getItems();
  }

  /** A service's pods that are not terminating. */
  static List<Pod> runningPods(String service) {
    return pods(service).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static Set<String> podNames(String service) {
    return runningPods(service).stream()
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  static String clusterIp(String service) {
    return client.services().inNamespace(ns).withName(service).get().getSpec().getClusterIP();
  }

  static String kubectl(String... args) throws IOException, InterruptedException {
    return Kubectl.run(kubeconfig, Duration.ofMinutes(10), args);
  }

  static String kubeconfigPath() {
    return kubeconfig != null
        ? kubeconfig.toString()
        : System.getenv()
            .getOrDefault("KUBECONFIG", System.getProperty("user.home") + "/.kube/config");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static HttpResponse<String> score(String base) throws IOException, InterruptedException {
    return score(base, null);
  }

  /** A /score call, with this Authorization header unless null. */
  static HttpResponse<String> score(String base, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/score"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{\"data\": [[5.1, 3.5, 1.4, 0.2]]}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> infer(String base) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/v2/models/iris/infer"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\","
                        + "\"data\":[5.1,3.5,1.4,0.2]}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
