package io.mlws.scorer.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's QoSHandler refuses excess requests with a bare, empty 503; this gives that refusal the
 * scorer's JSON shape, the reason (at capacity, or stopping) and a Retry-After, and leaves every
 * answer with a body of its own alone. The refusal closes the connection: it is sent before the
 * request's body is read, and Jetty then closes a connection it cannot reuse without saying so, so
 * a keep-alive client would send its next request into a closed socket. Closing also lets the
 * client's next connection reach another pod behind the Service.
 */
public final class BusyAnswer extends Handler.Wrapper {
  static final String BUSY =
      "{\"error\":\"the scorer is at capacity; retry, or add replicas\",\"code\":\"ServerBusy\"}";
  static final String STOPPING =
      "{\"error\":\"this scorer pod is stopping; retry, another pod will answer\","
          + "\"code\":\"ShuttingDown\"}";

  /** Why a 503 that Jetty gave: the server is stopping, or it is at capacity. */
  static String bodyFor(Request request) {
    return request.getConnectionMetaData().getConnector().getServer().isStopping()
        ? STOPPING
        : BUSY;
  }

  public BusyAnswer(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    return super.handle(request, new BodyForBareRefusal(request, response), callback);
  }

  private static final class BodyForBareRefusal extends Response.Wrapper {
    BodyForBareRefusal(Request request, Response wrapped) {
      super(request, wrapped);
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      boolean bare = content == null || !content.hasRemaining();
      if (last
          && bare
          && getStatus() == 503
          && !isCommitted()
          && !getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
        getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        content = ByteBuffer.wrap(bodyFor(getRequest()).getBytes(StandardCharsets.UTF_8));
      }
      super.write(last, content, callback);
    }
  }
}
