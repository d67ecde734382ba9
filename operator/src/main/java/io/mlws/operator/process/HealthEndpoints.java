package io.mlws.operator.process;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator pod's probes and Prometheus scrape target: /healthz (informers healthy), /readyz
 * (operator started) and /metrics.
 */
public final class HealthEndpoints implements AutoCloseable {
  private final HttpServer server;

  private HealthEndpoints(HttpServer server) {
    this.server = server;
  }

  public static HealthEndpoints start(int port, RuntimeInfo runtime, PrometheusMeterRegistry meters)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", ex -> probe(ex, runtime::allEventSourcesAreHealthy));
    server.createContext("/readyz", ex -> probe(ex, runtime::isStarted));
    server.createContext(
        "/metrics",
        ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape()));
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return new HealthEndpoints(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, BooleanSupplier healthy) throws IOException {
    boolean ok = healthy.getAsBoolean();
    respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "unhealthy\n");
  }

  private static void respond(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
