package io.mlws.operator.process;

import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The operator pod's probes and Prometheus scrape target: /healthz (informers healthy), /readyz
 * (operator started) and /metrics. On Jetty, which reads a request's headers as they arrive without
 * holding a thread: connections that send part of a request and stop (anyone in the cluster can
 * reach the port) cannot take the threads the kubelet's probes need, and they are closed once idle
 * for {@link #IDLE_TIMEOUT_MILLIS}.
 */
public final class HealthEndpoints implements AutoCloseable {
  static final long IDLE_TIMEOUT_MILLIS = 5_000;
  private static final int THREADS = 6;

  private final Server server;

  private HealthEndpoints(Server server) {
    this.server = server;
  }

  public static HealthEndpoints start(int port, RuntimeInfo runtime, PrometheusMeterRegistry meters)
      throws IOException {
    return start(port, runtime::allEventSourcesAreHealthy, runtime::isStarted, meters);
  }

  static HealthEndpoints start(
      int port, BooleanSupplier healthy, BooleanSupplier ready, PrometheusMeterRegistry meters)
      throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(THREADS, 2);
    threads.setName("health");
    threads.setReservedThreads(0);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    server.addConnector(connector);
    server.setHandler(new Endpoints(healthy, ready, meters));
    try {
      server.start();
    } catch (Exception e) {
      throw new IOException("the health port " + port + " could not be opened: " + e, e);
    }
    return new HealthEndpoints(server);
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping: nothing is served any more either way.
    }
  }

  /** The three paths; anything else is a 404. */
  private static final class Endpoints extends Handler.Abstract {
    private final BooleanSupplier healthy;
    private final BooleanSupplier ready;
    private final PrometheusMeterRegistry meters;

    Endpoints(BooleanSupplier healthy, BooleanSupplier ready, PrometheusMeterRegistry meters) {
      this.healthy = healthy;
      this.ready = ready;
      this.meters = meters;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      switch (Request.getPathInContext(request)) {
        case "/healthz" -> probe(response, callback, healthy);
        case "/readyz" -> probe(response, callback, ready);
        case "/metrics" ->
            respond(
                response,
                callback,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                meters.scrape());
        default -> respond(response, callback, 404, "text/plain; charset=utf-8", "not found\n");
      }
      return true;
    }

    private static void probe(Response response, Callback callback, BooleanSupplier check) {
      boolean ok = check.getAsBoolean();
      respond(
          response,
          callback,
          ok ? 200 : 503,
          "text/plain; charset=utf-8",
          ok ? "ok\n" : "unhealthy\n");
    }

    private static void respond(
        Response response, Callback callback, int status, String contentType, String body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
  }
}
