package io.mlws.scorer.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty itself gives (a queue wait that ran out, a request refused while stopping, a
 * malformed request line), in the scorer's own JSON shape instead of an HTML page: a 503 says why
 * and when to retry.
 */
public final class JsonErrors implements Request.Handler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code ? code : 500;
    String body;
    if (status == 503) {
      // A queued request that waited its longest, or one refused while stopping.
      body = BusyAnswer.bodyFor(request);
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    } else {
      Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
      ObjectNode error = JSON.createObjectNode();
      error.put("error", message == null ? "HTTP " + status : message.toString());
      error.put("code", "HttpError");
      body = error.toString();
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
