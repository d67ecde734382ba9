package io.mlws.scorer.http;

import io.mlws.scorer.ModelHolder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The kubelet's probes on a port of their own: /healthz (the process answers) and /ready (the model
 * is loaded and the scoring port is not shutting down). Nothing else is served here.
 */
public final class ProbeHandler extends Handler.Abstract {
  private final ModelHolder model;
  private final BooleanSupplier stopping;

  public ProbeHandler(ModelHolder model, BooleanSupplier stopping) {
    this.model = model;
    this.stopping = stopping;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    int status;
    String body;
    switch (path) {
      case "/healthz" -> {
        status = 200;
        body = "{\"status\":\"alive\"}";
      }
      case "/ready" -> {
        if (stopping.getAsBoolean()) {
          status = 503;
          body = "{\"status\":\"stopping\"}";
        } else if (model.ready()) {
          status = 200;
          body = "{\"status\":\"ready\"}";
        } else {
          status = 503;
          body = "{\"status\":\"loading\",\"error\":\"the model is not loaded yet\"}";
        }
      }
      default -> {
        status = 404;
        body = "{\"error\":\"this port serves /healthz and /ready only\",\"code\":\"NotFound\"}";
      }
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
