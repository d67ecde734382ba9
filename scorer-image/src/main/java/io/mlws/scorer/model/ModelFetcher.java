package io.mlws.scorer.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the model URI into a verified local file. Downloads go through java.net.http.HttpClient,
 * which the Application Insights agent records as a dependency of the scorer.
 */
public final class ModelFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFetcher.class);

  private static final String DOWNLOADED = "model.onnx";

  private ModelFetcher() {}

  /** Thrown when the model cannot be had; the message says what to fix. */
  public static final class ModelUnavailableException extends Exception {
    public ModelUnavailableException(String message) {
      super(message);
    }
  }

  public static Path fetch(String uri, Optional<String> sha256, Path downloadDir)
      throws ModelUnavailableException, IOException, InterruptedException {
    return fetch(uri, sha256, downloadDir, DownloadCredential.none());
  }

  public static Path fetch(
      String uri, Optional<String> sha256, Path downloadDir, DownloadCredential credential)
      throws ModelUnavailableException, IOException, InterruptedException {
    return fetch(uri, sha256, downloadDir, credential, DownloadLimits.defaults());
  }

  public static Path fetch(
      String uri,
      Optional<String> sha256,
      Path downloadDir,
      DownloadCredential credential,
      DownloadLimits limits)
      throws ModelUnavailableException, IOException, InterruptedException {
    Path file;
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      Optional<Path> earlier = verifiedEarlierDownload(downloadDir, sha256);
      if (earlier.isPresent()) {
        LOG.info(
            "model "
                + uri
                + " ready at "
                + earlier.get()
                + " from an earlier start, not downloaded again (sha256 "
                + sha256.get().toLowerCase()
                + ")");
        return earlier.get();
      }
      file = download(URI.create(uri), downloadDir, credential, limits);
    } else {
      file = uri.startsWith("file://") ? Path.of(URI.create(uri)) : Path.of(uri);
      if (!Files.isRegularFile(file)) {
        throw new ModelUnavailableException("model file " + file + " does not exist");
      }
    }
    String actual = sha256Of(file);
    if (sha256.isPresent() && !sha256.get().equalsIgnoreCase(actual)) {
      throw new ModelUnavailableException(
          "model %s has SHA-256 %s, expected %s: refusing to serve it"
              .formatted(uri, actual, sha256.get()));
    }
    LOG.info("model " + uri + " ready at " + file + " (sha256 " + actual + ")");
    return file;
  }

  /**
   * The model volume outlives a container restart: what an earlier start left half-done is removed,
   * and a complete file that matches the expected SHA-256 (hashed once, here) is served again; one
   * that does not, or cannot be checked, is removed.
   */
  private static Optional<Path> verifiedEarlierDownload(Path downloadDir, Optional<String> sha256)
      throws IOException {
    Files.createDirectories(downloadDir);
    removePartialDownloads(downloadDir);
    Path target = downloadDir.resolve(DOWNLOADED);
    if (!Files.exists(target)) {
      return Optional.empty();
    }
    if (sha256.isPresent() && sha256.get().equalsIgnoreCase(sha256Of(target))) {
      return Optional.of(target);
    }
    Files.delete(target);
    return Optional.empty();
  }

  private static Path download(
      URI uri, Path downloadDir, DownloadCredential credential, DownloadLimits limits)
      throws ModelUnavailableException, IOException, InterruptedException {
    Path target = downloadDir.resolve(DOWNLOADED);
    Path partial = downloadDir.resolve(DOWNLOADED + ".part");
    LOG.info("downloading model from " + uri + " (credential: " + credential + ")");
    long size;
    try {
      size = new ResumableDownload(uri, credential, limits).into(partial);
    } catch (ModelUnavailableException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    LOG.info("downloaded " + size + " bytes");
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private static void removePartialDownloads(Path downloadDir) throws IOException {
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(downloadDir, "*.part")) {
      for (Path partial : partials) {
        LOG.info(
            "removing "
                + partial
                + " ("
                + Files.size(partial)
                + " bytes), a download an earlier start left unfinished");
        Files.delete(partial);
      }
    }
  }

  static String hint(int status, DownloadCredential credential) throws ModelUnavailableException {
    if (status == 401 || status == 403) {
      return credential.present()
          ? " (" + credential.refusedWhat() + ")"
          : " (private storage needs spec.model.credential)";
    }
    if (status / 100 == 3 && credential.present()) {
      return " (redirects are not followed when a credential is sent)";
    }
    return "";
  }

  static String sha256Of(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
