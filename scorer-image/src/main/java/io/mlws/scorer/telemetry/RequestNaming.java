package io.mlws.scorer.telemetry;

import io.opentelemetry.api.trace.Span;

/**
 * Gives the current request its route-level name and request id in telemetry ("POST /score", not
 * "POST"): the agent's Jetty span is the current span while the handler runs. Without the agent it
 * does nothing, and it never throws into the request path.
 */
public final class RequestNaming {
  private RequestNaming() {}

  public static void name(String name) {
    try {
      Span.current().updateName(name);
    } catch (Throwable ignored) {
      // Telemetry must never affect the response.
    }
  }

  /** Records the request's x-ms-request-id as the request's "Request Id" custom dimension. */
  public static void requestId(String requestId) {
    try {
      Span.current().setAttribute("Request Id", requestId);
    } catch (Throwable ignored) {
      // Telemetry must never affect the response.
    }
  }
}
