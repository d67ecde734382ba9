package io.mlws.scorer.protocol;

/**
 * A request the scorer refuses or cannot serve, with the HTTP status and a message that says what
 * is wrong. Bad input is always a 4xx; only the scorer's own failures are 5xx.
 */
public final class ApiError extends Exception {
  private final int status;
  private final String code;
  private final String allow;

  public ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  private ApiError(int status, String code, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.allow = allow;
  }

  public static ApiError methodNotAllowed(String route, String allowed) {
    return new ApiError(405, "MethodNotAllowed", route + " takes " + allowed + " only", allowed);
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** For a 405: the methods the route takes, for the Allow header. */
  public String allow() {
    return allow;
  }
}
