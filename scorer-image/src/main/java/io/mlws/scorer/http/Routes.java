package io.mlws.scorer.http;

import io.mlws.scorer.metrics.MethodLabel;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scoring port's route templates, from a request path: what telemetry names a request and
 * metrics count it by, the same whether the scorer answered it or refused it before (a 401).
 */
public final class Routes {
  /** A path with no route. */
  public static final String UNKNOWN = "unknown";

  static final Pattern V2_MODEL =
      Pattern.compile("^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?$");

  private static final Set<String> FIXED =
      Set.of(
          "/healthz",
          "/ready",
          "/swagger.json",
          "/score",
          "/v2",
          "/v2/health/live",
          "/v2/health/ready");

  private Routes() {}

  /** The route template of {@code path}, or {@link #UNKNOWN}. */
  public static String template(String path) {
    if (FIXED.contains(path)) {
      return path;
    }
    Matcher matcher = V2_MODEL.matcher(path);
    return matcher.matches() ? v2Template(matcher) : UNKNOWN;
  }

  /** The template of a path {@link #V2_MODEL} matched. */
  static String v2Template(Matcher matcher) {
    return "/v2/models/{name}"
        + (matcher.group(2) == null ? "" : "/versions/{version}")
        + (matcher.group(3) == null ? "" : matcher.group(3));
  }

  /**
   * The telemetry name of a request: "POST /score", or "GET (unknown route)"; a method that is not
   * a standard one is named {@code _OTHER}, so callers cannot add names at will.
   */
  public static String requestName(String method, String template) {
    return MethodLabel.of(method)
        + (UNKNOWN.equals(template) ? " (unknown route)" : " " + template);
  }
}
