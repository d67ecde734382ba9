package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.Kubectl;
import io.mlws.operator.harness.OperatorHarness;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toggle as a user types it: the pinned kubectl applies a sample from deploy/samples (validated
 * by the real server's schema), patches spec.appInsights.enabled, and lists the resource with its
 * printer columns, on the real local control plane.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlToggleIT {
  static final Path SAMPLES = Path.of("../deploy/samples");
  static final String CONNECTION_STRING =
      "InstrumentationKey=00000000-0000-0000-0000-00000000c0de;IngestionEndpoint=https://example.invalid/";
  static OperatorHarness harness;
  @TempDir static Path home;
  static Path kubeconfig;

  @BeforeAll
  static void start() throws IOException {
    harness = new OperatorHarness("kubectl-it", OperatorConfig.defaults());
    kubeconfig = harness.cluster.kubeconfig();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  @Order(1)
  void applyPatchAndGetWithKubectl() throws Exception {
    // The Secret as the README creates it.
    assertThat(
            kubectl(
                "create",
                "secret",
                "generic",
                "appinsights",
                "--from-literal=connection-string=" + CONNECTION_STRING))
        .contains("secret/appinsights created");
    assertThat(kubectl("label", "secret", "appinsights", "mlws.io/connection-string=true"))
        .contains("secret/appinsights labeled");
    assertThat(kubectl("apply", "-f", SAMPLES.resolve("iris-basic.yaml").toString()))
        .contains("mlwebservice.mlws.io/iris created");
    harness.awaitDeployment("iris");
    assertThat(harness.envNames(harness.deployment("iris"))).doesNotContain("JAVA_TOOL_OPTIONS");

    assertThat(
            kubectl(
                "patch",
                "mlws",
                "iris",
                "--type",
                "merge",
                "-p",
                "{\"spec\":{\"appInsights\":{\"enabled\":true,\"connectionStringSecretRef\":{\"name\":\"appinsights\"}}}}"))
        .contains("mlwebservice.mlws.io/iris patched");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.envNames(harness.deployment("iris")).contains("JAVA_TOOL_OPTIONS"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> harness.get("iris").getStatus().getAppInsights() == AppInsightsState.ENABLED);
    List<String> table = kubectl("get", "mlws").lines().toList();
    assertThat(table.get(0).split("\\s+"))
        .containsExactly(
            "NAME",
            "READY",
            "REPLICAS",
            "READY-REPLICAS",
            "INSIGHTS",
            "DATA",
            "TRAFFIC",
            "URL",
            "AGE");
    assertThat(table.get(1).split("\\s+"))
        .contains(
            "iris",
            "Enabled",
            "Disabled",
            "http://iris." + harness.ns + ".svc.cluster.local/score");

    kubectl(
        "patch",
        "mlws",
        "iris",
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"appInsights\":{\"enabled\":false}}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !harness.envNames(harness.deployment("iris")).contains("JAVA_TOOL_OPTIONS"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kubectl("get", "mlws", "iris").contains("Disabled"));
  }

  @Test
  @Order(2)
  void theSamplesApplyAsAKustomization() throws Exception {
    String output = kubectl("apply", "-k", SAMPLES.toString());

    assertThat(output)
        .contains("mlwebservice.mlws.io/iris-insights created")
        .contains("mlwebservice.mlws.io/iris-collect created");
    harness.awaitDeployment("iris-insights");
    harness.awaitDeployment("iris-collect");
    await().atMost(Duration.ofSeconds(30)).until(() -> harness.autoscaler("iris-collect") != null);
    assertThat(harness.envNames(harness.deployment("iris-insights"))).contains("JAVA_TOOL_OPTIONS");
  }

  /** The pinned kubectl in the test's namespace, as a user with that namespace as context would. */
  static String kubectl(String... args) throws IOException, InterruptedException {
    String[] inNamespace = java.util.Arrays.copyOf(args, args.length + 2);
    inNamespace[args.length] = "-n";
    inNamespace[args.length + 1] = harness.ns;
    return Kubectl.run(kubeconfig, Duration.ofSeconds(60), inNamespace);
  }
}
