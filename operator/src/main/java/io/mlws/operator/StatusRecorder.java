package io.mlws.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.status.TransitionEvents;
import java.time.Clock;

/**
 * Writes a changed status as a server-side apply of the status alone: no spec and no
 * resourceVersion, so a user, Argo CD or Flux writing the resource at the same moment never makes
 * it fail with a conflict. What was written is cached for the next reconciliation, and only then
 * are the events that explain the change recorded, so a failed write never repeats them.
 */
final class StatusRecorder {
  private final EventPublisher events;
  private final Clock clock;

  StatusRecorder(EventPublisher events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  void record(MLWebService mlws, MLWebServiceStatus status, Context<MLWebService> context) {
    if (status.equals(mlws.getStatus())) {
      return;
    }
    MLWebService statusOnly = new MLWebService();
    statusOnly.setMetadata(
        new ObjectMetaBuilder()
            .withName(mlws.getMetadata().getName())
            .withNamespace(mlws.getMetadata().getNamespace())
            .build());
    statusOnly.setStatus(status);
    MLWebService written =
        context
            .getClient()
            .resource(statusOnly)
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(context.getControllerConfiguration().fieldManager())
                    .withForce(true)
                    .build());
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(mlws), written, mlws);
    events.publish(mlws, TransitionEvents.between(mlws.getStatus(), status), clock.instant());
  }
}
