package io.mlws.scorer;

import io.mlws.scorer.model.ModelFetcher;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.settings.SettingsFile;
import io.mlws.scorer.telemetry.DataCollector;
import io.mlws.scorer.telemetry.StdStreamsAsTraces;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the scorer: HTTP first (so probes answer while the model loads), then the model. On
 * SIGTERM Jetty stops taking requests and finishes those in flight before the JVM exits.
 */
public final class ScorerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ScorerMain.class);

  private ScorerMain() {}

  public static void main(String[] args) throws Exception {
    ConsoleLogging.install(System.out);
    StdStreamsAsTraces.install();
    ScorerConfig config;
    try {
      config = ScorerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    RuntimeSettings base = RuntimeSettings.fromConfig(config);
    Supplier<RuntimeSettings> settings =
        config.settingsFile().isPresent()
            ? SettingsFile.watch(config.settingsFile().get(), base, settingsPollInterval())
            : () -> base;
    ModelHolder model = new ModelHolder();
    Server server =
        ScorerHttpServer.start(
            config, model, settings, new DataCollector(settings, config.podName()));
    LOG.info("scorer listening on port {}", ScorerHttpServer.port(server));
    try {
      model.set(
          OnnxModel.load(
              ModelFetcher.fetch(config.modelUri(), config.modelSha256(), config.modelDir())));
      LOG.info("serving /score and /v2/models/{}/infer", settings.get().modelName());
      // Printed, not logged: like print() in an Azure ML scoring script, it becomes a trace.
      System.out.println("mlws scorer: model " + settings.get().models() + " is ready");
    } catch (Exception e) {
      LOG.error("cannot serve the model: {}", e.getMessage(), e);
      server.stop();
      System.exit(1);
    }
    server.join();
  }

  private static Duration settingsPollInterval() {
    String millis = System.getenv("MLWS_SETTINGS_POLL_MILLIS");
    return Duration.ofMillis(
        millis == null || millis.isBlank() ? 1000 : Long.parseLong(millis.trim()));
  }
}
