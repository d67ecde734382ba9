package io.mlws.operator.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged operator.jar started as its own JVM, as `java -jar` users and the container run it.
 */
public final class OperatorJar {
  /** The jar under test; -Dmlws.operator.jar measures another build (e.g. an earlier commit). */
  public static final Path JAR =
      Path.of(System.getProperty("mlws.operator.jar", "target/operator.jar"));

  /**
   * JVM options for the operator, as deploy/manager gives them (its JAVA_TOOL_OPTIONS);
   * -Dmlws.operator.jvmArgs changes them.
   */
  public static final String JVM_ARGS =
      System.getProperty("mlws.operator.jvmArgs", DeployedJvmOptions.read());

  private OperatorJar() {}

  /**
   * Starts it as the operator's ServiceAccount on the local cluster, logging to {@code
   * home}/operator.log.
   */
  public static Process start(LocalCluster cluster, Path home, Map<String, String> env)
      throws IOException {
    return start(cluster, home, env, List.of());
  }

  /** The same, with JVM options after the deployed ones (a later option wins). */
  public static Process start(
      LocalCluster cluster, Path home, Map<String, String> env, List<String> moreJvmOptions)
      throws IOException {
    return start(cluster.operatorKubeconfig(), home, env, moreJvmOptions);
  }

  /** As whoever {@code kubeconfig} names. */
  public static Process start(
      Path kubeconfig, Path home, Map<String, String> env, List<String> moreJvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(JVM_ARGS.trim().split("\\s+")));
    command.addAll(moreJvmOptions);
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("operator.log").toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().putAll(env);
    return builder.start();
  }
}
