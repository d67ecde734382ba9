package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.harness.JvmHeap;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest MLWebServices the API server stores: each spec carries 40 environment values of
 * 30,000 characters (1.2 MB, near etcd's 1.5 MiB per object), and so does its Deployment's pod
 * template. The packaged operator, with the heap deploy/manager gives it, serves five of them and
 * stays up; what each costs its heap is printed (the figure docs/security.md gives for quotas).
 */
class MaximalSpecsIT {
  static final int SERVICES = 5;
  static final int VALUES = 40;
  static final int VALUE_LENGTH = 30_000;

  @TempDir Path home;

  @Test
  void fiveMaximalSpecsAreServedWithinTheDeployedHeap() throws Exception {
    LocalCluster cluster = LocalCluster.shared();
    String ns = cluster.createNamespace("maximal");
    Process operator =
        OperatorJar.start(
            cluster,
            home,
            Map.of(
                "MLWS_HEALTH_PORT", "0",
                "MLWS_WATCH_NAMESPACES", ns,
                "MLWS_CONFIRM_SETTINGS", "false"));
    try (KubernetesClient client = cluster.admin()) {
      create(client, ns, "baseline", "replicas: 1");
      awaitServed(client, ns, List.of("baseline"));
      long before = JvmHeap.afterGcKiB(operator.pid());

      String env =
          IntStream.range(0, VALUES)
              .mapToObj(i -> "  - {name: FILLER_%02d, value: \"%s\"}".formatted(i, filler(i)))
              .collect(Collectors.joining("\n"));
      List<String> names = IntStream.range(0, SERVICES).mapToObj(i -> "maximal-" + i).toList();
      for (String name : names) {
        create(client, ns, name, "replicas: 1\npod:\n env:\n" + env.indent(1).stripTrailing());
      }
      awaitServed(client, ns, names);
      // What stays: the least of a few measurements, once the copies in flight while the services
      // converged (answers to the operator's applies, watch events) are gone.
      long after = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        Thread.sleep(2_000);
        after = Math.min(after, JvmHeap.afterGcKiB(operator.pid()));
      }

      System.out.printf(
          "MaximalSpecsIT: heap after GC %d MiB with one small service, %d MiB with %d maximal"
              + " ones more: %.1f MiB each%n",
          before >> 10, after >> 10, SERVICES, (after - before) / 1024.0 / SERVICES);
      assertThat(operator.isAlive())
          .as(
              "the operator still running; log:\n%s",
              Files.readString(home.resolve("operator.log")))
          .isTrue();
      Deployment one = client.apps().deployments().inNamespace(ns).withName(names.get(0)).get();
      assertThat(one.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .as("the spec's values reach the pod template whole")
          .anySatisfy(e -> assertThat(e.getValue()).isEqualTo(filler(VALUES - 1)));
    } finally {
      operator.destroyForcibly();
      cluster.deleteNamespace(ns);
    }
  }

  /** A value of its own per name, so that no two share a String in the operator's heap. */
  private static String filler(int i) {
    return String.valueOf((char) ('a' + i % 26)).repeat(VALUE_LENGTH - 2) + "%02d".formatted(i);
  }

  private static void create(KubernetesClient client, String ns, String name, String spec) {
    MLWebService mlws =
        client
            .getKubernetesSerialization()
            .unmarshal(MLWebServiceOperatorIT.service(name, spec), MLWebService.class);
    mlws.getMetadata().setNamespace(ns);
    client.resources(MLWebService.class).inNamespace(ns).resource(mlws).create();
  }

  /** Every named service has its Deployment and a status written at its generation. */
  private static void awaitServed(KubernetesClient client, String ns, List<String> names) {
    await("served: " + names)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                names.stream()
                    .allMatch(
                        name -> {
                          MLWebService mlws =
                              client
                                  .resources(MLWebService.class)
                                  .inNamespace(ns)
                                  .withName(name)
                                  .get();
                          return mlws.getStatus() != null
                              && mlws.getMetadata()
                                  .getGeneration()
                                  .equals(mlws.getStatus().getObservedGeneration())
                              && client.apps().deployments().inNamespace(ns).withName(name).get()
                                  != null;
                        }));
  }
}
