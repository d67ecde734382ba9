package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * `kubectl explain mlws.spec` teaches the whole API: the root, spec, status and every field below
 * them are described, Kubernetes' own embedded types (affinity, tolerations, conditions, ...) with
 * the descriptions of the release the local cluster pins.
 */
class CrdDocumentationTest {
  static final Path VERSIONS = Path.of("../local-cluster/versions.env");

  @Test
  void everyFieldHasADescription() throws Exception {
    JsonNode schema = CrdYaml.read(CrdYaml.CRD).at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> undocumented = new ArrayList<>();
    for (String root : List.of("", "/properties/spec", "/properties/status")) {
      if (!schema.at(root).hasNonNull("description")) {
        undocumented.add(root.isEmpty() ? "(root)" : root);
      }
    }
    for (String root : List.of("spec", "status")) {
      CrdYaml.eachField(
          schema.at("/properties/" + root),
          root,
          (path, field) -> {
            if (!field.hasNonNull("description")) {
              undocumented.add(path);
            }
          });
    }

    assertThat(undocumented).isEmpty();
  }

  @Test
  void upstreamDescriptionsAreThoseOfThePinnedKubernetes() throws Exception {
    String pinned =
        Files.readAllLines(VERSIONS).stream()
            .filter(l -> l.startsWith("KUBERNETES_VERSION="))
            .map(l -> l.substring("KUBERNETES_VERSION=".length()))
            .findFirst()
            .orElseThrow();
    assertThat(CrdCompletion.upstreamVersion())
        .as(
            "crds/upstream/kubernetes-descriptions.json: run crds/upstream/update after a pin change")
        .isEqualTo(pinned);
  }
}
