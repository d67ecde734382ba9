package io.mlws.operator.harness;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The operator's JVM options where they are set once: JAVA_TOOL_OPTIONS in deploy/manager. */
final class DeployedJvmOptions {
  static final Path MANIFEST = LocalCluster.REPO.resolve("deploy/manager/deployment.yaml");

  private DeployedJvmOptions() {}

  static String read() {
    try (InputStream in = Files.newInputStream(MANIFEST)) {
      Deployment deployment = new KubernetesSerialization().unmarshal(in, Deployment.class);
      return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
          .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
          .map(EnvVar::getValue)
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(MANIFEST + " sets no JAVA_TOOL_OPTIONS"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
