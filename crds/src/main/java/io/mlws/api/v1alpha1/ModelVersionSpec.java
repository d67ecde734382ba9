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
@ValidationRule(
    value = "!has(self.mirrorPercentage) || self.mirrorPercentage == 0 || self.weight == 0",
    message =
        "a version with mirrorPercentage answers no caller: set its weight to 0 (its answers to"
            + " mirrored calls are never returned)")
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
  @Max(100)
  @JsonPropertyDescription(
      "Shadow traffic: the percentage of the service's scoring calls also sent to this version,"
          + " after the caller has its answer from the version that answered it; this version's"
          + " answers are never returned, and whether its prediction agrees with the live one is"
          + " recorded (the Agreement dimension, mlws_mirrored_requests_total). Needs weight 0."
          + " Defaults to 0.")
  private Integer mirrorPercentage;

  @Min(0)
  @Default(SpecDefaults.REPLICAS)
  @JsonPropertyDescription(
      "Number of this version's pods, unless autoscaling is set. Defaults to 1. Weights hold at"
          + " any replica count.")
  private Integer replicas;

  @JsonPropertyDescription(
      "Scale this version's pods on CPU with a HorizontalPodAutoscaler of its own (NAME-VERSION)"
          + " instead of replicas: as spec.autoscaling does for the default version's.")
  private AutoscalingSpec autoscaling;

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }

  @JsonPropertyDescription(
      "CPU and memory of this version's scorer container. Unset: the same defaults as"
          + " spec.resources has, not spec.resources itself.")
  private ScorerResources resources;

  @JsonPropertyDescription(
      "Judge this version by its telemetry against the default version, and roll it back when it"
          + " is worse. Unset: no analysis.")
  private VersionAnalysisSpec analysis;

  public VersionAnalysisSpec getAnalysis() {
    return analysis;
  }

  public void setAnalysis(VersionAnalysisSpec analysis) {
    this.analysis = analysis;
  }

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

  public Integer getMirrorPercentage() {
    return mirrorPercentage;
  }

  public void setMirrorPercentage(Integer mirrorPercentage) {
    this.mirrorPercentage = mirrorPercentage;
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
