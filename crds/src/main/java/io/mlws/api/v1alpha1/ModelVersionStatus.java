package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One model version as observed: its share of the calls and its pods. */
@JsonClassDescription(
    "One model version behind the service (spec.model's, named default, and each of"
        + " spec.versions): the share of the calls it answers and its pods.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionStatus {
  @Required
  @JsonPropertyDescription(
      "The version's name: default for spec.model's, else spec.versions[].name.")
  private String name;

  @JsonPropertyDescription("The percentage of the scoring calls the version answers.")
  private Integer weight;

  @JsonPropertyDescription("The version's scorer pods that exist.")
  private Integer replicas;

  @JsonPropertyDescription("The version's scorer pods ready to serve.")
  private Integer readyReplicas;

  @JsonPropertyDescription("With spec.versions[].analysis: what it saw in its last window.")
  private VersionAnalysisStatus analysis;

  public ModelVersionStatus() {}

  public ModelVersionStatus(String name, int weight, int replicas, int readyReplicas) {
    this.name = name;
    this.weight = weight;
    this.replicas = replicas;
    this.readyReplicas = readyReplicas;
  }

  public VersionAnalysisStatus getAnalysis() {
    return analysis;
  }

  public ModelVersionStatus withAnalysis(VersionAnalysisStatus analysis) {
    this.analysis = analysis;
    return this;
  }

  public void setAnalysis(VersionAnalysisStatus analysis) {
    this.analysis = analysis;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
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

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelVersionStatus that
        && Objects.equals(name, that.name)
        && Objects.equals(weight, that.weight)
        && Objects.equals(replicas, that.replicas)
        && Objects.equals(readyReplicas, that.readyReplicas)
        && Objects.equals(analysis, that.analysis);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, weight, replicas, readyReplicas);
  }
}
