package io.mlws.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.config.OperatorConfig;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.telemetry.TelemetryPlan;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one reconciliation decided, computed once and shared with every dependent through the
 * context, so the Deployment and the status never read the Secret twice and disagree. With
 * spec.versions, the cluster IPs of the versions' Services (by version name) as the cache has them
 * when asked: where scorer pods send the calls they route.
 */
public record ScorerPlan(
    ResolvedSpec spec,
    TelemetryPlan telemetry,
    OperatorConfig config,
    Supplier<Map<String, String>> versionAddresses) {

  public void shareWith(Context<MLWebService> context) {
    context.managedWorkflowAndDependentResourceContext().put(ScorerPlan.class, this);
  }

  public static ScorerPlan of(Context<MLWebService> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(ScorerPlan.class, ScorerPlan.class);
  }
}
