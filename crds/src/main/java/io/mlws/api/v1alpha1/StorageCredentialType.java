package io.mlws.api.v1alpha1;

/** How the scorer authenticates to the Blob Storage container collected data goes to. */
public enum StorageCredentialType {
  WorkloadIdentity,
  SASToken,
  /** The first spelling of SASToken, accepted with the same meaning (docs/api.md). */
  @Deprecated
  SasToken;

  /** A shared access signature from a Secret, whichever spelling the spec uses. */
  @SuppressWarnings("deprecation")
  public boolean sasToken() {
    return this == SASToken || this == SasToken;
  }
}
