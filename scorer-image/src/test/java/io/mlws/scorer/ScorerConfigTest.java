package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scorer's environment: defaults, the operator's variables, and clear errors. */
class ScorerConfigTest {
  @Test
  void readsWhatTheOperatorSets() {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "https://models.example.com/fraud/7/model.onnx",
                "MLWS_MODEL_SHA256", "ABCDEF",
                "MLWS_MODEL_DIR", "/models",
                "MLWS_PORT", "8080",
                "MLWS_CONFIG", "/etc/mlws/settings.json",
                "MLWS_POD_NAME", "fraud-abc",
                "MLWS_DATA_COLLECTION_ENABLED", "true",
                "MLWS_DATA_COLLECTION_SAMPLING_PERCENTAGE", "12.5",
                "MLWS_DATA_COLLECTION_REDACT_FIELDS", "ssn, email"));

    assertThat(config.modelName()).as("from the file name").isEqualTo("model");
    assertThat(config.modelSha256()).contains("abcdef");
    assertThat(config.modelDir()).isEqualTo(Path.of("/models"));
    assertThat(config.settingsFile()).isEqualTo(Optional.of(Path.of("/etc/mlws/settings.json")));
    assertThat(config.podName()).isEqualTo("fraud-abc");
    assertThat(config.dataCollectionEnabled()).isTrue();
    assertThat(config.dataCollectionSamplingPercentage()).isEqualTo(12.5);
    assertThat(config.redactFields()).containsExactly("ssn", "email");
  }

  @Test
  void defaults() {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(Map.of("MLWS_MODEL_URI", "models/iris.onnx"));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.modelName()).isEqualTo("iris");
    assertThat(config.modelVersion()).isEqualTo("1");
    assertThat(config.serviceName()).isEqualTo("iris");
    assertThat(config.dataCollectionEnabled()).isFalse();
    assertThat(config.maxRequestBytes()).isEqualTo(1 << 20);
    assertThat(config.requestSamplingPercentage()).as("the agent's own default").isEmpty();
    assertThat(config.modelCredential().present()).isFalse();
    assertThat(config.probePort()).isEqualTo(8081);
    assertThat(config.download().budget()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(config.download().maxBytes()).isEmpty();
    assertThat(config.limits().concurrent()).isGreaterThanOrEqualTo(2);
    assertThat(config.limits().queued()).isEqualTo(64);
    assertThat(config.limits().queueWaitMillis()).isEqualTo(1000);
  }

  @Test
  void readsTheDownloadBudgetAndTheVolumeLimit() {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "https://models.example.com/big.onnx",
                "MLWS_MODEL_DOWNLOAD_TIMEOUT_SECONDS", "3600",
                "MLWS_MODEL_MAX_BYTES", "2147483648"));
    assertThat(config.download().budget()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(config.download().maxBytes()).hasValue(2147483648L);
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of("MLWS_MODEL_URI", "m.onnx", "MLWS_MODEL_MAX_BYTES", "2Gi")))
        .hasMessageContaining("MLWS_MODEL_MAX_BYTES must be a positive number of bytes");
  }

  @Test
  void readsTheAgentsSamplingAndTheModelCredentialWithoutShowingIt() {
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "https://models.example.com/iris.onnx",
                "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", "100",
                "MLWS_MODEL_SAS_TOKEN", "sv=2024&sig=s3cret"));

    assertThat(config.requestSamplingPercentage()).contains(100.0);
    assertThat(config.modelCredential().sasToken()).contains("sv=2024&sig=s3cret");
    assertThat(config.toString()).doesNotContain("s3cret").contains("SAS token");
  }

  @Test
  void mistakesNameTheVariable() {
    assertThatThrownBy(() -> ScorerConfig.fromEnvironment(Map.of()))
        .hasMessageContaining("MLWS_MODEL_URI is required");
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of("MLWS_MODEL_URI", "m.onnx", "MLWS_PORT", "http")))
        .hasMessageContaining("MLWS_PORT");
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of(
                        "MLWS_MODEL_URI",
                        "m.onnx",
                        "MLWS_DATA_COLLECTION_SAMPLING_PERCENTAGE",
                        "120")))
        .hasMessageContaining("MLWS_DATA_COLLECTION_SAMPLING_PERCENTAGE");
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of("MLWS_MODEL_URI", "m.onnx", "MLWS_DATA_COLLECTION_ENABLED", "yes")))
        .hasMessageContaining("MLWS_DATA_COLLECTION_ENABLED");
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of("MLWS_MODEL_URI", "m.onnx", "MLWS_SETTINGS_POLL_MILLIS", "1s")))
        .hasMessage("MLWS_SETTINGS_POLL_MILLIS must be an integer from 10 to 600000, got: 1s");
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of("MLWS_MODEL_URI", "m.onnx", "MLWS_MODEL_KIND", "ranker")))
        .hasMessageContaining(
            "MLWS_MODEL_KIND must be one of auto, classifier, regressor, generic");
  }

  @Test
  void workloadIdentityWithoutTheWebhooksVariablesSaysWhatIsMissingAndWhy() {
    assertThatThrownBy(
            () ->
                ScorerConfig.fromEnvironment(
                    Map.of(
                        "MLWS_MODEL_URI", "https://acct.blob.core.windows.net/m/iris.onnx",
                        "MLWS_MODEL_WORKLOAD_IDENTITY", "true",
                        "AZURE_TENANT_ID", "72f988bf-0000-4000-8000-0000000000aa")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE not set")
        .hasMessageContaining("azure.workload.identity/client-id");
    ScorerConfig config =
        ScorerConfig.fromEnvironment(
            Map.of(
                "MLWS_MODEL_URI", "https://acct.blob.core.windows.net/m/iris.onnx",
                "MLWS_MODEL_WORKLOAD_IDENTITY", "true",
                "AZURE_CLIENT_ID", "5d2c7e5b-0000-4000-8000-0000000000cd",
                "AZURE_TENANT_ID", "72f988bf-0000-4000-8000-0000000000aa",
                "AZURE_FEDERATED_TOKEN_FILE",
                    "/var/run/secrets/azure/tokens/azure-identity-token"));
    assertThat(config.modelCredential().present()).isTrue();
    assertThat(config.modelCredential())
        .hasToString(
            "workload identity (client 5d2c7e5b-0000-4000-8000-0000000000cd, tenant"
                + " 72f988bf-0000-4000-8000-0000000000aa)");
  }
}
