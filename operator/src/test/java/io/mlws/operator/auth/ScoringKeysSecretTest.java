package io.mlws.operator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.mlws.api.v1alpha1.AuthSpec;
import io.mlws.api.v1alpha1.MLWebService;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Keys are made once, and only the key whose rotation annotation changed is made again. */
class ScoringKeysSecretTest {
  final AtomicInteger made = new AtomicInteger();
  final ScoringKeysSecret keys = new ScoringKeysSecret(() -> "key-" + made.incrementAndGet());

  @Test
  void aNewSecretHoldsTwoKeysAndTheRotationValuesOfNow() {
    Secret secret = keys.created(service(Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1")));

    assertThat(secret.getMetadata().getName()).isEqualTo("iris-keys");
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getController()).isTrue());
    assertThat(secret.getStringData()).containsOnlyKeys("primary", "secondary");
    assertThat(secret.getStringData().get("primary"))
        .isNotEqualTo(secret.getStringData().get("secondary"));
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("mlws.io/primary-key-rotation", "1")
        .containsEntry("mlws.io/secondary-key-rotation", "");
  }

  @Test
  void onlyTheKeyWhoseRotationValueChangedIsMadeAgain() {
    Secret stored =
        stored(Map.of("mlws.io/primary-key-rotation", "1", "mlws.io/secondary-key-rotation", ""));

    assertThat(keys.rotations(service(Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1")), stored))
        .isEmpty();
    assertThat(keys.rotations(service(Map.of(AuthSpec.ROTATE_PRIMARY_ANNOTATION, "2")), stored))
        .containsOnlyKeys("primary");
    assertThat(
            keys.rotations(
                service(
                    Map.of(
                        AuthSpec.ROTATE_PRIMARY_ANNOTATION, "1",
                        AuthSpec.ROTATE_SECONDARY_ANNOTATION, "now")),
                stored))
        .containsOnlyKeys("secondary");
  }

  @Test
  void aPatchCarriesTheNewKeyAndTheValueItAnswers() {
    MLWebService mlws = service(Map.of(AuthSpec.ROTATE_SECONDARY_ANNOTATION, "2026-11-28"));
    Map<String, Object> patch = ScoringKeysSecret.mergePatch(mlws, Map.of("secondary", "k"));

    assertThat(patch)
        .isEqualTo(
            Map.of(
                "metadata",
                Map.of("annotations", Map.of("mlws.io/secondary-key-rotation", "2026-11-28")),
                "data",
                Map.of("secondary", "aw==")));
  }

  @Test
  void onlyTheSecretMadeForThisServiceIsTouched() {
    MLWebService mlws = service(Map.of());
    assertThat(ScoringKeysSecret.ours(keys.created(mlws), mlws)).isTrue();
    assertThat(ScoringKeysSecret.ours(stored(Map.of()), mlws)).as("no owner").isFalse();
    MLWebService other = service(Map.of());
    other.getMetadata().setUid("uid-2");
    assertThat(ScoringKeysSecret.ours(keys.created(other), mlws)).as("another owner").isFalse();
  }

  @Test
  void randomKeysAreLongAndDistinct() {
    Set<String> seen = new HashSet<>();
    IntStream.range(0, 1000).forEach(i -> seen.add(ScoringKeysSecret.randomKey()));
    assertThat(seen).hasSize(1000).allSatisfy(k -> assertThat(k).matches("[A-Za-z0-9_-]{43}"));
  }

  static MLWebService service(Map<String, String> annotations) {
    MLWebService mlws = new MLWebService();
    mlws.getMetadata().setName("iris");
    mlws.getMetadata().setNamespace("ml");
    mlws.getMetadata().setUid("uid-1");
    mlws.getMetadata().setAnnotations(annotations);
    return mlws;
  }

  static Secret stored(Map<String, String> annotations) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("iris-keys")
        .withAnnotations(annotations)
        .endMetadata()
        .withData(Map.of("primary", "cA==", "secondary", "cw=="))
        .build();
  }
}
