package io.mlws.scorer;

import io.mlws.scorer.http.ScorerHandler;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.telemetry.DataCollector;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty 12 server the scorer runs in (the Application Insights agent instruments Jetty, not the
 * JDK's HTTP server). Stopping it is graceful: no new requests, those in flight finish.
 */
public final class ScorerHttpServer {
  private ScorerHttpServer() {}

  public static Server start(
      ScorerConfig config,
      ModelHolder model,
      Supplier<RuntimeSettings> settings,
      DataCollector collector)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("scorer");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(config.port());
    // While stopping, Jetty cuts idle connections after this long; a request still uploading its
    // body is given a few seconds rather than Jetty's default of one.
    connector.setShutdownIdleTimeout(5000);
    server.addConnector(connector);
    server.setHandler(
        new GracefulHandler(
            new ScorerHandler(
                model, settings, collector, config.maxRequestBytes(), config.maxRows())));
    server.setStopTimeout(Duration.ofSeconds(config.shutdownTimeoutSeconds()).toMillis());
    server.setStopAtShutdown(true);
    server.start();
    return server;
  }

  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
