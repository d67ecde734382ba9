package io.mlws.operator.spec;

import io.mlws.api.v1alpha1.EntraIdAuthentication;
import java.util.Optional;

/**
 * The agent's APPLICATIONINSIGHTS_AUTHENTICATION_STRING for spec.appInsights.entraId: the agent
 * (3.5.3) then authenticates with azure-identity's ManagedIdentityCredential, for the client id
 * given or, without one, the system-assigned identity (or the workload identity of the pod).
 */
public final class EntraIdIngestion {
  public static final String VARIABLE = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

  private EntraIdIngestion() {}

  public static Optional<String> authenticationString(Optional<EntraIdAuthentication> entraId) {
    return entraId.map(
        e ->
            e.getManagedIdentityClientId() == null
                ? "Authorization=AAD"
                : "Authorization=AAD;ClientId=" + e.getManagedIdentityClientId().toLowerCase());
  }
}
