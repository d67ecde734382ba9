package io.mlws.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlws.api.v1alpha1.MLWebServiceSpec;
import io.mlws.api.v1alpha1.ScorerPodSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantPolicyTest {
  static final TenantPolicy POLICY =
      new TenantPolicy(
          List.of("myacr.azurecr.io/mlws/", "mcr.microsoft.com/mlws/scorer"), Set.of("scorer"));

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "myacr.azurecr.io/mlws/scorer:1.2, true",
    "myacr.azurecr.io/mlws/team/a@sha256:0123, true",
    "mcr.microsoft.com/mlws/scorer:0.1.0, true",
    "mcr.microsoft.com/mlws/scorer@sha256:0123, true",
    "mcr.microsoft.com/mlws/scorer, true",
    // Prefixes are paths, not strings: a look-alike registry or repository does not pass.
    "myacr.azurecr.io.evil.example/mlws/scorer:1, false",
    "myacr.azurecr.io/mlwsx/scorer:1, false",
    "mcr.microsoft.com/mlws/scorer-miner:1, false",
    "mcr.microsoft.com/mlws/scorer/sub:1, false",
    "docker.io/library/python:3.11, false",
    "myacr.azurecr.io:443/mlws/scorer:1, false",
  })
  void imagesAreAllowedByRepositoryOrPathPrefix(String image, boolean allowed) {
    assertThat(POLICY.imageAllowed(image)).isEqualTo(allowed);
  }

  @Test
  void aRefusalNamesTheFieldTheValueAndTheSetting() {
    MLWebServiceSpec spec = new MLWebServiceSpec();
    spec.setImage("docker.io/attacker/miner:latest");
    ScorerPodSpec pod = new ScorerPodSpec();
    pod.setServiceAccountName("payments-admin");
    spec.setPod(pod);

    assertThat(POLICY.refusals(spec))
        .containsExactly(
            "spec.image docker.io/attacker/miner:latest is not allowed here; the operator's"
                + " MLWS_ALLOWED_IMAGES allows myacr.azurecr.io/mlws/, mcr.microsoft.com/mlws/scorer",
            "spec.pod.serviceAccountName payments-admin is not allowed here; the operator's"
                + " MLWS_ALLOWED_SERVICE_ACCOUNTS allows scorer");
  }

  @Test
  void whatTheSpecLeavesUnsetIsTheOperatorsOwnChoiceAndAlwaysAllowed() {
    assertThat(POLICY.refusals(new MLWebServiceSpec())).isEmpty();
  }

  @Test
  void withoutTheVariablesAnythingGoes() {
    MLWebServiceSpec spec = new MLWebServiceSpec();
    spec.setImage("docker.io/anything:1");

    assertThat(TenantPolicy.fromEnvironment(Map.of()).refusals(spec)).isEmpty();
    assertThat(TenantPolicy.fromEnvironment(Map.of())).isEqualTo(TenantPolicy.ANY);
  }

  @Test
  void anEmptyEntryIsRefusedByName() {
    assertThatThrownBy(
            () -> TenantPolicy.fromEnvironment(Map.of("MLWS_ALLOWED_IMAGES", "myacr.azurecr.io/,")))
        .hasMessageContaining("MLWS_ALLOWED_IMAGES");
  }
}
