package io.mlws.scorer.model.entra;

/**
 * An Entra ID access token for Azure Storage, with what its claims say about it (audience, expiry)
 * for error messages; toString never shows the token.
 */
public record StorageToken(String value, TokenClaims claims) {
  /** The Storage REST version sent with a bearer token, which Storage requires (2017-11-09 on). */
  public static final String STORAGE_VERSION = "2024-11-04";

  public String authorization() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "a token " + claims.describe();
  }
}
