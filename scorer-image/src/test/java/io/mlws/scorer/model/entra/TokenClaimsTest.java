package io.mlws.scorer.model.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenClaimsTest {
  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @Test
  void saysForWhomAndUntilWhenAToken() {
    assertThat(
            TokenClaims.of(jwt("{\"aud\":\"https://storage.azure.com\",\"exp\":4102444800}"))
                .describe())
        .isEqualTo("for audience https://storage.azure.com, valid until 2100-01-01T00:00:00Z");
    // A projected service-account token names its audiences as a list.
    assertThat(
            TokenClaims.of(jwt("{\"aud\":[\"api://AzureADTokenExchange\"],\"exp\":1}")).describe())
        .isEqualTo(
            "for audience api://AzureADTokenExchange, expired at " + Instant.ofEpochSecond(1));
  }

  @Test
  void somethingThatIsNotAJwtHasNoClaimsAndNoError() {
    assertThat(TokenClaims.of("opaque-token").describe())
        .isEqualTo("for audience (none), without an expiry");
    assertThat(TokenClaims.of("a.%%%.c").describe())
        .isEqualTo("for audience (none), without an expiry");
  }
}
