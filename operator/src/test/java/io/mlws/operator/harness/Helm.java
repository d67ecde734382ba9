package io.mlws.operator.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Helm 4, as users type it, bounded in time: the one local-cluster/ builds from its pinned
 * Go module, beside the pinned kubectl.
 */
public final class Helm {
  /** The chart, deploy/helm/mlws. */
  public static final Path CHART = Kustomize.DEPLOY.resolve("helm/mlws");

  private Helm() {}

  /** What a helm run printed on stdout, on stderr, and its exit code. */
  public record Result(int exitCode, String output, String errors) {}

  public static Path binary() throws IOException, InterruptedException {
    return Kubectl.binary().resolveSibling("helm");
  }

  /** Runs {@code helm args...}; a non-zero exit fails with what it printed. */
  public static String run(Path kubeconfig, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Result result = tryRun(kubeconfig, timeout, args);
    assertThat(result.exitCode())
        .as("helm %s\n%s\n%s", String.join(" ", args), result.output(), result.errors())
        .isZero();
    return result.output();
  }

  /** Runs {@code helm args...} and returns its exit code and output, for runs expected to fail. */
  public static Result tryRun(Path kubeconfig, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary().toString()));
    if (kubeconfig != null) {
      command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    command.addAll(List.of(args));
    Path errors = Files.createTempFile("helm-", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + command);
      }
      return new Result(
          process.exitValue(),
          new String(output, StandardCharsets.UTF_8),
          Files.readString(errors));
    } finally {
      Files.delete(errors);
    }
  }

  /**
   * spec.values of the Flux example, deploy/gitops/flux/helmrelease.yaml (Argo CD's example gives
   * the same): the local cluster's images, as the e2e installs the chart.
   */
  public static JsonNode gitOpsValues() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (JsonNode document :
        yaml.readValues(
                new YAMLFactory()
                    .createParser(
                        Kustomize.DEPLOY.resolve("gitops/flux/helmrelease.yaml").toFile()),
                JsonNode.class)
            .readAll()) {
      if (document.path("kind").asText().equals("HelmRelease")) {
        return document.at("/spec/values");
      }
    }
    throw new AssertionError("deploy/gitops/flux/helmrelease.yaml has no HelmRelease");
  }

  /** The same values as a file, for {@code helm install -f}. */
  public static Path gitOpsValuesFile() throws IOException {
    Path file = Files.createTempFile("mlws-values-", ".yaml");
    file.toFile().deleteOnExit();
    new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), gitOpsValues());
    return file;
  }

  /** {@code helm template mlws CHART -n NAMESPACE args...}: what an install would apply. */
  public static String template(String namespace, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("template", "mlws", CHART.toString(), "-n", namespace));
    command.addAll(List.of(args));
    return run(null, Duration.ofSeconds(60), command.toArray(String[]::new));
  }
}
