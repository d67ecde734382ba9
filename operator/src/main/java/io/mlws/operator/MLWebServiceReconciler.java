package io.mlws.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Workflow;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowBuilder;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.operator.analysis.VersionAnalysis;
import io.mlws.operator.auth.ScoringKeysSecret;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.dependent.AutoscalingRequested;
import io.mlws.operator.dependent.ForeignObjects;
import io.mlws.operator.dependent.NetworkPolicyRequested;
import io.mlws.operator.dependent.ReplicasHandover;
import io.mlws.operator.dependent.ScorerAutoscaler;
import io.mlws.operator.dependent.ScorerConfigMap;
import io.mlws.operator.dependent.ScorerDeployment;
import io.mlws.operator.dependent.ScorerDisruptionBudget;
import io.mlws.operator.dependent.ScorerNetworkPolicy;
import io.mlws.operator.dependent.ScorerObject;
import io.mlws.operator.dependent.ScorerPlan;
import io.mlws.operator.dependent.ScorerService;
import io.mlws.operator.dependent.SeveralReplicasPossible;
import io.mlws.operator.dependent.VersionAutoscalers;
import io.mlws.operator.dependent.VersionDeployments;
import io.mlws.operator.dependent.VersionServices;
import io.mlws.operator.rollout.PodFailures;
import io.mlws.operator.rollout.ScorerImageUpdates;
import io.mlws.operator.settings.SettingsConfirmation;
import io.mlws.operator.settings.SettingsReport;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.status.Blocker;
import io.mlws.operator.status.ObservedStatus;
import io.mlws.operator.status.SettingsCondition;
import io.mlws.operator.status.StatusConditions;
import io.mlws.operator.status.TransitionEvents;
import io.mlws.operator.telemetry.ConnectionStringSecrets;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Keeps the scorer objects of each MLWebService as its spec says, and reports how they are.
 *
 * <p>The dependents are built here, with the operator's configuration, and run as an explicit
 * workflow, so that an invalid spec or an object in the way leaves the last good objects serving
 * instead of being applied half-way. Failed reconciliations are retried without end, with a backoff
 * capped at a minute, so a flaky API server delays convergence but never stops it.
 */
@GradualRetry(maxAttempts = -1, initialInterval = 500, intervalMultiplier = 2, maxInterval = 60_000)
public class MLWebServiceReconciler implements Reconciler<MLWebService> {
  /** How often an object in the way is looked up again: it is not ours, so it is not watched. */
  static final Duration FOREIGN_OBJECT_RECHECK = Duration.ofSeconds(15);

  /**
   * How often a rollout in progress is looked at again: a pod that crash-loops changes nothing the
   * operator watches (the Deployment's counts stay as they are).
   */
  static final Duration ROLLOUT_RECHECK = Duration.ofSeconds(10);

  /**
   * Failed attempts in a row after which a 409 is reported: a few are concurrency; six (about 30 s
   * of backoff) mean something keeps winning the object.
   */
  static final int CONFLICTS_BEFORE_WARNING = 6;

  private final OperatorConfig config;
  private final EventPublisher events;
  private final StatusRecorder statusRecorder;
  private final Clock clock;
  private final ScorerConfigMap configMap = new ScorerConfigMap();
  private final ScorerDeployment deployment = new ScorerDeployment();
  private final ScorerService service = new ScorerService();
  private final ScorerAutoscaler autoscaler = new ScorerAutoscaler();
  private final ScorerDisruptionBudget budget = new ScorerDisruptionBudget();
  private final ScorerNetworkPolicy networkPolicy = new ScorerNetworkPolicy();
  private final VersionDeployments versionDeployments = new VersionDeployments();
  private final VersionServices versionServices = new VersionServices();
  private final VersionAutoscalers versionAutoscalers = new VersionAutoscalers();
  private final SettingsConfirmation settings;
  private final ScoringKeysSecret keys = new ScoringKeysSecret();
  private final Workflow<MLWebService> workflow;
  private final ScorerImageUpdates imageUpdates;
  private final VersionAnalysis analysis = new VersionAnalysis();

  /** Wakes a service waiting for its turn to move to the operator's scorer image. */
  private final SimpleInboundEventSource<MLWebService> imageTurns =
      new SimpleInboundEventSource<>("scorer-image-turns");

