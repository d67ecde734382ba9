package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.mlws.operator.harness.CaptureProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The telemetry toggle end to end, under clients on keep-alive connections through the ClusterIP:
 * Application Insights and data collection on with 3 replicas (envelopes from the real agent at a
 * capture server on the node's bridge), sampling changed without a restart, a scale-in with the
 * grace period spec.pod sets, a rotated connection string rolling the pods, telemetry off; no
 * request dropped, and the connection string nowhere but in its Secret and the pods.
 */
class TelemetryToggleE2E {
  static final String SERVICE = "iris";
  static final String IKEY = "e2e0c0de-0000-4000-8000-00000000e2e0";
  static final int REQUESTS = 20;

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("telemetry");

  @Test
  void telemetryTurnedOnAndOffEndToEnd() throws Exception {
    assumeFalse(E2eCluster.OTHER_CLUSTER, "the capture server listens on the local node's bridge");
    scenario.createSmall(SERVICE, "iris.onnx", 1, "");
    capture();
    scenario.awaitReady(SERVICE);
    String base = scenario.scoringThroughClusterIp(SERVICE);
    // Clients on keep-alive connections through the ClusterIP for the whole test: every rollout
    // below (telemetry on with 3 replicas, a Secret rotation, telemetry off) and the scale-in
    // from 3 to 1 must drop nothing.
    try (ClusterIpLoad load = ClusterIpLoad.start(base, 3, Duration.ofMillis(100))) {
      telemetryOnRotatedScaledInAndOff(base);

      Map<String, Long> outcomes = load.stopAndCount();
      System.out.println(
          "TelemetryToggleE2E: requests through the ClusterIP while telemetry went on, the Secret"
              + " rotated, replicas went 3 -> 1 and telemetry went off, by outcome: "
              + outcomes);
      assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("200");
      assertThat(outcomes.get("200")).as("requests answered").isGreaterThan(100);
    }
    assertConnectionStringOnlyInTheSecretAndThePods();
  }

  /** The scenario's capture server, its Secret named "capture". */
  static CaptureProcess capture() throws IOException {
    return scenario.capture(IKEY);
  }

  private static void telemetryOnRotatedScaledInAndOff(String base) throws Exception {
    long started = System.nanoTime();
    // Where the test's time goes, in the CI log: each step's end, in seconds from the start.
    java.util.function.Consumer<String> done =
        step ->
            System.out.printf(
                "TelemetryToggleE2E: %s at %d s%n",
                step, (System.nanoTime() - started) / 1_000_000_000L);
    long on =
        scenario.patch(
            SERVICE,
            "{\"spec\":{\"replicas\":3,\"appInsights\":{\"enabled\":true,\"connectionStringSecretRef\":{\"name\":\"capture\"}},"
                + "\"dataCollection\":{\"enabled\":true,\"samplingPercentage\":100},"
                // Not the defaults (5 s and 30 s): the pause and grace period a user sets are
                // what the pods get, and what the kubelet gives them below.
                + "\"pod\":{\"preStopPauseSeconds\":3,\"terminationGracePeriodSeconds\":20}}}");
    scenario.awaitReadyAt(SERVICE, on);
    done.accept("telemetry on, 3 replicas Ready");
    // Ready means the new pods serve; the old ones, without the agent, keep answering through their
    // preStop pause until they are gone. Requests sent before then may reach them.
    awaitOnlyPodsOfIris(true);
    done.accept("the pods without the agent gone");

    List<String> ids = Calls.scoreMany(base, REQUESTS);
    await(
            "a RequestData and a model_data_collection trace for each of the "
                + REQUESTS
                + " requests")
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(Envelopes.requestIds(capture().envelopes()))
                  .as("request ids of RequestData")
                  .containsAll(ids);
              assertThat(Envelopes.collectedRequestIds(capture().envelopes()))
                  .as("Request Id of model_data_collection traces")
                  .containsAll(ids);
            });
    for (JsonNode trace : Envelopes.collections(capture().envelopes())) {
      List<String> dimensions = new ArrayList<>();
      trace.at("/data/baseData/properties").fieldNames().forEachRemaining(dimensions::add);
      assertThat(dimensions).as("dimensions of %s", trace).containsAll(Envelopes.DIMENSIONS);
    }
    // The kubelet has probed every pod with the agent every few seconds by now.
    assertThat(capture().envelopes())
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
    Set<String> podsBefore = scenario.podNames(SERVICE);
    long sampledOut =
        scenario.patch(SERVICE, "{\"spec\":{\"dataCollection\":{\"samplingPercentage\":0}}}");
    scenario.awaitReadyAt(SERVICE, sampledOut);
    String wanted = scenario.awaitSettingsAppliedOnStatus(SERVICE);
    done.accept("0 % sampling applied by every pod, says status");
    for (Pod pod : scenario.runningPods(SERVICE)) {
      assertThat(Calls.settingsDigestOf(pod))
          .as("what %s applies once status says every ready pod does", pod.getMetadata().getName())
          .isEqualTo(wanted);
    }
    assertThat(batchWithoutCollections(base))
        .as("no model_data_collection trace once status says 0% is applied")
        .isTrue();
    assertThat(scenario.podNames(SERVICE)).as("the same pods, not restarted").isEqualTo(podsBefore);
    assertThat(scenario.runningPods(SERVICE))
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero());

    assertThat(scenario.runningPods(SERVICE))
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
    long scaledIn = scenario.patch(SERVICE, "{\"spec\":{\"replicas\":1}}");
    scenario.awaitReadyAt(SERVICE, scaledIn);
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
    String rotated = rotated(capture().connectionString(IKEY));
    scenario
        .client()
        .secrets()
        .inNamespace(scenario.namespace())
        .withName("capture")
        .edit(
            secret -> {
              secret.setData(null);
              secret.setStringData(Map.of("connection-string", rotated));
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

    long off = scenario.patch(SERVICE, "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    scenario.awaitReadyAt(SERVICE, off);
    awaitOnlyPodsOfIris(false);
    done.accept("telemetry off, the pods with the agent gone");
    int settled = awaitQuiet();
    Calls.scoreMany(base, REQUESTS);
    // A window, not a synchronisation: no pod has the agent any more, and an agent would have
    // exported within its 5 s interval; 6 s without a new envelope.
    Thread.sleep(6_000);
    assertThat(capture().envelopes().size())
        .as("envelopes after telemetry was turned off")
        .isEqualTo(settled);
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
    return scenario.pods(SERVICE);
  }

  private static void assertConnectionStringOnlyInTheSecretAndThePods() throws Exception {
    for (String kind :
        List.of("configmaps", "deployments", "replicasets", "mlwebservices", "events", "pods")) {
      assertThat(scenario.kubectlHere("get", kind, "-o", "json")).as(kind).doesNotContain(IKEY);
    }
    assertThat(
            scenario.kubectl(
                "-n", E2eCluster.OPERATOR_NAMESPACE, "logs", "deployment/mlws-operator"))
        .doesNotContain(IKEY);
    assertThat(scenario.kubectlHere("logs", "deployment/iris")).doesNotContain(IKEY);
    assertThat(
            scenario.kubectlHere(
                "get", "secret", "capture", "-o", "jsonpath={.data.connection-string}"))
        .isNotEmpty();
  }

  /** Sends a batch and says whether all its requests arrived and none of them was collected. */
  static boolean batchWithoutCollections(String base) throws Exception {
    List<String> ids = Calls.scoreMany(base, 10);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Envelopes.requestIds(capture().envelopes()).containsAll(ids));
    Thread.sleep(1_000);
    return Envelopes.collectedRequestIds(capture().envelopes()).stream().noneMatch(ids::contains);
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
              int now = capture().envelopes().size();
              boolean quiet = now == last[0];
              last[0] = now;
              return quiet;
            });
    return last[0];
  }
}
