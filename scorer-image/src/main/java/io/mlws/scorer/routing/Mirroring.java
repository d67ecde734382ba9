package io.mlws.scorer.routing;

import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.telemetry.RequestNaming;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow traffic: once the caller's answer is written, a copy of the call goes to each version
 * drawn for it (spec.versions[].mirrorPercentage), carrying the digest of the caller's prediction;
 * that version's pod answers it like any call, records whether its prediction agrees (the Agreement
 * dimension of its request), and its answer is dropped here after counting the outcome. Copies
 * never wait for anything: at most {@link #MIRRORED_AT_ONCE} are in flight, and beyond that a copy
 * is skipped and counted as such; to a version that is down or overwhelmed they pause ({@link
 * MirrorPauses}).
 */
final class Mirroring {
  static final int MIRRORED_AT_ONCE = 64;

  private static final Logger LOG = LoggerFactory.getLogger(Mirroring.class);

  /** A copy that cannot be sent is said once in the log; each is counted. */
  private static final AtomicBoolean FIRST_FAILURE = new AtomicBoolean();

  private final HttpClient client;
  private final Duration timeout;
  private final Semaphore inFlight = new Semaphore(MIRRORED_AT_ONCE);
  private final MirrorPauses pauses = new MirrorPauses(System::nanoTime);

  Mirroring(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * Of {@code mirrors}, the ones a copy may still go to: with every place in flight taken, the copy
   * is skipped (and counted) before the caller's answer is kept for it, so a shadow that cannot
   * keep up costs the callers next to nothing. A place is taken only when the copy is sent.
   */
  List<VersionRoutes.Route> room(List<VersionRoutes.Route> mirrors) {
    if (mirrors.isEmpty()) {
      return mirrors;
    }
    List<VersionRoutes.Route> open = new ArrayList<>(mirrors.size());
    for (VersionRoutes.Route mirror : mirrors) {
      if (pauses.paused(mirror.name())) {
        ScorerMetrics.mirrored(mirror.name(), "paused");
      } else {
        open.add(mirror);
      }
    }
    if (open.isEmpty() || inFlight.availablePermits() > 0) {
      return open;
    }
    open.forEach(mirror -> ScorerMetrics.mirrored(mirror.name(), "skipped"));
    return List.of();
  }

  /** Sends {@code request} (its {@code body}) to each of {@code mirrors}; returns at once. */
  void copy(
      Request request,
      byte[] body,
      List<VersionRoutes.Route> mirrors,
      String liveVersion,
      int liveStatus,
      byte[] liveAnswer) {
    List<VersionRoutes.Route> sent = new ArrayList<>();
    for (VersionRoutes.Route mirror : mirrors) {
      if (inFlight.tryAcquire()) {
        sent.add(mirror);
      } else {
        ScorerMetrics.mirrored(mirror.name(), "skipped");
      }
    }
    if (sent.isEmpty()) {
      return; // a copy skipped costs the caller nothing, not even the digest
    }
    Optional<String> live = liveStatus == 200 ? digest(liveAnswer) : Optional.empty();
    long sentNanos = pauses.now();
    for (VersionRoutes.Route mirror : sent) {
      try {
        HttpRequest.Builder call = VersionRouter.sentOn(request, body, mirror, timeout);
        call.header(VersionRouter.MIRROR_OF_HEADER, liveVersion);
        live.ifPresent(digest -> call.header(VersionRouter.LIVE_PREDICTION_HEADER, digest));
        client
            .sendAsync(call.build(), HttpResponse.BodyHandlers.ofByteArray())
            .orTimeout(timeout.plus(VersionRouter.ANSWER_MARGIN).toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete(
                (answer, failure) -> {
                  inFlight.release();
                  if (failure != null || answer.statusCode() >= 500) {
                    pauses.failed(mirror.name(), sentNanos);
                  } else {
                    pauses.answered(mirror.name());
                  }
                  ScorerMetrics.mirrored(mirror.name(), outcome(live, answer, failure));
                });
      } catch (RuntimeException e) {
        inFlight.release();
        pauses.failed(mirror.name(), sentNanos);
        ScorerMetrics.mirrored(mirror.name(), "unreachable");
        if (FIRST_FAILURE.compareAndSet(false, true)) {
          LOG.warn(
              "shadow traffic: a copy for model version '{}' could not be sent: {}",
              mirror.name(),
              e.toString());
        }
      }
    }
  }

  /** The live prediction's digest; none rather than a permit lost to an answer it cannot read. */
  private static Optional<String> digest(byte[] answer) {
    try {
      return PredictionDigest.of(answer);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * agree or disagree when both answered 200; live_failed when the caller's call failed; failed
   * when the mirror answered another status; unreachable when it did not answer.
   */
  static String outcome(
      Optional<String> livePrediction, HttpResponse<byte[]> answer, Throwable failure) {
    if (failure != null) {
      return "unreachable";
    }
    if (answer.statusCode() != 200) {
      return "failed";
    }
    if (livePrediction.isEmpty()) {
      return "live_failed";
    }
    return livePrediction.equals(PredictionDigest.of(answer.body())) ? "agree" : "disagree";
  }

  /**
   * On the mirror's pod, a mirrored call's answer: its request says which version answered the
   * caller (Mirror Of) and whether the two predictions agree (Agreement), as it is written.
   */
  static Response judged(Request request, Response response) {
    String liveVersion = request.getHeaders().get(VersionRouter.MIRROR_OF_HEADER);
    String livePrediction = request.getHeaders().get(VersionRouter.LIVE_PREDICTION_HEADER);
    return new AnswerCapture(
        request,
        response,
        (status, answer) -> {
          RequestNaming.mirrorOf(liveVersion);
          if (status == 200 && livePrediction != null) {
            RequestNaming.agreement(
                PredictionDigest.of(answer).map(livePrediction::equals).orElse(false)
                    ? "agree"
                    : "disagree");
          }
        });
  }
}
