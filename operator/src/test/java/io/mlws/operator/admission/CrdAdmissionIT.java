package io.mlws.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.operator.Kubectl;
import io.mlws.operator.cluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed CRD on the real kube-apiserver: it installs (its CEL rules within the server's cost
 * limits), admits every sample users apply, and refuses each kind of nonsense with the server's own
 * schema and CEL validation, as `kubectl apply --dry-run=server` shows a user.
 */
class CrdAdmissionIT {
  static final Path SAMPLES = Path.of("../deploy/samples");
  static LocalCluster cluster;
  static String ns;

  @BeforeAll
  static void installCrd() {
    cluster = LocalCluster.shared();
    ns = cluster.createNamespace("admission-it");
  }

  @Test
  void theCrdIsInstalledAndEstablished() {
    var crd = cluster.crd();
    assertThat(crd.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Established");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(cluster.kubectl("explain", "mlws.spec.model")).contains("uri");
  }

  static Stream<Path> samples() throws IOException {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      List<Path> resources =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> read(f).contains("kind: MLWebService"))
              .sorted()
              .toList();
      assertThat(resources).hasSizeGreaterThanOrEqualTo(4);
      return resources.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void admitsSample(Path sample) {
    Kubectl.Result result =
        cluster.tryKubectl("apply", "--dry-run=server", "-n", ns, "-f", sample.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("(server dry run)");
  }

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of(
            "model: {uri: file:///m.onnx}\nreplicas: 2\nautoscaling: {maxReplicas: 3}",
            "set either spec.replicas or spec.autoscaling, not both"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {minReplicas: 4, maxReplicas: 3}",
            "autoscaling.minReplicas must not exceed autoscaling.maxReplicas"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {minReplicas: 2}",
            "spec.autoscaling.maxReplicas: Required value"),
        Arguments.of("replicas: 1", "spec.model: Required value"),
        Arguments.of("model: {format: onnx}", "spec.model.uri: Required value"),
        Arguments.of("model: {uri: 's3://bucket/m.onnx'}", "spec.model.uri: Invalid value"),
        Arguments.of("model: {uri: 'file://relative/m.onnx'}", "spec.model.uri: Invalid value"),
        Arguments.of("model: {uri: 'pvc://Bad_Claim/m.onnx'}", "spec.model.uri: Invalid value"),
        Arguments.of("model: {uri: 'pvc://claim/'}", "spec.model.uri: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, sha256: abc}", "spec.model.sha256: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx, format: pytorch}",
            "spec.model.format: Unsupported value: \"pytorch\""),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nreplicas: -1",
            "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: 150}",
            "spec.appInsights.samplingPercentage in body should be less than or equal to 100"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {samplingPercentage: -1}",
            "spec.appInsights.samplingPercentage in body should be greater than or equal to 0"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {connectionStringSecretRef: {key: k}}",
            "spec.appInsights.connectionStringSecretRef.name: Required value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappInsights: {connectionStringSecretRef: {name: Not_A_Name}}",
            "spec.appInsights.connectionStringSecretRef.name: Invalid value"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {maxPayloadChars: 10}",
            "spec.dataCollection.maxPayloadChars in body should be greater than or equal to"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {maxPayloadChars: 100000}",
            "spec.dataCollection.maxPayloadChars in body should be less than or equal to"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {samplingPercentage: 101}",
            "spec.dataCollection.samplingPercentage in body should be less than or equal to 100"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\ndataCollection: {redactFields: ['']}",
            "redactFields entries must be 1 to 256 characters"),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nappinsights: {enabled: true}",
            "unknown field \"spec.appinsights\""),
        Arguments.of(
            "model: {uri: file:///m.onnx}\nautoscaling: {maxReplicas: 3, "
                + "targetCPUUtilizationPercentage: 0}",
            "spec.autoscaling.targetCPUUtilizationPercentage in body should be greater than or equal to 1"));
  }

  @ParameterizedTest
  @MethodSource("invalidSpecs")
  void refusesInvalidSpec(String specYaml, String expectedInError) throws IOException {
    Path file = Files.createTempFile("invalid-", ".yaml");
    Files.writeString(
        file,
        "apiVersion: mlws.io/v1alpha1\nkind: MLWebService\nmetadata: {name: x}\nspec:\n  "
            + specYaml.replace("\n", "\n  ")
            + "\n");

    Kubectl.Result result =
        cluster.tryKubectl("apply", "--dry-run=server", "-n", ns, "-f", file.toString());

    assertThat(result.exitCode()).as("refused: %s", result.output()).isNotZero();
    assertThat(result.output()).contains(expectedInError);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
