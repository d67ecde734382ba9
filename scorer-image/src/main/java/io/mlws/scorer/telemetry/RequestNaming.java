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

  /** Records the model version this pod serves as the request's "Version" custom dimension. */
  public static void version(String version) {
    attribute("Version", version);
  }

  /** Records the model version a call was sent on to as its "Routed To" custom dimension. */
  public static void routedTo(String version) {
    attribute("Routed To", version);
  }

  /** On a mirrored call, the version that answered the caller, as "Mirror Of". */
  public static void mirrorOf(String version) {
    attribute("Mirror Of", version);
  }

  /** On a mirrored call, whether its prediction agreed with the caller's, as "Agreement". */
  public static void agreement(String agreement) {
    attribute("Agreement", agreement);
  }

  private static void attribute(String name, String value) {
    try {
      Span.current().setAttribute(name, value);
    } catch (Throwable ignored) {
      // Telemetry must never affect the response.
    }
  }
}
