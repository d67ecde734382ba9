package io.mlws.scorer.http;

import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Keep-alive connections outlive a pod's removal from the Service: kube-proxy only steers new
 * connections, so clients keep sending on theirs. Once the scorer is told to stop, every answer
 * closes its connection, and the client's next request opens a new one, to a pod that stays.
 */
public final class ConnectionDrain extends Handler.Wrapper {
  private final AtomicBoolean closing = new AtomicBoolean();

  public ConnectionDrain(Handler handler) {
    super(handler);
  }

  /** From now on, every answer says Connection: close. */
  public void beginClosing() {
    closing.set(true);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (closing.get()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    return super.handle(request, response, callback);
  }
}
