package io.mlws.operator.telemetry;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.mlws.operator.Sha256;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator only needs to know which keys a Secret has and whether a value changed, so its
 * informer cache keeps key names with a digest of each value and drops every value: a heap dump or
 * a debug log of the operator cannot leak a connection string. The digest is an HMAC-SHA256 keyed
 * by the Secret's UID: it reaches the pod template (so that a rotation rolls the pods), where
 * anyone with {@code view} reads it, and a plain hash would let them check a guessed connection
 * string; the UID is readable only with access to the Secret itself. The Secret's annotations and
 * managed fields go too: a client-side {@code kubectl apply} writes the whole Secret, values
 * included, into its last-applied-configuration annotation, and the operator reads neither.
 */
public final class KeyNamesOnlySecretStore extends BasicItemStore<Secret> {

  public KeyNamesOnlySecretStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Secret put(String key, Secret secret) {
    return super.put(key, withoutValues(secret));
  }

  /**
   * Each value becomes "hmac-sha256:&lt;hex&gt;"; an empty value stays empty so it counts as
   * missing.
   */
  public static Secret withoutValues(Secret secret) {
    String key = "mlws-secret-uid:" + secret.getMetadata().getUid();
    Map<String, String> keys = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> keys.put(k, digest(key, v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> keys.put(k, digest(key, v)));
    }
    return new SecretBuilder()
        .withMetadata(
            // Empty, not null: JOSDK reads the annotations of every object an informer hands on.
            new ObjectMetaBuilder(secret.getMetadata())
                .withAnnotations(new LinkedHashMap<>())
                .withManagedFields(new ArrayList<ManagedFieldsEntry>())
                .build())
        .withType(secret.getType())
        .withImmutable(secret.getImmutable())
        .withData(keys)
        .build();
  }

  private static String digest(String key, String value) {
    return value == null || value.isEmpty() ? "" : "hmac-sha256:" + Sha256.keyedHex(key, value);
  }
}
