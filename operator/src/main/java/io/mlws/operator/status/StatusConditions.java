package io.mlws.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.mlws.api.v1alpha1.MLWebServiceStatus;
import java.util.Optional;

/** The condition types we write, and reading them back. */
public final class StatusConditions {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String APP_INSIGHTS_READY = "AppInsightsReady";
  public static final String SETTINGS_APPLIED = "SettingsApplied";

  private StatusConditions() {}

  public static Optional<Condition> find(MLWebServiceStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(MLWebServiceStatus status, String type) {
    return find(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
