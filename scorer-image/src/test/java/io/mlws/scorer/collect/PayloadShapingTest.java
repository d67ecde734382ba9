package io.mlws.scorer.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What leaves the pod: named fields replaced at any depth, long text cut with a marker. */
class PayloadShapingTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void redactsNamedFieldsAtAnyDepthAndLeavesTheRest() throws Exception {
    var payload =
        JSON.readTree(
            "{\"data\": [{\"ssn\": \"123\", \"x\": 1}], \"customer\": {\"ssn\": [1, 2], \"name\": \"a\"}, \"ssn\": \"top\"}");

    var redacted = PayloadShaping.redact(payload, Set.of("ssn"));

    assertThat(redacted.toString())
        .isEqualTo(
            "{\"data\":[{\"ssn\":\"[REDACTED]\",\"x\":1}],\"customer\":{\"ssn\":\"[REDACTED]\",\"name\":\"a\"},\"ssn\":\"[REDACTED]\"}");
    assertThat(payload.toString()).as("the original is untouched").contains("123");
  }

  @Test
  void redactsAnOpenInferenceTensorNamedInTheList() throws Exception {
    var payload =
        JSON.readTree(
            """
            {"inputs": [
              {"name": "customer_id", "shape": [1], "datatype": "BYTES", "data": ["c-42"]},
              {"name": "input", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}""");

    var redacted = PayloadShaping.redact(payload, Set.of("customer_id"));

    assertThat(redacted.at("/inputs/0/data").asText()).isEqualTo(PayloadShaping.REDACTED);
    assertThat(redacted.at("/inputs/0/name").asText()).isEqualTo("customer_id");
    assertThat(redacted.at("/inputs/1/data").toString()).isEqualTo("[5.1,3.5,1.4,0.2]");
    assertThat(redacted.toString()).doesNotContain("c-42");
  }

  @Test
  void namesMatchWithoutRegardToCase() throws Exception {
    var payload =
        JSON.readTree(
            "{\"Customer_ID\": \"c-1\", \"inputs\": [{\"name\": \"CUSTOMER_ID\", \"data\": [\"c-2\"]}]}");

    var redacted = PayloadShaping.redact(payload, Set.of("customer_id"));

    assertThat(redacted.toString()).doesNotContain("c-1").doesNotContain("c-2");
  }

  @Test
  void truncatesWithAVisibleMarkerWithinTheLimit() {
    String text = "x".repeat(100);

    String cut = PayloadShaping.truncate(text, 40);

    assertThat(cut).hasSize(40).endsWith("...[truncated 100 chars]").startsWith("xxxx");
    assertThat(PayloadShaping.truncate("short", 40)).isEqualTo("short");
  }
}
