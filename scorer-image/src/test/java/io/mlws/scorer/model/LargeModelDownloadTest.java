package io.mlws.scorer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big model served slowly by a server that breaks the connection once, half-way: the download
 * resumes where it broke off instead of starting over. The JDK's HTTP server plays the storage:
 * cutting a response off mid-body is the point, and fabric8's mock web server cannot do that.
 */
class LargeModelDownloadTest {
  static final int SIZE = 8 << 20;
  static final String ETAG = "\"v1\"";

  @TempDir Path downloads;
  final byte[] model = new byte[SIZE];
  final List<String> ranges = new CopyOnWriteArrayList<>();
  final AtomicBoolean brokenOnce = new AtomicBoolean();
  final AtomicLong bytesServed = new AtomicLong();
  final AtomicBoolean stopping = new AtomicBoolean();
  HttpServer http;
  String sha;

  @BeforeEach
  void serve() throws Exception {
    new Random(7).nextBytes(model);
    Path file = downloads.resolveSibling(downloads.getFileName() + "-model.bin");
    Files.write(file, model);
    sha = ModelFetcher.sha256Of(file);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/big.onnx", this::answer);
    http.createContext(
        "/chunked.onnx",
        ex -> {
          // No length (chunked), and more bytes than any volume the test allows.
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            byte[] chunk = new byte[1 << 16];
            for (int i = 0; i < 4 * SIZE / chunk.length && !stopping.get(); i++) {
              out.write(chunk);
              bytesServed.addAndGet(chunk.length);
            }
          } catch (IOException stopped) {
            // The scorer stopped reading: what the test wants.
          }
        });
    http.createContext(
        "/never.onnx",
        ex -> {
          // Headers at once, then one chunk, then nothing until the test ends.
          ex.sendResponseHeaders(200, SIZE);
          slowly(ex.getResponseBody(), 0, 1 << 16, Duration.ZERO);
          for (int i = 0; i < 600 && !stopping.get(); i++) {
            sleep(50);
          }
          ex.close();
        });
    http.start();
  }

  /** Serves the model slowly, honours Range with If-Range, and breaks off the first response. */
  private void answer(HttpExchange ex) throws IOException {
    String range = ex.getRequestHeaders().getFirst("Range");
    ranges.add(String.valueOf(range));
    ex.getResponseHeaders().add("ETag", ETAG);
    long from = 0;
    if (range != null && ETAG.equals(ex.getRequestHeaders().getFirst("If-Range"))) {
      from = Long.parseLong(range.replaceAll("^bytes=(\\d+)-$", "$1"));
      ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (SIZE - 1) + "/" + SIZE);
      ex.sendResponseHeaders(206, SIZE - from);
    } else {
      ex.sendResponseHeaders(200, SIZE);
    }
    OutputStream out = ex.getResponseBody();
    if (brokenOnce.compareAndSet(false, true)) {
      slowly(out, (int) from, SIZE / 2, Duration.ZERO);
      // The connection breaks: the client has half the body of a response that announced all.
      throw new IOException("the storage breaks the connection");
    }
    slowly(out, (int) from, SIZE, Duration.ZERO);
    ex.close();
  }

  /** Writes 64 KiB at a time with a pause between: about 130 chunks for the whole model. */
  private void slowly(OutputStream out, int from, int to, Duration pauseEachChunk) {
    try {
      for (int at = from; at < to; at += 1 << 16) {
        int n = Math.min(1 << 16, to - at);
        out.write(model, at, n);
        out.flush();
        bytesServed.addAndGet(n);
        sleep(pauseEachChunk.isZero() ? 1 : pauseEachChunk.toMillis());
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stop() {
    stopping.set(true);
    http.stop(0);
  }

  String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  @Test
  void anInterruptedDownloadResumesWhereItBrokeOff() throws Exception {
    Path file =
        ModelFetcher.fetch(
            url("/big.onnx"),
            Optional.of(sha),
            downloads,
            DownloadCredential.none(),
            new DownloadLimits(Duration.ofMinutes(2), OptionalLong.of(64 << 20)));

    assertThat(Files.readAllBytes(file)).isEqualTo(model);
    assertThat(ranges).hasSize(2);
    assertThat(ranges.get(0)).isEqualTo("null");
    long resumedAt = Long.parseLong(ranges.get(1).replaceAll("^bytes=(\\d+)-$", "$1"));
    assertThat(resumedAt).as("resumed past the start").isPositive();
    assertThat(bytesServed.get()).as("no byte sent twice").isLessThanOrEqualTo(SIZE);
    try (var left = Files.list(downloads)) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void partialFilesOfAnEarlierStartGoAndAVerifiedModelIsReused() throws Exception {
    Files.write(downloads.resolve("model.onnx.part"), new byte[1234]);
    Files.write(downloads.resolve("model-4711.part"), new byte[99]);
    Files.write(downloads.resolve("model.onnx"), model);

    Path file = ModelFetcher.fetch(url("/big.onnx"), Optional.of(sha), downloads);

    assertThat(ranges).as("nothing downloaded").isEmpty();
    try (var left = Files.list(downloads)) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void aModelLargerThanTheVolumeIsRefusedAndLeavesNothing() {
    assertThatThrownBy(
            () ->
                ModelFetcher.fetch(
                    url("/big.onnx"),
                    Optional.empty(),
                    downloads,
                    DownloadCredential.none(),
                    new DownloadLimits(Duration.ofMinutes(1), OptionalLong.of(SIZE - 1))))
        .isInstanceOf(ModelFetcher.ModelUnavailableException.class)
        .hasMessageContaining("is " + SIZE + " bytes, more than the model volume's limit")
        .hasMessageContaining("spec.model.volumeSizeLimit");
    assertThat(downloads.resolve("model.onnx.part")).doesNotExist();
  }

  @Test
  void aModelWithoutALengthStopsAtTheVolumesLimit() {
    long limit = SIZE / 2;
    assertThatThrownBy(
            () ->
                ModelFetcher.fetch(
                    url("/chunked.onnx"),
                    Optional.empty(),
                    downloads,
                    DownloadCredential.none(),
                    new DownloadLimits(Duration.ofMinutes(1), OptionalLong.of(limit))))
        .isInstanceOf(ModelFetcher.ModelUnavailableException.class)
        .hasMessageContaining("more than the model volume's limit of " + limit + " bytes")
        .hasMessageContaining("spec.model.volumeSizeLimit");
    assertThat(downloads.resolve("model.onnx.part")).doesNotExist();
    assertThat(bytesServed.get())
        .as("bytes the server could send before the scorer stopped reading")
        .isLessThan(4L * SIZE);
  }

  @Test
  void aDownloadThatOutlastsItsBudgetIsRefused() {
    assertThatThrownBy(
            () ->
                ModelFetcher.fetch(
                    url("/never.onnx"),
                    Optional.empty(),
                    downloads,
                    DownloadCredential.none(),
                    new DownloadLimits(Duration.ofSeconds(1), OptionalLong.empty())))
        .isInstanceOf(ModelFetcher.ModelUnavailableException.class)
        .hasMessageContaining("did not finish within 1 s");
  }
}
