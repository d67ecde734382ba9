package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Whether and how the scorer pods send Application Insights telemetry. */
public class AppInsightsSpec {
  @Default(SpecDefaults.APP_INSIGHTS_ENABLED)
  @JsonPropertyDescription(
      "Attach the Application Insights Java agent to the scorer pods. Defaults to false: the agent"
          + " is then not loaded at all. Toggling rolls the pods once.")
  private Boolean enabled;

  @JsonPropertyDescription(
      "Secret key holding the Application Insights connection string; key defaults to"
          + " connection-string. Required when enabled, unless the operator is configured with a"
          + " default Secret (MLWS_DEFAULT_APPINSIGHTS_SECRET).")
  private SecretKeyReference connectionStringSecretRef;

  @Default(SpecDefaults.SAMPLING_PERCENTAGE)
  @ValidationRule(value = SamplingPercentage.RULE, message = SamplingPercentage.RULE_MESSAGE)
  @JsonPropertyDescription(
      "Percentage of requests whose telemetry is kept: an integer from 0 to 100, or a decimal"
          + " string such as \"12.5\" or \"0.1\" (at most 3 decimals). Defaults to 100.")
  private IntOrString samplingPercentage;

  @Size(max = 128)
  @Pattern("^[^\\s].{0,127}$")
  @JsonPropertyDescription(
      "Cloud role name in Application Insights (the application map node). Defaults to the"
          + " resource name.")
  private String roleName;

  @JsonPropertyDescription(
      "Send telemetry with a Microsoft Entra ID token from a managed identity instead of the"
          + " connection string's instrumentation key alone, as an Application Insights resource"
          + " with local authentication disabled requires. The connection string still says where"
          + " to send. {} uses the system-assigned identity (or the workload identity of the pod);"
          + " managedIdentityClientId picks a user-assigned one.")
  private EntraIdAuthentication entraId;

  public EntraIdAuthentication getEntraId() {
    return entraId;
  }

  public void setEntraId(EntraIdAuthentication entraId) {
    this.entraId = entraId;
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public SecretKeyReference getConnectionStringSecretRef() {
    return connectionStringSecretRef;
  }

  public void setConnectionStringSecretRef(SecretKeyReference connectionStringSecretRef) {
    this.connectionStringSecretRef = connectionStringSecretRef;
  }

  public IntOrString getSamplingPercentage() {
    return samplingPercentage;
  }

  public void setSamplingPercentage(IntOrString samplingPercentage) {
    this.samplingPercentage = samplingPercentage;
  }

  public String getRoleName() {
    return roleName;
  }

  public void setRoleName(String roleName) {
    this.roleName = roleName;
  }
}
