package io.mlws.operator.settings;

import java.util.Optional;

/**
 * One ready scorer pod's answer to GET /settings on its probe port, or why there was none.
 *
 * @param pod the pod's name
 * @param digest the digest of the settings file it applies
 * @param refused why it refused the newest file it saw (it keeps the last good one)
 * @param problem why it could not be asked (no answer, an error status, an unreadable body)
 */
public record PodSettingsAnswer(
    String pod, Optional<String> digest, Optional<String> refused, Optional<String> problem) {

  public static PodSettingsAnswer answered(String pod, String digest, Optional<String> refused) {
    return new PodSettingsAnswer(pod, Optional.of(digest), refused, Optional.empty());
  }

  public static PodSettingsAnswer unanswered(String pod, String problem) {
    return new PodSettingsAnswer(pod, Optional.empty(), Optional.empty(), Optional.of(problem));
  }

  boolean applies(String wanted) {
    return digest.filter(wanted::equals).isPresent();
  }

  /** "pod-a applies sha256:0123456789ab", "pod-b did not answer (…)". */
  String describe() {
    if (problem.isPresent()) {
      return pod + " could not be asked (" + problem.get() + ")";
    }
    String applied = pod + " applies " + SettingsReport.shortDigest(digest.orElseThrow());
    return refused.map(why -> applied + " and refused the newest file: " + why).orElse(applied);
  }
}
