package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A credential for downloading the model from private storage: kept in a Secret so that the model
 * URI in the spec (and in GitOps history) never carries one, or none at all with workload identity.
 */
@ValidationRule(
    value =
        "(has(self.type) && self.type == 'WorkloadIdentity')"
            + " || (has(self.secretRef) && has(self.secretRef.key))",
    message = "secretRef.key is required: the key of the credential in the Secret")
@ValidationRule(
    value = "!(has(self.type) && self.type == 'WorkloadIdentity') || !has(self.secretRef)",
    message =
        "WorkloadIdentity takes no secretRef: the scorer gets its token through the pod's"
            + " ServiceAccount (spec.pod.serviceAccountName)")
public class ModelCredential {
  @JsonPropertyDescription(
      "Secret key holding the credential, in the MLWebService's namespace; key is required."
          + " Not with WorkloadIdentity.")
  private SecretKeyReference secretRef;

  @Default(SpecDefaults.MODEL_CREDENTIAL_TYPE)
  @JsonPropertyDescription(
      "How the scorer presents it: AuthorizationHeader sends the value as the Authorization header"
          + " (e.g. \"Bearer <token>\"); SASToken appends it to the URI's query (an Azure Storage"
          + " shared access signature, with or without the leading ?); WorkloadIdentity needs no"
          + " Secret: the pods are labelled azure.workload.identity/use=true, the AKS workload"
          + " identity webhook injects the federated token of their ServiceAccount"
          + " (spec.pod.serviceAccountName, annotated azure.workload.identity/client-id), and the"
          + " scorer exchanges it for an Entra ID token for Azure Storage"
          + " (https://storage.azure.com/.default) and downloads the blob with it; the identity"
          + " needs the Storage Blob Data Reader role. Defaults to AuthorizationHeader. SasToken, the"
          + " first spelling of SASToken, is deprecated and means the same.")
  private ModelCredentialType type;

  public SecretKeyReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyReference secretRef) {
    this.secretRef = secretRef;
  }

  public ModelCredentialType getType() {
    return type;
  }

  public void setType(ModelCredentialType type) {
    this.type = type;
  }
}
