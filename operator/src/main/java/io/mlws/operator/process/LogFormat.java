package io.mlws.operator.process;

import java.util.Locale;

/**
 * MLWS_LOG_FORMAT, read before logging starts: logback.xml names its appender through the system
 * property set here, so a value in any case works and an unknown one is refused with a message
 * instead of silently logging nothing.
 */
final class LogFormat {
  static final String APPENDER_PROPERTY = "mlws.log.appender";

  private LogFormat() {}

  /** The logback appender for the variable's value: TEXT (the default) or JSON. */
  static String appender(String value) {
    if (value == null || value.isBlank()) {
      return "TEXT";
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> "TEXT";
      case "json" -> "JSON";
      default ->
          throw new IllegalArgumentException("MLWS_LOG_FORMAT must be text or json, got: " + value);
    };
  }
}
