package io.mlws.operator.telemetry;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator only needs to know which keys a Secret has, so its informer cache keeps key names
 * and drops every value: a heap dump or a debug log of the operator cannot leak a connection
 * string.
 */
public final class KeyNamesOnlySecretStore extends BasicItemStore<Secret> {
  /** Stands for a non-empty value; an empty value stays empty so it still counts as missing. */
  public static final String PRESENT = "cHJlc2VudA==";

  public KeyNamesOnlySecretStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Secret put(String key, Secret secret) {
    return super.put(key, withoutValues(secret));
  }

  static Secret withoutValues(Secret secret) {
    Map<String, String> keys = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> keys.put(k, v == null || v.isEmpty() ? "" : PRESENT));
    }
    if (secret.getStringData() != null) {
      secret
          .getStringData()
          .forEach((k, v) -> keys.put(k, v == null || v.isEmpty() ? "" : PRESENT));
    }
    return new SecretBuilder()
        .withMetadata(secret.getMetadata())
        .withType(secret.getType())
        .withImmutable(secret.getImmutable())
        .withData(keys)
        .build();
  }
}
