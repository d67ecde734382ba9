package io.mlws.scorer.model;

import io.mlws.scorer.model.ModelFetcher.ModelUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model download into a partial file: a connection that breaks mid-way is resumed where it
 * stopped (an HTTP Range request, guarded by If-Range so a changed file starts over), a few times,
 * all within one time budget; a model larger than the volume allows is refused before it fills it.
 */
final class ResumableDownload {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableDownload.class);
  static final int MAX_ATTEMPTS = 5;
  private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("^bytes \\d+-\\d+/(\\d+)$");

  private final URI uri;
  private final DownloadCredential credential;
  private final DownloadLimits limits;
  private final HttpClient http;

  ResumableDownload(URI uri, DownloadCredential credential, DownloadLimits limits) {
    this.uri = uri;
    this.credential = credential;
    this.limits = limits;
    // A credential is never carried to wherever a redirect points.
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(
                credential.present() ? HttpClient.Redirect.NEVER : HttpClient.Redirect.NORMAL)
            .build();
  }

  /** Downloads into {@code partial} (which must not exist yet) and returns its size. */
  long into(Path partial) throws ModelUnavailableException, IOException, InterruptedException {
    Instant deadline = Instant.now().plus(limits.budget());
    Optional<String> validator = Optional.empty();
    String lastBreak = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        break;
      }
      long have = Files.exists(partial) ? Files.size(partial) : 0;
      boolean askedToResume = have > 0 && validator.isPresent();
      HttpRequest.Builder request =
          credential.apply(HttpRequest.newBuilder(credential.apply(uri))).timeout(left).GET();
      if (askedToResume) {
        request.header("Range", "bytes=" + have + "-").header("If-Range", validator.get());
      }
      String broke = null;
      AtomicReference<HttpResponse.ResponseInfo> answer = new AtomicReference<>();
      AtomicReference<String> refusal = new AtomicReference<>();
      AtomicBoolean overflowed = new AtomicBoolean();
      long resumingAt = askedToResume ? have : 0;
      CompletableFuture<HttpResponse<Void>> response =
          http.sendAsync(
              request.build(),
              info ->
                  intoFile(info, partial, askedToResume, answer, refusal, resumingAt, overflowed));
      try {
        // The whole body within the budget, not only the headers (which is all timeout() covers).
        response.get(left.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        response.cancel(true);
        break;
      } catch (ExecutionException e) {
        broke = String.valueOf(e.getCause().getMessage());
        lastBreak = broke;
      }
      if (overflowed.get()) {
        // A body without a length that grew past the volume's limit: stopped there, never retried.
        throw new ModelUnavailableException(
            "model %s is more than the model volume's limit of %d bytes (its download was stopped"
                    .formatted(uri, limits.maxBytes().getAsLong())
                + " there): raise spec.model.volumeSizeLimit");
      }
      HttpResponse.ResponseInfo info = answer.get();
      if (info == null) {
        LOG.warn("model download from {} failed to connect ({}); retrying", uri, broke);
        // A pause that grows with each attempt, within what is left of the budget.
        long untilDeadline = Duration.between(Instant.now(), deadline).toMillis();
        Thread.sleep(Math.max(0, Math.min(1000L * attempt, untilDeadline)));
        continue;
      }
      int status = info.statusCode();
      if (status != 200 && !(status == 206 && askedToResume)) {
        throw new ModelUnavailableException(
            "downloading model from %s failed with HTTP %d%s%s"
                .formatted(
                    uri,
                    status,
                    RefusalBody.storageReason(refusal.get()),
                    ModelFetcher.hint(status, credential)));
      }
      OptionalLong total = total(info.headers(), status);
      refuseIfTooLarge(total);
      validator = validator(info.headers());
      long size = Files.exists(partial) ? Files.size(partial) : 0;
      refuseIfTooLarge(OptionalLong.of(size));
      if (broke == null && (total.isEmpty() || size == total.getAsLong())) {
        return size;
      }
      LOG.warn(
          "model download from {} broke off at {} of {} bytes ({}); {}",
          uri,
          size,
          total.isPresent() ? total.getAsLong() : "?",
          broke == null ? "ended early" : broke,
          validator.isPresent() ? "resuming there" : "starting over (no ETag to resume with)");
      lastBreak = broke == null ? "ended early" : broke;
    }
    throw new ModelUnavailableException(
        "downloading model from %s did not finish within %d s and %d attempts%s"
            .formatted(
                uri,
                limits.budget().toSeconds(),
                MAX_ATTEMPTS,
                lastBreak == null ? "" : " (last: " + lastBreak + ")"));
  }

  /**
   * Where a response's body goes, decided from its status line and headers: the file (appended to
   * when the server resumes), its first KiB kept for the error message of a refusal, or nowhere for
   * a model too large for the volume.
   */
  private HttpResponse.BodySubscriber<Void> intoFile(
      HttpResponse.ResponseInfo info,
      Path partial,
      boolean askedToResume,
      AtomicReference<HttpResponse.ResponseInfo> answer,
      AtomicReference<String> refusal,
      long resumingAt,
      AtomicBoolean overflowed) {
    answer.set(info);
    boolean resumed = info.statusCode() == 206 && askedToResume;
    OptionalLong total = total(info.headers(), info.statusCode());
    boolean fits =
        total.isEmpty()
            || limits.maxBytes().isEmpty()
            || total.getAsLong() <= limits.maxBytes().getAsLong();
    if (info.statusCode() >= 400) {
      return HttpResponse.BodySubscribers.mapping(
          RefusalBody.subscriber(),
          text -> {
            refusal.set(text);
            return null;
          });
    }
    if ((info.statusCode() != 200 && !resumed) || !fits) {
      return HttpResponse.BodySubscribers.replacing(null);
    }
    HttpResponse.BodySubscriber<Path> file =
        HttpResponse.BodySubscribers.ofFile(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    return HttpResponse.BodySubscribers.mapping(
        limits.maxBytes().isPresent()
            ? new CappedBody<>(
                file, resumed ? resumingAt : 0, limits.maxBytes().getAsLong(), overflowed)
            : file,
        written -> null);
  }

  /**
   * A body written to the volume that stops, and fails, once the file would pass the volume's
   * limit: a server that sends no length (chunked) cannot fill the volume until the kubelet evicts
   * the pod.
   */
  static final class CappedBody<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> file;
    private final long maxBytes;
    private final AtomicBoolean overflowed;
    private long written;
    private Flow.Subscription subscription;

    CappedBody(
        HttpResponse.BodySubscriber<T> file,
        long alreadyWritten,
        long maxBytes,
        AtomicBoolean overflowed) {
      this.file = file;
      this.written = alreadyWritten;
      this.maxBytes = maxBytes;
      this.overflowed = overflowed;
    }

    @Override
    public CompletionStage<T> getBody() {
      return file.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      file.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (overflowed.get()) {
        return;
      }
      for (ByteBuffer item : items) {
        written += item.remaining();
      }
      if (written > maxBytes) {
        overflowed.set(true);
        subscription.cancel();
        file.onError(
            new IOException("more than the model volume's limit of " + maxBytes + " bytes"));
        return;
      }
      file.onNext(items);
    }

    @Override
    public void onError(Throwable failure) {
      file.onError(failure);
    }

    @Override
    public void onComplete() {
      if (!overflowed.get()) {
        file.onComplete();
      }
    }
  }

  private void refuseIfTooLarge(OptionalLong total) throws ModelUnavailableException {
    if (total.isPresent()
        && limits.maxBytes().isPresent()
        && total.getAsLong() > limits.maxBytes().getAsLong()) {
      throw new ModelUnavailableException(
          "model %s is %d bytes, more than the model volume's limit of %d bytes: raise"
                  .formatted(uri, total.getAsLong(), limits.maxBytes().getAsLong())
              + " spec.model.volumeSizeLimit");
    }
  }

  /** The whole file's size: Content-Length of a 200, the total of a 206's Content-Range. */
  static OptionalLong total(HttpHeaders headers, int status) {
    if (status == 206) {
      Matcher range =
          CONTENT_RANGE_TOTAL.matcher(headers.firstValue("Content-Range").orElse("").trim());
      return range.matches()
          ? OptionalLong.of(Long.parseLong(range.group(1)))
          : OptionalLong.empty();
    }
    return headers.firstValueAsLong("Content-Length");
  }

  /** What identifies this version of the file for If-Range: a strong ETag, or Last-Modified. */
  static Optional<String> validator(HttpHeaders headers) {
    Optional<String> etag = headers.firstValue("ETag").filter(e -> !e.startsWith("W/"));
    return etag.isPresent() ? etag : headers.firstValue("Last-Modified");
  }
}
