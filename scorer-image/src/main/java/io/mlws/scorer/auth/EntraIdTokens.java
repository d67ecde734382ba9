package io.mlws.scorer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets in callers with a Microsoft Entra ID access token of the tenant: signed (RS256) by one of
 * the keys the tenant publishes, for the audience, from an issuer of the tenant, within its
 * validity (a minute of clock skew), and from an allowed client application and with an allowed app
 * role when those are listed. The checks are Nimbus JOSE + JWT's. The tenant's OpenID configuration
 * is read once at start (again every {@link #RETRY} until it is read); its key set is cached for
 * {@link #KEYS_TTL} and fetched again when a token names a key id it does not hold, at most once
 * every {@link #KEYS_REFETCH}: never per call. Refusals are logged by reason, never with the token.
 */
public final class EntraIdTokens implements CallerGate, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EntraIdTokens.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEARER = "Bearer ";

  static final Duration RETRY = Duration.ofSeconds(15);
  static final Duration KEYS_TTL = Duration.ofHours(1);
  static final Duration KEYS_REFETCH = Duration.ofSeconds(10);
  static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_DOCUMENT_BYTES = 256 * 1024;
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final EntraIdCallers callers;
  private final DefaultResourceRetriever retriever =
      new DefaultResourceRetriever(
          (int) HTTP_TIMEOUT.toMillis(), (int) HTTP_TIMEOUT.toMillis(), MAX_DOCUMENT_BYTES);
  private final AtomicReference<DefaultJWTProcessor<SecurityContext>> processor =
      new AtomicReference<>();
  private final AtomicReference<String> notReady =
      new AtomicReference<>("the tenant's OpenID configuration is not read yet");
  private final RefusalLog refusals = new RefusalLog(LOG);
  private final ScheduledExecutorService reader =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "entra-id-keys");
            thread.setDaemon(true);
            return thread;
          });

  private EntraIdTokens(EntraIdCallers callers) {
    this.callers = callers;
  }

  /** Starts reading the tenant's OpenID configuration; calls are refused until it is read. */
  public static EntraIdTokens start(EntraIdCallers callers) {
    EntraIdTokens tokens = new EntraIdTokens(callers);
    tokens.reader.execute(tokens::readConfiguration);
    return tokens;
  }

  @Override
  public String requirement() {
    return "a valid Microsoft Entra ID token is required: Authorization: Bearer <token>";
  }

  @Override
  public Optional<String> refusal(String authorization) {
    Optional<String> reason = reason(authorization);
    reason.ifPresent(refusals::record);
    return reason;
  }

  private Optional<String> reason(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.of("no bearer token");
    }
    String token = authorization.substring(BEARER.length()).trim();
    if (token.length() > MAX_TOKEN_CHARS) {
      return Optional.of("a token longer than " + MAX_TOKEN_CHARS + " characters");
    }
    DefaultJWTProcessor<SecurityContext> jwt = processor.get();
    if (jwt == null) {
      return Optional.of(notReady.get());
    }
    try {
      return admitted(jwt.process(token, null));
    } catch (ParseException e) {
      return Optional.of("not a JWT");
    } catch (BadJWTException e) {
      return Optional.of("claims: " + e.getMessage());
    } catch (BadJOSEException e) {
      return Optional.of("signature: " + e.getMessage());
    } catch (JOSEException e) {
      return Optional.of("keys: " + e.getMessage());
    }
  }

  /** The checks past the signature, audience and validity: the client application and roles. */
  private Optional<String> admitted(JWTClaimsSet claims) throws ParseException {
    if (!callers.allowedClientApplications().isEmpty()) {
      // v2.0 tokens name the caller's application in azp, v1 tokens in appid.
      String client =
          Optional.ofNullable(claims.getStringClaim("azp")).orElse(claims.getStringClaim("appid"));
      if (client == null || !callers.allowedClientApplications().contains(client)) {
        return Optional.of("client application " + client + " is not allowed");
      }
    }
    if (!callers.allowedRoles().isEmpty()) {
      List<String> roles =
          Optional.ofNullable(claims.getStringListClaim("roles")).orElse(List.of());
      if (roles.stream().noneMatch(callers.allowedRoles()::contains)) {
        return Optional.of("none of the allowed roles " + callers.allowedRoles());
      }
    }
    return Optional.empty();
  }

  private void readConfiguration() {
    URI location = callers.openIdConfiguration();
    try {
      JsonNode configuration =
          JSON.readTree(retriever.retrieveResource(location.toURL()).getContent());
      String issuer = configuration.path("issuer").asText("");
      URI keys = URI.create(configuration.path("jwks_uri").asText(""));
      if (issuer.isEmpty() || !"https".equals(keys.getScheme())) {
        throw new IllegalStateException("no issuer or no https:// jwks_uri in it");
      }
      processor.set(processor(issuer, keys.toURL()));
      LOG.info(
          "Entra ID tokens: issuer {} (or its v1 issuer), audience {}, keys from {}",
          issuer,
          callers.audience(),
          keys);
    } catch (Exception e) {
      String problem =
          "the tenant's OpenID configuration at " + location + " could not be read: " + e;
      if (!problem.equals(notReady.getAndSet(problem))) {
        LOG.warn("Entra ID tokens: {}; every call is refused until it is read", problem);
      }
      reader.schedule(this::readConfiguration, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private DefaultJWTProcessor<SecurityContext> processor(String issuer, URL keys) {
    JWKSource<SecurityContext> keySet =
        JWKSourceBuilder.create(keys, retriever)
            .cache(KEYS_TTL.toMillis(), HTTP_TIMEOUT.toMillis())
            .rateLimited(KEYS_REFETCH.toMillis())
            .refreshAheadCache(false)
            .build();
    DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
    jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keySet));
    Set<String> issuers = Set.copyOf(callers.issuers(issuer));
    jwt.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            Set.of(callers.audience()), null, new HashSet<>(Set.of("iss", "exp", "aud")), null) {
          @Override
          public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            if (!issuers.contains(claims.getIssuer())) {
              throw new BadJWTException("issuer " + claims.getIssuer() + " is not the tenant's");
            }
          }
        });
    return jwt;
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
