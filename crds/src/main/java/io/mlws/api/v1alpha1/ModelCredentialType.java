package io.mlws.api.v1alpha1;

/** How a model credential travels with the download request. */
public enum ModelCredentialType {
  AuthorizationHeader,
  SasToken
}
