package io.mlws.devtools.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.KeyManagerFactory;

/**
 * A stand-in for Application Insights on 127.0.0.1: it takes what the agent sends (gzipped JSON
 * lines at /v2.1/track, live-metrics pings, the app-id lookup), keeps every envelope, and can print
 * each one readably. Tests use it to count telemetry; `try-it` uses it to show a person what Azure
 * would receive. It can also play an ingestion outage: answer 500 or 429, or answer slowly.
 */
public final class CaptureServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_KEPT = 200_000;

  private final HttpServer server;
  private final List<JsonNode> envelopes = new ArrayList<>();
  private final PrintStream printer;
  private volatile int trackStatus = 200;
  private volatile Duration trackDelay = Duration.ZERO;
  private volatile PrintStream dump;
  private volatile String requiredBearer;
  private final java.util.concurrent.atomic.AtomicInteger refusedTracks =
      new java.util.concurrent.atomic.AtomicInteger();

  private CaptureServer(HttpServer server, PrintStream printer) {
    this.server = server;
    this.printer = printer;
  }

  /**
   * Listens on 127.0.0.1:{@code port} over TLS with the given context: the agent sends a bearer
   * token (Entra ID) only to an https:// ingestion endpoint.
   */
  public static CaptureServer startHttps(int port, javax.net.ssl.SSLContext tls)
      throws IOException {
    return startHttps(InetAddress.getLoopbackAddress(), port, tls);
  }

  private static CaptureServer startHttps(
      InetAddress address, int port, javax.net.ssl.SSLContext tls) throws IOException {
    com.sun.net.httpserver.HttpsServer https =
        com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(address, port), 0);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
    return serve(https, null);
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0 for any free port); prints envelopes when given a stream.
   */
  public static CaptureServer start(int port, PrintStream printer) throws IOException {
    return start(InetAddress.getLoopbackAddress(), port, printer);
  }

  /**
   * Listens on one address of this machine, e.g. the local cluster's bridge, which its pods reach.
   */
  public static CaptureServer start(InetAddress address, int port, PrintStream printer)
      throws IOException {
    return serve(HttpServer.create(new InetSocketAddress(address, port), 0), printer);
  }

  private static CaptureServer serve(HttpServer http, PrintStream printer) {
    CaptureServer capture = new CaptureServer(http, printer);
    http.createContext("/", capture::handle);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.start();
    return capture;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** A connection string that sends every byte of the agent's traffic here. */
  public String connectionString() {
    return connectionString("00000000-0000-0000-0000-000000000000");
  }

  /** The same, with a given instrumentation key (a distinctive one lets a test look for leaks). */
  public String connectionString(String instrumentationKey) {
    String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https://" : "http://";
    String base = scheme + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/";
    return "InstrumentationKey="
        + instrumentationKey
        + ";IngestionEndpoint="
        + base
        + ";LiveEndpoint="
        + base
        + ";ProfilerEndpoint="
        + base;
  }

  public synchronized List<JsonNode> envelopes() {
    return List.copyOf(envelopes);
  }

  public synchronized void clear() {
    envelopes.clear();
  }

  /** From now on, answer track requests with this status (500, 429, ...), without keeping them. */
  public void answerTrackWith(int status) {
    trackStatus = status;
  }

  /**
   * From now on, refuse track requests without {@code Authorization: Bearer <token>} with a 401, as
   * a resource with local authentication disabled refuses them, without keeping their envelopes.
   */
  public void requireBearer(String token) {
    requiredBearer = token;
  }

  /** How many track requests were refused for want of the required token. */
  public int refusedTracks() {
    return refusedTracks.get();
  }

  public void delayTrack(Duration delay) {
    trackDelay = delay;
  }

  /** Writes every envelope received from now on to this stream, one JSON object a line. */
  public void dumpTo(PrintStream stream) {
    dump = stream;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/track")) {
        track(exchange);
      } else if (path.contains("QuickPulseService.svc")) {
        exchange.getResponseHeaders().set("x-ms-qps-subscribed", "false");
        respond(exchange, 200, "");
      } else if (path.startsWith("/api/profiles/") && path.endsWith("/appId")) {
        respond(exchange, 200, "00000000-0000-0000-0000-000000000000");
      } else {
        respond(exchange, 200, "{}");
      }
    }
  }

  private void track(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (!trackDelay.isZero()) {
      try {
        Thread.sleep(trackDelay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (trackStatus != 200) {
      respond(exchange, trackStatus, "{\"itemsReceived\":0,\"itemsAccepted\":0,\"errors\":[]}");
      return;
    }
    String bearer = requiredBearer;
    if (bearer != null
        && !("Bearer " + bearer).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      refusedTracks.incrementAndGet();
      respond(
          exchange,
          401,
          "{\"itemsReceived\":0,\"itemsAccepted\":0,\"errors\":[{\"index\":0,\"statusCode\":401,"
              + "\"message\":\"The provided credentials do not grant the access to ingest the"
              + " telemetry into the component\"}]}");
      return;
    }
    InputStream in = new java.io.ByteArrayInputStream(body);
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    int count = 0;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        // The agent sends one envelope a line; the Python exporter one JSON array.
        JsonNode parsed = JSON.readTree(line);
        for (JsonNode envelope : parsed.isArray() ? parsed : List.of(parsed)) {
          keep(envelope);
          count++;
          if (printer != null) {
            printer.println(Envelopes.describe(envelope));
          }
          if (dump != null) {
            dump.println(envelope.toString());
          }
        }
      }
    }
    respond(
        exchange,
        200,
        "{\"itemsReceived\":%d,\"itemsAccepted\":%d,\"errors\":[]}".formatted(count, count));
  }

  private synchronized void keep(JsonNode envelope) {
    if (envelopes.size() < MAX_KEPT) {
      envelopes.add(envelope);
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /**
   * Runs the capture server alone: {@code java -cp scorer.jar
   * io.mlws.devtools.capture.CaptureServer [port] [--bind ADDRESS] [--quiet] [--status N]
   * [--delay-ms N] [--tls KEYSTORE PASSWORD] [--dump FILE]}. It prints what arrives unless quiet;
   * --bind listens on ADDRESS instead of 127.0.0.1 (the local cluster's bridge, for pods); --status
   * and --delay-ms play an ingestion outage for load tests, or with --tls (a PKCS12 key store) the
   * round trip and TLS of a remote ingestion endpoint; --dump writes every envelope to FILE as a
   * JSON line (the peer benchmark counts them there).
   */
  private static javax.net.ssl.SSLContext tls(Path keyStore, char[] password) throws IOException {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password);
      KeyManagerFactory managers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(keys, password);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(managers.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot use the key store " + keyStore + ": " + e.getMessage(), e);
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    int port = 0;
    boolean quiet = false;
    int status = 200;
    long delay = 0;
    String dumpFile = null;
    Path keyStore = null;
    char[] keyStorePassword = null;
    InetAddress bind = InetAddress.getLoopbackAddress();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quiet" -> quiet = true;
        case "--status" -> status = Integer.parseInt(args[++i]);
        case "--delay-ms" -> delay = Long.parseLong(args[++i]);
        case "--dump" -> dumpFile = args[++i];
        case "--bind" -> bind = InetAddress.getByName(args[++i]);
        case "--tls" -> {
          keyStore = Path.of(args[++i]);
          keyStorePassword = args[++i].toCharArray();
        }
        default -> port = Integer.parseInt(args[i]);
      }
    }
    CaptureServer capture =
        keyStore == null
            ? start(bind, port, quiet ? null : System.out)
            : startHttps(bind, port, tls(keyStore, keyStorePassword));
    capture.answerTrackWith(status);
    capture.delayTrack(Duration.ofMillis(delay));
    if (dumpFile != null) {
      capture.dumpTo(
          new PrintStream(new java.io.FileOutputStream(dumpFile), true, StandardCharsets.UTF_8));
    }
    System.out.println(
        "capturing Application Insights telemetry on "
            + (keyStore == null ? "http://" : "https://")
            + bind.getHostAddress()
            + ":"
            + capture.port()
            + "/");
    System.out.println("connection string: " + capture.connectionString());
    Thread.currentThread().join();
  }
}
