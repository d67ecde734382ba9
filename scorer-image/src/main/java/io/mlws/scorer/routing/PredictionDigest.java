package io.mlws.scorer.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What two versions' answers to one call are compared by: the SHA-256 of the prediction in the
 * answer ("predictions" of /score, "outputs" of the Open Inference Protocol, else the whole body),
 * so that a request id or a model version in the answer never makes two predictions differ.
 */
public final class PredictionDigest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PredictionDigest() {}

  /** The digest of an answer's prediction, or empty when the answer is not JSON. */
  public static Optional<String> of(byte[] answer) {
    try {
      JsonNode body = JSON.readTree(answer);
      if (body == null) {
        return Optional.empty();
      }
      JsonNode prediction =
          body.has("predictions") ? body.get("predictions") : body.path("outputs");
      if (prediction.isMissingNode()) {
        prediction = body;
      }
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(prediction.toString().getBytes(StandardCharsets.UTF_8));
      return Optional.of(HexFormat.of().formatHex(digest));
    } catch (java.io.IOException | NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }
}
