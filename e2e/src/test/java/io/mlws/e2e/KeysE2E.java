package io.mlws.e2e;

import static io.mlws.e2e.Calls.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With keys, a service answers only callers with one (401 otherwise, health paths open), and
 * regenerating the primary key restarts no pod and fails no call made with the secondary.
 */
class KeysE2E {
  static final String SERVICE = "sklearn-logreg";

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("keys");

  @Test
  void aServiceWithKeysAnswersOnlyItsCallersAndARegeneratedKeyDropsNothing() throws Exception {
    assumeFalse(
        E2eCluster.OTHER_CLUSTER,
        "a ClusterIP is reachable from this machine only on the local node");
    scenario.createSmall(SERVICE, "sklearn-logreg-zipmap.onnx", 1, "");
    scenario.awaitReady(SERVICE);
    scenario.awaitReadyAt(
        SERVICE, scenario.patch(SERVICE, "{\"spec\":{\"auth\":{\"mode\":\"Keys\"}}}"));
    await("only pods that read the keys are left to serve " + SERVICE)
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                scenario.pods(SERVICE).stream()
                    .allMatch(
                        p ->
                            p.getSpec().getVolumes().stream()
                                .anyMatch(v -> v.getName().equals("keys"))));
    String base = "http://" + scenario.clusterIp(SERVICE);
    String primary = key("primary");
    String secondary = key("secondary");
    await("the ClusterIP answers with the keys")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> score(base, "Bearer " + primary).statusCode() == 200);
    assertThat(score(base, null).statusCode()).isEqualTo(401);
    HttpResponse<String> refused = score(base, "Bearer not-a-key");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("\"code\":\"Unauthorized\"");
    assertThat(score(base, "Bearer " + secondary).statusCode()).isEqualTo(200);
    Set<String> pods = scenario.podNames(SERVICE);

    try (ClusterIpLoad load =
        ClusterIpLoad.start(
            base, 2, Duration.ofMillis(100), Map.of("Authorization", "Bearer " + secondary))) {
      scenario.kubectlHere(
          "annotate", "mlws", SERVICE, "mlws.io/rotate-primary-key=1", "--overwrite");
      await("the old primary key refused once the kubelet has projected the new one")
          .atMost(Duration.ofMinutes(2))
          .until(() -> score(base, "Bearer " + primary).statusCode() == 401);
      String regenerated = key("primary");
      assertThat(regenerated).isNotEqualTo(primary);
      assertThat(score(base, "Bearer " + regenerated).statusCode()).isEqualTo(200);
      Map<String, Long> outcomes = load.stopAndCount();
      System.out.println(
          "KeysE2E: calls with the secondary key while the primary was regenerated: " + outcomes);
      assertThat(outcomes.keySet()).as("outcomes %s", outcomes).containsOnly("200");
    }
    assertThat(scenario.podNames(SERVICE)).as("no pod restarted or replaced").isEqualTo(pods);
    assertThat(scenario.runningPods(SERVICE))
        .allSatisfy(
            p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero());
  }

  /** One key of the service's keys Secret, as its callers would be given it. */
  static String key(String name) {
    return new String(
        Base64.getDecoder()
            .decode(
                scenario
                    .client()
                    .secrets()
                    .inNamespace(scenario.namespace())
                    .withName(SERVICE + "-keys")
                    .get()
                    .getData()
                    .get(name)),
        StandardCharsets.UTF_8);
  }
}
