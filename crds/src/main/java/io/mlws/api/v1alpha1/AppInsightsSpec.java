package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Whether and how the scorer pods send Application Insights telemetry. */
public class AppInsightsSpec {
  @Default(SpecDefaults.APP_INSIGHTS_ENABLED)
  @JsonPropertyDescription(
      "Attach the Application Insights Java agent to the scorer pods. Defaults to false: the agent"
          + " is then not loaded at all. Toggling rolls the pods once.")
  private Boolean enabled;

  @JsonPropertyDescription(
      "Secret key holding the Application Insights connection string. Required when enabled,"
          + " unless the operator is configured with a default Secret (MLWS_DEFAULT_APPINSIGHTS_SECRET).")
  private SecretKeyReference connectionStringSecretRef;

  @Min(0)
  @Max(100)
  @Default(SpecDefaults.SAMPLING_PERCENTAGE)
  @JsonPropertyDescription(
      "Percentage of requests whose telemetry is kept, 0 to 100. Defaults to 100.")
  private Double samplingPercentage;

  @Pattern("^[^\\s].{0,127}$")
  @JsonPropertyDescription(
      "Cloud role name in Application Insights (the application map node). Defaults to the"
          + " resource name.")
  private String roleName;

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

  public Double getSamplingPercentage() {
    return samplingPercentage;
  }

  public void setSamplingPercentage(Double samplingPercentage) {
    this.samplingPercentage = samplingPercentage;
  }

  public String getRoleName() {
    return roleName;
  }

  public void setRoleName(String roleName) {
    this.roleName = roleName;
  }
}
