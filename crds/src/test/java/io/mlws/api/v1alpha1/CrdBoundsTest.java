package io.mlws.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * No field of the spec is unbounded: every list has maxItems, every string maxLength (or an enum),
 * every map maxProperties, so no tenant's MLWebService grows the operator's caches, or the pod
 * templates it writes, past what these bounds allow.
 */
class CrdBoundsTest {
  @Test
  void everyListStringAndMapOfTheSpecIsBounded() throws Exception {
    JsonNode spec =
        CrdYaml.read(CrdYaml.CRD).at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");

    assertThat(CrdBounds.unbounded(spec)).isEmpty();
  }

  @Test
  void theFiguresOfTheEmbeddedTypesAreWhereKubernetesPutsThem() throws Exception {
    JsonNode spec =
        CrdYaml.read(CrdYaml.CRD).at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    JsonNode toleration = spec.at("/properties/pod/properties/tolerations/items/properties");
    JsonNode expression =
        spec.at(
            "/properties/pod/properties/topologySpreadConstraints/items/properties/labelSelector"
                + "/properties/matchExpressions");

    assertThat(toleration.at("/key/maxLength").asInt()).isEqualTo(317);
    assertThat(toleration.at("/value/maxLength").asInt()).isEqualTo(63);
    assertThat(expression.at("/maxItems").asInt()).isEqualTo(CrdBounds.LIST_ITEMS);
    assertThat(expression.at("/items/properties/values/maxItems").asInt()).isEqualTo(64);
    assertThat(spec.at("/properties/image/maxLength").asInt()).isEqualTo(512);
    assertThat(
            spec.at(
                    "/properties/pod/properties/topologySpreadConstraints/items/properties"
                        + "/labelSelector/properties/matchLabels/maxProperties")
                .asInt())
        .isEqualTo(CrdBounds.MAP_ENTRIES);
  }
}
