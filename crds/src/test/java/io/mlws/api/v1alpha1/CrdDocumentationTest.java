package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `kubectl explain mlws.spec` teaches the whole API: every spec and status field is described. */
class CrdDocumentationTest {
  static final List<String> UPSTREAM_TYPES =
      List.of(
          "spec.pod.affinity.",
          "spec.pod.tolerations[].",
          "spec.pod.topologySpreadConstraints[].",
          "spec.pod.imagePullSecrets[].",
          "spec.pod.env[].valueFrom.",
          "status.conditions[]");

  @Test
  void everyOwnFieldHasADescription() throws Exception {
    JsonNode schema = CrdYaml.read(CrdYaml.CRD).at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> undocumented = new ArrayList<>();
    collect(schema.at("/properties/spec"), "spec", undocumented);
    collect(schema.at("/properties/status"), "status", undocumented);

    assertThat(undocumented).isEmpty();
  }

  private static void collect(JsonNode schema, String path, List<String> undocumented) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            field -> {
              String fieldPath = path + "." + field.getKey();
              // Kubernetes' own pod-spec and Condition types inside our fields are documented
              // upstream (kubectl explain pod.spec.affinity); the field holding each one is ours.
              if (UPSTREAM_TYPES.stream().anyMatch(fieldPath::startsWith)) {
                return;
              }
              if (!field.getValue().hasNonNull("description")) {
                undocumented.add(fieldPath);
              }
              collect(field.getValue(), fieldPath, undocumented);
              collect(field.getValue().path("items"), fieldPath + "[]", undocumented);
            });
  }
}
