package io.mlws.scorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile copies what the build produces, to where the operator and the samples look: the
 * agent at the operator's default MLWS_AGENT_PATH, the sample model at the samples' URI. (No Docker
 * engine runs here; the image itself is built on a machine that has one.)
 */
class ScorerImageIT {
  @Test
  void copiesTheBuiltArtifactsWhereTheOperatorLooks() throws Exception {
    List<String> dockerfile = Files.readAllLines(Path.of("Dockerfile"));
    Map<String, String> copies = new LinkedHashMap<>();
    for (String line : dockerfile) {
      if (line.startsWith("COPY ")) {
        String[] parts = line.split("\\s+");
        copies.put(parts[1], parts[2]);
      }
    }

    assertThat(copies.keySet())
        .containsExactly(
            "target/scorer.jar",
            "target/agent/applicationinsights-agent.jar",
            "target/agent/applicationinsights.json",
            "models/iris.onnx",
            "src/test/resources/models/sklearn-logreg-zipmap.onnx");
    copies
        .keySet()
        .forEach(source -> assertThat(Path.of(source)).as("built: %s", source).isRegularFile());

    assertThat(copies.get("target/agent/applicationinsights-agent.jar"))
        .isEqualTo(operatorDefaultAgentPath());
    assertThat(Files.readString(Path.of("../deploy/samples/iris-basic.yaml")))
        .contains("uri: file://" + copies.get("models/iris.onnx"));
    assertThat(Files.readString(Path.of("../deploy/samples/sklearn-logreg.yaml")))
        .contains(
            "uri: file://" + copies.get("src/test/resources/models/sklearn-logreg-zipmap.onnx"));
    assertThat(dockerfile)
        .contains(
            "ARG BASE=eclipse-temurin:17.0.17_10-jre-noble", "FROM ${BASE}", "USER 10001:10001");
  }

  private static String operatorDefaultAgentPath() throws Exception {
    String source =
        Files.readString(
            Path.of("../operator/src/main/java/io/mlws/operator/config/OperatorConfig.java"));
    Matcher matcher = Pattern.compile("DEFAULT_AGENT_PATH\\s*=\\s*\"([^\"]+)\"").matcher(source);
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }
}
