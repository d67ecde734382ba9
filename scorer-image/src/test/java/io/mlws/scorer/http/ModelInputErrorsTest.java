package io.mlws.scorer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wrong input for typed, several-input and string-input models gets a 400 naming the input and what
 * is wrong; a model that fails at run time gets a 500 with the request id and no stack trace.
 */
class ModelInputErrorsTest {

  static Stream<Arguments> refusals() {
    String tokens = "token-ids-encoder";
    String twoInputs = "sklearn-two-inputs";
    String typed = "int32-bool-inputs";
    return Stream.of(
        Arguments.of(
            tokens,
            "/score",
            "{\"data\": {\"input_ids\": [[1, 2.5]], \"attention_mask\": [[1, 1]]}}",
            "input \"input_ids\" (int64), row 0, value 1 must be an integer for int64, got 2.5"),
        Arguments.of(
            tokens,
            "/score",
            "{\"data\": {\"input_ids\": [[1, 2]]}}",
            "\"data\" has no \"attention_mask\""),
        Arguments.of(
            tokens,
            "/score",
            "{\"data\": {\"input_ids\": [[1, 2]], \"attention_mask\": [[1, 1]], \"extra\": [1]}}",
            "\"data\" has \"extra\", which is not an input"),
        Arguments.of(
            tokens,
            "/score",
            "{\"data\": {\"input_ids\": [[1, 2], [3, 4]], \"attention_mask\": [[1, 1]]}}",
            "different numbers of rows"),
        Arguments.of(
            tokens,
            "/score",
            "{\"data\": {\"input_ids\": [[1, 2], [3]], \"attention_mask\": [[1, 1], [1, 1]]}}",
            "input \"input_ids\" is ragged"),
        Arguments.of(
            twoInputs,
            "/score",
            "{\"data\": [{\"petal_length\": 1.0, \"size\": 3}]}",
            "input \"size\" (string), row 0, value 0 must be a string, got number"),
        Arguments.of(
            twoInputs,
            "/score",
            "{\"data\": [[1.0, \"large\"]]}",
            "row 0 must be an object keyed by input name (petal_length, size)"),
        Arguments.of(
            twoInputs, "/score", "{\"data\": [{\"petal_length\": 1.0}]}", "row 0 has no \"size\""),
        Arguments.of(
            typed,
            "/score",
            "{\"data\": {\"counts\": [[1, 2, 3]], \"flags\": [[1, 0, 1]]}}",
            "input \"flags\" (bool), row 0, value 0 must be true or false, got number"),
        Arguments.of(
            typed,
            "/score",
            "{\"data\": {\"counts\": [[1, 2, 3000000000]], \"flags\": [[true, true, true]]}}",
            "out of range for int32"),
        Arguments.of(
            tokens,
            "/v2/models/token-ids-encoder/infer",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"INT64\", \"data\": [1, 2]}]}",
            "input \"attention_mask\" is missing"),
        Arguments.of(
            twoInputs,
            "/v2/models/sklearn-two-inputs/infer",
            "{\"inputs\": [{\"name\": \"petal_length\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]},"
                + " {\"name\": \"size\", \"shape\": [1, 1], \"datatype\": \"FP32\", \"data\": [1]}]}",
            "input \"size\" has datatype \"FP32\"; the model takes BYTES"),
        Arguments.of(
            tokens,
            "/v2/models/token-ids-encoder/infer",
            "{\"inputs\": [{\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"INT64\", \"data\": [1, 2]},"
                + " {\"name\": \"input_ids\", \"shape\": [1, 2], \"datatype\": \"INT64\", \"data\": [1, 2]}]}",
            "input \"input_ids\" is sent twice"));
  }

  @ParameterizedTest(name = "{0} {1}: {3}")
  @MethodSource("refusals")
  void wrongInputIsA400NamingTheInput(String model, String path, String body, String message)
      throws Exception {
    try (var served = ConverterModelsTest.Served.start(model)) {
      HttpResponse<String> response = served.post(path, ConverterModelsTest.JSON.readTree(body));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(ConverterModelsTest.JSON.readTree(response.body()).get("error").asText())
          .contains(message);
    }
  }

  @Test
  void aModelThatFailsAtRunTimeGivesA500WithTheRequestIdAndNoTrace() throws Exception {
    try (var served = ConverterModelsTest.Served.start("fails-on-odd-batch")) {
      HttpResponse<String> even =
          served.post("/score", ConverterModelsTest.JSON.readTree("{\"data\": [[1, 2], [3, 4]]}"));
      HttpResponse<String> odd =
          served.post("/score", ConverterModelsTest.JSON.readTree("{\"data\": [[1, 2]]}"));

      assertThat(even.statusCode()).isEqualTo(200);
      assertThat(odd.statusCode()).as(odd.body()).isEqualTo(500);
      JsonNode error = ConverterModelsTest.JSON.readTree(odd.body());
      String requestId = odd.headers().firstValue("x-ms-request-id").orElseThrow();
      assertThat(error.get("requestId").asText()).isEqualTo(requestId);
      assertThat(error.get("error").asText()).contains(requestId);
      assertThat(odd.body()).doesNotContain("Exception", "\tat ", "ai.onnxruntime", "Reshape");
    }
  }
}
