package io.mlws.operator.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Which settings file the ready scorer pods apply, against the one the operator wrote: what the
 * SettingsApplied condition is computed from.
 *
 * @param wanted the digest of the settings file in the service's ConfigMap
 * @param answers one per ready pod; empty when none is ready, or when {@code confirmedEarlier}
 * @param confirmedEarlier every ready pod already reported {@code wanted} (status says so), so none
 *     was asked again: a pod that starts later mounts the same file
 */
public record SettingsReport(
    String wanted, List<PodSettingsAnswer> answers, boolean confirmedEarlier) {

  public static SettingsReport asked(String wanted, List<PodSettingsAnswer> answers) {
    return new SettingsReport(wanted, List.copyOf(answers), false);
  }

  public static SettingsReport alreadyConfirmed(String wanted) {
    return new SettingsReport(wanted, List.of(), true);
  }

  public boolean allApply() {
    return confirmedEarlier
        || (!answers.isEmpty() && answers.stream().allMatch(a -> a.applies(wanted)));
  }

  public boolean noReadyPods() {
    return !confirmedEarlier && answers.isEmpty();
  }

  public long applying() {
    return answers.stream().filter(a -> a.applies(wanted)).count();
  }

  /** A pod that read the wanted file and refused it: waiting will not help. */
  public List<String> refusals() {
    return answers.stream()
        .filter(a -> !a.applies(wanted) && a.refused().isPresent())
        .map(PodSettingsAnswer::describe)
        .toList();
  }

  /** The pods not (yet) applying the wanted file, each with what it said. */
  public String behind() {
    return answers.stream()
        .filter(a -> !a.applies(wanted))
        .map(PodSettingsAnswer::describe)
        .collect(Collectors.joining("; "));
  }

  /** Enough of a digest to tell files apart in a message: "sha256:" and 12 hex digits. */
  public static String shortDigest(String digest) {
    int cut = digest.indexOf(':') + 13;
    return cut > 12 && digest.length() > cut ? digest.substring(0, cut) : digest;
  }
}
