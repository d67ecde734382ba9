package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mlws.scorer.harness.ScorerProcess;
import io.mlws.scorer.harness.TestTls;
import io.mlws.scorer.harness.TokenAuthority;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec.auth.mode EntraId on the packaged scorer, against a local tenant over HTTPS that serves its
 * OpenID configuration and key set: a valid token is scored; each kind of bad token is a 401 whose
 * reason is in the scorer's log, and no token is; the tenant's key rotation is followed without a
 * restart; the configuration and key set are read once, not per call.
 */
class EntraIdScoringIT {
  static final String VALID = "{\"data\": [[5.1, 3.5, 1.4, 0.2]]}";

  @TempDir Path work;

  @Test
  void onlyAValidTokenOfTheTenantScores() throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(work.resolve("tls")));
    try (TokenAuthority tenant = new TokenAuthority()) {
      tls.trust("tenant-" + tenant.port(), tenant.certificate());
      try (ScorerProcess scorer = scorer(tenant, tls)) {
        scorer.awaitReady();
        String valid = tenant.token();
        await("the tenant's configuration read")
            .atMost(Duration.ofMinutes(1))
            .until(() -> score(scorer, valid).statusCode() == 200);
        for (int i = 0; i < 20; i++) {
          assertThat(score(scorer, valid).statusCode()).isEqualTo(200);
        }

        Instant past = Instant.now().minus(Duration.ofHours(2));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("wrong audience", tenant.token(c -> c.audience("api://another-service")));
        refused.put("wrong issuer", tenant.token(c -> c.issuer("https://sts.windows.net/other/")));
        refused.put(
            "expired",
            tenant.token(
                c ->
                    c.issueTime(Date.from(past))
                        .notBeforeTime(Date.from(past))
                        .expirationTime(Date.from(past.plus(Duration.ofHours(1))))));
        refused.put("bad signature", tenant.tokenWithABadSignature());
        refused.put("alg none", tenant.unsignedToken());
        refused.put("unknown key", tenant.tokenFromAnotherKey());
        refused.put("client not allowed", tenant.token(c -> c.claim("azp", "someone-else")));
        refused.put("no allowed role", tenant.token(c -> c.claim("roles", List.of("Read"))));
        refused.put("not a JWT", "abc.def");
        List<String> answers = new ArrayList<>();
        for (var entry : refused.entrySet()) {
          HttpResponse<String> answer = score(scorer, entry.getValue());
          answers.add(entry.getKey() + " " + answer.statusCode());
          assertThat(answer.statusCode()).as(entry.getKey()).isEqualTo(401);
          assertThat(answer.body()).contains("Entra ID token");
        }
        assertThat(scorer.score(VALID, null, null).statusCode()).as("no token").isEqualTo(401);
        System.out.println("EntraIdScoringIT: " + answers);

        String log = Files.readString(scorer.log);
        assertThat(log)
            .contains("call refused: claims: JWT aud claim rejected")
            .contains("call refused: claims: issuer https://sts.windows.net/other/")
            .contains("call refused: claims: Expired JWT")
            .contains("call refused: client application someone-else is not allowed")
            .contains("call refused: none of the allowed roles [Score]")
            .contains("call refused: no bearer token");
        assertThat(log.lines().filter(l -> l.contains("call refused: signature")).count())
            .as(
                "bad signature and alg none (an unknown key may wait for the key set): log:\n%s",
                log)
            .isGreaterThanOrEqualTo(2);
        for (String token : refused.values()) {
          assertThat(log).doesNotContain(token);
        }
        assertThat(log).doesNotContain(valid);

        tenant.rotate();
        String afterRotation = tenant.token();
        await("the rotated key is fetched")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> score(scorer, afterRotation).statusCode() == 200);
        assertThat(score(scorer, valid).statusCode())
            .as("a token signed by the retired key")
            .isEqualTo(401);
        assertThat(tenant.configurationReads.get())
            .as("the OpenID configuration, read once")
            .isEqualTo(1);
        assertThat(tenant.keySetReads.get())
            .as("the key set: at start, for the unknown key, after the rotation; not per call")
            .isBetween(2, 4);
        assertThat(scorer.process.isAlive()).isTrue();
      }
    }
  }

  private static HttpResponse<String> score(ScorerProcess scorer, String token) throws Exception {
    return scorer.score(VALID, null, "Bearer " + token);
  }

  private ScorerProcess scorer(TokenAuthority tenant, TestTls tls) throws Exception {
    return ScorerProcess.start(
        work,
        null,
        Map.of(
            "MLWS_MODEL_URI",
            ScorerTelemetryIT.MODEL.toString(),
            "MLWS_TOKEN_TENANT_ID",
            TokenAuthority.TENANT,
            "MLWS_TOKEN_AUDIENCE",
            TokenAuthority.AUDIENCE,
            "MLWS_TOKEN_AUTHORITY",
            tenant.authorityHost(),
            "MLWS_TOKEN_ALLOWED_CLIENTS",
            TokenAuthority.CLIENT + ",another-client",
            "MLWS_TOKEN_ALLOWED_ROLES",
            "Score"),
        tls.trustingJvmOptions());
  }
}
