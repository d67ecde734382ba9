package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A HorizontalPodAutoscaler (NAME-VERSION) for each version of spec.versions with autoscaling,
 * scaling that version's Deployment on CPU as spec.autoscaling scales spec.model's.
 */
public class VersionAutoscalers extends VersionObjects<HorizontalPodAutoscaler> {

  public VersionAutoscalers() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  protected Map<String, HorizontalPodAutoscaler> desired(ScorerPlan plan) {
    return desired(plan.spec());
  }

  public static Map<String, HorizontalPodAutoscaler> desired(ResolvedSpec spec) {
    Map<String, HorizontalPodAutoscaler> autoscalers = new LinkedHashMap<>();
    for (ResolvedSpec.Version version : spec.versions()) {
      if (version.autoscaling().isEmpty()) {
        continue;
      }
      String name = ScorerNames.versionObject(spec.name(), version.name());
      autoscalers.put(
          version.name(),
          new HorizontalPodAutoscalerBuilder(ScorerAutoscaler.desired(spec.forVersion(version)))
              .editMetadata()
              .withName(name)
              .withLabels(ScorerNames.versionLabels(spec.name(), version.name()))
              .endMetadata()
              .editSpec()
              .editScaleTargetRef()
              .withName(name)
              .endScaleTargetRef()
              .endSpec()
              .build());
    }
    return autoscalers;
  }
}
