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
}
