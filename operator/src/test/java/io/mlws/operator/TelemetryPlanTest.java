package io.mlws.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.mlws.api.v1alpha1.AppInsightsState;
import io.mlws.api.v1alpha1.DataCollectionState;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.SecretKeyReference;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One line per case: spec, operator default, Secret as found → telemetry and data collection. */
class TelemetryPlanTest {
  static final String ON = "appInsights: {enabled: true, connectionStringSecretRef: {name: ai}}";
  static final OperatorConfig DEFAULTS = OperatorConfig.defaults();
  static final OperatorConfig SHARED =
      DEFAULTS.withDefaultAppInsightsSecret(new SecretKeyReference("shared", "cs"));

  static Optional<Secret> secret(Map<String, String> data) {
    return Optional.of(
        new SecretBuilder().withNewMetadata().withName("ai").endMetadata().withData(data).build());
  }

  static Stream<Arguments> cases() {
    var withKey = secret(Map.of("connection-string", "eA=="));
    return Stream.of(
        Arguments.of(
            "",
            DEFAULTS,
            withKey,
            AppInsightsState.DISABLED,
            "appInsights.enabled is false",
            DataCollectionState.DISABLED),
        Arguments.of(
            ON,
            DEFAULTS,
            withKey,
            AppInsightsState.ENABLED,
            "send telemetry with the connection string",
            DataCollectionState.DISABLED),
        Arguments.of(
            ON + "\ndataCollection: {enabled: true}",
            DEFAULTS,
            withKey,
            AppInsightsState.ENABLED,
            "send telemetry with the connection string",
            DataCollectionState.ENABLED),
        Arguments.of(
            ON + "\ndataCollection: {enabled: true}",
            DEFAULTS,
            Optional.empty(),
            AppInsightsState.SECRET_MISSING,
            "not found in namespace",
            DataCollectionState.INACTIVE),
        Arguments.of(
            ON,
            DEFAULTS,
            secret(Map.of("other", "eA==")),
            AppInsightsState.SECRET_MISSING,
            "has no non-empty key",
            DataCollectionState.DISABLED),
        Arguments.of(
            ON,
            DEFAULTS,
            secret(Map.of("connection-string", "")),
            AppInsightsState.SECRET_MISSING,
            "has no non-empty key",
            DataCollectionState.DISABLED),
        Arguments.of(
            "appInsights: {enabled: true}",
            DEFAULTS,
            Optional.empty(),
            AppInsightsState.SECRET_MISSING,
            "connectionStringSecretRef is not set",
            DataCollectionState.DISABLED),
        Arguments.of(
            "appInsights: {enabled: true}",
            SHARED,
            secret(Map.of("cs", "eA==")),
            AppInsightsState.ENABLED,
            "send telemetry with the connection string",
            DataCollectionState.DISABLED),
        Arguments.of(
            "dataCollection: {enabled: true}",
            DEFAULTS,
            Optional.empty(),
            AppInsightsState.DISABLED,
            "appInsights.enabled is false",
            DataCollectionState.INACTIVE),
        // Without Application Insights, a storage container is where collected data goes.
        Arguments.of(
            "dataCollection: {enabled: true, storage: {containerUrl:"
                + " 'https://a.blob.core.windows.net/c', credential: {type: WorkloadIdentity}}}",
            DEFAULTS,
            Optional.empty(),
            AppInsightsState.DISABLED,
            "appInsights.enabled is false",
            DataCollectionState.ENABLED));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void plansTelemetryFromSpecAndSecret(
      String extraSpec,
      OperatorConfig config,
      Optional<Secret> secret,
      AppInsightsState state,
      String saying,
      DataCollectionState dataCollection) {
    MLWebService mlws =
        new KubernetesSerialization()
            .unmarshal(
                "apiVersion: mlws.io/v1alpha1\nkind: MLWebService\nmetadata: {name: m, namespace: ns}\n"
                    + "spec:\n  model: {uri: 'file:///m.onnx'}\n  "
                    + extraSpec.replace("\n", "\n  "),
                MLWebService.class);
    ResolvedSpec spec = ResolvedSpec.of(mlws, config);

    TelemetryPlan plan = TelemetryPlan.of(spec, secret);

    assertThat(plan.state()).isEqualTo(state);
    assertThat(plan.reason())
        .as("one name: status's and the condition's")
        .isEqualTo(state.reason());
    assertThat(plan.message()).contains(saying);
    assertThat(plan.dataCollection(spec)).isEqualTo(dataCollection);
    assertThat(plan.secret().isPresent())
        .isEqualTo(state != AppInsightsState.DISABLED && !saying.contains("is not set"));
  }
}
