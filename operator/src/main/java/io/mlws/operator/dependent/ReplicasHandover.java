package io.mlws.operator.dependent;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.mlws.api.v1alpha1.MLWebService;
import java.util.Map;
import java.util.Optional;

/**
 * Switching a service from spec.replicas to spec.autoscaling must not drop its pods: if the
 * operator simply stopped applying spec.replicas, it would release the field as its only owner and
 * the API server would reset it to 1. So, as the server-side apply documentation describes for
 * handing a field to an autoscaler, a second field manager first applies the current value, and
 * only then does the operator's apply leave the field out; the value stays until the HPA changes
 * it.
 */
public final class ReplicasHandover {
  /** The field manager that holds spec.replicas between the operator and the HPA. */
  public static final String MANAGER = "mlws-operator-replicas-handover";

  private ReplicasHandover() {}

  public static void beforeApply(
      ScorerPlan plan, Optional<Deployment> live, Context<MLWebService> context) {
    if (plan.spec().autoscaling().isEmpty()) {
      return;
    }
    String operatorManager = context.getControllerConfiguration().fieldManager();
    if (live.isEmpty()
        || live.get().getSpec().getReplicas() == null
        || !ownsReplicas(live.get(), operatorManager)) {
      return;
    }
    Deployment replicasOnly =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(live.get().getMetadata().getName())
            .withNamespace(live.get().getMetadata().getNamespace())
            .endMetadata()
            .withNewSpec()
            .withReplicas(live.get().getSpec().getReplicas())
            .endSpec()
            .build();
    context
        .getClient()
        .resource(replicasOnly)
        .fieldManager(MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  static boolean ownsReplicas(Deployment deployment, String manager) {
    return deployment.getMetadata().getManagedFields().stream()
        .filter(entry -> manager.equals(entry.getManager()))
        .filter(entry -> "Apply".equals(entry.getOperation()))
        .anyMatch(ReplicasHandover::hasReplicas);
  }

  private static boolean hasReplicas(ManagedFieldsEntry entry) {
    if (entry.getFieldsV1() == null) {
      return false;
    }
    Object spec = entry.getFieldsV1().getAdditionalProperties().get("f:spec");
    return spec instanceof Map<?, ?> fields && fields.containsKey("f:replicas");
  }
}
