package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server-side apply merges every list by a declared rule, never by a guess: each has a list type.
 */
class CrdListTypesTest {
  @Test
  void everyListDeclaresHowItMerges() throws Exception {
    JsonNode schema = CrdYaml.read(CrdYaml.CRD).at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> untyped = new ArrayList<>();
    CrdYaml.eachField(
        schema,
        "",
        (path, field) -> {
          if ("array".equals(field.path("type").asText())
              && !field.hasNonNull("x-kubernetes-list-type")) {
            untyped.add(path);
          }
        });

    assertThat(untyped).isEmpty();
  }

  @Test
  void theNamedListsMergeByTheirKeys() throws Exception {
    JsonNode spec = CrdYaml.read(CrdYaml.CRD).at("/spec/versions/0/schema/openAPIV3Schema");
    assertThat(
            spec.at("/properties/spec/properties/pod/properties/env/x-kubernetes-list-type")
                .asText())
        .isEqualTo("map");
    assertThat(
            spec.at("/properties/spec/properties/pod/properties/env/x-kubernetes-list-map-keys/0")
                .asText())
        .isEqualTo("name");
    assertThat(
            spec.at("/properties/status/properties/conditions/x-kubernetes-list-map-keys/0")
                .asText())
        .isEqualTo("type");
    assertThat(spec.at("/properties/status/properties/conditions/items/required").toString())
        .contains("\"type\"");
    assertThat(
            spec.at(
                    "/properties/spec/properties/dataCollection/properties/redactFields/x-kubernetes-list-type")
                .asText())
        .isEqualTo("set");
  }
}
