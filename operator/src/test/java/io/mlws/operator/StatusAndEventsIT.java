package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.harness.AuditLog;
import io.mlws.operator.harness.FaultProxy;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.process.MlwsOperator;
import io.mlws.operator.status.StatusConditions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Status writes and events as the real server sees them: a status write sends only the status, so a
 * concurrent writer of the resource never makes it fail with 409; a failure that repeats is one
 * Event whose count moves, continued by the next operator after a restart.
 */
class StatusAndEventsIT {

  @Test
  void aConcurrentWriterNeverMakesAStatusWriteConflict() throws Exception {
    LocalCluster cluster = LocalCluster.shared();
    AuditLog audit = new AuditLog(cluster.stateDir().resolve("logs/audit.log"));
    try (FaultProxy proxy = FaultProxy.start(cluster);
        OperatorHarness harness = OperatorHarness.throughProxy("status-it", proxy)) {
      // Every request of the operator reaches the server 150 ms after it was made, while a user
      // (Argo CD, Flux, kubectl annotate) writes the resource every 40 ms.
      proxy.slowDown(Duration.ofMillis(150));
      int before = audit.entries().size();
      harness.apply(MLWebServiceOperatorIT.service("contended", "replicas: 3"));
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicInteger userWrites = new AtomicInteger();
      Thread user =
          new Thread(
              () -> {
                for (int i = 0; i < 500 && writing.get(); i++) {
                  harness.mergePatch(
                      "contended", "{\"metadata\":{\"annotations\":{\"touch\":\"" + i + "\"}}}");
                  userWrites.incrementAndGet();
                  try {
                    Thread.sleep(40);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      user.start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    StatusConditions.isTrue(
                        harness.get("contended").getStatus(), StatusConditions.READY));
      } finally {
        writing.set(false);
        user.join(5000);
      }

      List<AuditLog.Entry> statusWrites =
          audit.since(before).stream()
              .filter(e -> e.user().equals(LocalCluster.OPERATOR_USER))
              .filter(e -> harness.ns.equals(e.namespace()))
              .filter(e -> e.permission().equals("mlws.io/mlwebservices/status:patch"))
              .toList();
      assertThat(userWrites.get()).as("the user wrote meanwhile").isGreaterThan(10);
      assertThat(statusWrites).as("status writes").isNotEmpty();
      assertThat(statusWrites).as("none refused with a conflict").allMatch(e -> e.code() != 409);
      assertThat(harness.eventsFor("contended"))
          .noneMatch(e -> "ReconcileFailed".equals(e.getReason()));
    }
  }

  @Test
  void aRepeatedFailureIsOneEventWhoseCountMovesAcrossARestart() throws Exception {
    LocalCluster cluster = LocalCluster.shared();
    AuditLog audit = new AuditLog(cluster.stateDir().resolve("logs/audit.log"));
    int before = audit.entries().size();
    String ns;
    try (FaultProxy proxy = FaultProxy.start(cluster);
        OperatorHarness harness = OperatorHarness.throughProxy("events-it", proxy)) {
      ns = harness.ns;
      proxy.failWritesTo("/deployments");
      harness.apply(MLWebServiceOperatorIT.service("flaky", "replicas: 1"));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(reconcileFailed(harness))
                      .as("ReconcileFailed events while every Deployment write fails")
                      .singleElement()
                      .satisfies(e -> assertThat(e.getCount()).isGreaterThanOrEqualTo(3)));
      assertThat(reconcileFailed(harness)).as("one Event, not one per retry").hasSize(1);
      Event first = reconcileFailed(harness).get(0);

      // A new operator (an upgrade, a rescheduled pod) continues the same Event.
      harness.operator.stop();
      try (KubernetesClient second =
          new KubernetesClientBuilder().withConfig(proxy.operatorConfig()).build()) {
        MlwsOperator successor = harness.startOperator(second, OperatorConfig.defaults());
        try {
          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () ->
                      assertThat(reconcileFailed(harness))
                          .as("the Event the first operator counted to %d", first.getCount())
                          .singleElement()
                          .satisfies(
                              e -> assertThat(e.getCount()).isGreaterThan(first.getCount())));
          assertThat(reconcileFailed(harness)).hasSize(1);
          assertThat(reconcileFailed(harness).get(0).getMetadata().getName())
              .isEqualTo(first.getMetadata().getName());

          proxy.clear();
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () ->
                      StatusConditions.isTrue(
                          harness.get("flaky").getStatus(), StatusConditions.READY));
        } finally {
          successor.stop();
        }
      }
    }
    // This test's namespace: another class's, being deleted, refuses new Events with a 403 that
    // says nothing of the role.
    List<String> eventWrites =
        audit.since(before).stream()
            .filter(e -> e.user().equals(LocalCluster.OPERATOR_USER))
            .filter(e -> ns.equals(e.namespace()))
            .filter(e -> e.permission().startsWith("core/events:"))
            .map(e -> e.permission() + " " + e.code())
            .toList();
    assertThat(eventWrites)
        .as("the verbs RbacIT leaves to this test, granted by deploy/rbac")
        .contains("core/events:patch 200", "core/events:get 200")
        .noneMatch(e -> e.endsWith(" 403"));
  }

  /**
   * Events explain a status that was written: while the server refuses status writes, reconciling
   * repeats, but the "Created" event is published once, after the write that finally succeeds.
   */
  @Test
  void eventsArePublishedOnlyAfterTheirStatusIsWritten() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(LocalCluster.shared());
        OperatorHarness harness = OperatorHarness.throughProxy("events-it", proxy)) {
      proxy.failWritesTo("/mlwebservices/announced/status");
      harness.apply(MLWebServiceOperatorIT.service("announced", "replicas: 1"));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(proxy.injectedFaults())
                      .as("status writes refused at the proxy")
                      .isGreaterThanOrEqualTo(4));
      proxy.clear();
      harness.awaitCondition(
          "announced", StatusConditions.READY, "True", "Available", Duration.ofSeconds(90));
      // The event follows the status write that the test has just seen: wait for it to arrive.
      await("the Created event")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(harness.eventsFor("announced"))
                      .as("events of the MLWebService")
                      .filteredOn(e -> "Created".equals(e.getReason()))
                      .singleElement()
                      .satisfies(
                          e ->
                              assertThat(e.getCount())
                                  .as("count of %s", e.getMessage())
                                  .isEqualTo(1)));
    }
  }

  /** A conflict on every retry is no longer ordinary concurrency: it becomes a Warning. */
  @Test
  void aConflictThatRepeatsOnEveryRetryIsReported() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(LocalCluster.shared());
        OperatorHarness harness = OperatorHarness.throughProxyRetryingFast("events-it", proxy)) {
      proxy.failWritesTo("/deployments/fought", 409);
      harness.apply(MLWebServiceOperatorIT.service("fought", "replicas: 1"));
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () ->
                  assertThat(harness.eventsFor("fought"))
                      .as("events of the MLWebService while every Deployment write is a 409")
                      .anySatisfy(
                          e -> {
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getReason()).isEqualTo("ReconcileFailed");
                            assertThat(e.getMessage()).contains("conflicts on every retry");
                          }));
      proxy.clear();
      harness.awaitCondition(
          "fought", StatusConditions.READY, "True", "Available", Duration.ofSeconds(120));
    }
  }

  private static List<Event> reconcileFailed(OperatorHarness harness) {
    return harness.eventsFor("flaky").stream()
        .filter(e -> "ReconcileFailed".equals(e.getReason()))
        .toList();
  }
}
