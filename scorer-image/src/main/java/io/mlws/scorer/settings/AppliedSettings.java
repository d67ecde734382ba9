package io.mlws.scorer.settings;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Which settings file this pod applies, as the operator asks on the probe port (GET /settings): the
 * digest of the bytes in force, and why a newer file was refused, if one was. The operator computes
 * the same digest from the ConfigMap it wrote, so status can say what pods apply rather than what
 * was asked.
 *
 * @param digest "sha256:" and the hex digest of the applied file; "none" without a settings file
 * @param refused why the newest file seen was not applied (the last good one stays in force)
 */
public record AppliedSettings(String digest, Optional<String> refused) {
  /** A scorer started without a settings file applies its environment's values only. */
  public static final AppliedSettings NONE = new AppliedSettings("none", Optional.empty());

  static AppliedSettings of(byte[] content) {
    return new AppliedSettings(digest(content), Optional.empty());
  }

  AppliedSettings refusing(String reason) {
    return new AppliedSettings(digest, Optional.of(reason));
  }

  /** The same function as the operator's (docs/api.md, "The scorer contract"). */
  static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static String digest(String content) {
    return digest(content.getBytes(StandardCharsets.UTF_8));
  }
}
