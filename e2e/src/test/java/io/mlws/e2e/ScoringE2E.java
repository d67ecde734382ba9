package io.mlws.e2e;

import static io.mlws.e2e.Calls.infer;
import static io.mlws.e2e.Calls.score;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.Pod;
import io.mlws.operator.harness.Kubectl;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scoring as clients reach it: through port-forward, through the Service's ClusterIP (V1 /score and
 * the Open Inference Protocol), and the pods' own count on their probe port, as Prometheus reads
 * it.
 */
class ScoringE2E {
  @RegisterExtension static final E2eScenario scenario = new E2eScenario("scoring");

  @BeforeAll
  static void twoModels() throws Exception {
    scenario.createSmall("iris", "iris.onnx", 1, "");
    scenario.createSmall("sklearn-logreg", "sklearn-logreg-zipmap.onnx", 1, "");
    scenario.awaitReady("iris");
    scenario.awaitReady("sklearn-logreg");
  }

  @Test
  void scoresThroughTheClusterIpAndThroughPortForward() throws Exception {
    int port = Calls.freePort();
    Process forward =
        new ProcessBuilder(
                Kubectl.binary().toString(),
                "--kubeconfig",
                scenario.cluster().kubeconfigPath(),
                "-n",
                scenario.namespace(),
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

    assumeFalse(
        E2eCluster.OTHER_CLUSTER,
        "a ClusterIP is reachable from this machine only on the local node");
    String clusterIp = scenario.scoringThroughClusterIp("iris");
    assertThat(score(clusterIp).statusCode()).isEqualTo(200);
    assertThat(score(clusterIp).body()).contains("\"predictions\":[\"setosa\"]");
    HttpResponse<String> v2 = infer(clusterIp);
    assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
    assertThat(v2.body()).contains("\"name\":\"label\"");
    HttpResponse<String> sklearn = score(scenario.scoringThroughClusterIp("sklearn-logreg"));
    assertThat(sklearn.statusCode()).as(sklearn.body()).isEqualTo(200);

    // What Prometheus (a PodMonitor on port "probes") scrapes from each pod that served.
    double scored = 0;
    for (Pod pod : scenario.runningPods("iris")) {
      HttpResponse<String> metrics = Calls.fromProbePort(pod, "/metrics");
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
}
