package io.mlws.scorer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Why the scorer stops, where Kubernetes looks for it: the file the kubelet mounts at the
 * container's terminationMessagePath becomes the container's termination message (status, `kubectl
 * describe`, the operator's ScorerPodsFailing condition). Outside a pod there is no such file and
 * nothing is written.
 */
public final class TerminationMessage {
  /** Where the kubelet mounts the file unless the pod says otherwise. */
  public static final Path KUBERNETES_DEFAULT = Path.of("/dev/termination-log");

  /** What the kubelet keeps of the file. */
  static final int MAX_BYTES = 4096;

  private TerminationMessage() {}

  /** Writes the message to the file if it exists (never creates it); never fails the exit. */
  public static void write(Path file, String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(
          file,
          bytes.length <= MAX_BYTES ? bytes : Arrays.copyOf(bytes, MAX_BYTES),
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | SecurityException e) {
      // No file outside a pod; in one, the log line said it already.
    }
  }
}
