package io.mlws.operator.settings;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.operator.Sha256;
import io.mlws.operator.spec.ScorerNames;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the ready scorer pods apply the settings file in the service's ConfigMap. The kubelet
 * projects a changed ConfigMap into running pods a minute or more later, so status must not promise
 * a new redaction or sampling rate before the pods report it. The one door to this package.
 */
public final class SettingsConfirmation {
  private final boolean enabled;
  private final ScorerPodsAsker asker = new ScorerPodsAsker();

  public SettingsConfirmation(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * Empty when confirmation is off (then status has no SettingsApplied condition) or the ConfigMap
   * does not exist yet. Pods are asked only while the digest of the live ConfigMap is not yet the
   * one status reports as applied.
   */
  public Optional<SettingsReport> check(
      MLWebService mlws, Optional<ConfigMap> live, KubernetesClient client) {
    if (!enabled || live.isEmpty() || live.get().getData() == null) {
      return Optional.empty();
    }
    String settings = live.get().getData().get(ScorerNames.SETTINGS_FILE);
    if (settings == null) {
      return Optional.empty();
    }
    String wanted = digest(settings);
    if (mlws.getStatus() != null && Objects.equals(wanted, mlws.getStatus().getAppliedSettings())) {
      return Optional.of(SettingsReport.alreadyConfirmed(wanted));
    }
    String name = mlws.getMetadata().getName();
    Map<String, String> selector = ScorerNames.endpointSelector(name);
    return Optional.of(
        SettingsReport.asked(
            wanted,
            asker.ask(
                client, mlws.getMetadata().getNamespace(), selector, ScorerNames.PROBE_PORT)));
  }

  /** The scorer's digest of the file it applies (docs/api.md, "The scorer contract"). */
  public static String digest(String settingsFile) {
    return "sha256:" + Sha256.hex(settingsFile);
  }
}
