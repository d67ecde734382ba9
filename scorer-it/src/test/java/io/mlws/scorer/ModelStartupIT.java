package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.scorer.harness.ScorerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged scorer says at start-up: one line per input and one for what it returns; and
 * for a model it cannot serve, one line naming the input and why, /ready never 200, exit code 1.
 */
class ModelStartupIT {
  static final Path MODELS = Path.of("src/test/resources/models");
  @TempDir Path work;

  @Test
  void saysWhatItAcceptsAndReturns() throws Exception {
    try (ScorerProcess scorer =
        ScorerProcess.start(
            work,
            null,
            Map.of("MLWS_MODEL_URI", MODELS.resolve("sklearn-two-inputs.onnx").toString()))) {
      scorer.awaitReady();
      List<String> log = Files.readAllLines(scorer.log);
      assertThat(log).anyMatch(l -> l.contains("model input petal_length: float [-1, 1]"));
      assertThat(log).anyMatch(l -> l.contains("model input size: string [-1, 1]"));
      assertThat(log)
          .anyMatch(
              l ->
                  l.contains(
                      "model answers as a classifier: predictions from output \"output_label\","
                          + " probabilities from output \"output_probability\""));
      assertThat(scorer.get("/v2").body())
          .as("the V2 server metadata: the version of the build, from the jar's manifest")
          .contains("\"version\":\"" + projectVersion() + "\"");
    }
  }

  /** pom.xml's version, the one place of it. */
  static String projectVersion() throws Exception {
    Matcher version =
        Pattern.compile("<artifactId>mlws-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("../pom.xml")));
    assertThat(version.find()).isTrue();
    return version.group(1);
  }

  @Test
  void refusesAModelItCannotServeInOneLine() throws Exception {
    try (ScorerProcess scorer =
        ScorerProcess.start(
            work,
            null,
            Map.of("MLWS_MODEL_URI", MODELS.resolve("unservable-uint8-input.onnx").toString()))) {
      int readyAnswers = 0;
      for (int i = 0; i < 300 && scorer.process.isAlive(); i++) {
        try {
          readyAnswers += scorer.get("/ready").statusCode() == 200 ? 1 : 0;
        } catch (java.io.IOException notListening) {
          // Not yet, or already gone.
        }
        Thread.sleep(50);
      }
      assertThat(scorer.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(scorer.process.exitValue()).isEqualTo(1);
      assertThat(readyAnswers).as("/ready never turns true").isZero();
      List<String> errors =
          Files.readAllLines(scorer.log).stream().filter(l -> l.contains("cannot serve")).toList();
      assertThat(errors)
          .singleElement()
          .asString()
          .contains(
              "input \"pixels\" is a uint8 tensor; the scorer takes float, double, int64, int32,"
                  + " bool and string tensors");
      assertThat(Files.readString(scorer.log)).doesNotContain("\tat ");
    }
  }
}
