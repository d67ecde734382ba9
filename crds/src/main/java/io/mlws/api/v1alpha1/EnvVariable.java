package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVarSource;

/**
 * An extra environment variable of the scorer container. Names the operator sets itself are
 * refused, so a user variable can never switch telemetry or the model behind the operator's back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!self.name.startsWith('MLWS_') && !self.name.startsWith('APPLICATIONINSIGHTS_')"
            + " && self.name != 'JAVA_TOOL_OPTIONS' && self.name != 'JDK_JAVA_OPTIONS'"
            + " && self.name != '_JAVA_OPTIONS'",
    message =
        "env names starting with MLWS_ or APPLICATIONINSIGHTS_, and JAVA_TOOL_OPTIONS,"
            + " JDK_JAVA_OPTIONS and _JAVA_OPTIONS (the JVM's flags, the agent among them), are set"
            + " by the operator and cannot be overridden")
@ValidationRule(
    value = "!(has(self.value) && has(self.valueFrom))",
    message = "set either value or valueFrom, not both")
public class EnvVariable {
  @Required
  @Size(min = 1, max = 128)
  @Pattern("^[-._a-zA-Z][-._a-zA-Z0-9]*$")
  @JsonPropertyDescription("Name of the variable.")
  private String name;

  @Size(max = 32768)
  @JsonPropertyDescription("Literal value. Use valueFrom.secretKeyRef for anything secret.")
  private String value;

  @JsonPropertyDescription(
      "Where the value comes from: secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef,"
          + " as in a pod spec.")
  private EnvVarSource valueFrom;

  public EnvVariable() {}

  public EnvVariable(String name, String value) {
    this.name = name;
    this.value = value;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public EnvVarSource getValueFrom() {
    return valueFrom;
  }

  public void setValueFrom(EnvVarSource valueFrom) {
    this.valueFrom = valueFrom;
  }
}
