package io.mlws.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An informer cache that keeps of each object's bookkeeping only what the operator reads: the
 * managed-fields entries of its own field manager (server-side apply's matcher and the replicas
 * handover compare against them), not those of the deployment controller, the HPA or a user, and no
 * last-applied-configuration (a client-side {@code kubectl apply} copies the whole object into it).
 * On the real API server these are most of a cached Deployment; at a thousand MLWebServices they
 * are what the operator's memory is spent on.
 */
public final class OwnFieldsOnlyStore<R extends HasMetadata> extends BasicItemStore<R> {
  /** The annotation client-side apply writes, with the whole applied object in it. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final String fieldManager;

  public OwnFieldsOnlyStore(String fieldManager) {
    super(Cache::metaNamespaceKeyFunc);
    this.fieldManager = fieldManager;
  }

  @Override
  public R put(String key, R object) {
    return super.put(key, trimmed(object, fieldManager));
  }

  /**
   * The object itself, trimmed in place (the informer hands its listeners the instance it stores,
   * and none of them reads what goes). Annotations and managed fields stay a map and a list, never
   * null: JOSDK reads the annotations of every object it is handed.
   */
  static <R extends HasMetadata> R trimmed(R object, String fieldManager) {
    var metadata = object.getMetadata();
    if (metadata.getAnnotations() != null && metadata.getAnnotations().containsKey(LAST_APPLIED)) {
      Map<String, String> annotations = new LinkedHashMap<>(metadata.getAnnotations());
      annotations.remove(LAST_APPLIED);
      metadata.setAnnotations(annotations);
    }
    if (metadata.getManagedFields() != null) {
      List<ManagedFieldsEntry> own =
          metadata.getManagedFields().stream()
              .filter(entry -> fieldManager.equals(entry.getManager()))
              .toList();
      metadata.setManagedFields(new ArrayList<>(own));
    }
    return object;
  }
}
