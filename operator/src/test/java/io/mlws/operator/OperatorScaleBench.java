package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.AuditLog;
import io.mlws.operator.harness.JvmHeap;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorHarness;
import io.mlws.operator.harness.OperatorJar;
import io.mlws.operator.status.StatusConditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator at scale: the packaged operator.jar in its own JVM, as its ServiceAccount, against
 * the real local control plane (requests counted in the real server's audit log). 1,000
 * MLWebServices created at once, time until every dependent exists and every status is written, API
 * requests per object, writes while nothing changes, heap and RSS, and toggle latency. A benchmark,
 * not a test: it runs only with -Dmlws.bench=true (see bench/README.md) and writes
 * target/bench/operator-scale.md.
 */
@org.junit.jupiter.api.parallel.Isolated("it measures the operator's CPU and memory")
class OperatorScaleBench {
  static final int OBJECTS = Integer.getInteger("mlws.bench.objects", 1000);
  static final int IDLE_SECONDS = Integer.getInteger("mlws.bench.idleSeconds", 60);
  static final int TOGGLES = 100;

  @Test
  void thousandServices() throws Exception {
    assumeTrue(Boolean.getBoolean("mlws.bench"), "benchmarks run only with -Dmlws.bench=true");
    List<String> report = new ArrayList<>();
    LocalCluster cluster = LocalCluster.shared();
    String ns = cluster.createNamespace("scale-bench");
    AuditLog audit = new AuditLog(cluster.stateDir().resolve("logs/audit.log"));
    try (KubernetesClient api = cluster.admin()) {
      Path home = Files.createTempDirectory("mlws-bench");
      Process operator =
          OperatorJar.start(
              cluster,
              home,
              Map.of(
                  "MLWS_HEALTH_PORT",
                  "0",
                  "MLWS_WATCH_NAMESPACES",
                  ns,
                  // kwok's pods run no scorer to ask: the operator would report, three minutes
                  // after they became ready, that none confirmed its settings file (a status write
                  // in the idle window), then ask every 30 s.
                  "MLWS_CONFIRM_SETTINGS",
                  "false"));
      try {
        cluster.createConnectionStringSecret(
            ns, "ai", "InstrumentationKey=00000000-0000-0000-0000-000000000002");
        long start = System.nanoTime();
        for (int i = 0; i < OBJECTS; i++) {
          MLWebService mlws =
              api.getKubernetesSerialization()
                  .unmarshal(
                      MLWebServiceOperatorIT.service("s" + i, "replicas: 2"), MLWebService.class);
          mlws.getMetadata().setNamespace(ns);
          api.resources(MLWebService.class).inNamespace(ns).resource(mlws).create();
        }
        long created = System.nanoTime();
        await()
            .atMost(Duration.ofMinutes(10))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> allConverged(api, ns));
        long converged = System.nanoTime();
        List<AuditLog.Entry> untilConverged = operatorRequests(audit);
        long writes = untilConverged.stream().filter(AuditLog.Entry::isWrite).count();

        Thread.sleep(IDLE_SECONDS * 1000L);
        List<AuditLog.Entry> all = operatorRequests(audit);
        List<AuditLog.Entry> idle = all.subList(untilConverged.size(), all.size());
        long idleWrites = idle.stream().filter(AuditLog.Entry::isWrite).count();

        long rssMiB = rssKiB(operator.pid()) >> 10;
        long heapKiB = JvmHeap.afterGcKiB(operator.pid());
        String heap = heapKiB < 0 ? "unknown" : (heapKiB >> 10) + " MiB";

        List<Long> toggles = toggleLatencies(api, ns);
        Collections.sort(toggles);

        report.add("| measure | value | target |");
        report.add("| --- | --- | --- |");
        report.add(
            "| MLWebServices created at once | %d (replicas 2: ConfigMap, Deployment, Service, PDB each) | |"
                .formatted(OBJECTS));
        report.add(
            "| time to send the %d creates (one test client, one after another) | %.1f s | |"
                .formatted(OBJECTS, (created - start) / 1e9));
        report.add(
            "| first create until every dependent exists and every status is Ready at its generation (%,d kwok pods) | %.1f s | |"
                .formatted(OBJECTS * 2, (converged - start) / 1e9));
        report.add(
            "| operator API requests per object until converged | %.1f (writes %.1f) | |"
                .formatted(untilConverged.size() / (double) OBJECTS, writes / (double) OBJECTS));
        report.add(
            "| operator write requests during %d s with no changes | %d | 0 |"
                .formatted(IDLE_SECONDS, idleWrites));
        report.add("| operator heap after GC | %s | < 300 MiB |".formatted(heap));
        report.add(
            "| operator RSS (%s) | %d MiB | < 300 MiB |".formatted(OperatorJar.JVM_ARGS, rssMiB));
        report.add(
            "| toggle latency, CR patch to Deployment updated, p50 / p99 over %d | %.1f ms / %.1f ms | |"
                .formatted(
                    TOGGLES,
                    toggles.get(toggles.size() / 2) / 1e6,
                    toggles.get((int) Math.ceil(toggles.size() * 0.99) - 1) / 1e6));
        Path out = Path.of("target/bench/operator-scale.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
        assertThat(idleWrites).as("no writes while nothing changes").isZero();
      } finally {
        operator.destroy();
        operator.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        cluster.deleteNamespace(ns);
      }
    }
  }

  /** Every request of the operator's ServiceAccount so far, from the real server's audit log. */
  static List<AuditLog.Entry> operatorRequests(AuditLog audit) {
    return audit.entries().stream()
        .filter(e -> e.user().equals(LocalCluster.OPERATOR_USER))
        .toList();
  }

  static boolean allConverged(KubernetesClient client, String ns) {
    var services = client.resources(MLWebService.class).inNamespace(ns).list().getItems();
    long withStatus =
        services.stream()
            .filter(
                m ->
                    m.getStatus() != null
                        && m.getMetadata()
                            .getGeneration()
                            .equals(m.getStatus().getObservedGeneration())
                        && StatusConditions.isTrue(m.getStatus(), StatusConditions.READY))
            .count();
    int deployments = client.apps().deployments().inNamespace(ns).list().getItems().size();
    int budgets =
        client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems().size();
    int configMaps = client.configMaps().inNamespace(ns).list().getItems().size();
    int svc = client.services().inNamespace(ns).list().getItems().size();
    return withStatus == OBJECTS
        && deployments == OBJECTS
        && budgets == OBJECTS
        && configMaps >= OBJECTS
        && svc == OBJECTS;
  }

  static List<Long> toggleLatencies(KubernetesClient client, String ns)
      throws InterruptedException {
    String name = "s0";
    var resource = client.resources(MLWebService.class).inNamespace(ns).withName(name);
    resource.patch(
        PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"appInsights\":{\"connectionStringSecretRef\":{\"name\":\"ai\"}}}}");
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < TOGGLES; i++) {
      boolean on = i % 2 == 0;
      long start = System.nanoTime();
      resource.patch(
          PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\":{\"appInsights\":{\"enabled\":" + on + "}}}");
      long deadline = start + Duration.ofSeconds(30).toNanos();
      while (OperatorHarness.envNames(
                  client.apps().deployments().inNamespace(ns).withName(name).get())
              .contains("JAVA_TOOL_OPTIONS")
          != on) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("toggle " + i + " not applied within 30 s");
        }
        Thread.sleep(1);
      }
      latencies.add(System.nanoTime() - start);
    }
    return latencies;
  }

  static long rssKiB(long pid) throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
