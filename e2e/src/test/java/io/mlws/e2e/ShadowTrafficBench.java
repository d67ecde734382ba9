package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.mlws.operator.harness.LocalCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What shadow traffic costs callers, on the real node, side by side in one run: five services
 * serving iris the same way, three without a shadow (how far equal services differ: the noise), one
 * copying every call to a shadow made slow (a CPU limit of 50m), one copying every call to a shadow
 * that is down (no pod). The calls go through the ClusterIPs in turn, one call to each service
 * after the other, so the machine's noise falls on all alike; each call's latency is taken at the
 * caller. A benchmark, run by hand (not in CI, whose machine is busy with other tests): {@code mvn
 * -B verify -pl e2e -Dit.test=ShadowTrafficBench}; it writes bench/results/shadow-traffic.md. It
 * fails only if a call does not answer 200.
 */
class ShadowTrafficBench {
  @RegisterExtension static final E2eScenario scenario = new E2eScenario("shadow-bench");

  static final int CALLS = 10_000;
  static final int WARM_UP_CALLS = 2_000;
  static final List<String> WITHOUT_SHADOW =
      List.of("no shadow", "no shadow, again", "no shadow, a third time");

  /**
   * Calls per connection: kube-proxy picks a pod per connection, so the calls reach every pod of a
   * service, the shadow's too (it sends its calls on to the default version's pods).
   */
  static final int CALLS_PER_CONNECTION = 100;

  static final Path RESULT = LocalCluster.REPO.resolve("bench/results/shadow-traffic.md");

  @Test
  void shadowsSlowOrDownLeaveCallersAsTheyWere() throws Exception {
    assumeFalse(E2eCluster.OTHER_CLUSTER, "a ClusterIP is reachable only on the local node");
    Map<String, String> services = new LinkedHashMap<>();
    services.put(WITHOUT_SHADOW.get(0), "plain");
    services.put(WITHOUT_SHADOW.get(1), "plainagain");
    services.put(WITHOUT_SHADOW.get(2), "plainthird");
    services.put("shadow slow (50m CPU)", "slowshadow");
    services.put("shadow down (no pod)", "downshadow");
    scenario.createSmall("plain", "iris.onnx", 1, "");
    scenario.createSmall("plainagain", "iris.onnx", 1, "");
    scenario.createSmall("plainthird", "iris.onnx", 1, "");
    scenario.createSmall(
        "slowshadow",
        "iris.onnx",
        1,
        ", versions: [{name: shadow, weight: 0, mirrorPercentage: 100, replicas: 1,"
            + " model: {uri: \"file:///opt/mlws/models/iris.onnx\", version: \"2\"},"
            + " resources: {requests: {cpu: 50m}, limits: {cpu: 50m}}}]");
    scenario.createSmall(
        "downshadow",
        "iris.onnx",
        1,
        ", versions: [{name: shadow, weight: 0, mirrorPercentage: 100, replicas: 0,"
            + " model: {uri: \"file:///opt/mlws/models/iris.onnx\", version: \"2\"}}]");
    for (String service : services.values()) {
      scenario.awaitReadyReplicas(service, 1);
    }
    scenario.awaitReadyReplicas("slowshadow-shadow", 1);
    for (String service : services.values()) {
      scenario.awaitSettingsAppliedOnStatus(service);
    }

    Map<String, String> bases = new LinkedHashMap<>();
    Map<String, HttpClient> clients = new LinkedHashMap<>();
    Map<String, List<Long>> latencies = new LinkedHashMap<>();
    Map<String, Map<Integer, Integer>> answers = new LinkedHashMap<>();
    for (Map.Entry<String, String> service : services.entrySet()) {
      bases.put(service.getKey(), scenario.scoringThroughClusterIp(service.getValue()));
      clients.put(
          service.getKey(), HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
      latencies.put(service.getKey(), new ArrayList<>());
      answers.put(service.getKey(), new LinkedHashMap<>());
    }
    for (String label : services.keySet()) {
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        call(client(clients, label, i), bases.get(label));
      }
    }
    for (int i = 0; i < CALLS; i++) {
      for (String label : services.keySet()) {
        long start = System.nanoTime();
        int status = call(client(clients, label, i), bases.get(label));
        latencies.get(label).add(System.nanoTime() - start);
        answers.get(label).merge(status, 1, Integer::sum);
      }
    }

    StringBuilder table = new StringBuilder();
    table.append(
        "# e2e ShadowTrafficBench, %s (%s, the local cluster's real node)\n\n"
            .formatted(LocalDate.now(), machine()));
    table.append(
        "%d calls through each service's ClusterIP, one call to each service in turn, a new"
                .formatted(CALLS)
            + " connection every %d, after %d warm-up calls each; latency at the caller. Each"
                .formatted(CALLS_PER_CONNECTION, WARM_UP_CALLS)
            + " shadow is sent a copy of every call (mirrorPercentage 100). The three services"
            + " without a shadow are alike: how far apart they are is the noise. Each ratio is"
            + " to the median of those three.\n\n");
    table.append(
        "| service | calls | answers | p50 µs | p90 µs | p99 µs | p90 ratio | p99 ratio |\n");
    table.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
    long baseP90 =
        medianOf(WITHOUT_SHADOW.stream().map(l -> percentile(latencies.get(l), 90)).toList());
    long baseP99 =
        medianOf(WITHOUT_SHADOW.stream().map(l -> percentile(latencies.get(l), 99)).toList());
    for (String label : services.keySet()) {
      List<Long> measured = latencies.get(label);
      long p99 = percentile(measured, 99);
      table.append(
          "| %s | %d | %s | %d | %d | %d | %.2f | %.2f |\n"
              .formatted(
                  label,
                  measured.size(),
                  answers.get(label),
                  percentile(measured, 50) / 1000,
                  percentile(measured, 90) / 1000,
                  p99 / 1000,
                  (double) percentile(measured, 90) / baseP90,
                  (double) p99 / baseP99));
    }
    table.append(
        "\nThe shadows' own count, from the sending pods' mlws_mirrored_requests_total:\n\n");
    for (String service : List.of("slowshadow", "downshadow")) {
      table.append("- %s: %s\n".formatted(service, mirrored(service)));
    }
    System.out.println(table);
    Files.writeString(RESULT, table.toString());
    for (String label : services.keySet()) {
      assertThat(answers.get(label).keySet()).as("%s: every answer", label).containsOnly(200);
    }
  }

