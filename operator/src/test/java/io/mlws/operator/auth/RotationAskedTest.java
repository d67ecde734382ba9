package io.mlws.operator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlws.api.v1alpha1.AuthSpec;
import io.mlws.api.v1alpha1.MLWebService;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation follows a spec change or a rotation request, not every metadata or status write.
 */
class RotationAskedTest {
  final RotationAsked filter = new RotationAsked();

  @Test
  void aNewGenerationOrANewRotationValueWakesTheOperator() {
    MLWebService before = service(1, Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1"));

    assertThat(filter.accept(service(2, Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1")), before))
        .isTrue();
    assertThat(filter.accept(service(1, Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "2")), before))
        .isTrue();
    assertThat(filter.accept(service(1, Map.of(AuthSpec.ROTATE_SECONDARY_ANNOTATION, "x")), before))
        .isTrue();
  }

  @Test
  void otherMetadataAndStatusWritesDoNot() {
    MLWebService before = service(1, Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1"));

    assertThat(
            filter.accept(
                service(1, Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1", "team", "a")), before))
        .isFalse();
    assertThat(filter.accept(service(1, Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1")), before))
        .isFalse();
  }

  static MLWebService service(long generation, Map<String, String> annotations) {
    MLWebService mlws = new MLWebService();
    mlws.getMetadata().setName("iris");
    mlws.getMetadata().setGeneration(generation);
    mlws.getMetadata().setAnnotations(annotations);
    return mlws;
  }
}
