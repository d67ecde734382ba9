package io.mlws.scorer.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Application Insights takes this pod's telemetry, asked once at start: the agent keeps
 * refused batches on disk and says nothing of a refusal for minutes, so a resource with local
 * authentication disabled would silently receive nothing. One trace ("mlws scorer started") is sent
 * to the connection string's ingestion endpoint with its instrumentation key alone; a 401 or 403 is
 * one warning line that names the fix. Not asked when the agent authenticates with Entra ID (it
 * holds the token), and never in the way of scoring: in the background, within a few seconds.
 */
public final class IngestionCheck {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionCheck.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private IngestionCheck() {}

  /** Starts the check in the background when the agent is attached without Entra ID. */
  public static void startInBackground(Map<String, String> env, String podName) {
    Optional<URI> track = trackUri(env);
    if (track.isEmpty()
        || !env.getOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "").isBlank()) {
      return;
    }
    String instrumentationKey =
        part(env.get("APPLICATIONINSIGHTS_CONNECTION_STRING"), "InstrumentationKey").orElse("");
    Thread check =
        new Thread(() -> check(track.get(), instrumentationKey, podName), "ingestion-check");
    check.setDaemon(true);
    check.start();
  }

  static void check(URI track, String instrumentationKey, String podName) {
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(track)
                      .timeout(TIMEOUT)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              startedTrace(instrumentationKey, podName)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String verdict = verdict(response.statusCode(), response.body());
      if (verdict.isEmpty()) {
        LOG.debug(
            "Application Insights accepted this pod's telemetry (HTTP {})", response.statusCode());
      } else {
        LOG.warn(verdict);
      }
    } catch (Exception e) {
      // The agent retries on its own; a network problem is its to report.
      LOG.debug("the ingestion check did not complete: {}", e.toString());
    }
  }

  /** The warning for an answer, or "" when the answer is not a refusal of the key. */
  static String verdict(int status, String body) {
    if (status != 401 && status != 403) {
      return "";
    }
    List<String> messages = new ArrayList<>();
    try {
      for (JsonNode error : JSON.readTree(body).path("errors")) {
        String message = error.path("message").asText("");
        if (!message.isBlank() && !messages.contains(message)) {
          messages.add(message);
        }
      }
    } catch (Exception notJson) {
      // The status says enough.
    }
    return "Application Insights refuses this pod's telemetry (HTTP "
        + status
        + (messages.isEmpty() ? "" : ": " + String.join("; ", messages))
        + "): nothing it sends is kept. A resource with local authentication disabled takes only"
        + " Entra ID-authenticated telemetry: set spec.appInsights.entraId (docs/telemetry.md).";
  }

  /** {IngestionEndpoint}/v2.1/track from the connection string, when there is one. */
  static Optional<URI> trackUri(Map<String, String> env) {
    String connectionString = env.get("APPLICATIONINSIGHTS_CONNECTION_STRING");
    if (connectionString == null || connectionString.isBlank()) {
      return Optional.empty();
    }
    String endpoint =
        part(connectionString, "IngestionEndpoint").orElse("https://dc.services.visualstudio.com/");
    try {
      return Optional.of(
          URI.create(endpoint.endsWith("/") ? endpoint : endpoint + "/").resolve("v2.1/track"));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> part(String connectionString, String name) {
    for (String pair : connectionString.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
        return Optional.of(pair.substring(eq + 1).trim());
      }
    }
    return Optional.empty();
  }

  private static String startedTrace(String instrumentationKey, String podName) {
    Map<String, Object> envelope =
        Map.of(
            "ver",
            1,
            "name",
            "Message",
            "time",
            Instant.now().toString(),
            "iKey",
            instrumentationKey,
            "tags",
            Map.of("ai.cloud.roleInstance", podName),
            "data",
            Map.of(
                "baseType",
                "MessageData",
                "baseData",
                Map.of("ver", 2, "message", "mlws scorer started", "severityLevel", 1)));
    try {
      return JSON.writeValueAsString(List.of(envelope));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