  public MLWebServiceReconciler(OperatorConfig config, EventPublisher events, Clock clock) {
    this.config = config;
    this.events = events;
    this.statusRecorder = new StatusRecorder(events, clock);
    this.clock = clock;
    this.settings = new SettingsConfirmation(config.confirmSettings());
    this.imageUpdates = new ScorerImageUpdates(config.scorerImage(), config.imageUpdatesAtOnce());
    this.workflow =
        new WorkflowBuilder<MLWebService>()
            // The versions' Services first: the settings file lists their cluster IPs.
            .addDependentResource(versionServices)
            .addDependentResourceAndConfigure(configMap)
            .dependsOn(versionServices)
            .addDependentResource(deployment)
            .addDependentResource(service)
            .addDependentResource(versionDeployments)
            .addDependentResource(versionAutoscalers)
            .addDependentResourceAndConfigure(autoscaler)
            .withReconcilePrecondition(new AutoscalingRequested())
            .addDependentResourceAndConfigure(budget)
            .withReconcilePrecondition(new SeveralReplicasPossible())
            .addDependentResourceAndConfigure(networkPolicy)
            .withReconcilePrecondition(new NetworkPolicyRequested())
            .withThrowExceptionFurther(false)
            .build();
  }

  @Override
  public List<EventSource<?, MLWebService>> prepareEventSources(
      EventSourceContext<MLWebService> context) {
    List<EventSource<?, MLWebService>> sources =
        new ArrayList<>(EventSourceUtils.eventSourcesFromWorkflow(context, workflow));
    sources.add(ConnectionStringSecrets.eventSource(context, config));
    sources.add(imageTurns);
    return sources;
  }

  @Override
  public UpdateControl<MLWebService> reconcile(MLWebService mlws, Context<MLWebService> context) {
    ScorerImageUpdates.Choice image = image(mlws, context);
    ResolvedSpec asWritten = ResolvedSpec.of(mlws, config);
    VersionAnalysis.Verdicts verdicts =
        analysis.observe(mlws, asWritten, context.getClient(), clock.instant());
    ScorerPlan plan = plan(mlws, asWritten.withRolledBack(verdicts.rolledBack()), image, context);
    Optional<Blocker> blocker =
        invalidSpec(mlws).or(() -> notAllowed(mlws)).or(() -> objectInTheWay(mlws, plan, context));
    // Nothing applied while something blocks: JOSDK's empty result cannot be asked for errors.
    Optional<WorkflowReconcileResult> applied = Optional.empty();
    if (blocker.isEmpty()) {
      if (plan.spec().callers().keysRequired()) {
        // Before the Deployment: pods mount the Secret and would wait for it.
        keys.ensure(context.getClient(), mlws);
      }
      ReplicasHandover.beforeApply(plan, deployment.getSecondaryResource(mlws, context), context);
      WorkflowReconcileResult result = workflow.reconcile(mlws, context);
      applied = Optional.of(result);
      blocker = refused(result).or(() -> podsFailing(mlws, context));
      announce(mlws, image);
    }
    MLWebServiceStatus status = recordStatus(mlws, plan, verdicts, blocker, context);
    applied.ifPresent(WorkflowReconcileResult::throwAggregateExceptionIfErrorsPresent);
    return recheckAfter(blocker, status, image)
        .map(after -> earlier(after, verdicts.readAgainAfter()))
        .or(verdicts::readAgainAfter)
        .map(after -> UpdateControl.<MLWebService>noUpdate().rescheduleAfter(after))
        .orElseGet(UpdateControl::noUpdate);
  }

  /**
   * The scorer image of this pass: the spec's, or the operator's, to which running services move a
   * few at a time (ScorerImageUpdates).
   */
  private ScorerImageUpdates.Choice image(MLWebService mlws, Context<MLWebService> context) {
    return imageUpdates.choose(
        mlws.getMetadata().getNamespace() + "/" + mlws.getMetadata().getName(),
        Optional.ofNullable(mlws.getSpec()).map(spec -> spec.getImage()),
        deployment.getSecondaryResource(mlws, context),
        () -> deployment.eventSource().map(cache -> cache.list().toList()).orElse(List.of()),
        clock.instant());
  }

  /**
   * A move to the operator's scorer image, and each new wait for one, as a Normal event; a move
   * finished wakes the services waiting for its turn.
   */
  private void announce(MLWebService mlws, ScorerImageUpdates.Choice image) {
    if (image instanceof ScorerImageUpdates.Current current) {
      for (String waiting : current.wake()) {
        String[] namespaceAndName = waiting.split("/", 2);
        imageTurns.propagateEvent(new ResourceID(namespaceAndName[1], namespaceAndName[0]));
      }
    }
    String reason =
        image instanceof ScorerImageUpdates.Move
            ? "ScorerImageUpdate"
            : image instanceof ScorerImageUpdates.Wait wait && wait.news()
                ? "ScorerImageUpdateWaiting"
                : null;
    if (reason != null) {
      ScorerImageUpdates.describe(image)
          .ifPresent(
              message ->
                  events.publish(
                      mlws,
                      List.of(new TransitionEvents.Note("Normal", reason, message)),
                      clock.instant()));
    }
  }

