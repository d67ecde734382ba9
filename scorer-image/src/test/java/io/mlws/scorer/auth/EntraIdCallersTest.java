package io.mlws.scorer.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlws.scorer.ScorerConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MLWS_TOKEN_* as the operator writes them from spec.auth.entraId, and what the scorer refuses. */
class EntraIdCallersTest {
  static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

  @Test
  void readsTheOperatorsVariables() {
    EntraIdCallers callers =
        EntraIdCallers.fromEnvironment(
                Map.of(
                    "MLWS_TOKEN_TENANT_ID", TENANT,
                    "MLWS_TOKEN_AUDIENCE", "api://mlws-iris",
                    "MLWS_TOKEN_ALLOWED_CLIENTS", " a , b ,",
                    "MLWS_TOKEN_AUTHORITY", "https://login.microsoftonline.us"))
            .orElseThrow();
    assertThat(callers.allowedClientApplications()).containsExactly("a", "b");
    assertThat(callers.allowedRoles()).isEmpty();
    assertThat(callers.openIdConfiguration())
        .isEqualTo(
            URI.create(
                "https://login.microsoftonline.us/"
                    + TENANT
                    + "/v2.0/.well-known/openid-configuration"));
    assertThat(callers.issuers("https://login.microsoftonline.us/" + TENANT + "/v2.0"))
        .contains("https://sts.windows.net/" + TENANT + "/");
  }

  @Test
  void withoutATenantThereIsNoTokenCheck() {
    assertThat(EntraIdCallers.fromEnvironment(Map.of("MLWS_TOKEN_AUDIENCE", "x"))).isEmpty();
  }

  @Test
  void refusesWhatCannotBeChecked() {
    assertThatThrownBy(() -> EntraIdCallers.fromEnvironment(Map.of("MLWS_TOKEN_TENANT_ID", TENANT)))
        .hasMessageContaining("MLWS_TOKEN_AUDIENCE is required");
    assertThatThrownBy(
            () ->
                EntraIdCallers.fromEnvironment(
                    Map.of(
                        "MLWS_TOKEN_TENANT_ID", TENANT,
                        "MLWS_TOKEN_AUDIENCE", "a",
                        "MLWS_TOKEN_AUTHORITY", "http://login.example/")))
        .hasMessageContaining("https://");
    assertThatThrownBy(
            () ->
                EntraIdCallers.fromEnvironment(
                    Map.of("MLWS_TOKEN_TENANT_ID", "../evil", "MLWS_TOKEN_AUDIENCE", "a")))
        .hasMessageContaining("tenant id or domain");
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of(
                        "MLWS_MODEL_URI", "models/iris.onnx",
                        "MLWS_KEYS_DIR", "/keys",
                        "MLWS_TOKEN_TENANT_ID", TENANT,
                        "MLWS_TOKEN_AUDIENCE", "a")))
        .hasMessageContaining("exclusive");
  }
}
