package io.mlws.api.v1alpha1;

/** How a model credential travels with the download request, or where the scorer gets one. */
public enum ModelCredentialType {
  AuthorizationHeader,
  SasToken,
  WorkloadIdentity
}
