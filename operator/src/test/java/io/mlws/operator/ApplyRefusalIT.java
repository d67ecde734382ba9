package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.Kstatus;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.status.StatusConditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Applies the real API server refuses for good (a 422 from its own validation, a denial by an
 * admission policy) are reported in status as Stalled/ApplyFailed with the server's message, which
 * Flux, Argo CD and kstatus read as failed; retried with backoff without repeating events; and
 * cleared when the spec is fixed.
 */
class ApplyRefusalIT {
  static OperatorHarness harness;

  @BeforeAll
  static void startOperator() {
    harness = new OperatorHarness("apply-it", OperatorConfig.defaults());
  }

  @AfterAll
  static void stopOperator() {
    harness.close();
  }

  @Test
  void requestsAboveLimitsAreReportedAndClearedWhenFixed() throws Exception {
    harness.apply(
        MLWebServiceOperatorIT.service(
            "greedy", "resources: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}"));

    Condition stalled = awaitApplyFailed("greedy");
    assertThat(stalled.getMessage())
        .contains("the API server refused")
        .contains("must be less than or equal to cpu limit");
    assertThat(Kstatus.compute(MLWebServiceOperatorIT.asJson(harness.get("greedy"))))
        .isEqualTo(Kstatus.Status.FAILED);
    assertOneWarningAndNoReconcileFailed("greedy");

    harness.mergePatch("greedy", "{\"spec\":{\"resources\":{\"limits\":{\"cpu\":\"2\"}}}}");

    awaitReady("greedy");
  }

  @Test
  void anAdmissionPolicyDenialIsReportedAndClearedWhenFixed() throws Exception {
    String policy = "require-approval-" + harness.ns;
    Path manifest = Files.createTempFile("policy", ".yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %1$s}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
            - apiGroups: ["apps"]
              apiVersions: ["v1"]
              operations: ["CREATE", "UPDATE"]
              resources: ["deployments"]
          validations:
          - expression: >-
              has(object.spec.template.metadata.annotations) &&
              'policy.example.com/approved' in object.spec.template.metadata.annotations
            message: pods need the policy.example.com/approved annotation
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: %1$s}
        spec:
          policyName: %1$s
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %2$s}
        """
            .formatted(policy, harness.ns));
    harness.cluster.kubectl("apply", "-f", manifest.toString());
    try {
      awaitPolicyInForce();
      harness.apply(MLWebServiceOperatorIT.service("unapproved", "replicas: 1"));

      Condition stalled = awaitApplyFailed("unapproved");
      assertThat(stalled.getMessage())
          .contains("ValidatingAdmissionPolicy")
          .contains("pods need the policy.example.com/approved annotation");
      assertOneWarningAndNoReconcileFailed("unapproved");

      harness.mergePatch(
          "unapproved",
          "{\"spec\":{\"pod\":{\"annotations\":{\"policy.example.com/approved\":\"yes\"}}}}");

      awaitReady("unapproved");
    } finally {
      harness.cluster.kubectl("delete", "--ignore-not-found", "-f", manifest.toString());
    }
  }

  /** A policy is compiled and loaded a moment after it is created: wait until it denies. */
  private static void awaitPolicyInForce() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                harness
                    .cluster
                    .tryKubectl(
                        "-n",
                        harness.ns,
                        "create",
                        "deployment",
                        "probe",
                        "--image=example.invalid/probe",
                        "--dry-run=server")
                    .output()
                    .contains("policy.example.com/approved"));
  }

  private static Condition awaitApplyFailed(String name) {
    harness.awaitCondition(
        name, StatusConditions.STALLED, "True", "ApplyFailed", Duration.ofSeconds(30));
    assertThat(StatusConditions.find(status(name), StatusConditions.READY).get().getReason())
        .isEqualTo("ApplyFailed");
    return StatusConditions.find(status(name), StatusConditions.STALLED).get();
  }

  /**
   * Retries keep going (with backoff) but the refusal is one event, not one per retry: once the
   * real server has refused the Deployment three times (its audit log), there is still one.
   */
  private static void assertOneWarningAndNoReconcileFailed(String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        harness.operatorWrites().stream()
                            .filter(
                                e -> e.resource().equals("deployments") && e.name().equals(name))
                            .map(e -> e.verb() + " " + e.code())
                            .toList())
                    .as("the operator's writes of Deployment %s, as the server audited them", name)
                    .filteredOn(w -> w.endsWith(" 403") || w.endsWith(" 422"))
                    .hasSizeGreaterThanOrEqualTo(3));
    assertThat(harness.eventsFor(name))
        .filteredOn(e -> "ApplyFailed".equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
    assertThat(harness.eventsFor(name)).noneMatch(e -> "ReconcileFailed".equals(e.getReason()));
  }

  private static void awaitReady(String name) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> StatusConditions.isTrue(status(name), StatusConditions.READY));
    assertThat(StatusConditions.isTrue(status(name), StatusConditions.STALLED)).isFalse();
  }

  private static MLWebServiceStatus status(String name) {
    var mlws = harness.get(name);
    return mlws == null ? null : mlws.getStatus();
  }
}
