package io.mlws.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.dependent.AutoscalingRequested;
import io.mlws.operator.dependent.ScorerAutoscaler;
import io.mlws.operator.dependent.ScorerConfigMap;
import io.mlws.operator.dependent.ScorerDeployment;
import io.mlws.operator.dependent.ScorerDisruptionBudget;
import io.mlws.operator.dependent.ScorerService;
import io.mlws.operator.dependent.SeveralReplicasPossible;
import io.mlws.operator.status.ObservedStatus;
import io.mlws.operator.status.StatusConditions;
import io.mlws.operator.status.TransitionEvents;
import io.mlws.operator.telemetry.ConnectionStringSecrets;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the scorer objects of each MLWebService as its spec says, and reports how they are.
 *
 * <p>The workflow is invoked explicitly so that an invalid spec leaves the last good objects
 * serving instead of being applied half-way. Failed reconciliations are retried without end, with a
 * backoff capped at a minute, so a flaky API server delays convergence but never stops it.
 */
@GradualRetry(maxAttempts = -1, initialInterval = 500, intervalMultiplier = 2, maxInterval = 60_000)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(type = ScorerConfigMap.class),
      @Dependent(type = ScorerDeployment.class),
      @Dependent(type = ScorerService.class),
      @Dependent(type = ScorerAutoscaler.class, reconcilePrecondition = AutoscalingRequested.class),
      @Dependent(
          type = ScorerDisruptionBudget.class,
          reconcilePrecondition = SeveralReplicasPossible.class)
    })
public class MLWebServiceReconciler implements Reconciler<MLWebService> {
  private final OperatorConfig config;
  private final EventPublisher events;
  private final Clock clock;

  public MLWebServiceReconciler(OperatorConfig config, EventPublisher events, Clock clock) {
    this.config = config;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, MLWebService>> prepareEventSources(
      EventSourceContext<MLWebService> context) {
    return List.of(ConnectionStringSecrets.eventSource(context, config));
  }

  @Override
  public UpdateControl<MLWebService> reconcile(MLWebService mlws, Context<MLWebService> context) {
    ResolvedSpec spec = ResolvedSpec.of(mlws, config);
    List<String> problems = SpecValidation.problems(mlws.getSpec(), config);
    TelemetryPlan telemetry = TelemetryPlan.of(spec, context.getSecondaryResource(Secret.class));
    if (problems.isEmpty()) {
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    MLWebServiceStatus status =
        ObservedStatus.compute(mlws, spec, deployment, telemetry, problems, clock.instant());
    return recordStatus(mlws, status);
  }

  @Override
  public ErrorStatusUpdateControl<MLWebService> updateErrorStatus(
      MLWebService mlws, Context<MLWebService> context, Exception e) {
    if (StatusConditions.isTrue(mlws.getStatus(), StatusConditions.STALLED)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    events.publish(
        mlws,
        List.of(new TransitionEvents.Note("Warning", "ReconcileFailed", describe(e))),
        clock.instant());
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private UpdateControl<MLWebService> recordStatus(MLWebService mlws, MLWebServiceStatus status) {
    if (status.equals(mlws.getStatus())) {
      return UpdateControl.noUpdate();
    }
    events.publish(mlws, TransitionEvents.between(mlws.getStatus(), status), clock.instant());
    mlws.setStatus(status);
    return UpdateControl.patchStatus(mlws);
  }

  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.length() > 512 ? message.substring(0, 512) + "..." : message;
  }
}
