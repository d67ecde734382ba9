package io.mlws.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed, in the kstatus shape that kubectl wait, Flux and Argo CD read. */
@JsonClassDescription(
    "What the operator observed: conditions in the kstatus shape that kubectl wait, Flux and Argo CD read, the replicas, the URL, and the telemetry and settings the pods apply.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MLWebServiceStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Reconciling, Stalled, AppInsightsReady and SettingsApplied, with reasons and"
          + " messages.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Scorer pods that exist.")
  private Integer replicas;

  @JsonPropertyDescription("Scorer pods ready to serve.")
  private Integer readyReplicas;

  @JsonPropertyDescription(
      "The label selector of the scorer pods, as a string: what the scale subresource gives an"
          + " autoscaler (HorizontalPodAutoscaler, KEDA) that targets the MLWebService.")
  private String selector;

  @JsonPropertyDescription("In-cluster scoring URL.")
  private String url;

  @JsonPropertyDescription("Whether the pods send Application Insights telemetry.")
  private AppInsightsState appInsights;

  @JsonPropertyDescription("Whether the pods send model_data_collection traces.")
  private DataCollectionState dataCollection;

  @JsonPropertyDescription(
      "Digest (sha256:...) of the settings file in the scorer ConfigMap once every ready scorer"
          + " pod reports that it applies it; unset while some do not (see the SettingsApplied"
          + " condition).")
  private String appliedSettings;

  @JsonPropertyDescription(
      "With spec.versions: each model version (spec.model's, named default, first), its weight and"
          + " its pods. Unset without spec.versions.")
  private List<ModelVersionStatus> versions;

  @JsonPropertyDescription(
      "With spec.versions: how the calls are shared now, version by version (default 80, canary"
          + " 20), a rolled-back version marked so. Unset without spec.versions.")
  private String traffic;

  public String getTraffic() {
    return traffic;
  }

  public void setTraffic(String traffic) {
    this.traffic = traffic;
  }

  public List<ModelVersionStatus> getVersions() {
    return versions;
  }

  public void setVersions(List<ModelVersionStatus> versions) {
    this.versions = versions;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
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

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public AppInsightsState getAppInsights() {
    return appInsights;
  }

  public void setAppInsights(AppInsightsState appInsights) {
    this.appInsights = appInsights;
  }

  public DataCollectionState getDataCollection() {
    return dataCollection;
  }

  public void setDataCollection(DataCollectionState dataCollection) {
    this.dataCollection = dataCollection;
  }

  public String getAppliedSettings() {
    return appliedSettings;
  }

  public void setAppliedSettings(String appliedSettings) {
    this.appliedSettings = appliedSettings;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MLWebServiceStatus other)) {
      return false;
    }
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(replicas, other.replicas)
        && Objects.equals(selector, other.selector)
        && Objects.equals(readyReplicas, other.readyReplicas)
        && Objects.equals(url, other.url)
        && appInsights == other.appInsights
        && dataCollection == other.dataCollection
        && Objects.equals(appliedSettings, other.appliedSettings)
        && Objects.equals(versions, other.versions)
        && Objects.equals(traffic, other.traffic);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, replicas, readyReplicas, url);
  }
}
