package io.mlws.api.v1alpha1;

/** How a model credential travels with the download request, or where the scorer gets one. */
public enum ModelCredentialType {
  AuthorizationHeader,
  SASToken,
  /** The first spelling of SASToken, accepted with the same meaning (docs/api.md). */
  @Deprecated
  SasToken,
  WorkloadIdentity;

  /** A shared access signature appended to the URI, whichever spelling the spec uses. */
  @SuppressWarnings("deprecation")
  public boolean sasToken() {
    return this == SASToken || this == SasToken;
  }
}
