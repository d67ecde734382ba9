package io.mlws.operator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's Secret cache keeps which keys exist and never their values. */
class KeyNamesOnlySecretStoreTest {
  @Test
  void storesKeyNamesAndDropsValues() {
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("ai")
            .withNamespace("ns")
            .endMetadata()
            .withData(
                Map.of("connection-string", "SW5zdHJ1bWVudGF0aW9uS2V5PXNlY3JldA==", "empty", ""))
            .withStringData(Map.of("plain", "InstrumentationKey=secret"))
            .build();
    KeyNamesOnlySecretStore store = new KeyNamesOnlySecretStore();

    store.put("ns/ai", secret);

    Secret cached = store.get("ns/ai");
    assertThat(cached.getData())
        .containsOnlyKeys("connection-string", "empty", "plain")
        .containsEntry("empty", "");
    assertThat(cached.getData().get("connection-string"))
        .as("a digest, so that rotation is seen")
        .matches("hmac-sha256:[0-9a-f]{64}")
        .isNotEqualTo(cached.getData().get("plain"));
    assertThat(cached.getStringData()).isNullOrEmpty();
    assertThat(cached.toString())
        .doesNotContain("InstrumentationKey")
        .doesNotContain("SW5zdHJ1bWVudGF0aW9u");
  }

  /**
   * The digest reaches the pod template, which anyone with view reads: it must not be the plain
   * SHA-256 of the value (a guess could be checked against it), and it is keyed per Secret.
   */
  @Test
  void digestsAreKeyedByTheSecretsUidNotAPlainHashOfTheValue() {
    String value = "SW5zdHJ1bWVudGF0aW9uS2V5PXNlY3JldA==";
    String first = digestIn(secretWithUid("0b5d4b9e-1", value));
    String again = digestIn(secretWithUid("0b5d4b9e-1", value));
    String recreated = digestIn(secretWithUid("7f0e2c11-2", value));

    assertThat(first).isEqualTo(again).isNotEqualTo(recreated);
    assertThat(first)
        .as("not the plain hash of the value a guess could be checked against")
        .doesNotContain(io.mlws.operator.Sha256.hex(value));
  }

  private static Secret secretWithUid(String uid, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("ai")
        .withNamespace("ns")
        .withUid(uid)
        .endMetadata()
        .withData(Map.of("connection-string", value))
        .build();
  }

  private static String digestIn(Secret secret) {
    return KeyNamesOnlySecretStore.withoutValues(secret).getData().get("connection-string");
  }

  @Test
  void dropsTheLastAppliedAnnotationThatHoldsTheValueAndTheManagedFields() {
    String applied =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"stringData\":{\"connection-string\":"
            + "\"InstrumentationKey=secret\"}}";
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName("ai")
            .withNamespace("ns")
            .withLabels(Map.of("mlws.io/connection-string", "true"))
            .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", applied))
            .addNewManagedField()
            .withManager("kubectl-client-side-apply")
            .withOperation("Update")
            .endManagedField()
            .endMetadata()
            .withData(Map.of("connection-string", "SW5zdHJ1bWVudGF0aW9uS2V5PXNlY3JldA=="))
            .build();
    KeyNamesOnlySecretStore store = new KeyNamesOnlySecretStore();

    store.put("ns/ai", secret);

    Secret cached = store.get("ns/ai");
    // Empty, never null: JOSDK's InformerEventSource reads the annotations of what the informer
    // hands on (a null map there failed every Secret event with a NullPointerException).
    assertThat(cached.getMetadata().getAnnotations()).isNotNull().isEmpty();
    assertThat(cached.getMetadata().getManagedFields()).isNotNull().isEmpty();
    assertThat(cached.getMetadata().getLabels())
        .as("the label the informer selects on")
        .containsEntry("mlws.io/connection-string", "true");
    assertThat(cached.toString()).doesNotContain("InstrumentationKey");
  }
}
