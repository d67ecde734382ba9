package io.mlws.scorer.environment;

import java.util.Map;

/** How the scorer reads one of its environment variables: trimmed, and blank the same as unset. */
public final class EnvironmentValue {
  private EnvironmentValue() {}

  /** The variable's trimmed value, or null when it is unset or blank. */
  public static String of(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
