package io.mlws.scorer;

import io.mlws.scorer.auth.EntraIdCallers;
import io.mlws.scorer.environment.EnvironmentValue;
import io.mlws.scorer.model.DownloadCredential;
import io.mlws.scorer.model.DownloadLimits;
import io.mlws.scorer.model.ModelKindDecision;
import io.mlws.scorer.model.entra.WorkloadIdentity;
import io.mlws.scorer.storage.StorageDestination;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The scorer's start-up settings, read once from the environment (the operator sets them, a person
 * can too). What may change at run time lives in the settings file instead.
 */
public record ScorerConfig(
    String modelUri,
    Optional<String> modelSha256,
    DownloadCredential modelCredential,
    DownloadLimits download,
    Path modelDir,
    int port,
    int probePort,
    RequestLimits limits,
    Optional<Path> settingsFile,
    String modelName,
    String modelVersion,
    String serviceName,
    String namespace,
    String podName,
    boolean dataCollectionEnabled,
    double dataCollectionSamplingPercentage,
    int maxPayloadChars,
    List<String> redactFields,
    int maxRequestBytes,
    int maxRows,
    Duration scoringTimeout,
    int shutdownTimeoutSeconds,
    Optional<String> modelKind,
    int settingsPollMillis,
    Optional<Double> requestSamplingPercentage,
    Optional<Path> keysDir,
    Optional<EntraIdCallers> entraIdCallers,
    Optional<StorageDestination> collectStorage,
    Optional<String> versionName) {

  public ScorerConfig {
    if (keysDir.isPresent() && entraIdCallers.isPresent()) {
      throw new IllegalArgumentException(
          "MLWS_KEYS_DIR and MLWS_TOKEN_TENANT_ID are exclusive: callers present keys or Entra ID"
              + " tokens");
    }
  }

  public static ScorerConfig fromEnvironment(Map<String, String> env) {
    String uri = value(env, "MLWS_MODEL_URI");
    if (uri == null) {
      throw new IllegalArgumentException(
          "MLWS_MODEL_URI is required: a file path, file:///path or http(s):// URL of an ONNX model");
    }
    String fileName = uri.replaceAll("[?#].*$", "").replaceAll("^.*/", "");
    String defaultName =
        fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    String modelName =
        orDefault(env, "MLWS_MODEL_NAME", defaultName.isEmpty() ? "model" : defaultName);
    return new ScorerConfig(
        uri,
        Optional.ofNullable(value(env, "MLWS_MODEL_SHA256")).map(String::toLowerCase),
        modelCredential(env),
        new DownloadLimits(
            Duration.ofSeconds(
                integer(
                    env,
                    "MLWS_MODEL_DOWNLOAD_TIMEOUT_SECONDS",
                    (int) DownloadLimits.DEFAULT_BUDGET.toSeconds(),
                    1,
                    86_400)),
            optionalBytes(env, "MLWS_MODEL_MAX_BYTES")),
        Path.of(
            orDefault(
                env, "MLWS_MODEL_DIR", System.getProperty("java.io.tmpdir") + "/mlws-models")),
        integer(env, "MLWS_PORT", 8080, 0, 65535),
        integer(env, "MLWS_PROBE_PORT", 8081, 0, 65535),
        new RequestLimits(
            integer(
                env,
                "MLWS_MAX_CONCURRENT_REQUESTS",
                RequestLimits.concurrentFor(Runtime.getRuntime().availableProcessors()),
                1,
                10_000),
            integer(env, "MLWS_MAX_QUEUED_REQUESTS", RequestLimits.DEFAULT_QUEUED, 0, 100_000),
            integer(
                env,
                "MLWS_MAX_QUEUE_WAIT_MILLIS",
                RequestLimits.DEFAULT_QUEUE_WAIT_MILLIS,
                1,
                600_000)),
        Optional.ofNullable(value(env, "MLWS_CONFIG")).map(Path::of),
        modelName,
        orDefault(env, "MLWS_MODEL_VERSION", "1"),
        orDefault(env, "MLWS_SERVICE_NAME", modelName),
        orDefault(env, "MLWS_NAMESPACE", "local"),
        orDefault(env, "MLWS_POD_NAME", hostname()),
        bool(env, "MLWS_DATA_COLLECTION_ENABLED", false),
        percentage(env, "MLWS_DATA_COLLECTION_SAMPLING_PERCENTAGE", 100.0),
        integer(env, "MLWS_DATA_COLLECTION_MAX_PAYLOAD_CHARS", 8192, 16, 8192),
        Arrays.stream(orDefault(env, "MLWS_DATA_COLLECTION_REDACT_FIELDS", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList(),
        integer(env, "MLWS_MAX_REQUEST_BYTES", 1 << 20, 1024, 64 << 20),
        integer(env, "MLWS_MAX_ROWS", 10_000, 1, 1_000_000),
        // Azure ML v1's scoring_timeout_ms and its default.
        Duration.ofMillis(integer(env, "MLWS_SCORING_TIMEOUT_MILLIS", 60_000, 1, 3_600_000)),
        integer(env, "MLWS_SHUTDOWN_TIMEOUT_SECONDS", 20, 0, 600),
        Optional.ofNullable(oneOf(env, "MLWS_MODEL_KIND", ModelKindDecision.KINDS)),
        integer(env, "MLWS_SETTINGS_POLL_MILLIS", 1000, 10, 600_000),
        // The agent's own variable: unset, the agent samples at a rate limit of its own.
        value(env, "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE") == null
            ? Optional.empty()
            : Optional.of(percentage(env, "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", 100.0)),
        Optional.ofNullable(value(env, "MLWS_KEYS_DIR")).map(Path::of),
        EntraIdCallers.fromEnvironment(env),
        StorageDestination.fromEnvironment(env),
        // Set by the operator on the pods of spec.versions; spec.model's pods serve "default".
        Optional.ofNullable(value(env, "MLWS_VERSION_NAME")));
  }

  private static DownloadCredential modelCredential(Map<String, String> env) {
    if (bool(env, "MLWS_MODEL_WORKLOAD_IDENTITY", false)) {
      return DownloadCredential.of(WorkloadIdentity.fromEnvironment(env));
    }
    return new DownloadCredential(
        Optional.ofNullable(value(env, "MLWS_MODEL_AUTHORIZATION")),
        Optional.ofNullable(value(env, "MLWS_MODEL_SAS_TOKEN")));
  }

  private static String oneOf(Map<String, String> env, String name, List<String> allowed) {
    String value = value(env, name);
    if (value != null && !allowed.contains(value.toLowerCase())) {
      throw new IllegalArgumentException(
          name + " must be one of " + String.join(", ", allowed) + ", got: " + value);
    }
    return value == null ? null : value.toLowerCase();
  }

  private static String value(Map<String, String> env, String name) {
    return EnvironmentValue.of(env, name);
  }

  private static String orDefault(Map<String, String> env, String name, String fallback) {
    String value = value(env, name);
    return value == null ? fallback : value;
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    String value = value(env, name);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got: " + value);
    };
  }

  private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
    String value = value(env, name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "%s must be an integer from %d to %d, got: %s".formatted(name, min, max, value));
    }
  }

  private static OptionalLong optionalBytes(Map<String, String> env, String name) {
    String value = value(env, name);
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 1) {
        throw new NumberFormatException();
      }
      return OptionalLong.of(parsed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a positive number of bytes, got: " + value);
    }
  }

  private static double percentage(Map<String, String> env, String name, double fallback) {
    String value = value(env, name);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (!(parsed >= 0 && parsed <= 100)) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number from 0 to 100, got: " + value);
    }
  }

  private static String hostname() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
