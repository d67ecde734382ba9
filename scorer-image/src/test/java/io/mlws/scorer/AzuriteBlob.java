package io.mlws.scorer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's Blob service (the Azure Storage emulator, pinned in src/test/azurite) over HTTPS with
 * its OAuth checking on: it refuses a bearer token whose audience, issuer or lifetime is wrong, as
 * Storage does. Started for one test from the pinned install, on 127.0.0.1, and stopped by its PID.
 */
final class AzuriteBlob implements AutoCloseable {
  static final String ACCOUNT = "devstoreaccount1";
  static final String STORAGE_VERSION = "2024-11-04";

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http;

  private AzuriteBlob(Process process, int port, Path log, HttpClient http) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.http = http;
  }

  static AzuriteBlob start(Path workDir, TestTls tls) throws Exception {
    String azuriteBlob = installed();
    int port = ScorerProcess.freePort();
    Path location = Files.createDirectories(workDir.resolve("azurite"));
    Path log = workDir.resolve("azurite.log");
    Process process =
        new ProcessBuilder(
                azuriteBlob,
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                String.valueOf(port),
                "--oauth",
                "basic",
                "--cert",
                tls.keyStore().toString(),
                "--pwd",
                TestTls.PASSWORD,
                "--location",
                location.toString(),
                "--disableTelemetry",
                "--skipApiVersionCheck")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    AzuriteBlob azurite =
        new AzuriteBlob(
            process, port, log, HttpClient.newBuilder().sslContext(tls.clientContext()).build());
    azurite.awaitListening(Duration.ofSeconds(60));
    return azurite;
  }

  /** The pinned Azurite's azurite-blob, installed on first use by src/test/azurite/install. */
  private static String installed() throws Exception {
    Process install =
        new ProcessBuilder("src/test/azurite/install")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String path = new String(install.getInputStream().readAllBytes()).trim();
    if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
      throw new IllegalStateException("src/test/azurite/install failed: " + path);
    }
    return path;
  }

  private void awaitListening(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Azurite exited: " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(
        "Azurite not listening in " + timeout + ": " + Files.readString(log));
  }

  URI blob(String container, String name) {
    return URI.create("https://127.0.0.1:%d/%s/%s/%s".formatted(port, ACCOUNT, container, name));
  }

  /**
   * Creates a private container and puts a block blob in it, with a bearer token Azurite admits.
   */
  void upload(String container, String name, byte[] body, String bearer) throws Exception {
    URI containerUri =
        URI.create(
            "https://127.0.0.1:%d/%s/%s?restype=container".formatted(port, ACCOUNT, container));
    expect(
        List.of(201, 409),
        HttpRequest.newBuilder(containerUri).PUT(HttpRequest.BodyPublishers.noBody()),
        bearer);
    expect(
        List.of(201),
        HttpRequest.newBuilder(blob(container, name))
            .header("x-ms-blob-type", "BlockBlob")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
        bearer);
  }

  /** A GET of the blob with the given headers (none: anonymous), for what a caller would get. */
  HttpResponse<String> get(String container, String name, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(blob(container, name)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void expect(List<Integer> statuses, HttpRequest.Builder request, String bearer)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            request
                .header("Authorization", "Bearer " + bearer)
                .header("x-ms-version", STORAGE_VERSION)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (!statuses.contains(response.statusCode())) {
      throw new IllegalStateException(
          "Azurite answered " + response.statusCode() + ": " + response.body());
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
