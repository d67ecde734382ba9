package io.mlws.operator.status;

import static io.mlws.operator.status.StatusConditions.APP_INSIGHTS_READY;
import static io.mlws.operator.status.StatusConditions.READY;
import static io.mlws.operator.status.StatusConditions.RECONCILING;
import static io.mlws.operator.status.StatusConditions.STALLED;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import io.mlws.api.v1alpha1.ModelVersionStatus;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.api.v1alpha1.VersionAnalysisStatus;
import io.mlws.operator.settings.SettingsReport;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Computes the status from what exists: a pure function, so every case is a unit test. */
public final class ObservedStatus {
  private ObservedStatus() {}

  public static MLWebServiceStatus compute(
      MLWebService mlws,
      ResolvedSpec spec,
      Optional<Deployment> deployment,
      TelemetryPlan telemetry,
      Optional<Blocker> blocker,
      Optional<SettingsReport> settings,
      Instant now) {
    return compute(mlws, spec, deployment, Map.of(), telemetry, blocker, settings, now);
  }

  public static MLWebServiceStatus compute(
      MLWebService mlws,
      ResolvedSpec spec,
      Optional<Deployment> deployment,
      Map<String, Deployment> versionDeployments,
      TelemetryPlan telemetry,
      Optional<Blocker> blocker,
      Optional<SettingsReport> settings,
      Instant now) {
    return compute(
        mlws, spec, deployment, versionDeployments, Map.of(), telemetry, blocker, settings, now);
  }

  /**
   * The status, with the Deployments of spec.versions by version name and what their analysis
   * found: Ready once spec.model's pods and every version's are rolled out and no version is rolled
   * back (a rollback is Stalled: the spec's intent is not served until a person acts).
   */
  public static MLWebServiceStatus compute(
      MLWebService mlws,
      ResolvedSpec spec,
      Optional<Deployment> deployment,
      Map<String, Deployment> versionDeployments,
      Map<String, VersionAnalysisStatus> analyses,
      TelemetryPlan telemetry,
      Optional<Blocker> blocker,
      Optional<SettingsReport> settings,
      Instant now) {
    long generation = Objects.requireNonNullElse(mlws.getMetadata().getGeneration(), 0L);
    MLWebServiceStatus previous = mlws.getStatus();
    ConditionList conditions =
        new ConditionList(previous == null ? null : previous.getConditions(), generation, now);
    Rollout rollout = Rollout.of(deployment);
    Optional<String> versionRollingOut = versionRollingOut(spec, versionDeployments);
    Optional<String> rolledBack = rolledBack(spec, analyses);

    if (blocker.isPresent()) {
      Blocker b = blocker.get();
      conditions
          .set(READY, false, b.reason(), b.message())
          .set(RECONCILING, false, b.reason(), "waiting for the cause to go: " + b.message())
          .set(STALLED, true, b.reason(), b.message());
    } else if (rollout.deadlineExceeded().isPresent()) {
      String message = "scorer rollout stopped: " + rollout.deadlineExceeded().get();
      conditions
          .set(READY, false, "ProgressDeadlineExceeded", message)
          .set(RECONCILING, false, "ProgressDeadlineExceeded", message)
          .set(STALLED, true, "ProgressDeadlineExceeded", message);
    } else if (rolledBack.isPresent()) {
      String message = rolledBack.get();
      conditions
          .set(READY, false, "VersionRolledBack", message)
          .set(RECONCILING, false, "VersionRolledBack", message)
          .set(STALLED, true, "VersionRolledBack", message);
    } else if (rollout.complete() && telemetry.requestedButMissing()) {
      // The decision for GitOps: serving without the monitoring asked for is not healthy.
      String message =
          "the scorer serves (%s replicas ready) but without the Application Insights telemetry"
                  .formatted(rollout.summary())
              + " asked for: "
              + telemetry.message();
      conditions
          .set(READY, false, telemetry.reason(), message)
          .set(RECONCILING, false, telemetry.reason(), message)
          .set(STALLED, true, telemetry.reason(), message);
    } else if (rollout.complete() && rollout.desired() == 0) {
      String message =
          "scaled to zero (spec.replicas is 0): no scorer pod runs and requests to the Service"
              + " fail until it is scaled up";
      conditions
          .set(READY, true, "ScaledToZero", message)
          .set(RECONCILING, false, "ScaledToZero", message)
          .set(STALLED, false, "ScaledToZero", "nothing blocks the rollout");
    } else if (rollout.complete() && versionRollingOut.isPresent()) {
      String message = versionRollingOut.get();
      conditions
          .set(READY, false, "VersionRollingOut", message)
          .set(RECONCILING, true, "VersionRollingOut", message)
          .set(STALLED, false, "VersionRollingOut", "nothing blocks the rollout");
    } else if (rollout.complete()) {
      String message = rollout.summary() + " replicas ready";
      conditions
          .set(READY, true, "Available", message)
          .set(RECONCILING, false, "Available", message)
          .set(STALLED, false, "Available", "nothing blocks the rollout");
    } else {
      String message = rollout.progress();
      conditions
          .set(READY, false, rollout.reason(), message)
          .set(RECONCILING, true, rollout.reason(), message)
          .set(STALLED, false, rollout.reason(), "nothing blocks the rollout");
    }
    conditions.set(
        APP_INSIGHTS_READY, telemetry.enabled(), telemetry.reason(), telemetry.message());
    settings.ifPresent(
        report ->
            SettingsCondition.set(
                conditions, previous, report, ScorerNames.configMap(spec.name()), now));

    MLWebServiceStatus status = new MLWebServiceStatus();
    status.setObservedGeneration(generation);
    status.setConditions(conditions.build());
    status.setReplicas(rollout.replicas());
    status.setSelector(ScorerNames.selectorString(spec.name()));
    status.setReadyReplicas(rollout.readyReplicas());
    // The URL is shown once something answers at it.
    status.setUrl(rollout.readyReplicas() > 0 ? spec.url() : null);
    status.setAppInsights(telemetry.state());
    status.setDataCollection(telemetry.dataCollection(spec));
    status.setAppliedSettings(
        settings.filter(SettingsReport::allApply).map(SettingsReport::wanted).orElse(null));
    status.setVersions(versions(spec, rollout, versionDeployments, analyses));
    status.setTraffic(traffic(spec));
    return status;
  }

