package io.mlws.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl, as users type it, bounded in time: the one pinned by local-cluster/ (built
 * there once), never whatever kubectl a machine happens to have.
 */
public final class Kubectl {
  private static Path binary;

  private Kubectl() {}

  /** What a kubectl run printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {}

  /** The pinned kubectl: {@code local-cluster/cluster bin}/kubectl. */
  public static synchronized Path binary() throws IOException, InterruptedException {
    if (binary == null) {
      Process process =
          new ProcessBuilder(Path.of("../local-cluster/cluster").toString(), "bin")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(process.waitFor(30, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue()).as("local-cluster/cluster bin").isZero();
      binary = Path.of(out.substring(out.lastIndexOf('\n') + 1)).resolve("kubectl");
    }
    return binary;
  }

  /** Runs {@code kubectl args...}; a non-zero exit fails with the output. */
  public static String run(Path kubeconfig, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Result result = tryRun(kubeconfig, timeout, args);
    assertThat(result.exitCode())
        .as("kubectl %s\n%s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  /**
   * Runs {@code kubectl args...} and returns its exit code and output, for runs expected to fail.
   */
  public static Result tryRun(Path kubeconfig, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    if (kubeconfig != null) {
      command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out after " + timeout + ": " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** {@code kubectl kustomize directory}: what {@code kubectl apply -k} would apply. */
  public static String kustomize(Path directory) throws IOException, InterruptedException {
    return run(null, Duration.ofSeconds(60), "kustomize", directory.toString());
  }
}
