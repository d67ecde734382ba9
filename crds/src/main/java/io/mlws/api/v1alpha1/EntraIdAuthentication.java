package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Telemetry sent with a Microsoft Entra ID token, for resources with local authentication off. */
public class EntraIdAuthentication {
  @Size(max = 36)
  @Pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
  @JsonPropertyDescription(
      "Client id of the user-assigned managed identity whose token the agent presents; it needs"
          + " the Monitoring Metrics Publisher role on the Application Insights resource. Unset:"
          + " the node's system-assigned identity, or, in a pod set up for AKS workload identity,"
          + " the identity of its AZURE_CLIENT_ID.")
  private String managedIdentityClientId;

  public String getManagedIdentityClientId() {
    return managedIdentityClientId;
  }

  public void setManagedIdentityClientId(String managedIdentityClientId) {
    this.managedIdentityClientId = managedIdentityClientId;
  }
}
