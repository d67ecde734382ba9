package io.mlws.operator.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small HTTP proxy on 127.0.0.1 in front of the real kube-apiserver, for what a real server does
 * not do on demand: refuse a share of writes with 409 or 500, answer late, drop every open watch.
 * It forwards everything else unchanged (watches streamed), the client's ServiceAccount token
 * included, so the real authorizer still judges the operator. Every injected fault is counted, so a
 * test can prove its faults happened.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "content-length",
          "host",
          "transfer-encoding",
          "upgrade",
          "expect",
          "keep-alive",
          "te",
          "trailer",
          "http2-settings");

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HttpClient upstream;
  private final URI target;
  private final Map<HttpExchange, InputStream> openWatches = new ConcurrentHashMap<>();
  private final AtomicInteger injected = new AtomicInteger();
  private final AtomicInteger droppedWatches = new AtomicInteger();
  private volatile double writeFailureShare;
  private volatile int writeFailureCode;
  private volatile Duration delay = Duration.ZERO;
  private volatile String blockedPath;
  private volatile int blockedCode = 500;

  private final LocalCluster cluster;

  private FaultProxy(LocalCluster cluster) throws Exception {
    this.cluster = cluster;
    Config admin = cluster.adminConfig();
    target = URI.create(admin.getMasterUrl());
    upstream =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(sslContext(admin))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FaultProxy start(LocalCluster cluster) {
    try {
      return new FaultProxy(cluster);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the fault proxy", e);
    }
  }

  /** A client configuration that reaches the server through this proxy, as the operator. */
  public Config operatorConfig() {
    Config config = cluster.operatorConfig("http://127.0.0.1:" + server.getAddress().getPort());
    config.setRequestRetryBackoffLimit(0);
    // Watches as HTTP streams (the proxy relays bytes; it does not speak WebSocket).
    config.setOnlyHttpWatches(true);
    return config;
  }

  /** Refuses this share of write requests with this status code. */
  public void failWrites(double share, int code) {
    writeFailureCode = code;
    writeFailureShare = share;
  }

  /** Refuses, with 500, every write whose path contains {@code pathPart} (an object held back). */
  public void failWritesTo(String pathPart) {
    failWritesTo(pathPart, 500);
  }

  /** Refuses every write whose path contains {@code pathPart} with this status code. */
  public void failWritesTo(String pathPart, int code) {
    blockedCode = code;
    blockedPath = pathPart;
  }

  public void slowDown(Duration perAnswer) {
    delay = perAnswer;
  }

  public void clear() {
    writeFailureShare = 0;
    blockedPath = null;
    delay = Duration.ZERO;
  }

  /** Closes every watch open now, as an API server restart or a load balancer would. */
  public int dropWatches() {
    int dropped = 0;
    for (var watch : openWatches.entrySet()) {
      try {
        watch.getValue().close();
      } catch (IOException ignored) {
        // Closing is all that matters.
      }
      watch.getKey().close();
      openWatches.remove(watch.getKey());
      dropped++;
    }
    droppedWatches.addAndGet(dropped);
    return dropped;
  }

  public int injectedFaults() {
    return injected.get();
  }

  public int droppedWatches() {
    return droppedWatches.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      String method = exchange.getRequestMethod();
      String blocked = blockedPath;
      if (WRITES.contains(method)
          && blocked != null
          && exchange.getRequestURI().getPath().contains(blocked)) {
        injected.incrementAndGet();
        refuse(exchange, blockedCode);
        return;
      }
      if (WRITES.contains(method) && ThreadLocalRandom.current().nextDouble() < writeFailureShare) {
        injected.incrementAndGet();
        refuse(exchange, writeFailureCode);
        return;
      }
      forward(exchange, method, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    } catch (IOException | RuntimeException e) {
      exchange.close();
    }
  }

  private void forward(HttpExchange exchange, String method, byte[] body)
      throws IOException, InterruptedException {
    URI uri = target.resolve(exchange.getRequestURI().toString());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    HttpResponse<InputStream> response =
        upstream.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
              }
            });
    boolean watch = uri.getRawQuery() != null && uri.getRawQuery().contains("watch=true");
    try (InputStream in = response.body()) {
      exchange.sendResponseHeaders(response.statusCode(), 0);
      if (watch) {
        openWatches.put(exchange, in);
      }
      OutputStream out = exchange.getResponseBody();
      // The server buffers the head until body bytes come; a watch may have none for minutes.
      out.flush();
      byte[] buffer = new byte[16384];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      out.close();
    } finally {
      openWatches.remove(exchange);
    }
  }

  private static void refuse(HttpExchange exchange, int code) throws IOException {
    String reason = code == 409 ? "Conflict" : code == 429 ? "TooManyRequests" : "InternalError";
    byte[] status =
        ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"injected by"
                + " the test's fault proxy\",\"reason\":\""
                + reason
                + "\",\"code\":"
                + code
                + "}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().put("Content-Type", java.util.List.of("application/json"));
    exchange.sendResponseHeaders(code, status.length);
    exchange.getResponseBody().write(status);
    exchange.close();
  }

  /** Trusts the cluster's CA and presents no client certificate: the token alone says who calls. */
  private static SSLContext sslContext(Config admin) throws Exception {
    KeyStore trust =
        CertUtils.createTrustStore(
            Files.readString(Path.of(admin.getCaCertFile())), null, null, "changeit");
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }

  @Override
  public void close() {
    dropWatches();
    server.stop(0);
    threads.shutdownNow();
  }
}
