package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.operator.harness.LocalCluster;
import io.mlws.operator.harness.OperatorJar;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged operator.jar, started as its own JVM the way `java -jar` users and the container run
 * it: it takes the cluster from KUBECONFIG, holds a leader Lease, serves /healthz, /readyz and
 * Prometheus /metrics, logs JSON, uses the operator-wide default Secret, and stops on SIGTERM.
 */
class OperatorJarIT {
  static final Path JAR = OperatorJar.JAR;
  static final String CONNECTION_STRING = "InstrumentationKey=99999999-8888-7777-6666-555555555555";

  @TempDir Path home;

  @Test
  void runsAgainstTheKubeconfigContext() throws Exception {
    assertThat(JAR).exists();
    LocalCluster cluster = LocalCluster.shared();
    String ns = cluster.createNamespace("jar-it");
    try (var client = cluster.admin()) {
      int healthPort = freePort();
      Path log = home.resolve("operator.log");
      Process operator =
          OperatorJar.start(
              cluster,
              home,
              Map.of(
                  "MLWS_HEALTH_PORT",
                  String.valueOf(healthPort),
                  "MLWS_LEADER_ELECTION",
                  "true",
                  "MLWS_LEASE_NAMESPACE",
                  LocalCluster.OPERATOR_NAMESPACE,
                  // A Lease of its own: another test's operator may still hold the default one.
                  "MLWS_LEASE_NAME",
                  "mlws-jar-it-leader",
                  "MLWS_WATCH_NAMESPACES",
                  ns,
                  "MLWS_DEFAULT_APPINSIGHTS_SECRET",
                  "shared",
                  "MLWS_LOG_FORMAT",
                  "json"));
      try {
        // As users create it: a client-side `kubectl apply`, which writes the whole Secret, its
        // value included, into the last-applied-configuration annotation.
        Path secret = home.resolve("shared-secret.yaml");
        Files.writeString(
            secret,
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: shared, namespace: %s, labels: {"%s": "true"}}
            stringData: {connection-string: "%s"}
            """
                .formatted(
                    ns,
                    io.mlws.operator.telemetry.ConnectionStringSecrets.LABEL,
                    CONNECTION_STRING));
        cluster.kubectl("apply", "-f", secret.toString());
        client
            .resources(io.mlws.api.v1alpha1.MLWebService.class)
            .inNamespace(ns)
            .resource(
                client
                    .getKubernetesSerialization()
                    .unmarshal(
                        """
                        apiVersion: mlws.io/v1alpha1
                        kind: MLWebService
                        metadata: {name: from-jar}
                        spec:
                          model: {uri: "file:///opt/mlws/models/iris.onnx"}
                          appInsights: {enabled: true}
                        """,
                        io.mlws.api.v1alpha1.MLWebService.class))
            .create();

        try {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      client.apps().deployments().inNamespace(ns).withName("from-jar").get()
                          != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("no Deployment; operator log:\n" + Files.readString(log), e);
        }
        var env =
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("from-jar")
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
        assertThat(env)
            .anySatisfy(
                e -> {
                  assertThat(e.getName()).isEqualTo("APPLICATIONINSIGHTS_CONNECTION_STRING");
                  assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shared");
                });
        assertThat(
                client
                    .leases()
                    .inNamespace(LocalCluster.OPERATOR_NAMESPACE)
                    .withName("mlws-jar-it-leader")
                    .get())
            .as("leader election Lease")
            .isNotNull();

        HttpClient http = HttpClient.newHttpClient();
        assertThat(get(http, healthPort, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(http, healthPort, "/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = get(http, healthPort, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE").contains("operator_sdk_");

        assertConnectionStringNotInHeap(operator);

        operator.destroy();
        assertThat(operator.waitFor(20, TimeUnit.SECONDS))
            .as("stops on SIGTERM; log:\n%s", Files.readString(log))
            .isTrue();
        List<String> lines = Files.readAllLines(log);
        ObjectMapper json = new ObjectMapper();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
          assertThat(json.readTree(line).has("formattedMessage"))
              .as("JSON log line: %s", line)
              .isTrue();
          assertThat(line).doesNotContain("99999999-8888");
        }
      } finally {
        operator.destroyForcibly();
      }
    }
  }

  /**
   * The operator's Secret cache keeps key names and digests only: a heap dump of the running
   * operator (live objects, after a full GC) holds the connection string neither as text nor as the
   * base64 the API server sends.
   */
  private void assertConnectionStringNotInHeap(Process operator) throws Exception {
    // A thread still handing a watch event on (the whole object, before the cache trims it) holds
    // it for a moment: on a busy machine a dump can catch that. What the caches keep stays, so the
    // heap must be clean in one of the dumps taken within half a minute.
    await("a heap dump of the operator without the connection string")
        .atMost(Duration.ofSeconds(35))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofSeconds(5))
        .untilAsserted(() -> assertConnectionStringNotInOneHeapDump(operator));
  }

  private void assertConnectionStringNotInOneHeapDump(Process operator) throws Exception {
    Path dump = home.resolve("operator.hprof");
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(operator.pid()),
                "GC.heap_dump",
                dump.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(jcmd.getInputStream().readAllBytes());
    assertThat(jcmd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dump).as("heap dump: %s", said).exists();
    byte[] heap = Files.readAllBytes(dump);
    Files.delete(dump);
    byte[] base64 =
        java.util.Base64.getEncoder().encode(CONNECTION_STRING.getBytes(StandardCharsets.UTF_8));
    int plain = indexOf(heap, CONNECTION_STRING.getBytes(StandardCharsets.UTF_8));
    assertThat(plain)
        .as("the connection string in the operator's heap, amid: %s", around(heap, plain))
        .isEqualTo(-1);
    int at = indexOf(heap, base64);
    assertThat(at)
        .as("its base64 in the operator's heap, amid: %s", around(heap, at))
        .isEqualTo(-1);
  }

  /** The printable bytes around a match in a heap dump: what held it. */
  private static String around(byte[] heap, int at) {
    if (at < 0) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (int i = Math.max(0, at - 600); i < Math.min(heap.length, at + 200); i++) {
      text.append(heap[i] >= 32 && heap[i] < 127 ? (char) heap[i] : '.');
    }
    return text.toString();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * ConfigMaps of 1 MiB labelled as the operator's informers select, which anyone who may create a
   * ConfigMap can write, fill the operator's caches: with the options deploy/manager gives it and a
   * heap that serves it well without them (32 MiB here, ready and answering), the operator ends
   * once they arrive (the kubelet restarts it) instead of running on with dead informer threads.
   */
  @Test
  void aHeapThatRunsOutEndsTheProcess() throws Exception {
    LocalCluster cluster = LocalCluster.shared();
    String ns = cluster.createNamespace("jar-oom");
    int healthPort = freePort();
    Process operator =
        OperatorJar.start(
            cluster,
            home,
            Map.of(
                "MLWS_HEALTH_PORT",
                String.valueOf(healthPort),
                "MLWS_LEADER_ELECTION",
                "false",
                "MLWS_WATCH_NAMESPACES",
                ns),
            List.of("-Xmx32m", "-Xmn8m"));
    try (var client = cluster.admin()) {
      await("the operator ready with a 32 MiB heap")
          .atMost(Duration.ofMinutes(1))
          .ignoreExceptions()
          .until(() -> get(HttpClient.newHttpClient(), healthPort, "/readyz").statusCode() == 200);
      String mebibyte = "x".repeat(1 << 20);
      for (int i = 0; i < 40 && operator.isAlive(); i++) {
        client
            .configMaps()
            .inNamespace(ns)
            .resource(
                new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("forged-" + i)
                    .withLabels(
                        Map.of(
                            "app.kubernetes.io/managed-by",
                            "mlws-operator",
                            "app.kubernetes.io/name",
                            "mlws-scorer"))
                    .endMetadata()
                    .withData(Map.of("filler", mebibyte))
                    .build())
            .create();
      }
      assertThat(operator.waitFor(3, TimeUnit.MINUTES))
          .as("the operator ended once its heap ran out:\n%s", tail(home.resolve("operator.log")))
          .isTrue();
      assertThat(operator.exitValue()).as("ExitOnOutOfMemoryError's status").isEqualTo(3);
      assertThat(Files.readString(home.resolve("operator.log")))
          .contains("Terminating due to java.lang.OutOfMemoryError");
    } finally {
      operator.destroyForcibly();
      try (var client = cluster.admin()) {
        client.namespaces().withName(ns).delete();
      }
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  @Test
  void withoutAClusterItSaysSoInOneLineAndExits() throws Exception {
    Process operator = startWithout(Map.of("KUBECONFIG", home.resolve("none").toString()));
    assertThat(operator.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    List<String> lines = Files.readAllLines(home.resolve("operator.log"));
    assertThat(operator.exitValue()).isNotZero();
    assertThat(lines).as("one line, no stack trace").hasSize(1);
    assertThat(lines.get(0))
        .contains("cannot reach the Kubernetes API server at https://kubernetes.default.svc")
        .contains("local-cluster/cluster up");

    Process badFormat = startWithout(Map.of("MLWS_LOG_FORMAT", "xml"));
    assertThat(badFormat.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(badFormat.exitValue()).isEqualTo(2);
    assertThat(Files.readString(home.resolve("operator.log")))
        .contains("MLWS_LOG_FORMAT must be text or json, got: xml");
  }

  /** The jar as a new user runs it: no cluster configured, an empty HOME. */
  private Process startWithout(Map<String, String> env) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("operator.log").toFile());
    builder.environment().remove("KUBECONFIG");
    builder.environment().remove("KUBERNETES_MASTER");
    builder.environment().put("HOME", home.toString());
    builder.environment().put("MLWS_HEALTH_PORT", "0");
    builder.environment().putAll(env);
    return builder.start();
  }

  @Test
  void theImageCopiesTheJarTheBuildMakes() throws IOException {
    List<String> copies =
        Files.readAllLines(Path.of("Dockerfile")).stream()
            .filter(l -> l.startsWith("COPY "))
            .toList();

    assertThat(copies).containsExactly("COPY target/operator.jar /opt/mlws/operator.jar");
    assertThat(JAR).as("the build produces what the Dockerfile copies").exists();
    assertThat(Files.readAllLines(Path.of("Dockerfile"))).contains("USER 10001:10001");
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