  private static Duration earlier(Duration one, Optional<Duration> other) {
    return other.filter(o -> o.compareTo(one) < 0).orElse(one);
  }

  /**
   * An object in the way is not watched, nor are the pods of a rollout or those applying new
   * settings, nor the turn a service waits for to move to the operator's image: look again.
   */
  private static Optional<Duration> recheckAfter(
      Optional<Blocker> blocker, MLWebServiceStatus status, ScorerImageUpdates.Choice image) {
    Optional<String> reason = blocker.map(Blocker::reason);
    if (reason.filter(Blocker.OBJECT_IN_THE_WAY::equals).isPresent()) {
      return Optional.of(FOREIGN_OBJECT_RECHECK);
    }
    if (reason.filter(Blocker.SCORER_PODS_FAILING::equals).isPresent()
        || StatusConditions.isTrue(status, StatusConditions.RECONCILING)) {
      return Optional.of(ROLLOUT_RECHECK);
    }
    return SettingsCondition.recheckAfter(status)
        .or(
            () ->
                image instanceof ScorerImageUpdates.Wait wait && wait.atOnce() > 0
                    ? Optional.of(ScorerImageUpdates.RECHECK)
                    : Optional.empty());
  }

  @Override
  public ErrorStatusUpdateControl<MLWebService> updateErrorStatus(
      MLWebService mlws, Context<MLWebService> context, Exception e) {
    // A refusal is already in status (ApplyFailed); a conflict is ordinary concurrency, until it
    // repeats on every retry: then something keeps winning the object and a person should know.
    if (ApiRefusal.permanent(e).isEmpty()
        && (!ApiRefusal.conflict(e) || attempts(context) >= CONFLICTS_BEFORE_WARNING)) {
      String message =
          ApiRefusal.conflict(e)
              ? "conflicts on every retry since "
                  + CONFLICTS_BEFORE_WARNING
                  + " attempts (is another controller writing the same object?): "
                  + ApiRefusal.describe(e)
              : ApiRefusal.describe(e);
      events.publish(
          mlws,
          List.of(new TransitionEvents.Note("Warning", "ReconcileFailed", message)),
          clock.instant());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private static int attempts(Context<MLWebService> context) {
    return context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(0);
  }

  /** Spec, telemetry and configuration for this pass, read once and shared with the dependents. */
  private ScorerPlan plan(
      MLWebService mlws,
      ResolvedSpec resolved,
      ScorerImageUpdates.Choice image,
      Context<MLWebService> context) {
    ResolvedSpec spec = resolved.withImage(image.image());
    TelemetryPlan telemetry = TelemetryPlan.of(spec, context.getSecondaryResource(Secret.class));
    ScorerPlan plan =
        new ScorerPlan(spec, telemetry, config, () -> versionAddresses(mlws, context));
    plan.shareWith(context);
    return plan;
  }

  /** The Deployments of spec.versions the cache has, by version name. */
  private Map<String, Deployment> versionDeployments(
      MLWebService mlws, Context<MLWebService> context) {
    Map<String, Deployment> deployments = new TreeMap<>();
    for (Deployment live : versionDeployments.getSecondaryResources(mlws, context).values()) {
      String version = live.getMetadata().getLabels().get(ScorerNames.VERSION_LABEL);
      if (version != null) {
        deployments.put(version, live);
      }
    }
    return deployments;
  }

  /**
   * The cluster IPs of the versions' Services the cache has, by version name: read when the
   * settings file is built, after the Services are applied (a Service the operator has just created
   * is in the cache at once).
   */
  private Map<String, String> versionAddresses(MLWebService mlws, Context<MLWebService> context) {
    Map<String, String> addresses = new TreeMap<>();
    for (Service live : versionServices.getSecondaryResources(mlws, context).values()) {
      String version = live.getMetadata().getLabels().get(ScorerNames.VERSION_LABEL);
      String clusterIp = live.getSpec() == null ? null : live.getSpec().getClusterIP();
      if (version != null
          && clusterIp != null
          && !clusterIp.isBlank()
          && !"None".equals(clusterIp)) {
        addresses.put(version, clusterIp);
      }
    }
    return addresses;
  }

  private Optional<Blocker> invalidSpec(MLWebService mlws) {
    List<String> problems = SpecValidation.problems(mlws, config);
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new Blocker(
                Blocker.INVALID_SPEC, "spec cannot be realized: " + String.join("; ", problems)));
  }

  private Optional<Blocker> notAllowed(MLWebService mlws) {
    List<String> refusals = config.policy().refusals(mlws.getSpec());
    return refusals.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new Blocker(
                Blocker.NOT_ALLOWED,
                String.join("; ", refusals)
                    + " (the objects already made keep serving; ask the cluster's platform team)"));
  }

