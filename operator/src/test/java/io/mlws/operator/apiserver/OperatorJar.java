package io.mlws.operator.apiserver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The packaged operator.jar started as its own JVM against a {@link TestApiServer}. */
public final class OperatorJar {
  public static final Path JAR = Path.of("target/operator.jar");

  private OperatorJar() {}

  /** Starts it with KUBECONFIG pointing at {@code api}, logging to {@code home}/operator.log. */
  public static Process start(TestApiServer api, Path home, Map<String, String> env)
      throws IOException {
    ProcessBuilder command =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("operator.log").toFile());
    command.environment().put("KUBECONFIG", api.writeKubeconfig(home).toString());
    command.environment().putAll(env);
    return command.start();
  }
}
