package io.mlws.scorer.harness;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.StorageSharedKeyCredential;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's Blob service (the Azure Storage emulator, pinned in src/test/azurite) over HTTPS with
 * its OAuth checking on: it refuses a bearer token whose audience, issuer or lifetime is wrong, as
 * Storage does. Started for one test from the pinned install, on 127.0.0.1, and stopped by its PID.
 */
public final class AzuriteBlob implements AutoCloseable {
  public static final String ACCOUNT = "devstoreaccount1";
  public static final String STORAGE_VERSION = "2024-11-04";

  /** Azurite's well-known development key of devstoreaccount1 (published with it; no secret). */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final List<String> command;
  private final int port;
  private final Path log;
  private final HttpClient http;
  private final TestTls tls;
  private Process process;

  private AzuriteBlob(List<String> command, int port, Path log, HttpClient http, TestTls tls) {
    this.command = command;
    this.port = port;
    this.log = log;
    this.http = http;
    this.tls = tls;
  }

  public static AzuriteBlob start(Path workDir, TestTls tls) throws Exception {
    String azuriteBlob = installed();
    int port = ScorerProcess.freePort();
    Path location = Files.createDirectories(workDir.resolve("azurite"));
    Path log = workDir.resolve("azurite.log");
    List<String> command =
        List.of(
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
            "--skipApiVersionCheck");
    AzuriteBlob azurite =
        new AzuriteBlob(
            command,
            port,
            log,
            HttpClient.newBuilder().sslContext(tls.clientContext()).build(),
            tls);
    azurite.startAgain();
    return azurite;
  }

  /** (Re)starts Azurite on the same port and data: after {@link #stop()}, storage is back. */
  public void startAgain() throws Exception {
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitListening(Duration.ofSeconds(60));
  }

  /** Stops Azurite by its PID: a storage outage, its data kept for {@link #startAgain()}. */
  public void stop() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The URL of a container, as spec.dataCollection.storage.containerUrl names one. */
  public String containerUrl(String container) {
    return "https://127.0.0.1:%d/%s/%s".formatted(port, ACCOUNT, container);
  }

  /** A client of a container with the account's key, trusting the test's CA. */
  public BlobContainerClient container(String container) throws Exception {
    return new BlobContainerClientBuilder()
        .endpoint(containerUrl(container))
        .credential(new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY))
        .httpClient(
            new JdkHttpClientBuilder(
                    java.net.http.HttpClient.newBuilder().sslContext(tls.clientContext()))
                .build())
        .buildClient();
  }

  /** Creates a container and returns a SAS for it that can create, write, add and read blobs. */
  public String createContainerWithSas(String container) throws Exception {
    BlobContainerClient client = container(container);
    client.createIfNotExists();
    return client.generateSas(
        new BlobServiceSasSignatureValues(
            OffsetDateTime.now().plusHours(2),
            new BlobContainerSasPermission()
                .setCreatePermission(true)
                .setWritePermission(true)
                .setAddPermission(true)
                .setReadPermission(true)));
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

  public URI blob(String container, String name) {
    return URI.create("https://127.0.0.1:%d/%s/%s/%s".formatted(port, ACCOUNT, container, name));
  }

  /**
   * Creates a private container and puts a block blob in it, with a bearer token Azurite admits.
   */
  public void upload(String container, String name, byte[] body, String bearer) throws Exception {
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
  public HttpResponse<String> get(String container, String name, String... headers)
      throws Exception {
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
    stop();
  }
}
