package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** Who may call the scoring endpoints; health endpoints and the probe port stay open. */
@ValidationRule(
    value = "(has(self.mode) && self.mode == 'EntraId') == has(self.entraId)",
    message = "entraId is set with mode EntraId, and only then")
public class AuthSpec {
  /** The MLWebService annotation whose new value regenerates the primary key. */
  public static final String ROTATE_PRIMARY_ANNOTATION = "mlws.io/rotate-primary-key";

  /** The MLWebService annotation whose new value regenerates the secondary key. */
  public static final String ROTATE_SECONDARY_ANNOTATION = "mlws.io/rotate-secondary-key";

  @Default(SpecDefaults.AUTH_MODE)
  @JsonPropertyDescription(
      "None: anyone who reaches the Service may score. Keys: the operator creates the Secret"
          + " <name>-keys with a random primary and secondary key, and the scorer answers only"
          + " calls with \"Authorization: Bearer <either key>\" (401 otherwise). A new value of the"
          + " annotation mlws.io/rotate-primary-key (or mlws.io/rotate-secondary-key) on the"
          + " MLWebService regenerates that key alone, with no pod restarted. EntraId: the scorer"
          + " answers only calls with \"Authorization: Bearer <a Microsoft Entra ID access"
          + " token>\" of the tenant and audience in entraId (401 otherwise). Defaults to None.")
  private AuthMode mode;

  @JsonPropertyDescription("With mode EntraId: whose tokens are accepted.")
  private EntraIdCallersSpec entraId;

  public EntraIdCallersSpec getEntraId() {
    return entraId;
  }

  public void setEntraId(EntraIdCallersSpec entraId) {
    this.entraId = entraId;
  }

  public AuthMode getMode() {
    return mode;
  }

  public void setMode(AuthMode mode) {
    this.mode = mode;
  }
}
