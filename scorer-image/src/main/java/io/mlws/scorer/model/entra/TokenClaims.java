package io.mlws.scorer.model.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The audience (or audiences, joined) and expiry a JWT claims, read without checking its signature
 * (its receiver does that): enough to say in an error which token was refused. Never the token
 * itself.
 */
public record TokenClaims(Optional<String> audience, Optional<Instant> expires) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static TokenClaims of(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) {
      return new TokenClaims(Optional.empty(), Optional.empty());
    }
    try {
      JsonNode claims =
          JSON.readTree(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      JsonNode aud = claims.path("aud");
      JsonNode exp = claims.path("exp");
      List<String> audiences = new ArrayList<>();
      if (aud.isArray()) {
        aud.forEach(a -> audiences.add(a.asText()));
      } else if (aud.isTextual()) {
        audiences.add(aud.asText());
      }
      return new TokenClaims(
          audiences.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", audiences)),
          exp.canConvertToLong()
              ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
              : Optional.empty());
    } catch (Exception e) {
      return new TokenClaims(Optional.empty(), Optional.empty());
    }
  }

  /** e.g. "for audience https://storage.azure.com, expired at 2026-11-29T01:00:00Z". */
  public String describe() {
    String forWhom = "for audience " + audience.orElse("(none)");
    return expires
        .map(at -> forWhom + (at.isBefore(Instant.now()) ? ", expired at " : ", valid until ") + at)
        .orElse(forWhom + ", without an expiry");
  }
}
