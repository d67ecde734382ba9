package io.mlws.operator.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The status Flux and kpt compute for a resource: the real kstatus library
 * (sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute), run as the tiny Go program that
 * local-cluster/kstatus builds beside the pinned kubectl.
 */
public final class Kstatus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** kstatus's verdicts, by the names it prints. */
  public enum Status {
    CURRENT("Current"),
    IN_PROGRESS("InProgress"),
    FAILED("Failed"),
    TERMINATING("Terminating");

    final String printed;

    Status(String printed) {
      this.printed = printed;
    }
  }

  private Kstatus() {}

  public static Status compute(JsonNode resource) {
    try {
      Process process =
          new ProcessBuilder(Kubectl.binary().resolveSibling("kstatus").toString())
              .redirectErrorStream(true)
              .start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(JSON.writeValueAsBytes(resource));
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("kstatus failed: " + output);
      }
      String printed = JSON.readTree(output).path("status").asText();
      for (Status status : Status.values()) {
        if (status.printed.equals(printed)) {
          return status;
        }
      }
      throw new AssertionError("kstatus said " + output);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
