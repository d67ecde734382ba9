package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed CRD admits the samples users apply and refuses each kind of nonsense. */
class CrdAdmissionTest {
  static final Path CRD = Path.of("manifests/mlwebservices.mlws.io-v1.yml");
  static final Path SAMPLES = Path.of("../deploy/samples");

  static OfflineAdmission admission;

  @BeforeAll
  static void loadCrd() throws IOException {
    admission = new OfflineAdmission(CRD);
  }

  static Stream<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      List<Path> resources =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> read(f).contains("kind: MLWebService"))
              .sorted()
              .toList();
      assertThat(resources).hasSizeGreaterThanOrEqualTo(3);
      return resources.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void admitsSample(Path sample) throws IOException {
    assertThat(admission.admit(OfflineAdmission.readYaml(sample))).isEmpty();
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            "model: {uri: file:///m.onnx}\nreplicas: 2\nautoscaling: {maxReplicas: 3}",
            "set either spec.replicas or spec.autoscaling, not both"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {minReplicas: 4, maxReplicas: 3}",
            "autoscaling.minReplicas must not exceed autoscaling.maxReplicas"),
        Arguments.of("model: {uri: file:///m.onnx}\nautoscaling: {minReplicas: 2}", "maxReplicas"),
        Arguments.of("replicas: 1", "model"),
        Arguments.of("model: {format: onnx}", "uri"),
        Arguments.of("model: {uri: 's3://bucket/m.onnx'}", "pattern"),
        Arguments.of("model: {uri: 'file://relative/m.onnx'}", "pattern"),
        Arguments.of("model: {uri: 'pvc://Bad_Claim/m.onnx'}", "pattern"),
        Arguments.of("model: {uri: 'pvc://claim/'}", "pattern"),
        Arguments.of("model: {uri: file:///m.onnx, sha256: abc}", "pattern"),
        Arguments.of("model: {uri: file:///m.onnx, format: pytorch}", "enum"),
        Arguments.of("model: {uri: file:///m.onnx}\nreplicas: -1", "minimum"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: 150}", "maximum"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: -1}", "minimum"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {connectionStringSecretRef: {key: k}}",
            "name"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {connectionStringSecretRef: {name: Not_A_Name}}",
            "pattern"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {maxPayloadChars: 10}", "minimum"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {maxPayloadChars: 100000}", "maximum"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {samplingPercentage: 101}", "maximum"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {redactFields: ['']}",
            "redactFields entries must be 1 to 256 characters"),
        Arguments.of("model: {uri: file:///m.onnx}\nappinsights: {enabled: true}", "appinsights"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {maxReplicas: 3, "
                + "targetCPUUtilizationPercentage: 0}",
            "minimum"));
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void refusesInvalidSpec(String specYaml, String expectedInError) throws IOException {
    var resource =
        OfflineAdmission.readYaml(
            "apiVersion: mlws.io/v1alpha1\nkind: MLWebService\nmetadata: {name: x}\nspec:\n  "
                + specYaml.replace("\n", "\n  "));

    assertThat(admission.admit(resource))
        .as("errors for spec %s", specYaml)
        .anySatisfy(error -> assertThat(error).contains(expectedInError));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
