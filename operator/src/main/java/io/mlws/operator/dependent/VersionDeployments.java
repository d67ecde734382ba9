package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of each of spec.versions: spec.model's Deployment for the version's model, replicas and
 * resources, named NAME-VERSION, with labels of its own so that no selector of spec.model's pods
 * counts them, and told its version's name (MLWS_VERSION_NAME) to route and label its telemetry.
 */
public class VersionDeployments extends VersionObjects<Deployment> {
  /** The scorer's variable naming the version a pod serves; spec.model's pods have none. */
  public static final String VERSION_NAME_VARIABLE = "MLWS_VERSION_NAME";

  public VersionDeployments() {
    super(Deployment.class);
  }

  @Override
  protected Map<String, Deployment> desired(ScorerPlan plan) {
    Map<String, Deployment> deployments = new LinkedHashMap<>();
    for (ResolvedSpec.Version version : plan.spec().versions()) {
      deployments.put(
          version.name(), desired(plan.spec(), version, plan.telemetry(), plan.config()));
    }
    return deployments;
  }

  /**
   * The spread constraints of spec.model's pods, those that count spec.model's pods made to count
   * this version's: each version's pods are spread over nodes and zones among themselves.
   */
  private static List<TopologySpreadConstraint> spreadOfTheVersion(
      Deployment base, String name, Map<String, String> versionSelector) {
    LabelSelector ofTheService =
        new LabelSelectorBuilder().withMatchLabels(ScorerNames.selector(name)).build();
    return base.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
        .map(
            constraint ->
                ofTheService.equals(constraint.getLabelSelector())
                    ? new TopologySpreadConstraintBuilder(constraint)
                        .withLabelSelector(
                            new LabelSelectorBuilder().withMatchLabels(versionSelector).build())
                        .build()
                    : constraint)
        .toList();
  }

  public static Deployment desired(
      ResolvedSpec spec,
      ResolvedSpec.Version version,
      TelemetryPlan telemetry,
      OperatorConfig config) {
    Deployment base = ScorerDeployment.desired(spec.forVersion(version), telemetry, config);
    Map<String, String> podLabels =
        new LinkedHashMap<>(base.getSpec().getTemplate().getMetadata().getLabels());
    podLabels.putAll(ScorerNames.versionLabels(spec.name(), version.name()));
    return new DeploymentBuilder(base)
        .editMetadata()
        .withName(ScorerNames.versionObject(spec.name(), version.name()))
        .withLabels(ScorerNames.versionLabels(spec.name(), version.name()))
        .endMetadata()
        .editSpec()
        .editSelector()
        .withMatchLabels(ScorerNames.versionSelector(spec.name(), version.name()))
        .endSelector()
        .editTemplate()
        .editMetadata()
        .withLabels(podLabels)
        .addToAnnotations(ScorerNames.MODEL_ANNOTATION, version.model().digest())
        .endMetadata()
        .editSpec()
        .withTopologySpreadConstraints(
            spreadOfTheVersion(
                base, spec.name(), ScorerNames.versionSelector(spec.name(), version.name())))
        .editFirstContainer()
        .addToEnv(new EnvVar(VERSION_NAME_VARIABLE, version.name(), null))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