  /** The versions rolled back by their analysis, said with its figures and what undoes it. */
  private static Optional<String> rolledBack(
      ResolvedSpec spec, Map<String, VersionAnalysisStatus> analyses) {
    List<String> said = new ArrayList<>();
    for (ResolvedSpec.Version version : spec.versions()) {
      VersionAnalysisStatus analysis = analyses.get(version.name());
      if (version.rolledBack() && analysis != null) {
        said.add("model version " + version.name() + " " + analysis.getMessage());
      }
    }
    return said.isEmpty()
        ? Optional.empty()
        : Optional.of(
            String.join("; ", said)
                + ". The default version answers its calls; a new model in its spec, or the"
                + " version removed, ends the rollback");
  }

  /** How the calls are shared, e.g. "default 80, canary 20"; unset without spec.versions. */
  static String traffic(ResolvedSpec spec) {
    if (spec.versions().isEmpty()) {
      return null;
    }
    List<String> shares = new ArrayList<>();
    shares.add(SpecDefaults.DEFAULT_VERSION_NAME + " " + spec.defaultWeight());
    for (ResolvedSpec.Version version : spec.versions()) {
      shares.add(
          version.name()
              + " "
              + version.weight()
              + (version.mirrorPercentage() > 0
                  ? " (mirror " + version.mirrorPercentage() + ")"
                  : "")
              + (version.rolledBack() ? " (rolled back)" : ""));
    }
    return String.join(", ", shares);
  }

