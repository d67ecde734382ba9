package io.mlws.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.JvmHeap;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorJar;
import io.mlws.operator.status.StatusConditions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The operator's memory in a cluster full of Secrets it has no business with (Helm release Secrets,
 * tokens, certificates): 2,000 Secrets of 50 KB in another namespace, the packaged operator.jar
 * watching every namespace with the production JVM options, one MLWebService with telemetry. A
 * benchmark, not a test: it runs only with -Dmlws.bench=true and writes
 * target/bench/secrets-memory.md; -Dmlws.operator.jar measures an earlier build the same way.
 */
@org.junit.jupiter.api.parallel.Isolated("it measures the operator's memory")
class SecretsMemoryBench {
  static final int SECRETS = Integer.getInteger("mlws.bench.secrets", 2000);
  static final int SECRET_BYTES = 50 * 1024;

  @Test
  void unrelatedSecrets() throws Exception {
    assumeTrue(Boolean.getBoolean("mlws.bench"), "benchmarks run only with -Dmlws.bench=true");
    LocalCluster cluster = LocalCluster.shared();
    String crowded = cluster.createNamespace("helm-releases");
    String ns = cluster.createNamespace("secrets-bench");
    List<String> report = new ArrayList<>();
    try (KubernetesClient api = cluster.admin()) {
      Random random = new Random(42);
      byte[] raw = new byte[SECRET_BYTES * 3 / 4];
      for (int i = 0; i < SECRETS; i++) {
        random.nextBytes(raw);
        api.secrets()
            .inNamespace(crowded)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName("sh.helm.release.v1.app" + i + ".v1")
                    .endMetadata()
                    .withType("helm.sh/release.v1")
                    .withData(Map.of("release", Base64.getEncoder().encodeToString(raw)))
                    .build())
            .create();
      }
      cluster.createConnectionStringSecret(
          ns, "ai", "InstrumentationKey=00000000-0000-0000-0000-000000000003");
      Path home = Files.createTempDirectory("mlws-secrets-bench");
      long start = System.nanoTime();
      Process operator = OperatorJar.start(cluster, home, Map.of("MLWS_HEALTH_PORT", "0"));
      try {
        MLWebService mlws =
            api.getKubernetesSerialization()
                .unmarshal(
                    MLWebServiceOperatorIT.service(
                        "monitored",
                        "appInsights: {enabled: true, connectionStringSecretRef: {name: ai}}"),
                    MLWebService.class);
        mlws.getMetadata().setNamespace(ns);
        api.resources(MLWebService.class).inNamespace(ns).resource(mlws).create();
        boolean ready;
        try {
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () ->
                      !operator.isAlive()
                          || StatusConditions.isTrue(
                              api.resources(MLWebService.class)
                                  .inNamespace(ns)
                                  .withName("monitored")
                                  .get()
                                  .getStatus(),
                              StatusConditions.READY));
          ready = operator.isAlive();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          ready = false;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rssMiB = operator.isAlive() ? OperatorScaleBench.rssKiB(operator.pid()) >> 10 : -1;
        String heap =
            operator.isAlive() ? (JvmHeap.afterGcKiB(operator.pid()) >> 10) + " MiB" : "(exited)";
        String log = Files.readString(home.resolve("operator.log"));
        report.add("| measure | value |");
        report.add("| --- | --- |");
        report.add("| jar | %s |".formatted(OperatorJar.JAR));
        report.add(
            "| unrelated Secrets present | %d of %d KB (%d MB) |"
                .formatted(SECRETS, SECRET_BYTES / 1024, (long) SECRETS * SECRET_BYTES >> 20));
        report.add(
            "| operator start until the MLWebService is Ready | %s |"
                .formatted(
                    ready ? "%.1f s".formatted(seconds) : "never (%.0f s)".formatted(seconds)));
        report.add("| operator heap after GC | %s |".formatted(heap));
        report.add("| operator RSS (%s) | %s MiB |".formatted(OperatorJar.JVM_ARGS, rssMiB));
        report.add(
            "| OutOfMemoryError in the log | %s |".formatted(log.contains("OutOfMemoryError")));
        report.add(
            "| first warning or error the operator logged | %s |"
                .formatted(
                    log.lines()
                        .filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                        .filter(l -> !l.contains("unstable version"))
                        .findFirst()
                        .map(l -> l.length() > 300 ? l.substring(0, 300) + "..." : l)
                        .orElse("none")
                        .replace("|", "/")));
        Path out = Path.of("target/bench/secrets-memory.md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
      } finally {
        operator.destroy();
        operator.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        operator.destroyForcibly();
        cluster.deleteNamespace(ns);
        cluster.deleteNamespace(crowded);
      }
    }
  }
}
