package io.mlws.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mlws.operator.spec.ScorerNames;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PodMonitor examples select what the operator creates: the scorer pods' name label, their
 * probe port by name, and the path the scorer serves its metrics on.
 */
class PodMonitorExamplesTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @ValueSource(
      strings = {
        "podmonitor-azure-managed-prometheus.yaml:azmonitoring.coreos.com/v1",
        "podmonitor-prometheus-operator.yaml:monitoring.coreos.com/v1"
      })
  void selectsTheScorerPodsOnTheirProbePort(String fileAndApiVersion) throws Exception {
    String[] parts = fileAndApiVersion.split(":", 2);
    JsonNode monitor = YAML.readTree(Path.of("..", "deploy", "monitoring", parts[0]).toFile());

    assertThat(monitor.path("apiVersion").asText()).isEqualTo(parts[1]);
    assertThat(monitor.path("kind").asText()).isEqualTo("PodMonitor");
    assertThat(monitor.at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText())
        .isEqualTo(ScorerNames.selector("any").get("app.kubernetes.io/name"));
    assertThat(monitor.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
    JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
    assertThat(endpoint.path("port").asText()).isEqualTo(ScorerNames.PROBE_PORT_NAME);
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
  }
}
