package io.mlws.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.mlws.operator.harness.LocalCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scaling on load through KEDA, as Azure ML v1's front end scaled on busy replicas: KEDA built from
 * its pinned Go module and installed from its own manifests ({@code local-cluster/cluster keda}), a
 * ScaledObject whose target is the MLWebService itself (its scale subresource) and whose trigger is
 * KEDA's metrics-api scaler summing the pods' {@code mlws_requests_in_flight} over the Service's
 * endpoints (its {@code metrics} port). Under load through the ClusterIP, the
 * HorizontalPodAutoscaler KEDA made raises {@code spec.replicas} and the pods follow; without load
 * it comes back to one.
 *
 * <p>By hand ({@code -Dmlws.keda=true}): building KEDA takes about 7 minutes on 2 cores, more than
 * a cold CI run has.
 */
@EnabledIfSystemProperty(named = "mlws.keda", matches = "true")
class KedaAutoscalingE2E {
  static final String SERVICE = "busy-iris";
  static final int CLIENTS = 8;
  static final int MAX_REPLICAS = 3;
  static final Duration HELD_UNDER_LOAD = Duration.ofSeconds(30);

  @RegisterExtension static final E2eScenario scenario = new E2eScenario("keda");

  @Test
  void requestsInFlightScaleTheServiceUpUnderLoadAndDownWithout() throws Exception {
    assumeFalse(E2eCluster.OTHER_CLUSTER, "KEDA is installed here on the local cluster");
    LocalCluster.shared().installKeda();
    // One request scored at a time by a pod held to 100m CPU, which the clients keep busy: each
    // client's call waits its turn there, in flight from its arrival to its answer.
    scenario.create(
        """
        apiVersion: mlws.io/v1alpha1
        kind: MLWebService
        metadata: {name: %s}
        spec:
          model: {uri: "file:///opt/mlws/models/iris.onnx"}
          replicas: 1
          resources: {requests: {cpu: 100m}, limits: {cpu: 100m, memory: 1Gi}}
          scoring: {maxConcurrentRequests: 1, maxQueueWaitMilliseconds: 60000}
        """
            .formatted(SERVICE));
    scenario.awaitReady(SERVICE);
    createScaledObject();
    await("KEDA's HorizontalPodAutoscaler for the MLWebService")
        .atMost(Duration.ofMinutes(2))
        .until(() -> hpa() != null);
    assertThat(hpa().getSpec().getScaleTargetRef().getKind()).isEqualTo("MLWebService");

    List<String> timeline = new ArrayList<>();
    Instant start = Instant.now();
    Map<String, Long> outcomes;
    try (ClusterIpLoad load =
        ClusterIpLoad.start(scenario.scoringThroughClusterIp(SERVICE), CLIENTS, Duration.ZERO)) {
      await("spec.replicas raised by the autoscaler under load")
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> replicas(timeline, start) >= 2);
      scenario.awaitReadyReplicas(SERVICE, replicas(timeline, start));
      // As long as the load lasts, the service stays scaled out.
      Instant loaded = Instant.now();
      while (Duration.between(loaded, Instant.now()).compareTo(HELD_UNDER_LOAD) < 0) {
        assertThat(replicas(timeline, start))
            .as("spec.replicas under load: %s", timeline)
            .isGreaterThanOrEqualTo(2);
        Thread.sleep(2_000);
      }
      outcomes = load.stopAndCount();
    }
    Instant quiet = Instant.now();
    await("spec.replicas back to 1 without load")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> replicas(timeline, start) == 1);
    scenario.awaitReadyReplicas(SERVICE, 1);
    System.out.printf(
        "KedaAutoscalingE2E: %d clients; over time (since the load began): %s;"
            + " back to 1 %d s after the load stopped; outcomes %s%n",
        CLIENTS, timeline, Duration.between(quiet, Instant.now()).toSeconds(), outcomes);
    assertThat(outcomes.keySet()).as("every call scored").containsOnly("200");
    assertThat(hpa().getStatus().getCurrentMetrics())
        .as("the autoscaler read KEDA's external metric")
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.getType()).isEqualTo("External"));
  }

  /** KEDA's ScaledObject, as docs/migrate-from-azureml-v1.md shows it. */
  private void createScaledObject() throws Exception {
    String yaml =
        """
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          scaleTargetRef: {apiVersion: mlws.io/v1alpha1, kind: MLWebService, name: %1$s}
          minReplicaCount: 1
          maxReplicaCount: %3$d
          pollingInterval: 5
          advanced:
            horizontalPodAutoscalerConfig:
              behavior:
                scaleDown: {stabilizationWindowSeconds: 15}
          triggers:
          - type: metrics-api
            metricType: AverageValue
            metadata:
              url: http://%1$s.%2$s.svc:8081/metrics
              format: prometheus
              valueLocation: mlws_requests_in_flight
              aggregateFromKubeServiceEndpoints: "true"
              aggregationType: sum
              targetValue: "2"
        """
            .formatted(SERVICE, scenario.namespace(), MAX_REPLICAS);
    scenario
        .client()
        .resource(
            scenario
                .client()
                .getKubernetesSerialization()
                .unmarshal(yaml, GenericKubernetesResource.class))
        .create();
  }

  private static HorizontalPodAutoscaler hpa() {
    return scenario
        .client()
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(scenario.namespace())
        .withName("keda-hpa-" + SERVICE)
        .get();
  }

  /**
   * spec.replicas now, noted in the timeline with the in-flight requests per pod the autoscaler
   * last read when either changed.
   */
  private static int replicas(List<String> timeline, Instant start) {
    int replicas = scenario.mlws(SERVICE).getSpec().getReplicas();
    String state = replicas + " replicas at " + inFlightPerPod() + " in flight per pod";
    String last = timeline.isEmpty() ? "" : timeline.get(timeline.size() - 1);
    if (!last.endsWith(": " + state)) {
      timeline.add(Duration.between(start, Instant.now()).toSeconds() + " s: " + state);
    }
    return replicas;
  }

  private static String inFlightPerPod() {
    HorizontalPodAutoscaler hpa = hpa();
    if (hpa == null || hpa.getStatus() == null || hpa.getStatus().getCurrentMetrics() == null) {
      return "?";
    }
    return hpa.getStatus().getCurrentMetrics().stream()
        .map(m -> m.getExternal().getCurrent().getAverageValue().toString())
        .findFirst()
        .orElse("?");
  }
}
