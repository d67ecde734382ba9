package io.mlws.operator.auth;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mlws.api.v1alpha1.AuthSpec;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.spec.ScorerNames;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Secret {@code <name>-keys} holding a service's primary and secondary scoring keys: created
 * with two random keys, and one key regenerated when its rotation annotation on the MLWebService
 * has a value the Secret has not yet seen. Key values exist only here and in the Secret; they are
 * never logged, put in status or events, or kept in the operator's caches.
 */
public final class ScoringKeysSecret {
  /** Secret annotations recording the rotation annotation values already honoured. */
  static final Map<String, String> SEEN =
      Map.of(
          "primary", "mlws.io/primary-key-rotation",
          "secondary", "mlws.io/secondary-key-rotation");

  /** The MLWebService annotation that regenerates each key. */
  static final Map<String, String> ASKED =
      Map.of(
          "primary", AuthSpec.ROTATE_PRIMARY_ANNOTATION,
          "secondary", AuthSpec.ROTATE_SECONDARY_ANNOTATION);

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Supplier<String> newKey;

  public ScoringKeysSecret() {
    this(ScoringKeysSecret::randomKey);
  }

  ScoringKeysSecret(Supplier<String> newKey) {
    this.newKey = newKey;
  }

  /** The name of a service's keys Secret. */
  public static String name(String service) {
    return service + "-keys";
  }

  /** Makes the Secret exist with both keys, and regenerates a key whose rotation was asked for. */
  public void ensure(KubernetesClient client, MLWebService mlws) {
    String namespace = mlws.getMetadata().getNamespace();
    String name = name(mlws.getMetadata().getName());
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(created(mlws)).create();
      return;
    }
    if (!ours(existing, mlws)) {
      // Never write keys into, or read them from, a Secret someone else made.
      throw new IllegalStateException(
          "Secret "
              + name
              + " exists and is not this MLWebService's (no controller reference to it): delete"
              + " or rename it, and the operator makes the keys");
    }
    Map<String, String> rotated = rotations(mlws, existing);
    if (!rotated.isEmpty()) {
      client
          .secrets()
          .inNamespace(namespace)
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              client.getKubernetesSerialization().asJson(mergePatch(mlws, rotated)));
    }
  }

  /** Whether the Secret is the one made for this MLWebService (its controller reference). */
  static boolean ours(Secret secret, MLWebService mlws) {
    return secret.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            o ->
                Boolean.TRUE.equals(o.getController())
                    && Objects.equals(o.getUid(), mlws.getMetadata().getUid()));
  }

  /** A new Secret: both keys, and the rotation values current now (they ask for nothing more). */
  Secret created(MLWebService mlws) {
    Map<String, String> annotations = new HashMap<>();
    Map<String, String> data = new LinkedHashMap<>();
    for (String key : SEEN.keySet()) {
      annotations.put(SEEN.get(key), asked(mlws, key));
      data.put(key, newKey.get());
    }
    String service = mlws.getMetadata().getName();
    return new SecretBuilder()
        .withMetadata(
            ScorerNames.metadata(name(service), service, mlws.getMetadata().getNamespace()))
        .editMetadata()
        .addToAnnotations(annotations)
        .withOwnerReferences(ScorerNames.controllerReference(mlws))
        .endMetadata()
        .withType("Opaque")
        .withStringData(data)
        .build();
  }

  /** For each key whose rotation value changed: the new key, by key name. */
  Map<String, String> rotations(MLWebService mlws, Secret existing) {
    Map<String, String> seen =
        Objects.requireNonNullElse(existing.getMetadata().getAnnotations(), Map.of());
    Map<String, String> rotated = new LinkedHashMap<>();
    for (String key : SEEN.keySet()) {
      boolean missing = existing.getData() == null || !existing.getData().containsKey(key);
      if (missing || !asked(mlws, key).equals(seen.getOrDefault(SEEN.get(key), ""))) {
        rotated.put(key, newKey.get());
      }
    }
    return rotated;
  }

  /** The new keys, and the rotation values they answer, as a JSON merge patch of the Secret. */
  static Map<String, Object> mergePatch(MLWebService mlws, Map<String, String> rotated) {
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    rotated.forEach(
        (key, value) -> {
          data.put(key, base64(value));
          annotations.put(SEEN.get(key), asked(mlws, key));
        });
    return Map.of("metadata", Map.of("annotations", annotations), "data", data);
  }

  private static String asked(MLWebService mlws, String key) {
    Map<String, String> annotations = mlws.getMetadata().getAnnotations();
    return annotations == null ? "" : annotations.getOrDefault(ASKED.get(key), "");
  }

  /** 32 random bytes, URL-safe base64 without padding (43 characters). */
  static String randomKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
