package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.cache.OwnFieldsOnlyStore;

/**
 * How the informer of any kind of object the operator owns is set up: the controller's namespaces,
 * a label selector, and a cache that keeps only the operator's own managed fields.
 */
final class OwnedObjectsCache {
  private OwnedObjectsCache() {}

  static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> selecting(
      InformerEventSourceConfiguration.Builder<R> builder,
      EventSourceContext<MLWebService> context,
      String labelSelector) {
    return builder
        .withNamespacesInheritedFromController()
        .withLabelSelector(labelSelector)
        .withItemStore(
            new OwnFieldsOnlyStore<>(context.getControllerConfiguration().fieldManager()));
  }
}
