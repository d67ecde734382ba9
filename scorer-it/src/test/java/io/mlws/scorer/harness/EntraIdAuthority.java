package io.mlws.scorer.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.mlws.scorer.model.entra.TokenClaims;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local Entra ID token endpoint over HTTPS (fabric8's mock web server and its own certificate):
 * it exchanges a federated token (the projected service-account token workload identity presents as
 * a client assertion) for an access token, as login.microsoftonline.com does, refusing an assertion
 * for another audience or past its expiry with Entra ID's own error codes.
 */
public final class EntraIdAuthority implements AutoCloseable {
  public static final String TENANT = "72f988bf-0000-4000-8000-0000000000aa";
  public static final String EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockWebServer server = new MockWebServer();
  private final String issuedAudience;
  public final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  public final List<String> otherRequests = new CopyOnWriteArrayList<>();

  /** Issues access tokens for {@code issuedAudience} (Storage's is https://storage.azure.com). */
  public EntraIdAuthority(String issuedAudience) {
    this.issuedAudience = issuedAudience;
    server.useHttps();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request);
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** What AZURE_AUTHORITY_HOST names: the host its certificate is for. */
  public String authorityHost() {
    return "https://localhost:" + server.getPort() + "/";
  }

  public int port() {
    return server.getPort();
  }

  public Path certificate() {
    return Path.of(server.getSelfSignedCertificate().certificatePath());
  }

  private MockResponse answer(RecordedRequest request) {
    if (!("POST".equals(request.getMethod())
        && ("/" + TENANT + "/oauth2/v2.0/token").equals(request.getPath()))) {
      otherRequests.add(request.getMethod() + " " + request.getPath());
      return new MockResponse().setResponseCode(404);
    }
    Map<String, String> form = form(request.getBody().readUtf8());
    tokenRequests.add(form);
    TokenClaims assertion = TokenClaims.of(form.getOrDefault("client_assertion", ""));
    if (!assertion.audience().orElse("").equals(EXCHANGE_AUDIENCE)) {
      return refusal(
          700212,
          "AADSTS700212: No matching federated identity record found for presented assertion"
              + " audience '"
              + assertion.audience().orElse("")
              + "'.");
    }
    if (assertion.expires().map(at -> at.isBefore(Instant.now())).orElse(true)) {
      return refusal(
          700024,
          "AADSTS700024: Client assertion is not within its valid time range. Current time: "
              + Instant.now()
              + ", assertion valid to: "
              + assertion.expires().map(Instant::toString).orElse("(none)")
              + ".");
    }
    long now = Instant.now().getEpochSecond();
    String accessToken =
        jwt(
            Map.of(
                "aud",
                issuedAudience,
                "iss",
                "https://sts.windows.net/" + TENANT + "/",
                "iat",
                now - 5,
                "nbf",
                now - 5,
                "exp",
                now + 3600,
                "appid",
                form.getOrDefault("client_id", ""),
                "tid",
                TENANT));
    return new MockResponse()
        .setResponseCode(200)
        .addHeader("Content-Type: application/json")
        .setBody(
            "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                + "\"access_token\":\""
                + accessToken
                + "\"}");
  }

  private static MockResponse refusal(int code, String description) {
    return new MockResponse()
        .setResponseCode(400)
        .addHeader("Content-Type: application/json")
        .setBody(
            "{\"error\":\"invalid_client\",\"error_description\":\""
                + description
                + "\",\"error_codes\":["
                + code
                + "]}");
  }

  /**
   * An unsigned-looking JWT with these claims (Azurite's basic OAuth does not check signatures).
   */
  public static String jwt(Map<String, Object> claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    try {
      return base64.encodeToString(
              "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
          + "."
          + base64.encodeToString(JSON.writeValueAsBytes(new LinkedHashMap<>(claims)))
          + "."
          + base64.encodeToString("not-a-signature".getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A projected service-account token as the kubelet writes it for the webhook's volume. */
  public static String federatedToken(String audience, Instant expires) {
    long now = Instant.now().getEpochSecond();
    return jwt(
        Map.of(
            "aud",
            List.of(audience),
            "iss",
            "https://oidc.local-cluster.test/",
            "sub",
            "system:serviceaccount:models:iris-reader",
            "iat",
            now - 60,
            "nbf",
            now - 60,
            "exp",
            expires.getEpochSecond()));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
