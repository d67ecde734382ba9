package io.mlws.scorer.model;

import io.mlws.scorer.model.ModelFetcher.ModelUnavailableException;
import io.mlws.scorer.model.entra.StorageToken;
import io.mlws.scorer.model.entra.WorkloadIdentity;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * The credential for a private model download, from MLWS_MODEL_AUTHORIZATION (an Authorization
 * header value) or MLWS_MODEL_SAS_TOKEN (an Azure Storage shared access signature), which the
 * operator fills from a Secret, or the pod's workload identity (MLWS_MODEL_WORKLOAD_IDENTITY),
 * which gets an Entra ID token for Storage. It never appears in a log line: toString says only
 * which kind.
 */
public record DownloadCredential(
    Optional<String> authorization,
    Optional<String> sasToken,
    Optional<WorkloadIdentity> workloadIdentity) {

  public DownloadCredential(Optional<String> authorization, Optional<String> sasToken) {
    this(authorization, sasToken, Optional.empty());
  }

  public static DownloadCredential none() {
    return new DownloadCredential(Optional.empty(), Optional.empty());
  }

  public static DownloadCredential of(WorkloadIdentity identity) {
    return new DownloadCredential(Optional.empty(), Optional.empty(), Optional.of(identity));
  }

  public boolean present() {
    return authorization.isPresent() || sasToken.isPresent() || workloadIdentity.isPresent();
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

  /**
   * The request's credential headers; for workload identity, a Storage token (kept until near
   * expiry).
   */
  HttpRequest.Builder apply(HttpRequest.Builder request) throws ModelUnavailableException {
    authorization.ifPresent(value -> request.header("Authorization", value));
    if (workloadIdentity.isPresent()) {
      StorageToken token = workloadIdentity.get().storageToken();
      request
          .header("Authorization", token.authorization())
          .header("x-ms-version", StorageToken.STORAGE_VERSION);
    }
    return request;
  }

  /** Which credential a refusal was about, for the error message: never the secret itself. */
  String refusedWhat() throws ModelUnavailableException {
    if (workloadIdentity.isPresent()) {
      return "the Entra ID token of the "
          + workloadIdentity.get()
          + ", "
          + workloadIdentity.get().storageToken()
          + ", was refused; Storage takes tokens for https://storage.azure.com and the identity"
          + " needs a data role such as Storage Blob Data Reader";
    }
    return "the credential from spec.model.credential was refused";
  }

  @Override
  public String toString() {
    return authorization.isPresent()
        ? "Authorization header"
        : sasToken.isPresent()
            ? "SAS token"
            : workloadIdentity.map(WorkloadIdentity::toString).orElse("none");
  }
}
