package io.mlws.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator's configuration read from the environment, defaults and mistakes included. */
class OperatorConfigTest {
  @Test
  void defaultsWhenNothingIsSet() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());

    assertThat(config.scorerImage()).isEqualTo(OperatorConfig.DEFAULT_SCORER_IMAGE);
    assertThat(config.agentPath()).isEqualTo("/opt/mlws/agent/applicationinsights-agent.jar");
    assertThat(config.defaultAppInsightsSecret()).isEmpty();
    assertThat(config.watchedNamespaces()).isEmpty();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.leaseNamespace()).isEmpty();
    assertThat(config.healthPort()).isEqualTo(8081);
    assertThat(config.imageUpdatesAtOnce()).isEqualTo(1);
  }

  @Test
  void readsEveryVariable() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "MLWS_SCORER_IMAGE", "registry.local/scorer:9",
                "MLWS_AGENT_PATH", "/agent.jar",
                "MLWS_DEFAULT_APPINSIGHTS_SECRET", "shared/cs",
                "MLWS_WATCH_NAMESPACES", " team-a, team-b ,",
                "MLWS_LEADER_ELECTION", "TRUE",
                "MLWS_LEASE_NAME", "lock",
                "MLWS_LEASE_NAMESPACE", "mlws-system",
                "MLWS_HEALTH_PORT", "9000",
                "MLWS_SCORER_IMAGE_UPDATES_AT_ONCE", "0"));

    assertThat(config.scorerImage()).isEqualTo("registry.local/scorer:9");
    assertThat(config.agentPath()).isEqualTo("/agent.jar");
    assertThat(config.defaultAppInsightsSecret())
        .hasValueSatisfying(
            ref -> {
              assertThat(ref.getName()).isEqualTo("shared");
              assertThat(ref.getKey()).isEqualTo("cs");
            });
    assertThat(config.watchedNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaseName()).isEqualTo("lock");
    assertThat(config.leaseNamespace()).isEqualTo(Optional.of("mlws-system"));
    assertThat(config.healthPort()).isEqualTo(9000);
    assertThat(config.imageUpdatesAtOnce()).isZero();
  }

  @Test
  void aSecretNameAloneUsesTheDefaultKey() {
    assertThat(
            OperatorConfig.fromEnvironment(Map.of("MLWS_DEFAULT_APPINSIGHTS_SECRET", "shared"))
                .defaultAppInsightsSecret()
                .orElseThrow()
                .getKey())
        .isEqualTo("connection-string");
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MLWS_LEADER_ELECTION", "yes")))
        .hasMessageContaining("MLWS_LEADER_ELECTION");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("MLWS_HEALTH_PORT", "70000")))
        .hasMessageContaining("MLWS_HEALTH_PORT");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("MLWS_SCORER_IMAGE_UPDATES_AT_ONCE", "-1")))
        .hasMessage("MLWS_SCORER_IMAGE_UPDATES_AT_ONCE must be a whole number, 0 or more, got: -1");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(Map.of("MLWS_DEFAULT_APPINSIGHTS_SECRET", "a/b/c")))
        .hasMessageContaining("MLWS_DEFAULT_APPINSIGHTS_SECRET");
  }
}
