package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One more model version behind the service's URL, beside the default one (spec.model). */
@JsonClassDescription(
    "A model version served beside spec.model behind the same Service, keys and NetworkPolicy,"
        + " in pods of its own (Deployment and Service NAME-VERSION), taking weight percent of the"
        + " calls.")
@ValidationRule(
    value = "self.name != '" + SpecDefaults.DEFAULT_VERSION_NAME + "'",
    message =
        "spec.versions[].name must not be '"
            + SpecDefaults.DEFAULT_VERSION_NAME
            + "': that is the name of spec.model's version")
public class ModelVersionSpec {
  @Required
  @Size(max = SpecDefaults.VERSION_NAME_LENGTH)
  @Pattern("^[a-z]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "The version's name: a DNS-1035 label of at most "
          + SpecDefaults.VERSION_NAME_LENGTH
          + " characters, unique in the list. It names the version's Deployment and Service"
          + " (NAME-VERSION), is the value of the azureml-model-deployment header that pins a call"
          + " to it, and the Version dimension and version label of its telemetry.")
  private String name;

  @Required
  @JsonPropertyDescription("The model this version serves.")
  private ModelSpec model;

  @Required
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "The percentage of calls this version answers. The default version (spec.model) answers the"
          + " rest: 100 minus the versions' weights, which must not exceed 100. 0 keeps the version"
          + " running and reachable by its header only.")
  private Integer weight;

  @Min(0)
  @Default(SpecDefaults.REPLICAS)
  @JsonPropertyDescription(
      "Number of this version's pods. Defaults to 1. Weights hold at any replica count.")
  private Integer replicas;

  @JsonPropertyDescription(
      "CPU and memory of this version's scorer container. Unset: the same defaults as"
          + " spec.resources has, not spec.resources itself.")
  private ScorerResources resources;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public ScorerResources getResources() {
    return resources;
  }

  public void setResources(ScorerResources resources) {
    this.resources = resources;
  }
}
