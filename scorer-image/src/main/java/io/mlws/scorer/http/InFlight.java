package io.mlws.scorer.http;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Counts the scoring port's requests in flight: those waiting for a slot and those being scored,
 * from the moment their body is read to their answer. Azure ML v1's front end scaled on this (busy
 * replicas); an autoscaler reads it as mlws_requests_in_flight (KEDA, a Prometheus trigger).
 */
public final class InFlight extends Handler.Wrapper {
  private final AtomicInteger count = new AtomicInteger();

  public InFlight(Handler handler) {
    super(handler);
  }

  /** Requests waiting for a slot or being scored, now. */
  public int count() {
    return count.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    count.incrementAndGet();
    Callback counted = Callback.from(callback, count::decrementAndGet);
    boolean handled;
    try {
      handled = super.handle(request, response, counted);
    } catch (Exception | Error e) {
      count.decrementAndGet();
      throw e;
    }
    if (!handled) {
      count.decrementAndGet();
    }
    return handled;
  }
}
