package io.mlws.operator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Application Insights capture server (dev-tools/target/dev-tools.jar) in a JVM of its own,
 * listening on the local cluster's bridge so that pods reach it: every envelope the real agent in a
 * pod sends is kept as a JSON line, read back here.
 */
public final class CaptureProcess implements AutoCloseable {
  public static final Path DEV_TOOLS_JAR =
      LocalCluster.REPO.resolve("dev-tools/target/dev-tools.jar");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path dump;
  private final String connectionString;

  private CaptureProcess(Process process, Path dump, String connectionString) {
    this.process = process;
    this.dump = dump;
    this.connectionString = connectionString;
  }

  /** Starts it on {@code address} (a free port) and waits for the line naming its endpoint. */
  public static CaptureProcess start(String address, Path dir) throws IOException {
    Path dump = dir.resolve("envelopes.jsonl");
    Files.deleteIfExists(dump);
    Files.createFile(dump);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                DEV_TOOLS_JAR.toString(),
                "io.mlws.devtools.capture.CaptureServer",
                "0",
                "--bind",
                address,
                "--quiet",
                "--dump",
                dump.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String connectionString = null;
    for (int i = 0; i < 20 && connectionString == null; i++) {
      String line = out.readLine();
      if (line == null) {
        break;
      }
      if (line.startsWith("connection string: ")) {
        connectionString = line.substring("connection string: ".length());
      }
    }
    if (connectionString == null) {
      process.destroyForcibly();
      throw new IllegalStateException("the capture server did not start on " + address);
    }
    return new CaptureProcess(process, dump, connectionString);
  }

  /** Sends every byte of an agent's traffic here, with this instrumentation key. */
  public String connectionString(String instrumentationKey) {
    return connectionString.replace("00000000-0000-0000-0000-000000000000", instrumentationKey);
  }

  /** Every envelope received so far (a line being written right now is left for the next read). */
  public List<JsonNode> envelopes() throws IOException {
    List<JsonNode> envelopes = new ArrayList<>();
    for (String line : Files.readAllLines(dump, StandardCharsets.UTF_8)) {
      try {
        envelopes.add(JSON.readTree(line));
      } catch (IOException partial) {
        // Still being written.
      }
    }
    return envelopes;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
