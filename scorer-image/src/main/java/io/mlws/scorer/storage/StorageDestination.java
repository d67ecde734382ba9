package io.mlws.scorer.storage;

import io.mlws.scorer.environment.EnvironmentValue;
import io.mlws.scorer.model.entra.WorkloadIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where collected data is written (spec.dataCollection.storage), read once from the environment the
 * operator sets: the container, its credential (a SAS, or the pod's workload identity), and the
 * volume that holds records until they are written.
 */
public record StorageDestination(
    String containerUrl,
    Optional<String> sasToken,
    Optional<WorkloadIdentity> workloadIdentity,
    Path bufferDir,
    long bufferBytes,
    Duration flushInterval) {
  static final String URL = "MLWS_COLLECT_STORAGE_URL";
  static final String SAS_TOKEN = "MLWS_COLLECT_STORAGE_SAS_TOKEN";
  static final String WORKLOAD_IDENTITY = "MLWS_COLLECT_STORAGE_WORKLOAD_IDENTITY";
  static final String BUFFER_DIR = "MLWS_COLLECT_BUFFER_DIR";
  static final String BUFFER_BYTES = "MLWS_COLLECT_BUFFER_BYTES";
  static final String FLUSH_SECONDS = "MLWS_COLLECT_FLUSH_SECONDS";

  /** Outside a pod (no volume named): a quarter of a GiB in the temporary directory. */
  static final long DEFAULT_BUFFER_BYTES = 256L << 20;

  /** How long records wait on the volume before they are written: the latency to storage. */
  static final int DEFAULT_FLUSH_SECONDS = 10;

  /** Empty when no container is named; a half-configured destination is an error naming why. */
  public static Optional<StorageDestination> fromEnvironment(Map<String, String> env) {
    String url = value(env, URL);
    if (url == null) {
      return Optional.empty();
    }
    if (!url.startsWith("https://") || url.contains("?")) {
      throw new IllegalArgumentException(
          URL
              + " must be a container's https:// URL without a query (a SAS goes in "
              + SAS_TOKEN
              + "), got: "
              + url.replaceAll("\\?.*$", "?…"));
    }
    String sas = value(env, SAS_TOKEN);
    boolean workloadIdentity = "true".equalsIgnoreCase(value(env, WORKLOAD_IDENTITY));
    if ((sas == null) == !workloadIdentity) {
      throw new IllegalArgumentException(
          URL
              + " needs exactly one credential: "
              + SAS_TOKEN
              + " or "
              + WORKLOAD_IDENTITY
              + "=true");
    }
    return Optional.of(
        new StorageDestination(
            url.replaceAll("/+$", ""),
            Optional.ofNullable(sas).map(s -> s.startsWith("?") ? s.substring(1) : s),
            workloadIdentity
                ? Optional.of(
                    WorkloadIdentity.fromEnvironment(
                        env, "spec.dataCollection.storage.credential.type"))
                : Optional.empty(),
            Path.of(
                Optional.ofNullable(value(env, BUFFER_DIR))
                    .orElse(System.getProperty("java.io.tmpdir") + "/mlws-collect")),
            number(env, BUFFER_BYTES, DEFAULT_BUFFER_BYTES, 1L << 20, Long.MAX_VALUE),
            Duration.ofSeconds(number(env, FLUSH_SECONDS, DEFAULT_FLUSH_SECONDS, 1, 300))));
  }

  private static String value(Map<String, String> env, String name) {
    return EnvironmentValue.of(env, name);
  }

  private static long number(
      Map<String, String> env, String name, long fallback, long min, long max) {
    String value = value(env, name);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "%s must be a whole number from %d to %d, got: %s".formatted(name, min, max, value));
    }
  }

  @Override
  public String toString() {
    return containerUrl
        + (sasToken.isPresent() ? " (SAS)" : " (" + workloadIdentity.orElseThrow() + ")");
  }
}
