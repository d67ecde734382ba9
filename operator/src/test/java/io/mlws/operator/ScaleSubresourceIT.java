package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.Kubectl;
import io.mlws.operator.harness.OperatorHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale subresource with the pinned kubectl on the real control plane, pods made Ready by kwok:
 * `kubectl scale` sets spec.replicas and the operator scales the Deployment; the scale object gives
 * an autoscaler the pods' count and selector; a service with spec.autoscaling refuses it, saying
 * why.
 */
class ScaleSubresourceIT {
  static OperatorHarness harness;
  static Path kubeconfig;

  @BeforeAll
  static void startOperator() {
    harness =
        new OperatorHarness(
            "scale-it", OperatorConfig.fromEnvironment(Map.of("MLWS_CONFIRM_SETTINGS", "false")));
    kubeconfig = harness.cluster.kubeconfig();
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void kubectlScaleScalesTheScorerAndTheScaleObjectSelectsItsPods() throws Exception {
    harness.apply(MLWebServiceOperatorIT.service("scaled", "replicas: 1"));
    harness.awaitDeployment("scaled");

    kubectl("scale", "mlws/scaled", "--replicas=3");

    assertThat(harness.get("scaled").getSpec().getReplicas()).isEqualTo(3);
    await("the Deployment at 3 replicas, 3 pods counted in status")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                harness.deployment("scaled").getSpec().getReplicas() == 3
                    && Integer.valueOf(3).equals(harness.get("scaled").getStatus().getReplicas()));
    String scale =
        kubectl(
            "get",
            "mlws/scaled",
            "--subresource=scale",
            "-o",
            "jsonpath={.spec.replicas} {.status.replicas} {.status.selector}");
    assertThat(scale)
        .isEqualTo("3 3 app.kubernetes.io/instance=scaled,app.kubernetes.io/name=mlws-scorer");
    String pods = kubectl("get", "pods", "-l", scale.split(" ")[2], "-o", "name");
    assertThat(pods.lines()).as("the pods the scale object selects").hasSize(3);
  }

  @Test
  void aServiceWithItsOwnAutoscalingRefusesKubectlScale() throws Exception {
    harness.apply(
        MLWebServiceOperatorIT.service(
            "autoscaled", "autoscaling: {minReplicas: 1, maxReplicas: 3}"));

    Kubectl.Result refused =
        Kubectl.tryRun(
            kubeconfig,
            Duration.ofSeconds(60),
            "scale",
            "mlws/autoscaled",
            "--replicas=2",
            "-n",
            harness.ns);

    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("set either spec.replicas or spec.autoscaling, not both");
  }

  static String kubectl(String... args) throws Exception {
    String[] inNamespace = java.util.Arrays.copyOf(args, args.length + 2);
    inNamespace[args.length] = "-n";
    inNamespace[args.length + 1] = harness.ns;
    return Kubectl.run(kubeconfig, Duration.ofSeconds(60), inNamespace).trim();
  }
}
