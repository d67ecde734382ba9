package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * spec.auth.entraId: callers present a Microsoft Entra ID access token of one tenant, for one
 * audience, optionally only from listed client applications or with listed app roles.
 */
public class EntraIdCallersSpec {
  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$")
  @JsonPropertyDescription(
      "The tenant whose tokens are accepted: its id (a GUID) or a verified domain. Its signing keys"
          + " come from its OpenID configuration, read once by each pod and refreshed when a token"
          + " names a key the pod does not hold.")
  private String tenantId;

  @Required
  @Size(min = 1, max = 256)
  @JsonPropertyDescription(
      "The audience (aud) tokens must be issued for: the application ID URI of the API's app"
          + " registration (api://...) or its client id, as the caller asked for it (az account"
          + " get-access-token --resource <audience>).")
  private String audience;

  @Size(max = 64)
  @JsonPropertyDescription(
      "When set, only tokens of these client applications (their client ids: azp in v2.0 tokens,"
          + " appid in v1 tokens) are accepted.")
  private List<@Size(min = 1, max = 256) @Pattern("^[^,]+$") String> allowedClientApplications;

  @Size(max = 64)
  @JsonPropertyDescription(
      "When set, only tokens holding at least one of these app roles (the roles claim) are"
          + " accepted.")
  private List<@Size(min = 1, max = 256) @Pattern("^[^,]+$") String> allowedRoles;

  @Default(SpecDefaults.ENTRA_ID_AUTHORITY_HOST)
  @Pattern("^https://[^?#]+$")
  @Size(max = 256)
  @JsonPropertyDescription(
      "Where the tenant's OpenID configuration is ({authorityHost}{tenantId}/v2.0/.well-known/"
          + "openid-configuration): Entra ID's global cloud by default, another for a sovereign"
          + " cloud. https:// only.")
  private String authorityHost;

  public String getTenantId() {
    return tenantId;
  }

  public void setTenantId(String tenantId) {
    this.tenantId = tenantId;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  public List<String> getAllowedClientApplications() {
    return allowedClientApplications;
  }

  public void setAllowedClientApplications(List<String> allowedClientApplications) {
    this.allowedClientApplications = allowedClientApplications;
  }

  public List<String> getAllowedRoles() {
    return allowedRoles;
  }

  public void setAllowedRoles(List<String> allowedRoles) {
    this.allowedRoles = allowedRoles;
  }

  public String getAuthorityHost() {
    return authorityHost;
  }

  public void setAuthorityHost(String authorityHost) {
    this.authorityHost = authorityHost;
  }
}
