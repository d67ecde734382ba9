package io.mlws.scorer;

import io.mlws.scorer.collect.DataCollector;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.model.ModelFetcher;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.model.UnservableModel;
import io.mlws.scorer.settings.AppliedSettings;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.settings.SettingsFile;
import io.mlws.scorer.storage.StorageSink;
import io.mlws.scorer.telemetry.AgentDrops;
import io.mlws.scorer.telemetry.IngestionCheck;
import io.mlws.scorer.telemetry.StdStreamsAsTraces;
import io.mlws.scorer.telemetry.TraceBridge;
import java.time.Duration;
import java.util.Optional;
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
    StdStreamsAsTraces.install(new AgentDrops());
    ScorerConfig config;
    try {
      config = ScorerConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("invalid configuration: {}", e.getMessage());
      TerminationMessage.write(
          TerminationMessage.KUBERNETES_DEFAULT, "invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    IngestionCheck.startInBackground(System.getenv(), config.podName());
    RuntimeSettings base = RuntimeSettings.fromConfig(config);
    ScorerMetrics.version(base.routes().own());
    Supplier<RuntimeSettings> settings = () -> base;
    Supplier<AppliedSettings> applied = () -> AppliedSettings.NONE;
    if (config.settingsFile().isPresent()) {
      SettingsFile file =
          SettingsFile.watch(
              config.settingsFile().get(), base, Duration.ofMillis(config.settingsPollMillis()));
      settings = file;
      applied = file::applied;
    }
    ModelHolder model = new ModelHolder();
    Optional<StorageSink> storage = Optional.empty();
    if (config.collectStorage().isPresent()) {
      storage = Optional.of(StorageSink.start(config.collectStorage().get()));
    }
    Server server =
        ScorerHttpServer.start(
            config,
            model,
            settings,
            new DataCollector(
                settings,
                config.podName(),
                TraceBridge.forRequestSampling(config.requestSamplingPercentage().orElse(0.0)),
                storage));
    storage.ifPresent(sink -> flushOnShutdown(sink, server, config.shutdownTimeoutSeconds()));
    Server probes = ProbeServer.start(config.probePort(), model, server, applied);
    LOG.info(
        "scorer listening on port {}, probes on port {}",
        ScorerHttpServer.port(server),
        ScorerHttpServer.port(probes));
    try {
      OnnxModel loaded =
          OnnxModel.load(
              ModelFetcher.fetch(
                  config.modelUri(),
                  config.modelSha256(),
                  config.modelDir(),
                  config.modelCredential(),
                  config.download()),
              config.modelKind());
      loaded.signature().inputs().forEach(i -> LOG.info("model input {}", i.describe()));
      LOG.info("model answers as a {}", loaded.kind().describe());
      model.set(loaded);
      LOG.info("serving /score and /v2/models/{}/infer", settings.get().modelName());
      // Printed, not logged: like print() in an Azure ML scoring script, it becomes a trace.
      System.out.println("mlws scorer: model " + settings.get().models() + " is ready");
    } catch (Exception e) {
      // One line in the pod's log; the whole exception to telemetry only.
      LOG.error("cannot serve the model: {}", oneLine(e));
      TerminationMessage.write(
          TerminationMessage.KUBERNETES_DEFAULT, "cannot serve the model: " + oneLine(e));
      LoggerFactory.getLogger(ConsoleLogging.TELEMETRY_ONLY_EXCEPTIONS)
          .error("cannot serve the model", e);
      server.stop();
      System.exit(1);
    }
    server.join();
  }

  /**
   * On SIGTERM, once the scoring server has stopped (no request left to collect), what is queued
   * for storage is written within what the pod has left: the drain and the grace period's margin.
   */
  private static void flushOnShutdown(StorageSink sink, Server server, int drainSeconds) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  long deadline =
                      System.nanoTime()
                          + Duration.ofSeconds(drainSeconds).plus(FLUSH_MARGIN).toNanos();
                  for (int i = 0; i < 100_000 && !server.isStopped(); i++) {
                    if (System.nanoTime() > deadline - FLUSH_MARGIN.toNanos()) {
                      break;
                    }
                    try {
                      Thread.sleep(10);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                  sink.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                },
                "collect-flush"));
  }

  /**
   * The grace period's margin past the drain (the operator's GRACE_MARGIN_SECONDS is 5), less a
   * second for the JVM to exit.
   */
  static final Duration FLUSH_MARGIN = Duration.ofSeconds(4);

  private static String oneLine(Exception e) {
    String message = e instanceof UnservableModel ? e.getMessage() : e.toString();
    return message == null ? e.getClass().getName() : message.replaceAll("\\s*\\R\\s*", " ");
  }
}
