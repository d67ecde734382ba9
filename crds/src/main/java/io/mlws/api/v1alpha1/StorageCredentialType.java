package io.mlws.api.v1alpha1;

/** How the scorer authenticates to the Blob Storage container collected data goes to. */
public enum StorageCredentialType {
  WorkloadIdentity,
  SasToken
}
