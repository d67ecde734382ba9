package io.mlws.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mlws.api.v1alpha1.MLWebService;
import io.mlws.api.v1alpha1.ModelVersionStatus;
import io.mlws.api.v1alpha1.SpecDefaults;
import io.mlws.api.v1alpha1.VersionAnalysisStatus;
import io.mlws.operator.pods.ServingPods;
import io.mlws.operator.spec.ResolvedSpec;
import io.mlws.operator.spec.ScorerNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rollback from telemetry: judges each version that has spec.versions[].analysis by the calls its
 * pods counted in the last window, against the default version's, and rolls back one found worse.
 * The counts are read from every serving pod's /metrics each time a service is reconciled, at most
 * every few seconds, and kept in memory; a verdict of rollback is kept in status, so it outlives
 * the operator's restart.
 */
public final class VersionAnalysis {
  /** Reads closer together than this reuse the last one. */
  static final Duration MIN_READ_GAP = Duration.ofSeconds(2);

  /** A window is read about six times; never more often than every 5 s, nor less than every 30. */
  static final Duration MIN_READ_INTERVAL = Duration.ofSeconds(5);

  static final Duration MAX_READ_INTERVAL = Duration.ofSeconds(30);

  /**
   * A service's reads not added to for this long are forgotten: it was deleted (or its analysis
   * ended while the operator was away). Twice the longest window a version may have.
   */
  static final Duration FORGET_AFTER =
      Duration.ofSeconds(2L * SpecDefaults.ANALYSIS_MAX_WINDOW_SECONDS);

  /**
   * What analysis found this pass, by version name; the versions rolled back; when to read the
   * pods' counts again. A rollback is said by status (Stalled, reason VersionRolledBack), whose
   * transition is a Warning event.
   */
  public record Verdicts(
      Map<String, VersionAnalysisStatus> byVersion,
      Set<String> rolledBack,
      Optional<Duration> readAgainAfter) {}

  private final Map<String, CountsWindow> windows = new ConcurrentHashMap<>();
  private final PodMetrics metrics = new PodMetrics();

  public Verdicts observe(
      MLWebService mlws, ResolvedSpec spec, KubernetesClient client, Instant now) {
    String key = spec.namespace() + "/" + spec.name();
    Map<String, VersionAnalysisStatus> previous = previous(mlws);
    Map<String, VersionAnalysisStatus> byVersion = new TreeMap<>();
    Set<String> rolledBack = new TreeSet<>();
    List<ResolvedSpec.Version> judged = new ArrayList<>();
    for (ResolvedSpec.Version version : spec.versions()) {
      if (version.analysis().isEmpty()) {
        continue;
      }
      VersionAnalysisStatus before = previous.get(version.name());
      if (stillRolledBack(before, version)) {
        byVersion.put(version.name(), before);
        rolledBack.add(version.name());
      } else {
        judged.add(version);
      }
    }
    if (judged.isEmpty()) {
      windows.remove(key);
      return new Verdicts(byVersion, rolledBack, Optional.empty());
    }
    windows.values().removeIf(unread -> unread.latest().isBefore(now.minus(FORGET_AFTER)));
    CountsWindow window = windows.computeIfAbsent(key, k -> new CountsWindow());
    if (window.latest().isBefore(now.minus(MIN_READ_GAP))) {
      window.add(new CountsWindow.Snapshot(now, read(spec, judged, client)));
      window.keep(
          judged.stream()
              .map(version -> version.analysis().get().window())
              .max(Duration::compareTo)
              .get());
    }
    for (ResolvedSpec.Version version : judged) {
      ResolvedSpec.Analysis analysis = version.analysis().get();
      Map<String, RequestCounts> counts = window.lastWindow(analysis.window());
      VersionAnalysisStatus status =
          Judgement.judge(
              analysis,
              counts.getOrDefault(version.name(), RequestCounts.NONE),
              counts.getOrDefault(SpecDefaults.DEFAULT_VERSION_NAME, RequestCounts.NONE));
      VersionAnalysisStatus before = previous.get(version.name());
      status.setLastTransitionTime(
          before != null && Objects.equals(before.getPhase(), status.getPhase())
              ? before.getLastTransitionTime()
              : now.toString());
      if (VersionAnalysisStatus.ROLLED_BACK.equals(status.getPhase())) {
        status.setRolledBackModel(version.model().digest());
        rolledBack.add(version.name());
      }
      byVersion.put(version.name(), status);
    }
    return new Verdicts(byVersion, rolledBack, Optional.of(readInterval(judged)));
  }

  /** Rolled back, and its model is still the one rolled back. */
  private static boolean stillRolledBack(
      VersionAnalysisStatus before, ResolvedSpec.Version version) {
    return before != null
        && VersionAnalysisStatus.ROLLED_BACK.equals(before.getPhase())
        && version.model().digest().equals(before.getRolledBackModel());
  }

  /**
   * Each serving pod's counts, by uid; of a judged version's pods, only those that serve its model
   * of now (a pod still running the model before it is no evidence about this one).
   */
  private Map<String, Map<String, RequestCounts>> read(
      ResolvedSpec spec, List<ResolvedSpec.Version> judged, KubernetesClient client) {
    Map<String, String> models = new HashMap<>();
    judged.forEach(version -> models.put(version.name(), version.model().digest()));
    List<Pod> pods =
        ServingPods.list(client, spec.namespace(), ScorerNames.endpointSelector(spec.name()))
            .stream()
            .filter(pod -> servesModelOfNow(pod, models))
            .toList();
    return metrics.read(pods, ScorerNames.PROBE_PORT);
  }

  private static boolean servesModelOfNow(Pod pod, Map<String, String> models) {
    String version = labels(pod).get(ScorerNames.VERSION_LABEL);
    if (version == null || !models.containsKey(version)) {
      return true;
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations != null
        && models.get(version).equals(annotations.get(ScorerNames.MODEL_ANNOTATION));
  }

  private static Map<String, String> labels(Pod pod) {
    return Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
  }

  static Duration readInterval(List<ResolvedSpec.Version> judged) {
    Duration shortest =
        judged.stream()
            .map(version -> version.analysis().get().window())
            .min(Duration::compareTo)
            .get();
    Duration sixth = shortest.dividedBy(6);
    return sixth.compareTo(MIN_READ_INTERVAL) < 0
        ? MIN_READ_INTERVAL
        : sixth.compareTo(MAX_READ_INTERVAL) > 0 ? MAX_READ_INTERVAL : sixth;
  }

  private static Map<String, VersionAnalysisStatus> previous(MLWebService mlws) {
    Map<String, VersionAnalysisStatus> previous = new HashMap<>();
    if (mlws.getStatus() != null && mlws.getStatus().getVersions() != null) {
      for (ModelVersionStatus version : mlws.getStatus().getVersions()) {
        if (version.getName() != null && version.getAnalysis() != null) {
          previous.put(version.getName(), version.getAnalysis());
        }
      }
    }
    return previous;
  }
}
