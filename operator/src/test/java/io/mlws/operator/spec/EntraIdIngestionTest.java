package io.mlws.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.api.v1alpha1.EntraIdAuthentication;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** spec.appInsights.entraId as the agent reads it: absent, system-assigned, user-assigned. */
class EntraIdIngestionTest {
  @Test
  void noFieldNoVariable() {
    assertThat(EntraIdIngestion.authenticationString(Optional.empty())).isEmpty();
  }

  @Test
  void anEmptyFieldIsTheSystemAssignedIdentity() {
    assertThat(EntraIdIngestion.authenticationString(Optional.of(new EntraIdAuthentication())))
        .contains("Authorization=AAD");
  }

  @Test
  void aClientIdIsTheUserAssignedIdentityInLowerCase() {
    EntraIdAuthentication entraId = new EntraIdAuthentication();
    entraId.setManagedIdentityClientId("0A1B2C3D-0000-4000-8000-00000000ABCD");
    assertThat(EntraIdIngestion.authenticationString(Optional.of(entraId)))
        .contains("Authorization=AAD;ClientId=0a1b2c3d-0000-4000-8000-00000000abcd");
  }
}
