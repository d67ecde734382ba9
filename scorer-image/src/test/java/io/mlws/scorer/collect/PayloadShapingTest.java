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
  void truncatesWithAVisibleMarkerWithinTheLimit() {
    String text = "x".repeat(100);

    String cut = PayloadShaping.truncate(text, 40);

    assertThat(cut).hasSize(40).endsWith("...[truncated 100 chars]").startsWith("xxxx");
    assertThat(PayloadShaping.truncate("short", 40)).isEqualTo("short");
  }
}
