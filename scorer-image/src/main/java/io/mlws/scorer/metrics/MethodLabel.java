package io.mlws.scorer.metrics;

import java.util.Set;

/**
 * An HTTP method as a metric label or in a telemetry name: the standard methods as they are, any
 * other token {@code _OTHER} (as OpenTelemetry's HTTP conventions say). Jetty accepts any method
 * token, before any key check; without this each made-up method would add a timer and its buckets
 * to /metrics, and a name to telemetry, at a caller's will.
 */
public final class MethodLabel {
  static final String OTHER = "_OTHER";
  private static final Set<String> STANDARD =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private MethodLabel() {}

  public static String of(String method) {
    return method != null && STANDARD.contains(method) ? method : OTHER;
  }
}
