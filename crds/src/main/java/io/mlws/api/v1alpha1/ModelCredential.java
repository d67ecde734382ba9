package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A credential for downloading the model from private storage, kept in a Secret so that the model
 * URI in the spec (and in GitOps history) never carries one.
 */
public class ModelCredential {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("Secret holding the credential, in the MLWebService's namespace.")
  private String secretName;

  @Required
  @Pattern("^[-._a-zA-Z0-9]{1,253}$")
  @JsonPropertyDescription("Key of the credential in that Secret.")
  private String key;

  @Default(SpecDefaults.MODEL_CREDENTIAL_TYPE)
  @JsonPropertyDescription(
      "How the scorer presents it: AuthorizationHeader sends the value as the Authorization header"
          + " (e.g. \"Bearer <token>\"); SasToken appends it to the URI's query (an Azure Storage"
          + " shared access signature, with or without the leading ?). Defaults to"
          + " AuthorizationHeader.")
  private ModelCredentialType type;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public ModelCredentialType getType() {
    return type;
  }

  public void setType(ModelCredentialType type) {
    this.type = type;
  }
}
