package io.mlws.scorer.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Times every request on the scoring port, from arrival to the last byte of its answer, and counts
 * it by the route template the scorer's handler named (refusals before it, such as a full queue's
 * 503, count as route "none"). A call sent on to another model version's pods is counted there, and
 * here only as routed.
 */
public final class RequestMetrics extends Handler.Wrapper {
  public RequestMetrics(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long start = System.nanoTime();
    AtomicBoolean recorded = new AtomicBoolean();
    Runnable record =
        () -> {
          if (recorded.compareAndSet(false, true)) {
            Object route = request.getAttribute(ScorerMetrics.ROUTE);
            Object routedTo = request.getAttribute(ScorerMetrics.ROUTED_TO);
            if (routedTo != null) {
              ScorerMetrics.routed(routedTo.toString(), String.valueOf(response.getStatus()));
              return;
            }
            ScorerMetrics.request(
                route == null ? "none" : route.toString(),
                request.getMethod(),
                response.getStatus(),
                System.nanoTime() - start);
          }
        };
    return super.handle(
        request,
        response,
        new Callback() {
          @Override
          public void succeeded() {
            record.run();
            callback.succeeded();
          }

          @Override
          public void failed(Throwable failure) {
            record.run();
            callback.failed(failure);
          }

          @Override
          public InvocationType getInvocationType() {
            return callback.getInvocationType();
          }
        });
  }
}
