package io.mlws.scorer.harness;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A local Microsoft Entra ID tenant for scoring tokens, over HTTPS (fabric8's mock web server and
 * its own certificate): its OpenID configuration and its key set at Entra ID's paths, and access
 * tokens signed with its current key. {@link #rotate()} replaces the key, as Entra ID rolls its
 * signing keys: the old one is no longer published.
 */
public final class TokenAuthority implements AutoCloseable {
  public static final String TENANT = "3c1d7a9e-0000-4000-8000-0000000000ee";
  public static final String AUDIENCE = "api://mlws-iris";
  public static final String CLIENT = "0a6b2c4d-0000-4000-8000-00000000c11e";

  private final MockWebServer server = new MockWebServer();
  private volatile RSAKey signing = newKey();
  public final AtomicInteger configurationReads = new AtomicInteger();
  public final AtomicInteger keySetReads = new AtomicInteger();

  public TokenAuthority() {
    server.useHttps();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return answer(request.getPath());
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  /** What MLWS_TOKEN_AUTHORITY names: the host its certificate is for. */
  public String authorityHost() {
    return "https://localhost:" + server.getPort() + "/";
  }

  public String issuer() {
    return authorityHost() + TENANT + "/v2.0";
  }

  public int port() {
    return server.getPort();
  }

  public Path certificate() {
    return Path.of(server.getSelfSignedCertificate().certificatePath());
  }

  /** A new signing key; the old one leaves the published key set. */
  public void rotate() {
    signing = newKey();
  }

  /** A valid token from {@link #CLIENT} for {@link #AUDIENCE} with the role "Score". */
  public String token() {
    return token(claims -> claims);
  }

  /** A token whose claims {@code change} alters, signed with the current key. */
  public String token(UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(signing, change.apply(validClaims()).build());
  }

  /** A valid token signed by a key the tenant never published, under a key id of its own. */
  public String tokenFromAnotherKey() {
    return sign(newKey(), validClaims().build());
  }

  /** A valid token's claims, signed with the tenant's key id but another key. */
  public String tokenWithABadSignature() {
    RSAKey other = newKey();
    RSAKey impostor = new RSAKey.Builder(other).keyID(signing.getKeyID()).build();
    return sign(impostor, validClaims().build());
  }

  /** A valid token's claims with "alg": "none" and no signature. */
  public String unsignedToken() {
    return new PlainJWT(validClaims().build()).serialize();
  }

  private JWTClaimsSet.Builder validClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .audience(AUDIENCE)
        .issueTime(Date.from(now.minusSeconds(5)))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("azp", CLIENT)
        .claim("tid", TENANT)
        .claim("roles", List.of("Score"));
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .type(JOSEObjectType.JWT)
                  .keyID(key.getKeyID())
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private MockResponse answer(String path) {
    if (("/" + TENANT + "/v2.0/.well-known/openid-configuration").equals(path)) {
      configurationReads.incrementAndGet();
      return json(
          "{\"issuer\":\""
              + issuer()
              + "\",\"jwks_uri\":\""
              + authorityHost()
              + TENANT
              + "/discovery/v2.0/keys\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    }
    if (("/" + TENANT + "/discovery/v2.0/keys").equals(path)) {
      keySetReads.incrementAndGet();
      return json(new JWKSet(signing.toPublicJWK()).toString());
    }
    return new MockResponse().setResponseCode(404);
  }

  private static MockResponse json(String body) {
    return new MockResponse()
        .setResponseCode(200)
        .addHeader("Content-Type: application/json")
        .setBody(body);
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
