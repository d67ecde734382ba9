package io.mlws.devtools.tryit;

import io.mlws.devtools.capture.CaptureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Try the scorer on this machine with no Azure subscription: the sample model, the real Application
 * Insights agent, and a local capture endpoint that prints, readably, every envelope Application
 * Insights would receive. After `mvn -B -DskipTests package`: {@code java -cp
 * dev-tools/target/dev-tools.jar io.mlws.devtools.tryit.TryIt [port]}. It runs the scorer of the
 * checkout this jar was built in (scorer-image/target/scorer.jar, its agent and the iris model).
 */
public final class TryIt {
  private TryIt() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Path scorerModule = scorerModule();
    Path jar = scorerModule.resolve("target/scorer.jar");
    Path agent = scorerModule.resolve("target/agent/applicationinsights-agent.jar");
    Path model = scorerModule.resolve("models/iris.onnx");
    for (Path required : List.of(jar, agent, model)) {
      if (!Files.exists(required)) {
        System.err.println(
            required + " is missing: run `mvn -B verify` (or `mvn -B package`) first");
        System.exit(2);
      }
    }
    CaptureServer capture = CaptureServer.start(0, System.out);
    ProcessBuilder scorer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent,
                "-Dapplicationinsights.testing.batch-schedule-delay-millis=1000",
                "-jar",
                jar.toString())
            .inheritIO();
    scorer.environment().put("APPLICATIONINSIGHTS_CONNECTION_STRING", capture.connectionString());
    scorer.environment().put("APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", "100");
    scorer.environment().put("APPLICATIONINSIGHTS_ROLE_NAME", "iris-local");
    scorer.environment().put("APPLICATIONINSIGHTS_PREVIEW_LIVE_METRICS_ENABLED", "false");
    scorer.environment().put("MLWS_MODEL_URI", model.toString());
    scorer.environment().put("MLWS_MODEL_NAME", "iris");
    scorer.environment().put("MLWS_PORT", String.valueOf(port));
    scorer.environment().put("MLWS_PROBE_PORT", "0");
    scorer.environment().put("MLWS_DATA_COLLECTION_ENABLED", "true");
    scorer.environment().put("MLWS_DATA_COLLECTION_REDACT_FIELDS", "customer_id");
    System.out.printf(
        """
        Telemetry goes to a local capture endpoint (http://127.0.0.1:%d/) and is printed below as
        Application Insights would receive it. In another terminal:

          curl -s -X POST localhost:%d/score -H 'Content-Type: application/json' \\
               -d '{"data": [[5.1, 3.5, 1.4, 0.2]], "customer_id": "c-42"}'

        Ctrl+C stops both.
        %n""",
        capture.port(), port);
    Process process = scorer.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.destroy();
                  capture.close();
                }));
    System.exit(process.waitFor());
  }

  /** scorer-image/ of the checkout this class was loaded from (its jar or its classes folder). */
  private static Path scorerModule() throws java.net.URISyntaxException {
    Path here = Path.of(TryIt.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("scorer-image"))) {
        return dir.resolve("scorer-image");
      }
    }
    throw new IllegalStateException(here + " is not inside an mlws checkout (no scorer-image/)");
  }
}
