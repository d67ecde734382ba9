package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl, as users type it, bounded in time; a non-zero exit fails with the output. */
public final class Kubectl {
  private Kubectl() {}

  /** Runs {@code kubectl args...} against the current context, or {@code kubeconfig} when given. */
  public static String run(Path kubeconfig, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    if (kubeconfig != null) {
      command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out after " + timeout + ": " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s\n%s", String.join(" ", command), output).isZero();
    return output;
  }

  /** {@code kubectl kustomize directory}: what {@code kubectl apply -k} would apply. */
  public static String kustomize(Path directory) throws IOException, InterruptedException {
    return run(null, Duration.ofSeconds(60), "kustomize", directory.toString());
  }
}
