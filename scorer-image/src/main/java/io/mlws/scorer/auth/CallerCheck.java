package io.mlws.scorer.auth;

import io.mlws.scorer.http.Routes;
import io.mlws.scorer.metrics.ScorerMetrics;
import io.mlws.scorer.telemetry.RequestNaming;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets through only calls that present what the {@link CallerGate} asks for (a key or an Entra ID
 * token, as {@code Authorization: Bearer ...}, as Azure ML's clients send them); health paths stay
 * open for probes and load balancers. A refusal is a 401 with the scorer's JSON error, answered
 * before the call takes a scoring slot or has its body read, so a flood of bad credentials does not
 * queue ahead of good calls; it closes the connection, as the body is left unread, which makes a
 * refusal cost more CPU than a scored call (bench/README.md, "Scorer: key check").
 */
public final class CallerCheck extends Handler.Wrapper {
  static final Set<String> OPEN_PATHS =
      Set.of("/healthz", "/ready", "/v2/health/live", "/v2/health/ready");

  private final CallerGate gate;
  private final byte[] refusal;

  public CallerCheck(CallerGate gate, Handler handler) {
    super(handler);
    this.gate = gate;
    this.refusal = refusalBody(gate.requirement());
  }

  private static byte[] refusalBody(String requirement) {
    return ("{\"error\":\"" + requirement + "\",\"code\":\"Unauthorized\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (OPEN_PATHS.contains(path)
        || gate.refusal(request.getHeaders().get(HttpHeader.AUTHORIZATION)).isEmpty()) {
      return super.handle(request, response, callback);
    }
    // A refusal is the route's failed request in telemetry and metrics ("POST /score", 401).
    String route = Routes.template(path);
    RequestNaming.name(Routes.requestName(request.getMethod(), route));
    request.setAttribute(ScorerMetrics.ROUTE, route);
    refuse(response, callback);
    return true;
  }

  private void refuse(Response response, Callback callback) {
    response.setStatus(401);
    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    // The body is left unread: the connection closes after the answer. Reading a small body away
    // to keep the connection would make a refusal cheaper (bench/README.md, "Scorer: key check").
    response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(refusal), callback);
  }
}
