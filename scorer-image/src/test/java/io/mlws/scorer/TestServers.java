package io.mlws.scorer;

import io.mlws.scorer.collect.DataCollector;
import io.mlws.scorer.model.OnnxModel;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.telemetry.TraceBridge;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Stops a test's server without waiting for the test client's idle keep-alive connections (the
 * JDK's client cannot be closed on Java 17): the scorer's own 5 s allowance is for real clients.
 */
public final class TestServers {
  private TestServers() {}

  /**
   * The scoring port in process, serving the model in {@code model} as ScorerMain serves it: its
   * settings from the configuration, data collection as log records.
   */
  public static Server scoring(ScorerConfig config, ModelHolder model) throws Exception {
    RuntimeSettings settings = RuntimeSettings.fromConfig(config);
    return ScorerHttpServer.start(
        config,
        model,
        () -> settings,
        new DataCollector(() -> settings, "pod-1", new TraceBridge.LogRecord()));
  }

  /** The sample iris model, loaded, in a holder. */
  public static ModelHolder iris() throws Exception {
    ModelHolder model = new ModelHolder();
    model.set(OnnxModel.load(Path.of("models/iris.onnx"), Optional.empty()));
    return model;
  }

  public static void stopNow(Server server) throws Exception {
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setShutdownIdleTimeout(50);
    }
    server.stop();
  }
}
