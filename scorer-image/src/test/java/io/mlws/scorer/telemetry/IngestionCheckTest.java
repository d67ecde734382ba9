package io.mlws.scorer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestionCheckTest {
  @Test
  void asksTheConnectionStringsIngestionEndpoint() {
    assertThat(
            IngestionCheck.trackUri(
                Map.of(
                    "APPLICATIONINSIGHTS_CONNECTION_STRING",
                    "InstrumentationKey=k;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=x")))
        .contains(URI.create("https://westeurope-5.in.applicationinsights.azure.com/v2.1/track"));
    assertThat(
            IngestionCheck.trackUri(
                Map.of("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=k")))
        .contains(URI.create("https://dc.services.visualstudio.com/v2.1/track"));
    assertThat(IngestionCheck.trackUri(Map.of())).isEmpty();
  }

  @Test
  void onlyARefusalIsWorthALine() {
    assertThat(IngestionCheck.verdict(200, "{\"itemsAccepted\":1}")).isEmpty();
    assertThat(IngestionCheck.verdict(400, "{}")).isEmpty();
    assertThat(
            IngestionCheck.verdict(
                403,
                "{\"errors\":[{\"index\":0,\"statusCode\":403,\"message\":\"Local authentication"
                    + " is disabled\"}]}"))
        .startsWith(
            "Application Insights refuses this pod's telemetry (HTTP 403: Local authentication is disabled)")
        .contains("spec.appInsights.entraId");
    assertThat(IngestionCheck.verdict(401, "not json")).contains("(HTTP 401)");
  }
}
