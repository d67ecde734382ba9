package io.mlws.operator.settings;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code maxBytes}: a longer one is cut off there (the
 * connection dropped) and comes as empty, so a pod that answers with a flood of bytes costs the
 * operator at most that much memory.
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<Optional<String>> {
  private final int maxBytes;
  private final byte[] body;
  private final CompletableFuture<Optional<String>> result = new CompletableFuture<>();
  private int length;
  private Flow.Subscription subscription;

  BoundedBody(int maxBytes) {
    this.maxBytes = maxBytes;
    this.body = new byte[maxBytes];
  }

  public static HttpResponse.BodyHandler<Optional<String>> handler(int maxBytes) {
    return info -> new BoundedBody(maxBytes);
  }

  @Override
  public CompletionStage<Optional<String>> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer item : items) {
      if (item.remaining() > maxBytes - length) {
        subscription.cancel();
        result.complete(Optional.empty());
        return;
      }
      int n = item.remaining();
      item.get(body, length, n);
      length += n;
    }
  }

  @Override
  public void onError(Throwable failure) {
    result.completeExceptionally(failure);
  }

  @Override
  public void onComplete() {
    result.complete(Optional.of(new String(body, 0, length, StandardCharsets.UTF_8)));
  }
}
