package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The platform team's policy on the real control plane: a spec that chooses an image or a
 * ServiceAccount the operator's settings do not allow is Stalled with reason NotAllowed, makes
 * nothing, and leaves what an allowed spec made serving as it was. The operator writes its objects
 * as its ServiceAccount; what it applied is judged by the audit log.
 */
class TenantPolicyIT {
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness =
        new OperatorHarness(
            "policy-it",
            OperatorConfig.fromEnvironment(
                Map.of(
                    "MLWS_ALLOWED_IMAGES", "registry.example/mlws/,mcr.microsoft.com/mlws/scorer",
                    "MLWS_ALLOWED_SERVICE_ACCOUNTS", "scorer")));
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void anImageOutsideThePolicyIsNotAppliedAndTheLastAllowedOneKeepsServing() {
    harness.apply(
        MLWebServiceOperatorIT.service(
            "chosen",
            """
            image: registry.example/mlws/team-a/scorer:2
            pod: {serviceAccountName: scorer}"""));
    assertThat(image(harness.awaitDeployment("chosen")))
        .isEqualTo("registry.example/mlws/team-a/scorer:2");
    int before = harness.auditedSoFar();

    harness.mergePatch("chosen", "{\"spec\":{\"image\":\"registry.example/mlwsx/miner:1\"}}");

    Condition stalled =
        harness.awaitCondition(
            "chosen", StatusConditions.STALLED, "True", "NotAllowed", Duration.ofSeconds(30));
    assertThat(stalled.getMessage())
        .contains("spec.image registry.example/mlwsx/miner:1 is not allowed")
        .contains("MLWS_ALLOWED_IMAGES");
    assertThat(harness.operatorWritesTo("deployments", "chosen", before))
        .as("the Deployment left as the allowed spec made it")
        .isEmpty();
    assertThat(image(harness.deployment("chosen")))
        .isEqualTo("registry.example/mlws/team-a/scorer:2");
  }

  @Test
  void aServiceAccountOutsideThePolicyMakesNothing() {
    harness.apply(
        MLWebServiceOperatorIT.service(
            "identity",
            """
            image: mcr.microsoft.com/mlws/scorer:1.0
            pod: {serviceAccountName: payments-admin}"""));

    Condition stalled =
        harness.awaitCondition(
            "identity", StatusConditions.STALLED, "True", "NotAllowed", Duration.ofSeconds(30));
    assertThat(stalled.getMessage())
        .contains("spec.pod.serviceAccountName payments-admin is not allowed")
        .doesNotContain("spec.image");
    assertThat(harness.deployment("identity")).isNull();
  }

  private static String image(io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }
}