  private Optional<Blocker> objectInTheWay(
      MLWebService mlws, ScorerPlan plan, Context<MLWebService> context) {
    List<ScorerObject<?>> dependents = new ArrayList<>(List.of(configMap, deployment, service));
    if (plan.spec().autoscaling().isPresent()) {
      dependents.add(autoscaler);
    }
    if (plan.spec().maxReplicas() >= 2) {
      dependents.add(budget);
    }
    if (plan.spec().callers().networkPolicyFrom().isPresent()) {
      dependents.add(networkPolicy);
    }
    List<ForeignObjects.Wanted> wanted = new ArrayList<>();
    dependents.forEach(dependent -> wanted.add(dependent.wanted(mlws, context)));
    wanted.addAll(versionDeployments.wanted(mlws, plan, context));
    wanted.addAll(versionServices.wanted(mlws, plan, context));
    wanted.addAll(versionAutoscalers.wanted(mlws, plan, context));
    return ForeignObjects.inTheWay(mlws, wanted, context)
        .map(message -> new Blocker(Blocker.OBJECT_IN_THE_WAY, message));
  }

  private static Optional<Blocker> refused(WorkflowReconcileResult applied) {
    return applied.getErroredDependents().values().stream()
        .flatMap(e -> ApiRefusal.permanent(e).stream())
        .findFirst()
        .map(
            message ->
                new Blocker(
                    Blocker.APPLY_FAILED,
                    "the API server refused the scorer objects (retrying with backoff): "
                        + message));
  }

  /**
   * A rollout that has made no progress for a while, because its new pods cannot start: the
   * scorer's own reason (its termination message), while the pods it replaces keep serving.
   * spec.model's pods first, then each version's.
   */
  private Optional<Blocker> podsFailing(MLWebService mlws, Context<MLWebService> context) {
    String name = mlws.getMetadata().getName();
    return podsFailing(
            context,
            mlws,
            "",
            deployment.getSecondaryResource(mlws, context),
            ScorerNames.selector(name))
        .or(
            () ->
                versionDeployments(mlws, context).entrySet().stream()
                    .flatMap(
                        version ->
                            podsFailing(
                                context,
                                mlws,
                                "version " + version.getKey() + ": ",
                                Optional.of(version.getValue()),
                                ScorerNames.versionSelector(name, version.getKey()))
                                .stream())
                    .findFirst());
  }

  private Optional<Blocker> podsFailing(
      Context<MLWebService> context,
      MLWebService mlws,
      String whose,
      Optional<Deployment> live,
      Map<String, String> podSelector) {
    if (!ObservedStatus.rollingOut(live) || !PodFailures.quietSince(live, clock.instant())) {
      return Optional.empty();
    }
    List<Pod> pods =
        context
            .getClient()
            .pods()
            .inNamespace(mlws.getMetadata().getNamespace())
            .withLabels(podSelector)
            .list()
            .getItems();
    return PodFailures.describe(pods)
        .map(
            failure ->
                new Blocker(
                    Blocker.SCORER_PODS_FAILING,
                    "%sthe rollout cannot finish, its new scorer pods do not start (replicas ready and serving meanwhile: %d); %s"
                        .formatted(whose, ObservedStatus.readyReplicas(live), failure)));
  }

  private MLWebServiceStatus recordStatus(
      MLWebService mlws,
      ScorerPlan plan,
      VersionAnalysis.Verdicts verdicts,
      Optional<Blocker> blocker,
      Context<MLWebService> context) {
    Optional<Deployment> live = deployment.getSecondaryResource(mlws, context);
    Optional<SettingsReport> applying =
        settings.check(mlws, context.getSecondaryResource(ConfigMap.class), context.getClient());
    MLWebServiceStatus status =
        ObservedStatus.compute(
            mlws,
            plan.spec(),
            live,
            versionDeployments(mlws, context),
            verdicts.byVersion(),
            plan.telemetry(),
            blocker,
            applying,
            clock.instant());
    statusRecorder.record(mlws, status, context);
    return status;
  }
}
