package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.spec.ScorerNames;
import java.util.List;

/**
 * What every object the operator owns has in common: its desired state comes from the reconcile's
 * {@link ScorerPlan}, it is controlled by its MLWebService (so `kubectl delete` and foreground
 * deletion wait for it), and only objects carrying our label are cached, without what other field
 * managers wrote ({@link OwnedObjectsCache}).
 */
public abstract class ScorerObject<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, MLWebService> {

  protected ScorerObject(Class<R> type) {
    super(type);
  }

  /** The object as this plan wants it; a pure function, unit-tested without a server. */
  protected abstract R desired(ScorerPlan plan);

  /** The name this object has for the plan's MLWebService. */
  public abstract String objectName(String mlwebserviceName);

  /** This object, for the check that it is not someone else's. */
  public ForeignObjects.Wanted wanted(MLWebService mlws, Context<MLWebService> context) {
    return new ForeignObjects.Wanted(
        resourceType(),
        objectName(mlws.getMetadata().getName()),
        getSecondaryResource(mlws, context).isPresent());
  }

  @Override
  protected final R desired(MLWebService mlws, Context<MLWebService> context) {
    return desired(ScorerPlan.of(context));
  }

  /**
   * The object this dependent manages, by name: never from the desired state, which does not exist
   * when the object is to be deleted (a precondition no longer met).
   */
  @Override
  protected ResourceID targetSecondaryResourceID(
      MLWebService primary, Context<MLWebService> context) {
    return new ResourceID(
        objectName(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(R desired, MLWebService primary) {
    desired.getMetadata().setOwnerReferences(List.of(ScorerNames.controllerReference(primary)));
  }

  @Override
  protected InformerEventSourceConfiguration.Builder<R> informerConfigurationBuilder(
      EventSourceContext<MLWebService> context) {
    return OwnedObjectsCache.selecting(
        super.informerConfigurationBuilder(context), context, ScorerNames.SERVICE_OBJECTS_SELECTOR);
  }
}
