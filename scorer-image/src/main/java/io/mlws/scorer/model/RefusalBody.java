package io.mlws.scorer.model;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of a refused download, kept to its first few KiB (a refusal is short; a hostile server
 * cannot fill memory), and what it says in Azure Storage's error format: the code and, for a
 * refused token, Storage's AuthenticationErrorDetail ("Invalid token audience.").
 */
final class RefusalBody implements Flow.Subscriber<List<ByteBuffer>> {
  static final int KEPT_BYTES = 8 * 1024;
  private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,200})</Code>");
  private static final Pattern DETAIL =
      Pattern.compile("<AuthenticationErrorDetail>([^<]{1,500})</AuthenticationErrorDetail>");

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

  static HttpResponse.BodySubscriber<String> subscriber() {
    return HttpResponse.BodySubscribers.fromSubscriber(new RefusalBody(), RefusalBody::text);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized void onNext(List<ByteBuffer> buffers) {
    // The rest is read and dropped: the exchange ends as the server ends it.
    for (ByteBuffer buffer : buffers) {
      byte[] bytes = new byte[Math.min(KEPT_BYTES - kept.size(), buffer.remaining())];
      buffer.get(bytes);
      kept.write(bytes, 0, bytes.length);
    }
  }

  @Override
  public void onError(Throwable throwable) {}

  @Override
  public void onComplete() {}

  private synchronized String text() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  /**
   * Storage's reason in a refusal body, e.g. " (Storage: AuthenticationFailed, Invalid token
   * audience.)".
   */
  static String storageReason(String body) {
    if (body == null) {
      return "";
    }
    Matcher code = CODE.matcher(body);
    if (!code.find()) {
      return "";
    }
    Matcher detail = DETAIL.matcher(body);
    return " (Storage says "
        + code.group(1).trim()
        + (detail.find() ? ": " + detail.group(1).trim() : "")
        + ")";
  }
}