  /** The service's client, a new one (and connection) every {@link #CALLS_PER_CONNECTION}. */
  static HttpClient client(Map<String, HttpClient> clients, String label, int call) {
    if (call % CALLS_PER_CONNECTION == 0) {
      clients.put(label, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }
    return clients.get(label);
  }

  /**
   * One call's status; 0 when no answer came within {@link #DEADLINE} (the client's own timeout
   * ends only the wait for the answer's headers).
   */
  static int call(HttpClient http, String base) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/score"))
            .header("Content-Type", "application/json")
            .timeout(DEADLINE)
            .POST(HttpRequest.BodyPublishers.ofString(Calls.IRIS_ROW))
            .build();
    CompletableFuture<HttpResponse<Void>> answer =
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    try {
      return answer.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).statusCode();
    } catch (TimeoutException | ExecutionException e) {
      answer.cancel(true);
      return 0;
    }
  }

  static final Duration DEADLINE = Duration.ofSeconds(10);

  static long medianOf(List<Long> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  static long percentile(List<Long> values, int percent) {
    long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return sorted[
        Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
  }

  static Map<String, Double> mirrored(String service) throws Exception {
    Map<String, Double> outcomes = new java.util.TreeMap<>();
    for (var pod : scenario.runningPods(service)) {
      for (String line : Calls.fromProbePort(pod, "/metrics").body().lines().toList()) {
        if (line.startsWith("mlws_mirrored_requests_total{")) {
          String outcome = line.replaceAll(".*outcome=\"([^\"]*)\".*", "$1");
          outcomes.merge(
              outcome, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        }
      }
    }
    return outcomes;
  }

  static String machine() throws Exception {
    String model =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name"))
            .findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .orElse("unknown CPU");
    return Runtime.getRuntime().availableProcessors() + " vCPU " + model;
  }
}