  /** The first version of spec.versions whose pods are not all rolled out, said as progress. */
  private static Optional<String> versionRollingOut(
      ResolvedSpec spec, Map<String, Deployment> versionDeployments) {
    for (ResolvedSpec.Version version : spec.versions()) {
      Rollout rollout = Rollout.of(Optional.ofNullable(versionDeployments.get(version.name())));
      if (!rollout.complete()) {
        return Optional.of("model version " + version.name() + ": " + rollout.progress());
      }
    }
    return Optional.empty();
  }

  private static List<ModelVersionStatus> versions(
      ResolvedSpec spec,
      Rollout rollout,
      Map<String, Deployment> versionDeployments,
      Map<String, VersionAnalysisStatus> analyses) {
    if (spec.versions().isEmpty()) {
      return null;
    }
    List<ModelVersionStatus> versions = new ArrayList<>();
    versions.add(
        new ModelVersionStatus(
            SpecDefaults.DEFAULT_VERSION_NAME,
            spec.defaultWeight(),
            rollout.replicas(),
            rollout.readyReplicas()));
    for (ResolvedSpec.Version version : spec.versions()) {
      Rollout of = Rollout.of(Optional.ofNullable(versionDeployments.get(version.name())));
      versions.add(
          new ModelVersionStatus(
                  version.name(), version.weight(), of.replicas(), of.readyReplicas())
              .withAnalysis(analyses.get(version.name())));
    }
    return versions;
  }

  /** Whether the scorer Deployment exists and its rollout has not finished. */
  public static boolean rollingOut(Optional<Deployment> deployment) {
    return deployment.isPresent() && !Rollout.of(deployment).complete();
  }

  /** Of the scorer Deployment, the replicas ready to serve. */
  public static int readyReplicas(Optional<Deployment> deployment) {
    return Rollout.of(deployment).readyReplicas();
  }

  /** The scorer Deployment's progress, read the way `kubectl rollout status` reads it. */
  record Rollout(Deployment deployment) {
    static Rollout of(Optional<Deployment> deployment) {
      return new Rollout(deployment.orElse(null));
    }

    private DeploymentStatus status() {
      return deployment == null || deployment.getStatus() == null
          ? new DeploymentStatus()
          : deployment.getStatus();
    }

    int desired() {
      return deployment == null || deployment.getSpec().getReplicas() == null
          ? 1
          : deployment.getSpec().getReplicas();
    }

    int replicas() {
      return Objects.requireNonNullElse(status().getReplicas(), 0);
    }

    int readyReplicas() {
      return Objects.requireNonNullElse(status().getReadyReplicas(), 0);
    }

    int updated() {
      return Objects.requireNonNullElse(status().getUpdatedReplicas(), 0);
    }

    int available() {
      return Objects.requireNonNullElse(status().getAvailableReplicas(), 0);
    }

    boolean observed() {
      return deployment != null
          && Objects.equals(
              status().getObservedGeneration(), deployment.getMetadata().getGeneration());
    }

    boolean complete() {
      return observed()
          && updated() == desired()
          && readyReplicas() == desired()
          && available() == desired()
          && replicas() == desired();
    }

    Optional<String> deadlineExceeded() {
      List<DeploymentCondition> list =
          status().getConditions() == null ? List.of() : status().getConditions();
      return list.stream()
          .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
          .filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
          .map(c -> Objects.requireNonNullElse(c.getMessage(), "progress deadline exceeded"))
          .findFirst();
    }

    String reason() {
      if (deployment == null) {
        return "Creating";
      }
      return observed() && updated() == desired() ? "WaitingForReplicas" : "RollingOut";
    }

    String progress() {
      if (deployment == null) {
        return "creating the scorer Deployment";
      }
      if (!observed()) {
        return "the Deployment controller has not yet seen the latest scorer template";
      }
      return "%d of %d replicas updated, %d ready, %d available"
          .formatted(updated(), desired(), readyReplicas(), available());
    }

    String summary() {
      return readyReplicas() + "/" + desired();
    }
  }
}
