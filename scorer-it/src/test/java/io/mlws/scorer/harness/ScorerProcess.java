package io.mlws.scorer.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged scorer.jar as its own JVM, as the container runs it, optionally with the agent. */
public final class ScorerProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target/scorer.jar");
  public static final Path AGENT = Path.of("target/agent/applicationinsights-agent.jar");
  public static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final Process process;
  public final int port;
  public final int probePort;
  public final Path log;

  private ScorerProcess(Process process, int port, int probePort, Path log) {
    this.process = process;
    this.port = port;
    this.probePort = probePort;
    this.log = log;
  }

  /** Starts the scorer; with a connection string, the agent is attached as the operator does it. */
  public static ScorerProcess start(Path workDir, String connectionString, Map<String, String> env)
      throws IOException {
    return start(workDir, connectionString, env, List.of());
  }

  /**
   * The same, with JVM options of the test's own (a trust store, say). The JVM's temporary folder
   * is the work folder: the agent's disk buffer and ONNX Runtime's native libraries stay in the
   * test's folder instead of piling up in /tmp across runs.
   */
  /**
   * The client compiler only: a test's scorer lives for seconds to a few minutes, and the server
   * compiler's work at start-up (half the CPU of a start with the agent) would never pay back. The
   * image runs the JVM's default; what the tests judge does not depend on the compiler.
   */
  static final String TESTS_JIT = "-XX:TieredStopAtLevel=1";

  public static ScorerProcess start(
      Path workDir, String connectionString, Map<String, String> env, List<String> jvmOptions)
      throws IOException {
    int port = freePort();
    int probePort = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                TESTS_JIT,
                "-Djava.io.tmpdir=" + workDir));
    command.addAll(jvmOptions);
    if (connectionString != null) {
      command.add("-javaagent:" + AGENT);
      command.add("-Dapplicationinsights.testing.batch-schedule-delay-millis=300");
    }
    command.addAll(List.of("-jar", JAR.toString()));
    Path log = Files.createTempFile(workDir, "scorer-", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("MLWS_PORT", String.valueOf(port));
    builder.environment().put("MLWS_PROBE_PORT", String.valueOf(probePort));
    builder.environment().put("MLWS_MODEL_DIR", workDir.resolve("models").toString());
    if (connectionString != null) {
      builder.environment().put("APPLICATIONINSIGHTS_CONNECTION_STRING", connectionString);
      builder.environment().put("APPLICATIONINSIGHTS_PREVIEW_LIVE_METRICS_ENABLED", "false");
    }
    builder.environment().putAll(env);
    return new ScorerProcess(builder.start(), port, probePort, log);
  }

  /**
   * How long a scorer may take to become ready here. The tests judge that it does, not how fast:
   * with the agent a start takes 7 to 8 s of CPU, and these JVMs run at nice 10 beside the
   * cluster's tests: in a cold CI run the agent alone took 71 s to start, and the scorer was not
   * ready after 90 s.
   */
  public static final Duration READY_WITHIN = Duration.ofMinutes(5);

  /** Waits for the probe port's /ready to answer 200 (at most {@link #READY_WITHIN}). */
  public ScorerProcess awaitReady() throws Exception {
    return awaitReady(READY_WITHIN);
  }

  /**
   * Waits, at most {@code timeout}, for the probe port's /ready to answer 200, as the kubelet
   * would; fails with the scorer's log if not.
   */
  private ScorerProcess awaitReady(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "scorer exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (probe("/ready").statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("scorer not ready after " + timeout + ":\n" + Files.readString(log));
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET on the probes' own port. */
  public HttpResponse<String> probe(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probePort + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> score(String body, String clientRequestId)
      throws IOException, InterruptedException {
    return score(body, clientRequestId, null);
  }

  /** A scoring call with an Authorization header, unless {@code authorization} is null. */
  public HttpResponse<String> score(String body, String clientRequestId, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/score"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (clientRequestId != null) {
      request.header("x-ms-client-request-id", clientRequestId);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** SIGTERM, then waits for the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("scorer stops on SIGTERM").isTrue();
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
