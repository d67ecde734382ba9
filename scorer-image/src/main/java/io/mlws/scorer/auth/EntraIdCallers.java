package io.mlws.scorer.auth;

import io.mlws.scorer.environment.EnvironmentValue;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may score with a Microsoft Entra ID token (spec.auth.entraId): a token of {@code tenantId}
 * for {@code audience}, from one of {@code allowedClientApplications} and holding one of {@code
 * allowedRoles} when those lists are not empty. The tenant's keys come from the OpenID
 * configuration at {@code authorityHost}.
 */
public record EntraIdCallers(
    String tenantId,
    String audience,
    List<String> allowedClientApplications,
    List<String> allowedRoles,
    URI authorityHost) {
  /** Entra ID's global cloud, as AZURE_AUTHORITY_HOST names it. */
  public static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com/";

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

  public EntraIdCallers {
    if (!TENANT.matcher(tenantId).matches()) {
      throw new IllegalArgumentException(
          "MLWS_TOKEN_TENANT_ID must be a tenant id or domain, got: " + tenantId);
    }
    if (!"https".equals(authorityHost.getScheme()) || authorityHost.getHost() == null) {
      throw new IllegalArgumentException(
          "MLWS_TOKEN_AUTHORITY must be an https:// URL, got: " + authorityHost);
    }
  }

  /** The settings, when MLWS_TOKEN_TENANT_ID is set; MLWS_TOKEN_AUDIENCE is then required. */
  public static Optional<EntraIdCallers> fromEnvironment(Map<String, String> env) {
    String tenant = value(env, "MLWS_TOKEN_TENANT_ID");
    if (tenant == null) {
      return Optional.empty();
    }
    String audience = value(env, "MLWS_TOKEN_AUDIENCE");
    if (audience == null) {
      throw new IllegalArgumentException(
          "MLWS_TOKEN_AUDIENCE is required with MLWS_TOKEN_TENANT_ID: the audience (aud) callers'"
              + " tokens are issued for");
    }
    String authority =
        Optional.ofNullable(value(env, "MLWS_TOKEN_AUTHORITY")).orElse(DEFAULT_AUTHORITY);
    return Optional.of(
        new EntraIdCallers(
            tenant,
            audience,
            list(env, "MLWS_TOKEN_ALLOWED_CLIENTS"),
            list(env, "MLWS_TOKEN_ALLOWED_ROLES"),
            URI.create(authority.endsWith("/") ? authority : authority + "/")));
  }

  /** Where the tenant publishes its OpenID configuration (Entra ID's v2.0 endpoint). */
  public URI openIdConfiguration() {
    return authorityHost.resolve(tenantId + "/v2.0/.well-known/openid-configuration");
  }

  /**
   * The issuers a token of the tenant may name: the OpenID configuration's (v2.0 tokens) and the v1
   * one (tokens of an application that asks for v1 tokens, and of {@code az account
   * get-access-token}).
   */
  public List<String> issuers(String configuredIssuer) {
    return List.of(configuredIssuer, "https://sts.windows.net/" + tenantId + "/");
  }

  private static List<String> list(Map<String, String> env, String name) {
    return Arrays.stream(Optional.ofNullable(value(env, name)).orElse("").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String value(Map<String, String> env, String name) {
    return EnvironmentValue.of(env, name);
  }
}
