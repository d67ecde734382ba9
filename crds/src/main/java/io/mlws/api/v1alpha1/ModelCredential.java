package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A credential for downloading the model from private storage, kept in a Secret so that the model
 * URI in the spec (and in GitOps history) never carries one.
 */
@ValidationRule(
    value = "has(self.secretRef.key)",
    message = "secretRef.key is required: the key of the credential in the Secret")
public class ModelCredential {
  @Required
  @JsonPropertyDescription(
      "Secret key holding the credential, in the MLWebService's namespace; key is required.")
  private SecretKeyReference secretRef;

  @Default(SpecDefaults.MODEL_CREDENTIAL_TYPE)
  @JsonPropertyDescription(
      "How the scorer presents it: AuthorizationHeader sends the value as the Authorization header"
          + " (e.g. \"Bearer <token>\"); SasToken appends it to the URI's query (an Azure Storage"
          + " shared access signature, with or without the leading ?). Defaults to"
          + " AuthorizationHeader.")
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
