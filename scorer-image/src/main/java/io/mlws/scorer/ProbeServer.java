package io.mlws.scorer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mlws.scorer.http.JsonErrors;
import io.mlws.scorer.http.ProbeHandler;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.settings.AppliedSettings;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The probes' own port and threads: however busy scoring is, the kubelet's probes (and Prometheus'
 * scrapes of /metrics) are answered within their timeout, so a saturated pod is never restarted for
 * being busy. It is not stopped on SIGTERM: it says "stopping" on /ready while the scoring port
 * drains, and ends with the JVM.
 */
public final class ProbeServer {
  private ProbeServer() {}

  public static Server start(
      int port, ModelHolder model, Server scoring, Supplier<AppliedSettings> settings)
      throws Exception {
    return start(port, model, scoring, ScorerMetrics.prometheus(), settings);
  }

  /** The same, serving /metrics from {@code metrics} (Prometheus' text format). */
  public static Server start(
      int port,
      ModelHolder model,
      Server scoring,
      PrometheusMeterRegistry metrics,
      Supplier<AppliedSettings> settings)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(6, 2);
    threads.setName("probes");
    threads.setDaemon(true);
    Server server = new Server(threads);
    ServerConnector connector =
        new ServerConnector(server, 1, 1, ScorerHttpServer.withoutServerHeader());
    connector.setPort(port);
    // A connection that sends nothing more is closed soon: idle ones cost no thread, but need not
    // stay for the default 30 s.
    connector.setIdleTimeout(5_000);
    server.addConnector(connector);
    server.setHandler(
        new ProbeHandler(
            model, () -> scoring.isStopping() || scoring.isStopped(), metrics::scrape, settings));
    server.setErrorHandler(new JsonErrors());
    server.start();
    return server;
  }
}
