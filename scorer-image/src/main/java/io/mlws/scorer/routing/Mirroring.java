package io.mlws.scorer.routing;

import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.telemetry.RequestNaming;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Shadow traffic: once the caller's answer is written, a copy of the call goes to each version
 * drawn for it (spec.versions[].mirrorPercentage), carrying the digest of the caller's prediction;
 * that version's pod answers it like any call, records whether its prediction agrees (the Agreement
 * dimension of its request), and its answer is dropped here after counting the outcome. Copies
 * never wait for anything: at most {@link #MIRRORED_AT_ONCE} are in flight, and beyond that a copy
 * is skipped and counted as such.
 */
final class Mirroring {
  static final int MIRRORED_AT_ONCE = 64;

  private final HttpClient client;
  private final Duration timeout;
  private final Semaphore inFlight = new Semaphore(MIRRORED_AT_ONCE);

  Mirroring(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** Sends {@code request} (its {@code body}) to each of {@code mirrors}; returns at once. */
  void copy(
      Request request,
      byte[] body,
      List<VersionRoutes.Route> mirrors,
      String liveVersion,
      int liveStatus,
      byte[] liveAnswer) {
    Optional<String> livePrediction =
        liveStatus == 200 ? PredictionDigest.of(liveAnswer) : Optional.empty();
    for (VersionRoutes.Route mirror : mirrors) {
      if (!inFlight.tryAcquire()) {
        ScorerMetrics.mirrored(mirror.name(), "skipped");
        continue;
      }
      HttpRequest.Builder call = VersionRouter.sentOn(request, body, mirror, timeout);
      call.header(VersionRouter.MIRROR_OF_HEADER, liveVersion);
      livePrediction.ifPresent(digest -> call.header(VersionRouter.LIVE_PREDICTION_HEADER, digest));
      try {
        client
            .sendAsync(call.build(), HttpResponse.BodyHandlers.ofByteArray())
            .whenComplete(
                (answer, failure) -> {
                  inFlight.release();
                  ScorerMetrics.mirrored(mirror.name(), outcome(livePrediction, answer, failure));
                });
      } catch (RuntimeException e) {
        inFlight.release();
        ScorerMetrics.mirrored(mirror.name(), "unreachable");
      }
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
