package io.mlws.scorer.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mlws.scorer.settings.RuntimeSettings;
import io.mlws.scorer.telemetry.TraceBridge;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The model_data_collection dimensions, named exactly as Azure ML's inference server names them.
 */
class DataCollectorTest {
  @Test
  void dimensionsAreAzureMlsWithRedactionAndTruncationApplied() throws Exception {
    var settings =
        new RuntimeSettings(
            "iris", "3", "iris-svc", "team-a", true, 100, 64, Set.of("customer_id"));
    var json = new ObjectMapper();

    var dimensions =
        DataCollector.dimensions(
            settings,
            "iris-7d9f-abcde",
            new DataCollector.RequestIds("req-1", "client-1"),
            json.readTree("{\"data\": [[1, 2, 3, 4]], \"customer_id\": \"c-42\"}"),
            json.readTree("{\"predictions\": [\"" + "v".repeat(200) + "\"]}"));

    assertThat(dimensions.keySet())
        .containsExactly(
            "Request Id",
            "Client Request Id",
            "Container Id",
            "Service Name",
            "Workspace Name",
            "Models",
            "Input",
            "Prediction");
    assertThat(dimensions)
        .containsEntry("Request Id", "req-1")
        .containsEntry("Client Request Id", "client-1")
        .containsEntry("Container Id", "iris-7d9f-abcde")
        .containsEntry("Service Name", "iris-svc")
        .containsEntry("Workspace Name", "team-a")
        .containsEntry("Models", "iris:3")
        .containsEntry("Input", "{\"data\":[[1,2,3,4]],\"customer_id\":\"[REDACTED]\"}");
    assertThat(dimensions.get("Prediction")).hasSize(64).endsWith("chars]");
  }

  @Test
  void theCheaperBridgeOnlyWhereRequestSamplingCannotDropTheTrace() {
    assertThat(TraceBridge.forRequestSampling(100)).isInstanceOf(TraceBridge.ClassicSdk.class);
    assertThat(TraceBridge.forRequestSampling(99.99)).isInstanceOf(TraceBridge.LogRecord.class);
    assertThat(TraceBridge.forRequestSampling(0)).isInstanceOf(TraceBridge.LogRecord.class);
  }

  @Test
  void withoutTheAgentEitherBridgeIsHarmless() {
    var dimensions = java.util.Map.of("Models", "iris:1", "Input", "{}");
    new TraceBridge.ClassicSdk().send(DataCollector.MESSAGE, dimensions);
    new TraceBridge.LogRecord().send(DataCollector.MESSAGE, dimensions);
    assertThat(org.slf4j.MDC.getCopyOfContextMap()).as("nothing left in MDC").isNullOrEmpty();
  }
}
