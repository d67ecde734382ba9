package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The credential for the collected-data container: the pod's workload identity, or a SAS kept in a
 * Secret so that neither the spec nor GitOps history ever carries one.
 */
@ValidationRule(
    value =
        "!(self.type in ['SASToken', 'SasToken']) || (has(self.secretRef) &&"
            + " has(self.secretRef.key))",
    message = "SASToken needs secretRef with its key: the Secret key holding the SAS")
@ValidationRule(
    value = "self.type != 'WorkloadIdentity' || !has(self.secretRef)",
    message =
        "WorkloadIdentity takes no secretRef: the scorer gets its token through the pod's"
            + " ServiceAccount (spec.pod.serviceAccountName)")
public class StorageCredential {
  @Required
  @JsonPropertyDescription(
      "WorkloadIdentity: the pods are labelled azure.workload.identity/use=true and the scorer"
          + " exchanges the federated token of their ServiceAccount for an Entra ID token for"
          + " Azure Storage; the identity needs the Storage Blob Data Contributor role on the"
          + " container. SASToken: a shared access signature of the container (with or without"
          + " the leading ?) from secretRef, with at least the create, write and read (c, w, r)"
          + " permissions. SasToken, its first spelling, is deprecated and means the same.")
  private StorageCredentialType type;

  @JsonPropertyDescription(
      "Secret key holding the SAS, in the MLWebService's namespace; key is required. Only with"
          + " SASToken.")
  private SecretKeyReference secretRef;

  public StorageCredentialType getType() {
    return type;
  }

  public void setType(StorageCredentialType type) {
    this.type = type;
  }

  public SecretKeyReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyReference secretRef) {
    this.secretRef = secretRef;
  }
}
