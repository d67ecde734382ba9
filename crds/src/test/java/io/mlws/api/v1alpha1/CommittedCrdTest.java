package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD is exactly what the build generates from the Java types, with the descriptions
 * CrdCompletion completes.
 */
class CommittedCrdTest {
  static final Path GENERATED = Path.of("target/crd-generated/mlwebservices.mlws.io-v1.yml");
  static final Path EXPECTED = Path.of("target/mlwebservices.mlws.io.yaml");

  @Test
  void committedCrdMatchesGenerated() throws IOException {
    assertThat(GENERATED).as("the crd-generator plugin runs at process-classes").exists();
    String expected = CrdCompletion.complete(Files.readString(GENERATED));
    Files.writeString(EXPECTED, expected);

    assertThat(Files.readString(CrdYaml.CRD))
        .as(
            "crds/%s is stale: run `mvn -pl crds test -Dtest=CommittedCrdTest; cp crds/%s crds/%s`",
            CrdYaml.CRD, EXPECTED, CrdYaml.CRD)
        .isEqualTo(expected);
  }
}
