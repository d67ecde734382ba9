package io.mlws.scorer.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlws.scorer.ModelHolder;
import io.mlws.scorer.settings.AppliedSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The kubelet's probes on a port of their own: /healthz (the process answers) and /ready (the model
 * is loaded and the scoring port is not shutting down); /metrics for Prometheus; and /settings,
 * which settings file is in force, for the operator's status. Nothing else is served here.
 *
 * <p>The port answers whoever reaches the pod, so a flood of /metrics or /settings calls must never
 * keep the kubelet's probes from their threads: at most {@link #COSTLY_AT_ONCE} of those are
 * answered at a time, and one beyond gets a quick 503; /healthz and /ready never wait for them.
 */
public final class ProbeHandler extends Handler.Abstract {
  /** /metrics and /settings answered at once, at most: fewer than the port's threads. */
  public static final int COSTLY_AT_ONCE = 2;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final java.util.concurrent.Semaphore costly =
      new java.util.concurrent.Semaphore(COSTLY_AT_ONCE);

  private final ModelHolder model;
  private final BooleanSupplier stopping;
  private final Supplier<String> metrics;
  private final Supplier<AppliedSettings> settings;

  public ProbeHandler(
      ModelHolder model,
      BooleanSupplier stopping,
      Supplier<String> metrics,
      Supplier<AppliedSettings> settings) {
    this.model = model;
    this.stopping = stopping;
    this.metrics = metrics;
    this.settings = settings;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    boolean isCostly = path.equals("/metrics") || path.equals("/settings");
    if (!isCostly) {
      return answer(path, response, callback);
    }
    if (!costly.tryAcquire()) {
      response.setStatus(503);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.write(
          true,
          ByteBuffer.wrap(
              ("{\"error\":\""
                      + path
                      + " is being answered to others; retry\",\"code\":\"ServerBusy\"}")
                  .getBytes(StandardCharsets.UTF_8)),
          callback);
      return true;
    }
    try {
      return answer(path, response, callback);
    } finally {
      costly.release();
    }
  }

  private boolean answer(String path, Response response, Callback callback) {
    int status;
    String body;
    String contentType = "application/json; charset=utf-8";
    switch (path) {
      case "/metrics" -> {
        status = 200;
        body = metrics.get();
        contentType = "text/plain; version=0.0.4; charset=utf-8";
      }
      case "/settings" -> {
        status = 200;
        body = settingsJson(settings.get());
      }
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
        body =
            "{\"error\":\"this port serves /healthz, /ready, /metrics and /settings only\","
                + "\"code\":\"NotFound\"}";
      }
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** {"digest": "sha256:…"} and, when a newer file was refused, "refused": why. */
  static String settingsJson(AppliedSettings applied) {
    ObjectNode node = JSON.createObjectNode().put("digest", applied.digest());
    applied.refused().ifPresent(reason -> node.put("refused", reason));
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
