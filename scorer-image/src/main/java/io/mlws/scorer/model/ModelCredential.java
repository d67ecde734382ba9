package io.mlws.scorer.model;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * The credential for a private model download, from MLWS_MODEL_AUTHORIZATION (an Authorization
 * header value) or MLWS_MODEL_SAS_TOKEN (an Azure Storage shared access signature), which the
 * operator fills from a Secret. It never appears in a log line: toString says only which kind.
 */
public record ModelCredential(Optional<String> authorization, Optional<String> sasToken) {

  public static ModelCredential none() {
    return new ModelCredential(Optional.empty(), Optional.empty());
  }

  public boolean present() {
    return authorization.isPresent() || sasToken.isPresent();
  }

  /** The URI to request: with the SAS token appended to its query when there is one. */
  URI apply(URI uri) {
    if (sasToken.isEmpty()) {
      return uri;
    }
    String token = sasToken.get().startsWith("?") ? sasToken.get().substring(1) : sasToken.get();
    String raw = uri.toString();
    String fragmentless = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
    return URI.create(fragmentless + (uri.getRawQuery() == null ? "?" : "&") + token);
  }

  HttpRequest.Builder apply(HttpRequest.Builder request) {
    authorization.ifPresent(value -> request.header("Authorization", value));
    return request;
  }

  @Override
  public String toString() {
    return authorization.isPresent()
        ? "Authorization header"
        : sasToken.isPresent() ? "SAS token" : "none";
  }
}
