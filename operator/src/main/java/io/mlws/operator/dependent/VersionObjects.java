package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.spec.ScorerNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Objects of one kind, one per model version of an MLWebService (spec.versions, and spec.model's
 * while there are versions): as {@link ScorerObject}, but as many as the plan has versions, the
 * ones no longer wanted deleted (and all of them by Kubernetes' garbage collector with the
 * MLWebService, their owner). Their informer caches only the versions' objects, so the
 * one-per-service dependents of the same kind never see them.
 */
public abstract class VersionObjects<R extends HasMetadata>
    extends KubernetesDependentResource<R, MLWebService>
    implements CRUDKubernetesBulkDependentResource<R, MLWebService>,
        GarbageCollected<MLWebService> {

  protected VersionObjects(Class<R> type) {
    super(type);
  }

  /** Each wanted object, by version name; pure, unit-tested without a server. */
  protected abstract Map<String, R> desired(ScorerPlan plan);

  @Override
  public final Map<ResourceID, R> desiredResources(
      MLWebService primary, Context<MLWebService> context) {
    Map<ResourceID, R> desired = new LinkedHashMap<>();
    desired(ScorerPlan.of(context))
        .values()
        .forEach(object -> desired.put(ResourceID.fromResource(object), object));
    return desired;
  }

  @Override
  public Map<ResourceID, R> getSecondaryResources(
      MLWebService primary, Context<MLWebService> context) {
    return eventSource()
        .map(cache -> cache.getSecondaryResources(primary))
        .orElse(Set.of())
        .stream()
        .collect(Collectors.toMap(ResourceID::fromResource, object -> object));
  }

  /** The objects this plan wants, for the check that none of them is someone else's. */
  public List<ForeignObjects.Wanted> wanted(
      MLWebService primary, ScorerPlan plan, Context<MLWebService> context) {
    Map<ResourceID, R> ours = getSecondaryResources(primary, context);
    return desired(plan).values().stream()
        .map(
            object ->
                new ForeignObjects.Wanted(
                    resourceType(),
                    object.getMetadata().getName(),
                    ours.containsKey(ResourceID.fromResource(object))))
        .toList();
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, MLWebService primary) {
    desired.getMetadata().setOwnerReferences(List.of(ScorerNames.controllerReference(primary)));
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
      EventSourceContext<MLWebService> context) {
    return OwnedObjectsCache.selecting(
        super.informerConfigurationBuilder(context), context, ScorerNames.VERSION_OBJECTS_SELECTOR);
  }
}
