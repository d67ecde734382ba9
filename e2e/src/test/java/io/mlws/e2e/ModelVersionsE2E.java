package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two model versions behind one Service on the real node, calls through its ClusterIP (kube-proxy
 * alone, no mesh): the share each version answers holds at its weight, 80/20 with one pod each and
 * 50/50 with three pods against one, within 3 percentage points over 2,000 calls; a weight edit
 * takes effect without a pod restarted; a header pins a call to a version; and the whole rollout
 * fails no call of a load running through it.
 */
class ModelVersionsE2E {
  @RegisterExtension static final E2eScenario scenario = new E2eScenario("versions");

  static final int CALLS = 2_000;

  /** Calls per connection: kube-proxy picks a pod per connection, so calls arrive at every pod. */
  static final int CALLS_PER_CONNECTION = 50;

  static final String VERSION_HEADER = "azureml-model-deployment";

  /**
   * One rollout, under load through the ClusterIP from its first step to its last: the canary added
   * at 0 %, moved to 10, 20 (the share measured with one pod each), 50 (measured with three of
   * spec.model's pods against one), 100 %, then promoted: spec.model set to its model and the
   * version removed, spec.model's pods rolled to it. Every call of the load answered 200.
   */
  @Test
  void aRolloutSharesCallsByWeightAndFailsNoCall() throws Exception {
    assumeFalse(
        E2eCluster.OTHER_CLUSTER,
        "a ClusterIP is reachable from this machine only on the local node");
    scenario.createSmall("split", "iris.onnx", 1, ", versions: [" + version(0, NEXT_MODEL) + "]");
    scenario.awaitReady("split");
    scenario.awaitReadyReplicas("split-canary", 1);
    scenario.awaitSettingsAppliedOnStatus("split");
    String base = scenario.scoringThroughClusterIp("split");

    Map<String, Long> outcomes;
    // A steady load, light enough to leave the two cores to the rest of the suite.
    try (ClusterIpLoad load = ClusterIpLoad.start(base, 1, Duration.ofMillis(50))) {
      java.util.Set<String> podsBefore = scenario.podNames("split");
      setCanary(10, "");
      setCanary(20, "");
      assertThat(canaryPercent(base)).as("canary at weight 20, 1 pod each").isBetween(17.0, 23.0);
      assertThat(scenario.podNames("split"))
          .as("weight edits restart no pod")
          .isEqualTo(podsBefore);

      setCanary(50, "\"replicas\": 3, ");
      scenario.awaitReadyReplicas("split", 3);
      scenario.awaitSettingsAppliedOnStatus("split");
      assertThat(canaryPercent(base))
          .as("canary at weight 50, 3 pods against 1")
          .isBetween(47.0, 53.0);
      pinnedCallsAnsweredByTheCanary(base);

      setCanary(100, "\"replicas\": 1, ");
      long promoted =
          scenario.patch(
              "split",
              "{\"spec\": {\"model\": {\"uri\": \"file:///opt/mlws/models/"
                  + NEXT_MODEL
                  + "\", \"version\": \"2\"}, \"versions\": null}}");
      scenario.awaitReadyAt("split", promoted);
      await("the canary's Deployment gone")
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  scenario
                          .client()
                          .apps()
                          .deployments()
                          .inNamespace(scenario.namespace())
                          .withName("split-canary")
                          .get()
                      == null);
      scenario.awaitSettingsAppliedOnStatus("split");
      outcomes = load.stopAndCount();
    }
    System.out.println("ModelVersionsE2E: the calls during the rollout: " + outcomes);
    assertThat(outcomes.keySet()).as("every call's outcome").containsExactly("200");
    assertThat(outcomes.get("200")).isGreaterThan(100);
  }

  /**
   * The canary at {@code weight}, with other spec fields; once the settings file has that weight
   * and every version's address, and status says every ready pod applies it.
   */
  static void setCanary(int weight, String otherSpec) throws Exception {
    scenario.patch(
        "split",
        "{\"spec\": {"
            + otherSpec
            + "\"versions\": ["
            + version(weight, NEXT_MODEL).replace("\n", " ")
            + "]}}");
    await("the settings file with the canary at " + weight + " and every version's address")
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              JsonNode routing = Calls.JSON.readTree(settingsFile()).path("routing");
              boolean found = false;
              for (JsonNode version : routing.path("versions")) {
                if (version.path("url").asText().isBlank()) {
                  return false;
                }
                found |=
                    version.path("name").asText().equals("canary")
                        && version.path("weight").asInt() == weight;
              }
              return found;
            });
    scenario.awaitSettingsAppliedOnStatus("split");
  }

  static String settingsFile() {
    return scenario
        .client()
        .configMaps()
        .inNamespace(scenario.namespace())
        .withName("split-settings")
        .get()
        .getData()
        .get("settings.json");
  }

  /**
   * Pinned calls answered by the canary, which counts them under its version; spec.model's pods
   * count the calls they sent on.
   */
  static void pinnedCallsAnsweredByTheCanary(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> pinned =
          http.send(call(base, "canary"), HttpResponse.BodyHandlers.ofString());
      assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(200);
      assertThat(pinned.headers().firstValue(VERSION_HEADER)).hasValue("canary");
    }
    double answeredByCanary = 0;
    double sentOn = 0;
    for (Pod pod : scenario.runningPods("split")) {
      String metrics = Calls.fromProbePort(pod, "/metrics").body();
      String version = pod.getMetadata().getLabels().getOrDefault("mlws.io/version", "default");
      if (version.equals("canary")) {
        answeredByCanary += sum(metrics, "mlws_requests_seconds_count{", "version=\"canary\"");
      }
      sentOn += sum(metrics, "mlws_routed_requests_total{", "outcome=\"200\"");
    }
    assertThat(answeredByCanary).isGreaterThanOrEqualTo(40);
    assertThat(sentOn).as("calls the pods sent on to the other version").isPositive();
  }

  /** The canary's model, the one the rollout moves to: another model that answers the iris row. */
  static final String NEXT_MODEL = "sklearn-logreg-zipmap.onnx";

  static String version(int weight, String model) {
    return """
        {"name": "canary", "weight": %d, "replicas": 1,
         "model": {"uri": "file:///opt/mlws/models/%s", "version": "2"},
         "resources": {"requests": {"cpu": "%s"}}}"""
        .formatted(weight, model, E2eScenario.SMALL_CPU_REQUEST);
  }

  /** The percentage of {@link #CALLS} calls the canary answered, each call answered 200. */
  static double canaryPercent(String base) throws Exception {
    Map<String, Integer> answeredBy = new HashMap<>();
    HttpClient http = null;
    for (int i = 0; i < CALLS; i++) {
      if (i % CALLS_PER_CONNECTION == 0) {
        http = HttpClient.newHttpClient();
      }
      HttpResponse<String> answer =
          http.send(call(base, null), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      answeredBy.merge(answer.headers().firstValue(VERSION_HEADER).orElse("none"), 1, Integer::sum);
    }
    assertThat(answeredBy.keySet()).containsOnly("default", "canary");
    double percent = 100.0 * answeredBy.getOrDefault("canary", 0) / CALLS;
    System.out.printf(
        "ModelVersionsE2E: the canary answered %.1f %% of %d calls%n", percent, CALLS);
    return percent;
  }

  static HttpRequest call(String base, String pinned) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/score"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(Calls.IRIS_ROW));
    if (pinned != null) {
      request.header(VERSION_HEADER, pinned);
    }
    return request.build();
  }

  static double sum(String metrics, String prefix, String label) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
