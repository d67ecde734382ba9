package io.mlws.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models from a path, file:// or a local HTTP server, checked against their SHA-256. */
class ModelFetcherTest {
  static final Path MODEL = Path.of("models/iris.onnx");
  @TempDir Path downloads;
  HttpServer http;
  String sha;
  final java.util.List<String> seenQueries = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void serveTheModel() throws Exception {
    sha = ModelFetcher.sha256Of(MODEL);
    byte[] bytes = Files.readAllBytes(MODEL);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/iris.onnx",
        ex -> {
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    // Private storage: answers only with the right Authorization header or SAS signature.
    http.createContext(
        "/private/iris.onnx",
        ex -> {
          String query = ex.getRequestURI().getRawQuery();
          boolean authorized =
              "Bearer t0ken".equals(ex.getRequestHeaders().getFirst("Authorization"))
                  || (query != null && query.contains("sig=s1gnature"));
          seenQueries.add(String.valueOf(query));
          if (!authorized) {
            // As Azure Storage refuses: its error document names the cause; a megabyte of padding
            // after it must neither be held whole nor stop the message.
            byte[] refusal =
                ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed"
                        + "</Code><Message>Server failed to authenticate the request.</Message>"
                        + "<AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail>"
                        + "</Error>"
                        + " ".repeat(1 << 20))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(403, refusal.length);
            ex.getResponseBody().write(refusal);
            ex.close();
            return;
          }
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    http.createContext(
        "/missing.onnx",
        ex -> {
          ex.sendResponseHeaders(404, -1);
          ex.close();
        });
    http.start();
  }

  @AfterEach
  void stop() {
    http.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  @Test
  void downloadsAndVerifies() throws Exception {
    Path file = ModelFetcher.fetch(url("/iris.onnx"), Optional.of(sha.toUpperCase()), downloads);

    assertThat(file.getParent()).isEqualTo(downloads);
    assertThat(Files.readAllBytes(file)).isEqualTo(Files.readAllBytes(MODEL));
  }

  @Test
  void takesPathsAndFileUris() throws Exception {
    assertThat(ModelFetcher.fetch(MODEL.toString(), Optional.of(sha), downloads)).isEqualTo(MODEL);
    assertThat(
            ModelFetcher.fetch(
                MODEL.toAbsolutePath().toUri().toString(), Optional.empty(), downloads))
        .isEqualTo(MODEL.toAbsolutePath());
  }

  @Test
  void refusesAWrongDigestAMissingFileAndAFailedDownload() {
    assertThatThrownBy(
            () -> ModelFetcher.fetch(url("/iris.onnx"), Optional.of("0".repeat(64)), downloads))
        .isInstanceOf(ModelFetcher.ModelUnavailableException.class)
        .hasMessageContaining("refusing to serve it");
    assertThatThrownBy(() -> ModelFetcher.fetch("/no/such/model.onnx", Optional.empty(), downloads))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ModelFetcher.fetch(url("/missing.onnx"), Optional.empty(), downloads))
        .hasMessageContaining("failed with HTTP 404");
  }

  @Test
  void presentsTheModelCredentialAsAHeaderOrASasToken() throws Exception {
    assertThatThrownBy(
            () -> ModelFetcher.fetch(url("/private/iris.onnx"), Optional.empty(), downloads))
        .hasMessageContaining(
            "HTTP 403 (Storage says AuthenticationFailed: Signature did not match.)")
        .hasMessageContaining("needs spec.model.credential");

    Path viaHeader =
        ModelFetcher.fetch(
            url("/private/iris.onnx"),
            Optional.of(sha),
            downloads,
            new DownloadCredential(Optional.of("Bearer t0ken"), Optional.empty()));
    assertThat(Files.readAllBytes(viaHeader)).isEqualTo(Files.readAllBytes(MODEL));

    Path viaSas =
        ModelFetcher.fetch(
            url("/private/iris.onnx?version=2"),
            Optional.of(sha),
            downloads.resolve("sas"),
            new DownloadCredential(Optional.empty(), Optional.of("?sv=2024-01-01&sig=s1gnature")));
    assertThat(Files.readAllBytes(viaSas)).isEqualTo(Files.readAllBytes(MODEL));
    assertThat(seenQueries).contains("version=2&sv=2024-01-01&sig=s1gnature");

    DownloadCredential wrong =
        new DownloadCredential(Optional.of("Bearer wrong"), Optional.empty());
    assertThatThrownBy(
            () -> ModelFetcher.fetch(url("/private/iris.onnx"), Optional.empty(), downloads, wrong))
        .hasMessageContaining("credential from spec.model.credential was refused")
        .message()
        .doesNotContain("wrong");
    assertThat(wrong.toString()).isEqualTo("Authorization header");
  }
}
