package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.mlws.devtools.capture.CaptureServer;
import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telemetry to an Application Insights resource with local authentication disabled, with the real
 * agent: ingestion (the capture server) refuses every batch without the managed identity's bearer
 * token, and a stand-in for the Azure instance metadata service (IMDS, where a managed identity's
 * token comes from on AKS nodes; azure-identity's AZURE_POD_IDENTITY_AUTHORITY_HOST points the
 * agent at it) hands out that token, as IMDS does: only to a request with "Metadata: true".
 */
class EntraIdTelemetryIT {
  static final String CLIENT_ID = "0a1b2c3d-0000-4000-8000-00000000abcd";
  static final String VALID = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";

  @TempDir Path work;
  final String token = "entra-token-" + UUID.randomUUID();
  final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();
  MockWebServer identityEndpoint;

  @BeforeEach
  void startIdentityEndpoint() {
    identityEndpoint = new MockWebServer();
    identityEndpoint.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (!request.getPath().startsWith("/metadata/identity/oauth2/token")) {
              return new MockResponse().setResponseCode(404);
            }
            if (!"true".equals(request.getHeader("Metadata"))) {
              return new MockResponse()
                  .setResponseCode(400)
                  .setBody(
                      "{\"error\":\"invalid_request\",\"error_description\":\"Required metadata"
                          + " header not specified\"}");
            }
            tokenRequests.add(request);
            long expiresOn = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
            return new MockResponse()
                .setResponseCode(200)
                .addHeader("Content-Type: application/json")
                .setBody(
                    ("{\"access_token\":\"%s\",\"expires_in\":\"3600\",\"expires_on\":\"%d\","
                            + "\"resource\":\"https://monitor.azure.com/\",\"token_type\":\"Bearer\"}")
                        .formatted(token, expiresOn));
          }
        });
    identityEndpoint.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopIdentityEndpoint() {
    identityEndpoint.shutdown();
  }

  @Test
  void everyBatchCarriesTheManagedIdentitysToken() throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (CaptureServer capture = CaptureServer.startHttps(0, tls.serverContext())) {
      capture.requireBearer(token);
      try (ScorerProcess scorer =
          scorer(
              capture,
              tls,
              Map.of(
                  "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
                  "Authorization=AAD;ClientId=" + CLIENT_ID,
                  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                  identityEndpoint.url("/").toString()))) {
        scorer.awaitReady();
        ScorerTelemetryIT.scoreAll(scorer, 20);
        try {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> ScorerTelemetryIT.scoreRequests(capture).size() >= 20);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              "20 requests not received with the token ("
                  + capture.refusedTracks()
                  + " batches refused, "
                  + tokenRequests.size()
                  + " tokens handed out); the scorer's warnings and errors:\n"
                  + String.join(
                      "\n",
                      Files.readAllLines(scorer.log).stream()
                          .filter(l -> l.matches(".*( WARN | ERROR |Exception|SSL|ssl).*"))
                          .filter(l -> !l.contains("\"ver\""))
                          .limit(40)
                          .map(l -> l.length() > 600 ? l.substring(0, 600) : l)
                          .toList()),
              e);
        }
        ScorerTelemetryIT.awaitQuiet(capture);
        assertThat(ScorerTelemetryIT.scoreRequests(capture)).hasSize(20);
        assertThat(capture.refusedTracks()).as("batches sent without the token").isZero();
        assertThat(tokenRequests)
            .isNotEmpty()
            .allSatisfy(
                r ->
                    assertThat(r.getPath())
                        .contains("resource=https%3A%2F%2Fmonitor.azure.com")
                        .contains("client_id=" + CLIENT_ID));
        assertThat(Files.readString(scorer.log)).doesNotContain(token);
      }
    }
  }

  /**
   * Without Entra ID the same resource accepts nothing: every batch is refused with a 401 and no
   * token is asked for. The agent says nothing of it for minutes (it keeps refused batches on disk
   * and warns only when a retry from disk fails), so the scorer asks ingestion once at start and
   * says it in one line.
   */
  @Test
  void withoutEntraIdEveryBatchIsRefused() throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (CaptureServer capture = CaptureServer.startHttps(0, tls.serverContext())) {
      capture.requireBearer(token);
      try (ScorerProcess scorer = scorer(capture, tls, Map.of())) {
        scorer.awaitReady();
        for (int batch = 1; batch <= 3; batch++) {
          ScorerTelemetryIT.scoreAll(scorer, 10);
          int atLeast = batch;
          await().atMost(Duration.ofSeconds(60)).until(() -> capture.refusedTracks() >= atLeast);
        }
        assertThat(capture.envelopes()).isEmpty();
        assertThat(tokenRequests).isEmpty();
        // The scorer says so once, whatever the number of batches refused.
        List<String> refusals =
            Files.readAllLines(scorer.log).stream()
                .filter(l -> l.contains("Application Insights refuses this pod's telemetry"))
                .toList();
        assertThat(refusals)
            .singleElement()
            .asString()
            .contains("WARN")
            .contains("HTTP 401: The provided credentials do not grant the access")
            .contains("set spec.appInsights.entraId");
      }
    }
  }

  /** The packaged scorer with the agent, every request sampled, trusting the capture's TLS. */
  private ScorerProcess scorer(CaptureServer capture, TestTls tls, Map<String, String> env)
      throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("MLWS_MODEL_URI", "models/iris.onnx");
    all.put("APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", "100");
    return ScorerProcess.start(work, capture.connectionString(), all, tls.trustingJvmOptions());
  }
}
