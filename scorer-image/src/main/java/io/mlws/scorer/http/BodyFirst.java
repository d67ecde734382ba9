package io.mlws.scorer.http;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's whole body before the request takes a scoring slot, without holding a thread
 * while the bytes arrive: a client that sends its body slowly, or stops half-way, holds a
 * connection and at most {@code maxBytes} of memory, never a slot that well-behaved callers need.
 * The body must arrive within {@link #DEADLINE_MILLIS}, however slowly its bytes trickle (Jetty's
 * idle timeout starts again at each byte). What is too large, late or broken is passed on as such,
 * for the scorer's handler to answer as it answers any request (413, 408), on a connection that
 * then closes: the rest of that body is never read by the scorer (a client that writes a body over
 * the cap before reading still gets its 413: HostileInputIT). The request goes on in the telemetry
 * context it arrived in (the agent's request span), whichever thread the last bytes came on, so
 * that its name, its request id and its data collection stay with it.
 */
public final class BodyFirst extends Handler.Wrapper {
  /**
   * The request attribute set on a request whose body did not arrive whole (too large, late or
   * broken): only the scorer's own handler may answer it, never another pod.
   */
  public static final String INCOMPLETE = "mlws.body.incomplete";

  /** How long a request may take to send its body, from its headers. */
  public static final long DEADLINE_MILLIS = 30_000;

  private final int maxBytes;

  public BodyFirst(Handler handler, int maxBytes) {
    super(handler);
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long declared = request.getLength();
    boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if (declared <= 0 && !chunked) {
      return passOn(request, response, callback);
    }
    if (declared > maxBytes) {
      // Refused from its declared length alone: nothing of the body is read.
      closeAfterAnswer(response);
      request.setAttribute(INCOMPLETE, true);
      return passOn(new Buffered(request, ByteBuffer.allocate(0), null), response, callback);
    }
    new Reading(request, response, callback).next();
    return true;
  }

  private boolean passOn(Request request, Response response, Callback callback) {
    try {
      return super.handle(request, response, callback);
    } catch (Exception e) {
      callback.failed(e);
      return true;
    }
  }

  private static void closeAfterAnswer(Response response) {
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
  }

  /** One body being read, chunk by chunk as Jetty has them, until it ends, overflows or fails. */
  private final class Reading {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Scheduler.Task deadline;
    private final Context telemetry = Context.current();

    Reading(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.deadline =
          request
              .getComponents()
              .getScheduler()
              .schedule(
                  () ->
                      finish(
                          new IOException(
                              "the body did not arrive within " + DEADLINE_MILLIS / 1000 + " s")),
                  DEADLINE_MILLIS,
                  TimeUnit.MILLISECONDS);
    }

    void next() {
      while (!done.get()) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this::next);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          finish(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        int take = Math.min(bytes.remaining(), maxBytes + 1 - body.size());
        byte[] copy = new byte[take];
        bytes.get(copy);
        body.write(copy, 0, take);
        boolean last = chunk.isLast();
        chunk.release();
        if (last || body.size() > maxBytes) {
          finish(null);
          return;
        }
      }
    }

    /** Hands the request on, with what arrived of its body and, if it failed, why. */
    private void finish(Throwable failure) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      deadline.cancel();
      if (failure != null || body.size() > maxBytes) {
        closeAfterAnswer(response);
        request.setAttribute(INCOMPLETE, true);
      }
      try (Scope scope = telemetry.makeCurrent()) {
        passOn(
            new Buffered(request, ByteBuffer.wrap(body.toByteArray()), failure),
            response,
            callback);
      }
    }
  }

  /** The request with its body already read: one chunk, then the end (or the failure). */
  private static final class Buffered extends Request.Wrapper {
    private ByteBuffer body;
    private final Throwable failure;

    Buffered(Request request, ByteBuffer body, Throwable failure) {
      super(request);
      this.body = body;
      this.failure = failure;
    }

    @Override
    public Content.Chunk read() {
      if (body != null && body.hasRemaining()) {
        ByteBuffer all = body;
        body = null;
        return Content.Chunk.from(all, failure == null);
      }
      body = null;
      return failure == null ? Content.Chunk.EOF : Content.Chunk.from(failure, true);
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }

    @Override
    public boolean consumeAvailable() {
      body = null;
      return true;
    }
  }
}
