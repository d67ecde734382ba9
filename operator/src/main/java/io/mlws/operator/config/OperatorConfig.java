package io.mlws.operator.config;

import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.operator.policy.TenantPolicy;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator is told by whoever installs it, read once from the environment.
 *
 * @param scorerImage image of scorer pods whose spec.image is unset
 * @param imageUpdatesAtOnce how many running services may move to a new scorerImage at once (0:
 *     none moves until its spec.image says so)
 * @param agentPath where the scorer image carries the Application Insights Java agent
 * @param defaultAppInsightsSecret connection-string Secret used when a spec names none
 * @param watchedNamespaces namespaces to reconcile; empty means all
 * @param leaderElection whether to hold a Lease before reconciling (for replicas > 1)
 * @param leaseName name of that Lease
 * @param leaseNamespace namespace of that Lease; empty means the client's namespace
 * @param healthPort port of /healthz, /readyz and /metrics
 * @param clusterDomain the cluster's DNS domain, for status.url (kubelet's --cluster-domain)
 * @param confirmSettings whether to ask ready scorer pods (on their probe port) which settings file
 *     they apply, for the SettingsApplied condition; off where the operator cannot reach pods
 * @param policy what a spec may choose (images, ServiceAccounts)
 */
public record OperatorConfig(
    String scorerImage,
    int imageUpdatesAtOnce,
    String agentPath,
    Optional<SecretKeyReference> defaultAppInsightsSecret,
    Set<String> watchedNamespaces,
    boolean leaderElection,
    String leaseName,
    Optional<String> leaseNamespace,
    int healthPort,
    String clusterDomain,
    boolean confirmSettings,
    TenantPolicy policy) {

  public static final String DEFAULT_SCORER_IMAGE = "ghcr.io/mlws/scorer:0.1.0";

  /**
   * One service at a time: a new scorer image reaches the next service once the last one's pods are
   * ready, and one whose pods do not start stops it there.
   */
  public static final int DEFAULT_IMAGE_UPDATES_AT_ONCE = 1;

  public static final String DEFAULT_AGENT_PATH = "/opt/mlws/agent/applicationinsights-agent.jar";

  /** Reads MLWS_* variables; fails with a message naming the variable when a value is invalid. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return new OperatorConfig(
        env.getOrDefault("MLWS_SCORER_IMAGE", DEFAULT_SCORER_IMAGE),
        count(env, "MLWS_SCORER_IMAGE_UPDATES_AT_ONCE", DEFAULT_IMAGE_UPDATES_AT_ONCE),
        env.getOrDefault("MLWS_AGENT_PATH", DEFAULT_AGENT_PATH),
        Optional.ofNullable(blankToNull(env.get("MLWS_DEFAULT_APPINSIGHTS_SECRET")))
            .map(OperatorConfig::secretReference),
        Arrays.stream(env.getOrDefault("MLWS_WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        booleanValue(env, "MLWS_LEADER_ELECTION", false),
        env.getOrDefault("MLWS_LEASE_NAME", "mlws-operator-leader"),
        Optional.ofNullable(blankToNull(env.get("MLWS_LEASE_NAMESPACE"))),
        port(env, "MLWS_HEALTH_PORT", 8081),
        domain(env, "MLWS_CLUSTER_DOMAIN", "cluster.local"),
        booleanValue(env, "MLWS_CONFIRM_SETTINGS", true),
        TenantPolicy.fromEnvironment(env));
  }

  /** The configuration of a local run: defaults everywhere, every namespace. */
  public static OperatorConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public OperatorConfig withDefaultAppInsightsSecret(SecretKeyReference secret) {
    return new OperatorConfig(
        scorerImage,
        imageUpdatesAtOnce,
        agentPath,
        Optional.of(secret),
        watchedNamespaces,
        leaderElection,
        leaseName,
        leaseNamespace,
        healthPort,
        clusterDomain,
        confirmSettings,
        policy);
  }

  public OperatorConfig withWatchedNamespaces(Set<String> namespaces) {
    return new OperatorConfig(
        scorerImage,
        imageUpdatesAtOnce,
        agentPath,
        defaultAppInsightsSecret,
        Set.copyOf(namespaces),
        leaderElection,
        leaseName,
        leaseNamespace,
        healthPort,
        clusterDomain,
        confirmSettings,
        policy);
  }

  private static SecretKeyReference secretReference(String value) {
    String[] parts = value.trim().split("/", -1);
    if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
      throw new IllegalArgumentException(
          "MLWS_DEFAULT_APPINSIGHTS_SECRET must be <secret-name> or <secret-name>/<key>, got: "
              + value);
    }
    return new SecretKeyReference(parts[0], parts.length == 2 ? parts[1] : SpecDefaults.SECRET_KEY);
  }

  private static boolean booleanValue(Map<String, String> env, String name, boolean fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    return switch (value.trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false, got: " + value);
    };
  }

  private static int count(Map<String, String> env, String name, int fallback) {
    return integer(env, name, fallback, 0, Integer.MAX_VALUE, "a whole number, 0 or more");
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    return integer(env, name, fallback, 0, 65535, "a port number");
  }

  /** An integer from min to max; otherwise an error that says what the variable must be. */
  private static int integer(
      Map<String, String> env, String name, int fallback, int min, int max, String what) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number < min || number > max) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be " + what + ", got: " + value);
    }
  }

  private static String domain(Map<String, String> env, String name, String fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    String domain = value.trim().toLowerCase();
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (!domain.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        || domain.length() > 253) {
      throw new IllegalArgumentException(
          name + " must be a DNS domain such as cluster.local, got: " + value);
    }
    return domain;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
