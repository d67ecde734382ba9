package io.mlws.scorer;

import io.mlws.scorer.auth.CallerCheck;
import io.mlws.scorer.auth.CallerGate;
import io.mlws.scorer.auth.EntraIdTokens;
import io.mlws.scorer.auth.ScoringKeys;
import io.mlws.scorer.collect.DataCollector;
import io.mlws.scorer.http.BodyFirst;
import io.mlws.scorer.http.BusyAnswer;
import io.mlws.scorer.http.ConnectionDrain;
import io.mlws.scorer.http.InFlight;
import io.mlws.scorer.http.JsonErrors;
import io.mlws.scorer.http.ScorerHandler;
import io.mlws.scorer.metrics.RequestMetrics;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.routing.VersionRouter;
import io.mlws.scorer.routing.VersionRoutes;
import io.mlws.scorer.settings.RuntimeSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty 12 server the scorer runs in (the Application Insights agent instruments Jetty, not the
 * JDK's HTTP server). With MLWS_KEYS_DIR it answers only callers with a key, with
 * MLWS_TOKEN_TENANT_ID only callers with an Entra ID token ({@link CallerCheck}). It takes on a
 * bounded amount of work ({@link RequestLimits}); on SIGTERM it closes keep-alive connections as
 * they answer, then stops gracefully: those in flight finish.
 */
public final class ScorerHttpServer {
  private ScorerHttpServer() {}

  /** What callers must present, if anything: keys or Entra ID tokens. */
  private static Optional<CallerGate> callerGate(ScorerConfig config) {
    if (config.keysDir().isPresent()) {
      return Optional.of(ScoringKeys.watch(config.keysDir().get(), KEYS_READ_MILLIS));
    }
    return config.entraIdCallers().map(EntraIdTokens::start);
  }

  public static Server start(
      ScorerConfig config,
      ModelHolder model,
      Supplier<RuntimeSettings> settings,
      DataCollector collector)
      throws Exception {
    return start(
        config,
        () -> settings.get().routes(),
        new ScorerHandler(
            model,
            settings,
            collector,
            config.maxRequestBytes(),
            config.maxRows(),
            config.scoringTimeout()));
  }

  /** HTTP/1.1 without a Server header: callers learn nothing of the server or its version. */
  static HttpConnectionFactory withoutServerHeader() {
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    return new HttpConnectionFactory(http);
  }

  /** The server around any handler: the scorer's, or a test's; no other model version. */
  public static Server start(ScorerConfig config, Handler handler) throws Exception {
    return start(config, () -> VersionRoutes.none(config.versionName()), handler);
  }

  /**
   * The server around a handler, sharing scoring calls with the other model versions {@code routes}
   * lists.
   */
  public static Server start(ScorerConfig config, Supplier<VersionRoutes> routes, Handler handler)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("scorer");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, withoutServerHeader());
    connector.setPort(config.port());
    // While stopping, Jetty cuts idle connections after this long; a request still uploading its
    // body is given a few seconds rather than Jetty's default of one.
    connector.setShutdownIdleTimeout(5000);
    server.addConnector(connector);
    // The body first, then a slot: a slow body never holds one.
    InFlight inFlight = new InFlight(limited(handler, config.limits()));
    ScorerMetrics.inFlightGauge(inFlight::count);
    // The body first, then the version: a call sent on to another version takes no slot here.
    Handler scoring =
        new BodyFirst(
            new VersionRouter(new BusyAnswer(inFlight), routes, routingTimeout(config)),
            config.maxRequestBytes());
    ConnectionDrain drain =
        new ConnectionDrain(
            callerGate(config)
                .<Handler>map(gate -> new CallerCheck(gate, scoring))
                .orElse(scoring));
    server.setHandler(new GracefulHandler(new RequestMetrics(drain)));
    server.setErrorHandler(new JsonErrors());
    server.setStopTimeout(Duration.ofSeconds(config.shutdownTimeoutSeconds()).toMillis());
    server.start();
    Duration window = closeWindow(config.shutdownTimeoutSeconds());
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(server, drain, window), "scorer-shutdown"));
    return server;
  }

  /**
   * How long the scorer keeps answering, each answer closing its connection, before it stops
   * accepting: a busy client needs one request to move on. Never more than half the drain.
   */
  static Duration closeWindow(int shutdownTimeoutSeconds) {
    return Duration.ofMillis(Math.min(CLOSE_WINDOW_MILLIS, shutdownTimeoutSeconds * 500L));
  }

  static final long CLOSE_WINDOW_MILLIS = 2_000;

  /**
   * How long another version's pod may take over a call sent on to it: what its own scorer may take
   * (queue wait and scoring timeout), and a margin for the hop.
   */
  static Duration routingTimeout(ScorerConfig config) {
    return config.scoringTimeout().plus(config.limits().queueWait()).plus(Duration.ofSeconds(5));
  }

  /** How often the keys' files are read again: a regenerated key is in force within a second. */
  static final long KEYS_READ_MILLIS = 1_000;

  /** On SIGTERM: close keep-alive connections as they answer, then stop gracefully. */
  static void stop(Server server, ConnectionDrain drain, Duration window) {
    if (!server.isRunning()) {
      return;
    }
    drain.beginClosing();
    try {
      Thread.sleep(window.toMillis());
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Requests still in flight when the drain ran out: the JVM exits anyway.
    }
  }

  private static Handler limited(Handler handler, RequestLimits limits) {
    QoSHandler qos = new QoSHandler(handler);
    qos.setMaxRequestCount(limits.concurrent());
    qos.setMaxSuspendedRequestCount(limits.queued());
    qos.setMaxSuspend(limits.queueWait());
    return qos;
  }

  public static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
